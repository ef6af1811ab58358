"""Clinical policy as data (``knowledge/policy/``): the rules the options engine applies beyond
the evidence items themselves, in a form a clinician can read and edit.

Every rule has an ``id`` and ``sources``; ``make kb-check`` validates the files and their
cross-references. Pure Python (no Django). See docs/engine.md, "Policy".

Directories hold lists of records of one kind (one file per area: ``thoracic.yaml``,
``heme.yaml`` ...); single files hold one mapping.

    policy/facts/         Fact            patient facts derived from the profile (three-valued)
    policy/fitness/       FitnessRule     organ function, age, fitness, comorbidity rules
    policy/fitness-builtin.yaml BuiltinFitness (policy_builtin.py) built-in fitness thresholds
    policy/classes/       DrugClass       class tags: labels, which fail together
    policy/tests/         TestRule        decisive tests named for a situation
    policy/panels/        PanelRule       when several unknown markers become one panel
    policy/co-occurrence/ ExclusiveSet    drivers that rarely occur together
    policy/sequencing/    SequencingRule  which treatment comes first (neoadjuvant before surgery)
    policy/ranking.yaml   RankingPolicy   the order of the ranking key
    policy/labels.yaml    Labels          bilingual labels for codes shown to people
    policy/her2.yaml      Her2Scoring     HER2 IHC / ISH -> categories
    policy/trials/        TrialGateRule   when registered trials join the answer as options
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from onconav.kbdata.schema import BiomarkerId, FactId, Reference, Strict, Text

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$")]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]

# Dotted paths a condition may read (the engine's view of a normalised profile). ``derived.*``
# values are computed by the engine from the profile (docs/engine.md, "Facts").
FIELDS = (
    "age",
    "sex",
    "ecog",
    "smoking",
    "menopausal_status",
    "child_pugh",
    "operable",
    "transplant_eligible",
    "comorbidities",
    "organ_function.creatinine_clearance_ml_min",
    "organ_function.bilirubin_x_uln",
    "organ_function.lvef_percent",
    "organ_function.platelets_10e9_l",  # blood counts: 10^9/L (platelets, neutrophils), g/dL
    "organ_function.neutrophils_10e9_l",
    "organ_function.hemoglobin_g_dl",
    "cancer.stage",  # the stage as given, upper-case without "STAGE" ("IIB", "IVA", "EXTENSIVE")
    "cancer.stage_group",  # early | locally_advanced | advanced (may be several)
    "cancer.resected",
    "cancer.resectable",
    "cancer.castration_status",  # sensitive | resistant
    "cancer.platinum_sensitivity",  # sensitive | resistant | refractory
    "cancer.metastatic_sites",  # list: brain, liver, bone, lung, peritoneum, nodes, ...
    "cancer.residual_disease",  # residual invasive disease after neoadjuvant therapy
    "cancer.histologic_transformation",  # small_cell, squamous, richter, large_cell ...
    "cancer.left_sided_primary",  # colorectal sidedness (true: splenic flexure to rectum)
    "cancer.risk_groups",  # mapping system -> value; read as cancer.risk_groups.IMDC
    "derived.line",  # the line of systemic therapy for advanced disease now being chosen
    "derived.prior_lines",
    "derived.months_to_relapse",  # from the end of the last failed line to progression
    "derived.platinum_free_interval_months",
    "derived.last_outcome",  # response | no progression | progression | relapse | refractory | intolerance
    "derived.last_best_response",  # CR | PR | SD | PD
    "derived.received",  # INNs and class tags received (any outcome)
    "derived.failed",  # INNs and class tags that failed (progression, relapse, refractory)
    "derived.refractory",  # INNs and class tags the disease was refractory to
    "derived.had_radiotherapy",
    # true: a prior therapy was given before surgery (setting neoadjuvant / perioperative); false:
    # the history records no such line (every prior therapy has another setting, or there is none)
    "derived.neoadjuvant_given",
    # true: a prior therapy was given with curative intent (setting definitive / chemoradiation /
    # curative); false: none recorded
    "derived.definitive_given",
)


class Condition(Strict):
    """One test on the profile. Exactly one of ``field`` / ``fact`` / ``biomarker``.

    * ``field`` + ``op`` + ``value``: ``{field: organ_function.lvef_percent, op: "<", value: 50}``;
      ops ``in`` / ``contains`` take lists or strings; ``keywords`` matches free text
      (comorbidities) case-insensitively as whole words, English or Chinese.
    * ``fact``: another fact holds (``negate: true``: it does not hold).
    * ``biomarker``: the biomarker is present (with ``origin`` when given).

    Unknown input makes the condition unknown, never false.
    """

    field: str | None = None
    op: Literal["<", "<=", ">", ">=", "==", "!=", "in", "contains", "keywords"] | None = None
    value: float | str | bool | list[str] | None = None
    fact: FactId | None = None
    biomarker: BiomarkerId | None = None
    origin: Literal["germline", "somatic"] | None = None
    negate: bool = False

    @model_validator(mode="after")
    def _one_subject(self) -> Condition:
        subjects = [x for x in (self.field, self.fact, self.biomarker) if x]
        if len(subjects) != 1:
            raise ValueError("a condition needs exactly one of field, fact, biomarker")
        if self.field:
            if not (self.field in FIELDS or self.field.startswith("cancer.risk_groups.")):
                raise ValueError(f"unknown field {self.field!r} (see kbdata/policy.py FIELDS)")
            if self.op is None or self.value is None:
                raise ValueError("a field condition needs op and value")
        return self


class Fact(Strict):
    """A patient fact, true / false / unknown, derived from the profile.

    ``explicit``: a profile field that states it directly (wins when given). Otherwise the fact is
    true when its conditions hold: ``all`` (every one) and ``any`` (at least one), three-valued.
    Without ``false_when`` it is false when they are false. With ``false_when`` (any-of) it is
    false only when one of those holds, and unknown in between (a grey zone the care team
    decides: transplant eligibility between 70 and 76 years). ``if_unknown: false`` treats an
    unknown fact as false (metastatic sites not stated). ``derived_caution`` is shown on an option
    whose place depends on this fact when it was derived rather than stated.
    """

    id: FactId
    label: Text  # "not suitable for cisplatin"
    question: Text  # what decides it when unknown: "Is creatinine clearance at least 60 mL/min?"
    test: Text | None = None  # the test or assessment to order: "creatinine clearance (blood test)"
    explicit: str | None = None
    all: list[Condition] = []
    any: list[Condition] = []
    false_when: list[Condition] = []
    if_unknown: Literal["unknown", "false"] = "unknown"
    derived_caution: Text | None = None
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date
    notes: str | None = None  # curator note, never shown

    @model_validator(mode="after")
    def _has_logic(self) -> Fact:
        if not (self.explicit or self.all or self.any):
            raise ValueError("a fact needs explicit, all or any")
        if self.explicit and self.explicit not in FIELDS:
            raise ValueError(
                f"explicit field {self.explicit!r} is not a profile field (kbdata/policy.py FIELDS)"
            )
        return self


class Selector(Strict):
    """Which options a rule applies to (any of the lists matching is enough; empty: none)."""

    drugs: list[str] = []  # INNs
    class_tags: list[Tag] = []
    intensity: list[Literal["low", "moderate", "high", "very_high"]] = []
    modality: list[str] = []
    regimens: list[str] = []
    settings: list[str] = []  # evidence settings (neoadjuvant, perioperative ...)
    cancers: list[str] = []  # restrict to these OncoTree nodes (and descendants); empty: all


class FitnessRule(Strict):
    """When ``when`` holds for the patient, options matched by ``applies`` are excluded,
    demoted (never first) or cautioned. ``unless_regimen_has``: the regimen offers an
    alternative drug (``cisplatin or carboplatin``): keep it with the ``alternative`` note.
    ``substitutes``: regimen ids used instead; each one whose own evidence applies to the case
    is an option with "In place of X: <message>" (engine/substitutes.py), and a dropped regimen
    filtered earlier by the same fact is listed as excluded with the message. ``if_unknown``:
    what to do when ``when`` is unknown."""

    id: RuleId
    applies: Selector
    when: list[Condition] = Field(min_length=1)  # all must hold
    # relative_contraindication: demoted and ranked after every option not contraindicated,
    # conditional ones included (Candidate.contraindicated)
    action: Literal["exclude", "demote", "relative_contraindication", "caution"]
    message: (
        Text  # may use {age} {ecog} {crcl} {lvef} {bilirubin} {platelets} {neutrophils} {hemoglobin} {what}
    )
    unless_regimen_has: list[str] = []
    alternative: Text | None = None
    substitutes: list[str] = []
    if_unknown: Literal["ignore", "caution"] = "ignore"
    unknown_message: Text | None = None
    keep_driver_targeted: bool = False  # targeted therapy for a driver is kept (demoted) instead
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date


class DrugClass(Strict):
    """A class tag: its name in both languages and whether its members fail together (after
    progression on one, the others are not offered first). ``fails_with``: other tags that fail
    with it (same target across modalities: BCMA CAR-T and BCMA bispecifics)."""

    tag: Tag
    label: Text
    fails_together: bool = False
    fails_with: list[Tag] = []
    # after failure of a member, that member (and, when ``fails_together``, every member) is not
    # offered again at all: moved to answer.excluded (a failed CAR-T product; a second CD19 CAR-T)
    not_reoffered: bool = False
    # a backbone or supportive class (corticosteroids, leucovorin): progression on a line that
    # contained a member says nothing about the member, so a drug whose every tag is
    # failure-neutral is not counted as failed by the failure step (it stays "received")
    failure_neutral: bool = False
    why: Text | None = None  # shown when the rule demotes an option
    sources: list[Reference] = []
    reviewed: dt.date | None = None


class NamedTest(Strict):
    name: Text  # "T790M (tissue or plasma ctDNA)"
    biomarkers: list[BiomarkerId] = []  # what it decides (empty for e.g. a rebiopsy)
    reason: Text
    # a re-test: recommended even when the biomarker is already known (the result may have
    # changed under treatment: HER2 after trastuzumab)
    retest: bool = False


class TestRule(Strict):
    """Decisive tests named for a situation: in ``cancer`` (and descendants), after failure of
    any of ``after_failure_of`` (INN or class tag), not after ``not_after``, at ``stage_groups``."""

    id: RuleId
    cancer: str
    after_failure_of: list[str] = []
    not_after: list[str] = []
    stage_groups: list[Literal["early", "locally_advanced", "advanced"]] = []
    when: list[Condition] = []
    tests: list[NamedTest] = Field(min_length=1)
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date


class PanelRule(Strict):
    """Two or more unknown markers from ``genes`` become one panel test (named, listing the
    markers that decide an option); ``also_reports`` are added to it."""

    id: RuleId
    cancer: str
    exclude_cancers: list[str] = []
    stage_groups: list[Literal["early", "locally_advanced", "advanced"]] = []
    genes: list[str] = Field(min_length=2)
    min_unknown: int = Field(default=2, ge=1)
    also_reports: list[str] = []
    name: Text
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date


class ExclusiveSet(Strict):
    """Driver alterations that rarely occur together in ``cancer``: when one is present, an
    option needing another is unlikely, and an option needing the others absent is likely."""

    id: RuleId
    cancer: str
    markers: list[BiomarkerId] = Field(min_length=2)
    note: Text
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date
    # True: the markers are rare in this cancer at all (squamous NSCLC: EGFR, ALK): an option that
    # needs them absent is likely even when no driver was tested (rule condition.rare_drivers)
    rare: bool = False


class SequencingRule(Strict):
    """Which treatment comes first when several settings apply to an untreated local cancer.

    When every ``when`` condition holds for a patient with ``cancer`` (or a descendant) and at
    least one option in a ``prefer_settings`` setting is on offer (active or conditional; an
    empty list needs none), the options selected by ``defer`` (usually ``modality: [surgery]``)
    are placed after them: they move to the related-setting step of the ranking (they are still
    part of the plan, after the preferred treatment) with ``message`` in their rationale. With
    ``action: exclude`` they are not offered and ``message`` is the reason in ``excluded``
    (neoadjuvant treatment for an unresectable tumour). Unknown conditions: not applied.
    Trace: ``sequence.<id>``."""

    id: RuleId
    cancer: str
    when: list[Condition] = Field(min_length=1)
    # at least one option in these settings must be on offer (empty: no such requirement)
    prefer_settings: list[
        Literal["neoadjuvant", "perioperative", "definitive", "consolidation", "maintenance", "first_line"]
    ] = []
    defer: Selector
    action: Literal["defer", "exclude"] = "defer"  # exclude: not offered, listed in excluded with the message
    message: Text
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date


RankStep = Literal[
    "setting_fit",
    "fitness_tier",
    "condition",
    "matched_standard",
    "level",
    "preference",
    "approval_global",
    "china_access",
    "nrdl",
    "route_preference",
    "budget",
    "regimen_id",
]


class RankingPolicy(Strict):
    """The ranking key, step by step. Options equal on every step before ``ties_from`` are
    equivalent choices (the answer says so); later steps only order them."""

    steps: list[RankStep] = Field(min_length=1)
    ties_from: RankStep
    explain: dict[str, Text]  # step -> what it means, shown in docs and answers
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date

    @model_validator(mode="after")
    def _complete(self) -> RankingPolicy:
        if self.ties_from not in self.steps:
            raise ValueError("ties_from must be one of the steps")
        if self.steps[-1] != "regimen_id":
            raise ValueError("the last step must be regimen_id (a stable key)")
        return self


class Her2Row(Strict):
    ihc: Literal["0", "ultralow", "1", "2", "3", "any"]
    ish: Literal["positive", "negative", "unknown", "any"]
    present: list[BiomarkerId] = []
    absent: list[BiomarkerId] = []


class Her2Scoring(Strict):
    rows: list[Her2Row] = Field(min_length=1)  # first matching row wins
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date


class Labels(Strict):
    """Bilingual labels for codes that reach people: settings, routes, groups, access..."""

    labels: dict[str, dict[str, Text]]  # namespace -> code -> Text


class TrialGateRule(Strict):
    """When the guidelines would consider a clinical trial for this patient, so that recruiting
    trials that may fit join the answer as ``clinical_trial`` options (docs/trials.md).

    The rule holds when the patient's cancer is one of ``cancers`` (OncoTree nodes, descendants
    included) and every criterion given holds: at least ``min_prior_lines`` earlier systemic lines
    for advanced or relapsed disease; the last line ended in one of ``after_outcomes``; one of
    ``after_class_tags`` was received; or (``no_standard_option``) the answer has no active option
    with level 1-2 evidence. Criteria left out are not checked."""

    id: RuleId
    cancers: list[str] = Field(min_length=1)
    min_prior_lines: int | None = Field(default=None, ge=1)
    after_outcomes: list[
        Literal["progression", "relapse", "refractory", "intolerance", "response", "no progression"]
    ] = []
    after_class_tags: list[Tag] = []
    no_standard_option: bool = False
    max_ecog: int = Field(default=2, ge=0, le=4)  # trials rarely enrol beyond ECOG 2
    reason: Text  # shown on the trial options: "after two lines of treatment for advanced disease"
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date
    notes: str | None = None  # curator note, never shown

    @model_validator(mode="after")
    def _has_criterion(self) -> TrialGateRule:
        if not (
            self.min_prior_lines or self.after_outcomes or self.after_class_tags or self.no_standard_option
        ):
            raise ValueError("a trial rule needs at least one criterion")
        return self


class RegimenName(Strict):
    """A regimen written by its usual abbreviation in a treatment history ("FOLFOX", "R-CHOP",
    "VRd"): the drugs it stands for, so the engine reads them as received (and failed) drugs."""

    names: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]] = Field(min_length=1)
    drugs: list[str] = Field(min_length=1)  # INNs as in knowledge/drugs
    # OncoTree nodes (descendants included) where the abbreviation means these drugs; empty: any
    # cancer. "EC" is epirubicin-cyclophosphamide in breast cancer, etoposide-carboplatin in lung.
    cancers: list[str] = []
    sources: list[Reference] = Field(min_length=1)
