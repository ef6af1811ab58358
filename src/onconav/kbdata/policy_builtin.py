"""The thresholds of the options engine's built-in fitness checks as data
(``knowledge/policy/fitness-builtin.yaml``): ECOG, intensity and age cut-offs, kidney and heart
function limits with the drugs and class tags they apply to, comorbidity keywords. The engine
(engine/fitness.py) keeps the mechanics. Pure Python (no Django). See docs/engine.md, "How a
clinician edits a fitness threshold"."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from onconav.kbdata.policy import RuleId, Tag
from onconav.kbdata.schema import Reference, Strict

if TYPE_CHECKING:
    from onconav.kbdata.loader import KnowledgeBase

Ecog = Annotated[int, Field(ge=0, le=4)]
Age = Annotated[int, Field(ge=18, le=120)]


class BuiltinRule(Strict):
    """What every built-in fitness rule carries: its sources and review date (``notes``: a
    curator note, never shown)."""

    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date
    notes: str | None = None


class PerformanceRule(BuiltinRule):
    """ECOG against the evidence item's ``ecog_max`` (above it: excluded, trace ``fitness.ecog``)
    and poor performance status: from ``poor_ecog`` on, targeted therapy for a driver is kept
    (demoted, ``fitness.ps_targeted_kept``) instead of excluded, and every other non-supportive
    option is demoted while supportive care comes first (``fitness.ps_supportive_first``)."""

    id: Literal["ecog"]
    poor_ecog: Ecog


class VeryHighIntensityRule(BuiltinRule):
    """``very_high`` intensity (CAR-T, transplant); trace ``fitness.very_high``. ECOG from
    ``exclude_ecog``: excluded. An ECOG in ``demote_ecog``: excluded from ``frail_age`` (two risk
    factors together), else demoted with a caution. From ``caution_age``: an age caution."""

    id: Literal["very_high"]
    exclude_ecog: Ecog
    demote_ecog: list[Ecog] = Field(min_length=1)
    frail_age: Age
    caution_age: Age

    @model_validator(mode="after")
    def _ordered(self) -> VeryHighIntensityRule:
        if any(e >= self.exclude_ecog for e in self.demote_ecog):
            raise ValueError("demote_ecog values must be below exclude_ecog")
        return self


class HighIntensityRule(BuiltinRule):
    """``high`` intensity (combination chemo-immunotherapy, major surgery, chemoradiation): an
    ECOG in ``demote_ecog`` demotes (``fitness.high_ecog2``), so does age from ``demote_age``
    (``fitness.high_age75``; the trace ids keep their historical names)."""

    id: Literal["high"]
    demote_ecog: list[Ecog] = Field(min_length=1)
    demote_age: Age


class KidneyRule(BuiltinRule):
    """Creatinine clearance below ``below`` mL/min with one of ``drugs``: caution
    ``c_crcl_cisplatin`` (its text names cisplatin), trace ``fitness.crcl_cisplatin``."""

    id: Literal["crcl_cisplatin"]
    below: float = Field(gt=0, le=200)
    drugs: list[str] = Field(min_length=1)  # INNs


class HeartRule(BuiltinRule):
    """LVEF below ``below`` % with a drug of one of ``class_tags``: caution ``c_lvef`` (its text
    names anti-HER2 antibodies and anthracyclines), trace ``fitness.lvef``."""

    id: Literal["lvef"]
    below: float = Field(gt=0, le=100)
    class_tags: list[Tag] = Field(min_length=1)


class ComorbidityRule(BuiltinRule):
    """A comorbidity (free text) containing one of ``keywords`` as a whole word, English or
    Chinese, gives the caution ``message`` (an engine message code with ``{what}``) on options
    of the given ``intensity`` or with a drug of one of ``class_tags``; trace
    ``fitness.comorbidity``. Cautions, or with ``action: demote`` a demotion."""

    id: RuleId
    keywords: list[str] = Field(min_length=1)
    intensity: list[Literal["low", "moderate", "high", "very_high"]] = []
    class_tags: list[Tag] = []
    drugs: list[str] = []  # INNs, for a rule about particular drugs of a class
    message: Annotated[str, StringConstraints(pattern=r"^c_comorbidity_[a-z_]+$")]
    # caution (default); demote: the option is shown lower (never first), trace
    # fitness.comorbidity_demote; relative_contraindication: demoted and ranked after every option
    # that is not contraindicated, conditional ones included (an option that waits on a test
    # comes before one that risks the graft), traces fitness.comorbidity_demote and
    # fitness.relative_contraindication (checkpoint inhibitors after a solid-organ transplant)
    # exclude: not offered (a label contraindication), listed in excluded with the message,
    # trace fitness.comorbidity_exclude
    action: Literal["caution", "demote", "relative_contraindication", "exclude"] = "caution"

    @model_validator(mode="after")
    def _valid(self) -> ComorbidityRule:
        if not (self.intensity or self.class_tags or self.drugs):
            raise ValueError("a comorbidity rule needs intensity, class_tags or drugs")
        for w in self.keywords:
            if not w.strip() or w != w.strip().lower():
                raise ValueError(f"keyword {w!r} must be lower-case words without outer spaces")
        return self


class NoRechallengeRule(BuiltinRule):
    """A drug stopped for intolerance (outcome ``intolerance``) because of a serious toxicity is
    not given again: when the line's ``reason`` or a comorbidity names one of ``keywords`` (whole
    words, English or Chinese) and the drug is one of ``drugs`` or carries one of ``class_tags``,
    every option with that drug (with ``class_tags``: with any drug of those classes) moves to
    ``answer.excluded`` with the message ``x_no_rechallenge`` (trace ``failure.no_rechallenge``).
    ``min_grade``: a grade stated next to the toxicity ("grade 1", "G1", "1级") below it does not
    count; a toxicity without a grade does (the drug was stopped for it)."""

    id: RuleId
    keywords: list[str] = Field(min_length=1)
    drugs: list[str] = []  # INNs
    class_tags: list[Tag] = []
    min_grade: int | None = Field(default=None, ge=1, le=5)
    # exclude (default): the label says to discontinue permanently; relative_contraindication:
    # the options stay, ranked after every option not contraindicated, with the message
    # c_no_rechallenge_relative (a cumulative toxicity the guidelines advise against re-exposing to)
    action: Literal["exclude", "relative_contraindication"] = "exclude"

    @model_validator(mode="after")
    def _valid(self) -> NoRechallengeRule:
        if not (self.drugs or self.class_tags):
            raise ValueError("a no-re-challenge rule needs drugs or class_tags")
        for w in self.keywords:
            if not w.strip() or w != w.strip().lower():
                raise ValueError(f"keyword {w!r} must be lower-case words without outer spaces")
        return self


class BuiltinFitness(Strict):
    """The thresholds, drug lists, class tags and keywords of the engine's built-in fitness
    checks (``knowledge/policy/fitness-builtin.yaml``; engine/fitness.py keeps the mechanics).
    Child-Pugh classes and tumour size / count limits are fields of each evidence item."""

    performance: PerformanceRule
    very_high: VeryHighIntensityRule
    high: HighIntensityRule
    kidney: KidneyRule
    heart: HeartRule
    comorbidity: list[ComorbidityRule] = Field(min_length=1)
    no_rechallenge: list[NoRechallengeRule] = []


class RelapseWindowRule(BuiltinRule):
    """A relapse this many ``months`` or more after the end of a curative-intent (adjuvant,
    neoadjuvant, definitive ...) course of these ``drugs`` (INNs or class tags) in this
    ``cancer`` (OncoTree node; its descendants too) is a late relapse: the drugs may be used
    again; an earlier one counts as their failure (rule ``failure.late_relapse``)."""

    id: RuleId
    cancer: str
    drugs: list[str] = Field(min_length=1)
    months: float = Field(gt=0, le=60)


class EarlyRelapseRule(BuiltinRule):
    """The cancer came back on or within the window after a curative-intent course with one of
    ``drugs`` (INNs or class tags) in this ``cancer`` (and its descendants): first-line options
    for advanced disease with one of ``first_line_shown_lower`` (INNs or class tags) are shown
    lower, because the trials behind them excluded such early relapses and the guideline treats
    the patient as needing second-line therapy (rule ``failure.early_relapse_first_line``)."""

    id: RuleId
    cancer: str
    drugs: list[str] = Field(min_length=1)
    first_line_shown_lower: list[str] = Field(min_length=1)


class RelapseWindows(Strict):
    """When a relapse after curative-intent treatment is "late" (``knowledge/policy/relapse-windows.yaml``;
    docs/engine.md, "Late relapse"). ``default_months`` applies where no rule does."""

    default_months: float = Field(gt=0, le=60)
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date
    notes: str | None = None
    rules: list[RelapseWindowRule] = []
    early_relapse_first_line: list[EarlyRelapseRule] = []


def check_relapse_windows(kb: KnowledgeBase, tags: set[str], problems: list[str]) -> None:
    """Relapse-window rules name known cancers and drugs or class tags, with unique ids."""
    w = kb.policy.relapse_windows
    if w is None:
        return
    where = "policy/relapse-windows.yaml"
    ids = [r.id for r in (*w.rules, *w.early_relapse_first_line)]
    for d in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"{where}: duplicate rule id {d}")
    for r in (*w.rules, *w.early_relapse_first_line):
        if r.cancer not in kb.cancer_by_code:
            problems.append(f"{where}: {r.id}: unknown cancer {r.cancer}")
        names = [*r.drugs, *getattr(r, "first_line_shown_lower", [])]
        for d in names:
            if d not in kb.drug_by_inn and d not in tags:
                problems.append(f"{where}: {r.id}: {d} is neither a drug nor a class tag")


def check_builtin(kb: KnowledgeBase, tags: set[str], problems: list[str]) -> None:
    """The built-in fitness thresholds: drugs, class tags and message codes exist."""
    b = kb.policy.fitness_builtin
    if b is None:
        return
    from onconav.engine.messages import MESSAGES  # the engine's message table (pure Python)

    where = "policy/fitness-builtin.yaml"
    for inn in b.kidney.drugs:
        if inn not in kb.drug_by_inn:
            problems.append(f"{where}: kidney: unknown drug {inn}")
    for t in b.heart.class_tags:
        if t not in tags:
            problems.append(f"{where}: heart: class tag {t} is on no drug")
    ids = [r.id for r in b.comorbidity]
    for d in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"{where}: duplicate comorbidity rule id {d}")
    for r in b.comorbidity:
        for t in r.class_tags:
            if t not in tags:
                problems.append(f"{where}: comorbidity {r.id}: class tag {t} is on no drug")
        for inn in r.drugs:
            if inn not in kb.drug_by_inn:
                problems.append(f"{where}: comorbidity {r.id}: unknown drug {inn}")
        entry = MESSAGES.get(r.message)
        if entry is None:
            problems.append(f"{where}: comorbidity {r.id}: unknown message {r.message} (engine/messages)")
        elif any("{what}" not in text for text in entry.values()):
            problems.append(f"{where}: comorbidity {r.id}: message {r.message} does not name {{what}}")
    for r in b.no_rechallenge:
        for inn in r.drugs:
            if inn not in kb.drug_by_inn:
                problems.append(f"{where}: no_rechallenge {r.id}: unknown drug {inn}")
        for t in r.class_tags:
            if t not in tags:
                problems.append(f"{where}: no_rechallenge {r.id}: class tag {t} is on no drug")
