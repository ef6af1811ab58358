"""The options pipeline (ENGINE.md steps 2-6): a sequence of steps over data, each leaving a trace.

    generate  -> candidates whose evidence predicates hold; pending items (unknown biomarker)
    resistance-> R1 removes, R2 demotes candidates the present biomarker works against
    failure   -> what already failed (same drug / class that fails together) is shown lower
    fitness   -> ECOG, intensity, age, organ function, Child-Pugh, tumour size
    merge     -> one option per regimen; the best evidence item decides
    rank      -> deterministic lexicographic key
    tests     -> tests that would decide pending items, most decision-changing first

Rule ids (the ``trace`` of each option) are the keys of :data:`RULES`; docs/engine.md explains
each one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from onconav.engine.facts import FactBook
from onconav.engine.messages import t
from onconav.engine.normalize import Case, Vocabulary, drug_label, threshold_holds
from onconav.kbdata.loader import KnowledgeBase
from onconav.kbdata.policy import DrugClass, FitnessRule
from onconav.kbdata.schema import Evidence, Regimen, Text

RULES: dict[str, str] = {
    "cancer.lineage": "the item is written for the patient's cancer or an ancestor (LUAD -> NSCLC -> LUNG -> SOLID)",
    "cancer.agnostic": "tumour-agnostic item written for SOLID/HEME applies as written",
    "stage.group": "the item's stage groups include the patient's",
    "setting.adjuvant_needs_resection": "adjuvant items need a resected primary",
    "setting.local_needs_unresected": "definitive / neoadjuvant / perioperative items need an unresected primary",
    "setting.line": "first_line needs no prior line for advanced disease; later_line needs line >= 2",
    "setting.fit": "the item's setting is the primary one for the patient's situation",
    "setting.other": "the item holds, in a related setting",
    "setting.early_after_failure": "early disease after failure of its local standard: a later-line item written for that failure is primary",
    "setting.consolidation": "consolidation follows chemoradiation",
    "setting.maintenance": "maintenance follows a treatment that worked (response or no progression)",
    "setting.later_line_on_progression": "while the last treatment is working, later-line options are for progression",
    "prior.after_failure_of": "the item needs a failed prior drug or class",
    "prior.not_after": "the item is excluded after a drug or class already received",
    "operability.requires_inoperable": "the item is for patients judged inoperable",
    "operability.surgery": "surgery needs an operable, resectable patient",
    "biomarker.present": "required biomarkers are present",
    "biomarker.any": "at least one of the biomarkers is present",
    "biomarker.absent": "biomarkers that must be negative are known negative",
    "biomarker.threshold": "measured biomarker thresholds hold",
    "biomarker.pending": "the item would hold if an unknown biomarker were known: a test is recommended",
    "resistance.R1": "a present biomarker predicts resistance (standard evidence): option removed",
    "resistance.R2": "a present biomarker suggests resistance: option demoted",
    "failure.same_drug": "a drug of the option already failed: shown lower",
    "failure.same_class": "a drug of a class that fails together already failed: shown lower",
    "failure.intolerance": "previous intolerance to a drug of the option",
    "fitness.ecog": "ECOG above the item's limit excludes it",
    "fitness.ps_targeted_kept": "targeted therapy for a driver is kept in poor performance status",
    "fitness.ps_supportive_first": "ECOG 3-4: supportive and palliative care first",
    "fitness.very_high": "CAR-T / transplant need ECOG <= 1 (2 with caution)",
    "fitness.high_ecog2": "high-intensity treatment demoted for ECOG 2",
    "fitness.high_age75": "high-intensity treatment demoted from age 75",
    "fitness.crcl_cisplatin": "creatinine clearance < 45 mL/min with cisplatin: caution",
    "fitness.lvef": "LVEF < 50% with anti-HER2 antibodies or anthracyclines: caution",
    "fitness.child_pugh": "Child-Pugh class outside the item's list excludes it",
    "fitness.substitute": "the standard substitute for a regimen a fitness rule drops (knowledge/policy/fitness substitutes): 'in place of X' with the reason",
    "fitness.comorbidity": "a serious comorbidity gives a caution (intensive treatment, immunotherapy, HBV reactivation)",
    "fitness.tumor_size": "tumour size / count limits",
    "merge.regimen": "several evidence items for one regimen are merged; the best decides",
    "rank.superseded": "a single-drug option beaten head-to-head by another option of the same level is listed after it",
    "rank.key": "rank = (setting fit, fitness tier, biomarker-matched with level 1-2 evidence, level, biomarker-matched, superseded, hazard ratio, China access, NRDL, cost vs budget, regimen id)",
}

PRIMARY_SETTINGS = {
    "early": frozenset({"definitive", "neoadjuvant", "perioperative", "adjuvant"}),
    # adjuvant items need a resected primary (checked separately): resected stage III is adjuvant territory
    "locally_advanced": frozenset(
        {"definitive", "consolidation", "neoadjuvant", "perioperative", "adjuvant"}
    ),
    "advanced": frozenset({"first_line", "later_line", "maintenance"}),
}
LOCAL_UNRESECTED_SETTINGS = frozenset({"definitive", "neoadjuvant", "perioperative"})
LINE_SETTINGS = frozenset({"first_line", "later_line", "maintenance"})
SUPPORTIVE_MODALITIES = frozenset({"supportive_care", "palliative_care"})
LEVEL_RANK = {"1": 0, "2": 1, "3A": 2, "3B": 3, "4": 4}
# Classes whose members fail together (ENGINE.md): same-generation EGFR/ALK TKIs, checkpoint inhibitors.
FAIL_TOGETHER = frozenset(
    {
        "egfr_tki_1g",
        "egfr_tki_2g",
        "egfr_tki_3g",
        "alk_tki_1g",
        "alk_tki_2g",
        "alk_tki_3g",
        "checkpoint_inhibitor",
    }
)
CARDIOTOXIC_TAGS = frozenset({"anti_her2_antibody", "anthracycline"})
# Comorbidity fitness rules (cautions only): (words in the comorbidity text, applies to
# intensities or class tags, message key). Kept small and generic on purpose.
COMORBIDITY_RULES: tuple[tuple[tuple[str, ...], frozenset[str], str], ...] = (
    (
        (
            "heart failure",
            "copd",
            "dialysis",
            "kidney failure",
            "renal failure",
            "cirrhosis",
            "stroke",
            "myocardial infarction",
            "frail",
            "dementia",
            "心衰",
            "慢阻肺",
            "透析",
            "肝硬化",
        ),
        frozenset({"intensity:high", "intensity:very_high"}),
        "c_comorbidity_intensive",
    ),
    (
        (
            "autoimmune",
            "lupus",
            "rheumatoid",
            "crohn",
            "ulcerative colitis",
            "interstitial lung",
            "ild",
            "pneumonitis",
            "organ transplant",
            "自身免疫",
            "间质性肺",
        ),
        frozenset({"checkpoint_inhibitor"}),
        "c_comorbidity_io",
    ),
    (
        ("hepatitis b", "hbv", "乙肝", "乙型肝炎"),
        frozenset({"checkpoint_inhibitor", "anti_cd20", "chemotherapy", "car_t"}),
        "c_comorbidity_hbv",
    ),
)
_COMORBIDITY_PATTERNS = tuple(
    (re.compile("|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in words)), applies, key)
    for words, applies, key in COMORBIDITY_RULES
)
DRIVER_GENES = frozenset({"EGFR", "ALK", "ROS1", "RET", "NTRK", "BRAF", "KRAS", "NRAS", "MET", "ERBB2"})
ACCESS_ORDER = (
    "approved",
    "approved_other_indication",
    "boao_only",
    "trial_only",
    "not_available",
    "unknown",
)


@dataclass(frozen=True)
class RegimenInfo:
    regimen: Regimen
    tags: frozenset[str]
    drug_access: str  # worst access of its drugs, or not_applicable
    nrdl_all: bool | None  # every drug NRDL-listed (None: unknown or no drugs)
    cost_month: int | None


@dataclass
class Candidate:
    ev: Evidence
    reg: RegimenInfo
    fit: int = 0  # 0 primary setting, 1 related setting, 2 supportive / any
    tier: int = 0  # 0 fine, 1 demoted (fitness, R2, intolerance), 2 failed before
    cautions: list[str] = field(default_factory=list)
    demotions: list[str] = field(default_factory=list)
    trace: list[str] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    merged: list[Evidence] = field(default_factory=list)
    superseded_by: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # extra rationale lines
    # conditional options (docs/engine.md "Conditional options"): what the item still waits on
    cond_markers: dict[str, str] = field(default_factory=dict)  # biomarker id -> role
    cond_facts: list[str] = field(default_factory=list)  # fact ids (policy/facts)
    likely: bool | None = None  # co-occurrence: True likely, False unlikely, None open
    cond_notes: list[str] = field(default_factory=list)  # exclusive-set ids that decided `likely`

    @property
    def conditional(self) -> bool:
        return bool(self.cond_markers or self.cond_facts)

    def cond_rank(self) -> int:
        """0 active or likely, 1 open, 2 unlikely (ranking step ``condition``)."""
        if not self.conditional or self.likely is True:
            return 0
        return 2 if self.likely is False else 1

    def demote(self, tier: int, reason: str, rule: str) -> None:
        self.tier = max(self.tier, tier)
        if reason not in self.demotions:
            self.demotions.append(reason)
        self.caution(reason)
        self.trace.append(rule)

    def caution(self, text: str) -> None:
        if text not in self.cautions:
            self.cautions.append(text)

    def exclude(self, reason: str, rule: str) -> None:
        self.exclusions.append(reason)
        self.trace.append(rule)


@dataclass
class Pending:
    ev: Evidence
    reg: RegimenInfo
    unknown: tuple[str, ...]  # biomarker ids whose result would decide the item
    roles: dict[str, str]  # id -> "present" | "absent" | "threshold"


@dataclass
class Run:
    """Everything one call produces (the pipeline's working data)."""

    case: Case
    candidates: list[Candidate] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    excluded: list[Candidate] = field(default_factory=list)
    resistance_pending: list[tuple[Evidence, tuple[str, ...]]] = field(default_factory=list)
    options: list[Candidate] = field(default_factory=list)
    need_child_pugh: set[str] = field(default_factory=set)
    facts: FactBook | None = None
    fitness_rules: tuple[FitnessRule, ...] = ()  # knowledge/policy/fitness
    classes: dict[str, DrugClass] = field(default_factory=dict)  # knowledge/policy/classes
    named_markers: frozenset[str] = frozenset()  # biomarkers a named situational test decides


def text(tx: Text | None, lang: str) -> str:
    if tx is None:
        return ""
    return tx.en if lang == "en" else tx.zh


def compile_regimen(kb: KnowledgeBase, vocab: Vocabulary, reg: Regimen) -> RegimenInfo:
    tags: set[str] = set()
    worst = -1
    nrdl: bool | None = True if reg.drugs else None
    cost = 0.0
    cost_known = bool(reg.drugs)
    drugs = list(reg.drugs)
    if "cisplatin" in drugs and "carboplatin" in drugs:
        # "cisplatin or carboplatin": count the dearer one only
        def band(inn: str) -> float:
            d = kb.drug_by_inn.get(inn)
            return (d.cost.usd_low + d.cost.usd_high) / 2 if d and d.cost else 0.0

        drugs.remove("carboplatin" if band("cisplatin") >= band("carboplatin") else "cisplatin")
    for inn in reg.drugs:
        d = kb.drug_by_inn.get(inn)
        if d is None:
            worst = max(worst, ACCESS_ORDER.index("unknown"))
            nrdl = None
            cost_known = False
            continue
        tags |= set(d.class_tags)
        acc = d.china_access.value
        worst = max(worst, ACCESS_ORDER.index(acc) if acc in ACCESS_ORDER else ACCESS_ORDER.index("unknown"))
        if d.nrdl.listed is False:
            nrdl = False
        elif d.nrdl.listed is None and nrdl is not False:
            nrdl = None
    for inn in drugs:
        d = kb.drug_by_inn.get(inn)
        if d is None or d.cost is None:
            cost_known = False
            continue
        mid = (d.cost.usd_low + d.cost.usd_high) / 2
        if d.cost.per == "month":
            cost += mid
        elif d.cost.per == "cycle":
            cost += mid * 30 / 21  # most regimens run in 3-week cycles
        else:
            cost_known = False
    access = ACCESS_ORDER[worst] if reg.drugs else "not_applicable"
    cost_month = int(round(cost / 10.0) * 10) if cost_known else None
    return RegimenInfo(
        regimen=reg, tags=frozenset(tags), drug_access=access, nrdl_all=nrdl, cost_month=cost_month
    )


# --- step: generate -----------------------------------------------------------------------


def _biomarkers(ev: Evidence, case: Case) -> tuple[bool, dict[str, str], list[str]]:
    """(no known contradiction, unknown ids with their role, trace)."""
    unknown: dict[str, str] = {}
    trace: list[str] = []
    for bid in ev.biomarkers:
        s = case.state(bid)
        if s is False:
            return False, {}, trace
        if s is None:
            unknown[bid] = "present"
    if ev.biomarkers:
        trace.append("biomarker.present")
    if ev.biomarkers_any:
        states = [case.state(b) for b in ev.biomarkers_any]
        if True not in states:
            if all(s is False for s in states):
                return False, {}, trace
            for b, s in zip(ev.biomarkers_any, states, strict=True):
                if s is None:
                    unknown.setdefault(b, "present")
        trace.append("biomarker.any")
    for bid in ev.biomarkers_absent:
        s = case.state(bid)
        if s is True:
            return False, {}, trace
        if s is None:
            unknown.setdefault(bid, "absent")
    if ev.biomarkers_absent:
        trace.append("biomarker.absent")
    for th in ev.thresholds:
        rng = case.numeric.get(th.marker)
        if rng is None:
            unknown.setdefault(th.marker, "threshold")
            continue
        ok = threshold_holds(rng, th.op, th.value)
        if ok is False:
            return False, {}, trace
        if ok is None:
            unknown.setdefault(th.marker, "threshold")
    if ev.thresholds:
        trace.append("biomarker.threshold")
    return True, unknown, trace


def _matches_prior(tokens: list[str], drugs: set[str], tags: set[str]) -> bool:
    return any(tok in drugs or tok in tags for tok in tokens)


def _setting_and_line(ev: Evidence, case: Case) -> tuple[bool, list[str]]:
    trace = ["stage.group"]
    groups = case.stage_groups
    if not groups.intersection(ev.stage_groups):
        return False, trace
    s = ev.setting
    resected = case.resected
    if ev.requires_resected is True or (ev.requires_resected is None and s == "adjuvant"):
        if resected is not True:
            return False, trace
        trace.append("setting.adjuvant_needs_resection")
    if ev.requires_resected is False or (ev.requires_resected is None and s in LOCAL_UNRESECTED_SETTINGS):
        if resected is True:
            return False, trace
        trace.append("setting.local_needs_unresected")
    if s in LINE_SETTINGS:
        lo = ev.line_min
        hi = ev.line_max if ev.line_max is not None else (1 if s == "first_line" else math.inf)
        if s == "later_line":
            lo = max(lo, 2)
        # maintenance continues the line that just responded (line 1 maintenance after first-line chemo)
        line = case.maintenance_line if s == "maintenance" else case.line
        if not lo <= line <= hi:
            return False, trace
        trace.append("setting.line")
    if ev.after_failure_of:
        if not _matches_prior(ev.after_failure_of, case.failed, case.failed_tags):
            return False, trace
        trace.append("prior.after_failure_of")
    if ev.not_after and _matches_prior(ev.not_after, case.received, case.received_tags):
        return False, [*trace, "prior.not_after"]
    if ev.requires_inoperable is True:
        if case.operable is not False:
            return False, trace
        trace.append("operability.requires_inoperable")
    elif ev.requires_inoperable is False and case.operable is False:
        return False, trace
    return True, trace


def _fit(ev: Evidence, case: Case, reg: RegimenInfo) -> int:
    if ev.setting == "supportive" or reg.regimen.modality.value in SUPPORTIVE_MODALITIES:
        return 2
    if ev.setting == "any":
        return 0
    if (
        ev.setting == "later_line"
        and ev.after_failure_of
        and case.stage_groups == {"early"}
        and not case.responding
    ):
        return 0  # early disease after failure of its standard (BCG-unresponsive NMIBC, relapsed stage II lymphoma)
    for g in case.stage_groups.intersection(ev.stage_groups):
        if ev.setting in PRIMARY_SETTINGS[g]:
            if ev.setting == "consolidation" and not case.had_radiotherapy:
                return 1
            if ev.setting == "maintenance" and not case.responding:
                return 1  # maintenance follows a treatment that worked; none is recorded yet
            if ev.setting == "later_line" and case.responding:
                return 1  # the last treatment is working: later-line options are for progression
            return 0
    return 1


def _v2_filters(ev: Evidence, case: Case, run: Run) -> tuple[bool, list[str], list[str]]:
    """Evidence v2 predicates: facts (requires / requires_not), age_min, after_exposure_to,
    biomarker_origin. (holds, unknown fact ids, trace)."""
    trace: list[str] = []
    unknown: list[str] = []
    if (ev.requires or ev.requires_not) and run.facts is not None:
        ok, unknown = run.facts.check(ev.requires, ev.requires_not)
        if not ok:
            return False, [], trace
        trace.append("fact.requires")
    if ev.age_min is not None and case.age is not None:
        if case.age < ev.age_min:
            return False, [], trace
        trace.append("patient.age_min")
    if ev.after_exposure_to:
        if not all(tok in case.received or tok in case.received_tags for tok in ev.after_exposure_to):
            return False, [], trace
        trace.append("prior.after_exposure_to")
    if ev.biomarker_origin:
        for bid in [*ev.biomarkers, *(b for b in ev.biomarkers_any if case.state(b))]:
            got = case.origins.get(bid)
            if got is not None and got != ev.biomarker_origin:
                return False, [], trace
        trace.append("biomarker.origin")
    return True, unknown, trace


def _conditional_allowed(ev: Evidence, unknown: dict[str, str], named: frozenset[str] = frozenset()) -> bool:
    """An item waiting on an unknown biomarker is shown as a conditional option only with
    standard evidence (levels 1-2); waiting on a patient fact alone, always. An item that needs
    an untested alteration to be *present* is shown only when a named decisive test for the
    situation (knowledge/policy/tests) decides it; otherwise the test is recommended."""
    if not unknown:
        return True
    if ev.cancer in ("SOLID", "HEME"):
        return False  # tumour-agnostic items (basket trials) do not stand in for a cancer's own care
    lvl = LEVEL_RANK.get(ev.level.value, 9)
    present = [b for b, role in unknown.items() if role == "present"]
    if present and not all(b in named for b in present):
        return False
    return lvl <= LEVEL_RANK["2"]


def generate(run: Run, items: list[Evidence], regimens: dict[str, RegimenInfo]) -> None:
    case = run.case
    for ev in items:
        reg = regimens.get(ev.regimen)
        if reg is None:
            continue  # a KB cross-reference problem: kb-check reports it
        ok, trace = _setting_and_line(ev, case)
        if not ok:
            continue
        bm_ok, unknown, bm_trace = _biomarkers(ev, case)
        if not bm_ok:
            continue
        v2_ok, fact_unknown, v2_trace = _v2_filters(ev, case, run)
        if not v2_ok:
            continue
        cand = Candidate(ev=ev, reg=reg, trace=["cancer.lineage", *trace, *bm_trace, *v2_trace])
        if ev.cancer in ("SOLID", "HEME") or not ev.cancer:
            cand.trace.append("cancer.agnostic")
        _fitness(cand, case, run)
        if run.fitness_rules:
            from onconav.engine import fitness_policy

            fitness_policy.apply(cand, run, run.fitness_rules)
        if unknown or fact_unknown:
            if cand.exclusions:
                continue
            if unknown:
                run.pending.append(Pending(ev=ev, reg=reg, unknown=tuple(sorted(unknown)), roles=unknown))
            if not _conditional_allowed(ev, unknown, run.named_markers):
                continue
            cand.cond_markers = dict(unknown)
            cand.cond_facts = list(fact_unknown)
            cand.trace.append("condition.unknown")
        if cand.exclusions:
            run.excluded.append(cand)
            continue
        _place(cand, case)
        run.candidates.append(cand)


def _place(cand: Candidate, case: Case) -> None:
    ev = cand.ev
    cand.fit = _fit(ev, case, cand.reg)
    if cand.fit == 0:
        cand.trace.append("setting.fit")
        if ev.setting == "later_line" and ev.after_failure_of and case.stage_groups == {"early"}:
            cand.trace.append("setting.early_after_failure")
    elif cand.fit == 1:
        cand.trace.append("setting.other")
        if ev.setting == "consolidation":
            cand.caution(t("c_consolidation", case.lang))
            cand.trace.append("setting.consolidation")
        if ev.setting == "maintenance":
            cand.caution(t("c_maintenance", case.lang))
            cand.trace.append("setting.maintenance")
        if ev.setting == "later_line":
            cand.caution(t("c_later_line", case.lang))
            cand.trace.append("setting.later_line_on_progression")
    if not case.stage_known and len(set(ev.stage_groups)) < 3 and cand.fit < 2:
        cand.caution(t("c_stage_unknown", case.lang))


# --- step: fitness (called per item from generate) ----------------------------------------


def is_driver_targeted(ev: Evidence, reg: RegimenInfo) -> bool:
    return reg.regimen.modality.value == "targeted_therapy" and bool(ev.biomarkers or ev.biomarkers_any)


def _fitness(c: Candidate, case: Case, run: Run) -> None:
    ev, reg, lang = c.ev, c.reg, case.lang
    modality = reg.regimen.modality.value
    intensity = reg.regimen.intensity
    ecog = case.ecog
    supportive = modality in SUPPORTIVE_MODALITIES or ev.setting == "supportive"
    if modality == "surgery" and (case.operable is False or case.resectable is False):
        c.exclude(t("x_inoperable", lang), "operability.surgery")
    if ecog is not None and ecog > ev.ecog_max:
        if ecog >= 3 and is_driver_targeted(ev, reg):
            c.demote(1, t("c_ps_targeted", lang, ecog=ecog), "fitness.ps_targeted_kept")
        else:
            c.exclude(t("x_ecog", lang, ecog=ecog, max=ev.ecog_max), "fitness.ecog")
    if ecog is not None and ecog >= 3 and not supportive and not c.exclusions:
        if is_driver_targeted(ev, reg):
            c.demote(1, t("c_ps_targeted", lang, ecog=ecog), "fitness.ps_targeted_kept")
        else:
            c.demote(1, t("c_ecog_intensive", lang, ecog=ecog), "fitness.ps_supportive_first")
    if intensity == "very_high":
        if ecog is not None and ecog >= 3:
            c.exclude(t("x_very_high_ps", lang), "fitness.very_high")
        elif ecog == 2 and case.age is not None and case.age >= 75:
            # two risk factors together: limited performance status and advanced age
            c.exclude(t("x_very_high_frail", lang, ecog=ecog, age=_num(case.age)), "fitness.very_high")
        elif ecog == 2:
            c.demote(1, t("c_very_high_ecog", lang, ecog=ecog), "fitness.very_high")
        if ecog is None:
            c.caution(t("c_very_high_ecog_unknown", lang))
        if case.age is not None and case.age >= 70:
            c.caution(t("c_very_high_age", lang, age=_num(case.age)))
        c.caution(t("c_very_high_organ", lang))
    elif intensity == "high":
        if ecog == 2:
            c.demote(1, t("c_ecog_intensive", lang, ecog=ecog), "fitness.high_ecog2")
        if case.age is not None and case.age >= 75:
            c.demote(1, t("c_age_intensive", lang, age=_num(case.age)), "fitness.high_age75")
    if case.crcl is not None and case.crcl < 45 and "cisplatin" in reg.regimen.drugs:
        c.caution(t("c_crcl_cisplatin", lang, crcl=_num(case.crcl)))
        c.trace.append("fitness.crcl_cisplatin")
    if case.lvef is not None and case.lvef < 50 and reg.tags & CARDIOTOXIC_TAGS:
        c.caution(t("c_lvef", lang, lvef=_num(case.lvef)))
        c.trace.append("fitness.lvef")
    if ev.child_pugh:
        classes = "/".join(ev.child_pugh)
        if case.child_pugh is None:
            c.caution(t("c_child_pugh_unknown", lang, classes=classes))
            run.need_child_pugh.add(classes)
        elif case.child_pugh not in ev.child_pugh:
            c.exclude(t("x_child_pugh", lang, cp=case.child_pugh, classes=classes), "fitness.child_pugh")
        else:
            c.trace.append("fitness.child_pugh")
    if ev.max_tumor_size_cm is not None:
        if case.tumor_size_cm is None:
            c.caution(t("c_size_unknown", lang, size=_num(ev.max_tumor_size_cm)))
        elif case.tumor_size_cm > ev.max_tumor_size_cm:
            c.exclude(t("x_size", lang, size=_num(ev.max_tumor_size_cm)), "fitness.tumor_size")
    if ev.max_tumor_count is not None:
        if case.tumor_count is None:
            c.caution(t("c_count_unknown", lang, count=ev.max_tumor_count))
        elif case.tumor_count > ev.max_tumor_count:
            c.exclude(t("x_count", lang, count=ev.max_tumor_count), "fitness.tumor_size")
    if case.comorbidities:
        keys = set(reg.tags) | {f"intensity:{intensity}"}
        for pattern, applies, key in _COMORBIDITY_PATTERNS:
            if not applies & keys:
                continue
            hits = [cm for cm in case.comorbidities if pattern.search(cm.lower())]
            if hits:
                c.caution(t(key, lang, what=t("list_sep", lang).join(hits)))
                if "fitness.comorbidity" not in c.trace:
                    c.trace.append("fitness.comorbidity")
    for tx in ev.cautions:
        c.caution(text(tx, lang))


def _num(x: float) -> str:
    return f"{x:g}"


# --- step: resistance -----------------------------------------------------------------------


def _hits(c: Candidate, tokens: list[str]) -> bool:
    reg = c.reg
    return any(tok == reg.regimen.id or tok in reg.regimen.drugs or tok in reg.tags for tok in tokens)


def _variant_of(designed_for: set[str], ev: Evidence, case: Case, vocab: Vocabulary) -> bool:
    """True when the candidate was designed for a specific variant of the resisting alteration
    and the patient has that variant (sotorasib + panitumumab for KRAS G12C against "a KRAS
    mutation resists anti-EGFR antibodies"): the resistance item then does not apply to it."""
    resisting = set(ev.biomarkers) | set(ev.biomarkers_any)
    return any(
        case.state(b) is True and resisting & (vocab.closure.get(b, frozenset({b})) - {b})
        for b in designed_for
    )


def resistance(run: Run, r_items: list[Evidence], vocab: Vocabulary) -> None:
    case = run.case
    active: list[tuple[Evidence, set[str]]] = []
    for ev in r_items:
        ok, unknown, _ = _biomarkers(ev, case)
        if not ok:
            continue
        markers = (
            set(ev.biomarkers)
            | {b for b in ev.biomarkers_any if case.state(b)}
            | {th.marker for th in ev.thresholds}
        )
        if unknown:
            # would the result matter? only if a current candidate is hit and the item's setting holds
            ok_setting, _ = _setting_and_line(ev, case)
            if ok_setting and any(_hits(c, ev.resists) for c in run.candidates):
                run.resistance_pending.append((ev, tuple(sorted(unknown))))
            continue
        related = set().union(*(vocab.closure.get(m, frozenset({m})) for m in markers)) if markers else set()
        active.append((ev, related | markers))
    if not active:
        return
    keep: list[Candidate] = []
    for c in run.candidates:
        removed = False
        designed_for = set(c.ev.biomarkers) | set(c.ev.biomarkers_any)
        for ev, markers in sorted(active, key=lambda x: x[0].id):
            if (
                not _hits(c, ev.resists)
                or designed_for & markers
                or _variant_of(designed_for, ev, case, vocab)
            ):
                continue
            names = (
                ", ".join(
                    sorted(
                        case.labels.get(m, m)
                        for m in (set(ev.biomarkers) | set(ev.biomarkers_any))
                        if case.state(m)
                    )
                )
                or ev.id
            )
            level = ev.level.value
            if level == "R1":
                c.exclude(t("x_resistance", case.lang, marker=names, level=level), "resistance.R1")
                removed = True
            else:
                c.demote(1, t("c_resistance", case.lang, marker=names, level=level), "resistance.R2")
                summary = text(ev.summary, case.lang)
                if summary:
                    c.caution(summary)
        if removed:
            run.excluded.append(c)
        else:
            keep.append(c)
    run.candidates = keep


# --- step: failure ----------------------------------------------------------------------------


def failed_class_tags(run: Run) -> dict[str, str]:
    """Class tags that count as failed (tag -> the failed tag it comes from): the failed drugs'
    tags whose class fails together (knowledge/policy/classes), and the tags they fail with."""
    classes = run.classes
    out: dict[str, str] = {}
    for tag in sorted(run.case.failed_tags):
        cls = classes.get(tag)
        if cls is None:
            if not classes and tag in FAIL_TOGETHER:  # no policy loaded (fixture KBs)
                out.setdefault(tag, tag)
            continue
        if cls.fails_together:
            out.setdefault(tag, tag)
        for other in cls.fails_with:
            out.setdefault(other, tag)
    return out


def failure(run: Run, vocab: Vocabulary) -> None:
    case = run.case
    if not (case.failed or case.intolerant):
        return
    failed_tags = failed_class_tags(run)
    sep = t("list_sep", case.lang)
    for c in run.candidates:
        drugs = set(c.reg.regimen.drugs)
        exempt = set(c.ev.after_failure_of)
        for tok in c.ev.after_failure_of:  # a drug named in after_failure_of exempts its classes
            exempt |= vocab.drug_tags.get(tok, frozenset())
        same = sorted(d for d in drugs & case.failed if d not in exempt)
        if same:
            names = sep.join(drug_label(vocab, d, case.lang) for d in same)
            c.demote(2, t("c_failed_drug", case.lang, drugs=names), "failure.same_drug")
        else:
            # an item written for after failure of a class is exempt for that class only
            shared = sorted((c.reg.tags & set(failed_tags)) - exempt)
            if shared:
                c.demote(
                    2, _class_message(run, vocab, shared[0], failed_tags[shared[0]]), "failure.same_class"
                )
        bad = sorted(drugs & case.intolerant)
        if bad:
            names = sep.join(drug_label(vocab, d, case.lang) for d in bad)
            c.demote(1, t("c_intolerance", case.lang, drugs=names), "failure.intolerance")


def _class_message(run: Run, vocab: Vocabulary, tag: str, source: str) -> str:
    lang = run.case.lang
    cls = run.classes.get(tag) or run.classes.get(source)
    if cls is None:
        return t("c_failed_class", lang, cls=tag.replace("_", " "))
    drugs = sorted(d for d in run.case.failed if source in vocab.drug_tags.get(d, frozenset()))
    names = t("list_sep", lang).join(drug_label(vocab, d, lang) for d in drugs) or text(cls.label, lang)
    why = text(cls.why, lang) if cls.why else t("c_failed_class", lang, cls=text(cls.label, lang))
    return t("c_class_failed", lang, drugs=names, cls=text(cls.label, lang), why=why)


# --- step: poor performance status ---------------------------------------------------------------


def poor_ps(run: Run) -> None:
    case = run.case
    if case.ecog is None or case.ecog < 3:
        return
    for c in run.candidates:
        if c.fit == 2 and (
            c.reg.regimen.modality.value in SUPPORTIVE_MODALITIES or c.ev.setting == "supportive"
        ):
            c.fit = 0
            c.trace.append("fitness.ps_supportive_first")


# --- step: merge and rank -----------------------------------------------------------------------


def best_hr(ev: Evidence) -> float | None:
    """The hazard ratio of the item's first outcome that has one (curators list the primary
    endpoint first); None when no hazard ratio is recorded."""
    for o in ev.outcomes:
        if o.hazard_ratio is not None:
            return o.hazard_ratio
    return None


def china_access(c: Candidate) -> tuple[str, int, bool | None, bool | None]:
    """(access, access rank, nmpa_approved, nrdl_reimbursed) for the option's best item."""
    reg, ev = c.reg, c.ev
    acc = reg.drug_access
    if acc == "not_applicable":
        return acc, 0, None, None
    if ev.nmpa_indication is True and acc in ("approved", "approved_other_indication", "unknown"):
        acc, rank = "approved", 0
    elif ev.nmpa_indication is False and acc == "approved":
        acc, rank = "approved_other_indication", 2
    elif acc == "approved":
        rank = 1
    else:
        rank = {"approved_other_indication": 2, "boao_only": 3, "trial_only": 4, "not_available": 5}.get(
            acc, 6
        )
    nmpa: bool | None
    if acc == "approved":
        nmpa = True
    elif acc in ("approved_other_indication", "boao_only", "trial_only", "not_available"):
        nmpa = False
    else:
        nmpa = None
    nrdl = ev.nrdl_indication if ev.nrdl_indication is not None else reg.nrdl_all
    return acc, rank, nmpa, nrdl


def cost_rank(c: Candidate, budget: float | None) -> int:
    if budget is None:
        return 0
    cost = c.reg.cost_month
    if cost is None:
        return 1
    return 0 if cost * 12 <= budget else 2


def matched(ev: Evidence) -> int:
    """0 when the item is matched to a biomarker the patient has (biomarkers / biomarkers_any),
    1 otherwise: at the same level, a therapy directed at the patient's alteration comes first."""
    return 0 if (ev.biomarkers or ev.biomarkers_any) else 1


def matched_standard(ev: Evidence) -> int:
    """0 for a biomarker-matched option with guideline-level evidence (levels 1-2), 1 otherwise.
    In the same setting such an option comes before unmatched ones of any level, as guidelines
    prefer the matched drug (sotorasib or adagrasib over docetaxel for KRAS G12C after first-line
    treatment; trastuzumab deruxtecan for HER2-mutant NSCLC). Weaker matched evidence (3A-4) and
    tumour-agnostic items (written for every solid tumour, evidence from basket trials) do not
    jump ahead of the cancer's own standard care."""
    if ev.cancer in ("SOLID", "HEME"):
        return 1
    return 0 if matched(ev) == 0 and LEVEL_RANK.get(ev.level.value, 9) <= LEVEL_RANK["2"] else 1


NCCN_RANK = {"preferred": 0, "other_recommended": 1, "certain_circumstances": 2, "not_listed": 3}
CSCO_RANK = {"I": 0, "II": 1, "III": 2, "not_listed": 3}


def preference_rank(ev: Evidence) -> tuple[int, int]:
    """Guideline preference (NCCN preferred / CSCO level I first): (best, worst) of the two."""
    p = ev.preference
    if p is None:
        return (4, 4)
    a, b = NCCN_RANK.get(p.nccn, 4), CSCO_RANK.get(p.csco, 4)
    return (min(a, b), max(a, b))


def evidence_key(c: Candidate) -> tuple:  # type: ignore[type-arg]
    """The clinical part of the ranking key (steps setting_fit .. preference of
    docs/engine.md "Ranking"): options equal on it are equivalent choices."""
    return (
        c.fit,
        c.cond_rank(),
        c.tier,
        matched_standard(c.ev),
        LEVEL_RANK.get(c.ev.level.value, 9),
        matched(c.ev),
        preference_rank(c.ev),
    )


def item_key(c: Candidate) -> tuple:  # type: ignore[type-arg]
    return (*evidence_key(c), c.ev.id)


def merge(run: Run) -> None:
    by_reg: dict[str, list[Candidate]] = {}
    for c in run.candidates:
        by_reg.setdefault(c.reg.regimen.id, []).append(c)
    merged: list[Candidate] = []
    for rid in sorted(by_reg):
        group = sorted(by_reg[rid], key=item_key)
        best = group[0]
        best.merged = [g.ev for g in group]
        if len(group) > 1:
            best.trace.append("merge.regimen")
            for other in group[1:]:
                for cau in other.cautions:
                    if cau not in best.cautions and cau not in other.demotions:
                        best.cautions.append(cau)
        merged.append(best)
    run.candidates = merged


def _beats(a: Candidate, b: Candidate) -> tuple[Evidence, float] | None:
    """(item, HR) when ``a`` beat ``b`` in a randomised comparison: an outcome of ``a`` with
    HR < 1 whose comparator names ``b``'s single drug, or ``a`` adds drugs to ``b``'s regimen
    (toripalimab + gemcitabine-cisplatin against gemcitabine-cisplatin)."""
    da, db = set(a.reg.regimen.drugs), set(b.reg.regimen.drugs)
    if not db or a is b:
        return None
    add_on = db < da
    single = len(db) == 1 and not (db & da)
    if not (add_on or single):
        return None
    inn = next(iter(db))
    pattern = re.compile(rf"(?<![a-z]){re.escape(inn)}(?![a-z])")
    for item in a.merged or [a.ev]:
        for o in item.outcomes:
            if o.hazard_ratio is None or o.hazard_ratio >= 1 or not o.comparator:
                continue
            if add_on or pattern.search(o.comparator.lower()):
                return item, o.hazard_ratio
    return None


def supersede(run: Run) -> None:
    """Head-to-head evidence among equivalent choices: an option that another option with the
    same clinical key (setting, fitness, condition, level, guideline preference) beat in a
    randomised comparison is listed right after it. This is a direct comparison within one
    trial, never a comparison of hazard ratios across trials. Records ``c.superseded_by``."""
    lang = run.case.lang
    keys = {id(c): evidence_key(c) for c in run.candidates}
    for b in run.candidates:
        for a in run.candidates:
            if keys[id(a)] != keys[id(b)]:
                continue
            hit = _beats(a, b)
            if hit is None:
                continue
            item, hr = hit
            b.superseded_by.append(a)
            b.notes.append(
                t(
                    "r_superseded",
                    lang,
                    other=text(a.reg.regimen.name, lang),
                    trial=item.trial or item.id,
                    hr=f"{hr:g}",
                )
            )
            if "rank.superseded" not in b.trace:
                b.trace.append("rank.superseded")


def route_rank(c: Candidate, route: str | None) -> int:
    """0 when the option matches the patient's preferred route (oral / infusion), else 1."""
    if route not in ("oral", "infusion"):
        return 0
    oral = c.reg.regimen.intensity == "low" and c.reg.regimen.modality.value == "targeted_therapy"
    return 0 if oral == (route == "oral") else 1


def rank_key(c: Candidate, budget: float | None, route: str | None = None) -> tuple:  # type: ignore[type-arg]
    _, arank, _, nrdl = china_access(c)
    nrank = 0 if nrdl is True else 1 if nrdl is None else 2
    return (*evidence_key(c), arank, nrank, route_rank(c, route), cost_rank(c, budget), c.reg.regimen.id)


def rank(run: Run) -> None:
    supersede(run)
    budget = run.case.budget_usd
    keys = {id(c): rank_key(c, budget, run.case.route) for c in run.candidates}
    memo: dict[int, tuple] = {}  # type: ignore[type-arg]

    def effective(c: Candidate, seen: frozenset[int] = frozenset()) -> tuple:  # type: ignore[type-arg]
        # an option beaten head-to-head sorts right after the last option that beat it
        if id(c) in memo:
            return memo[id(c)]
        own = keys[id(c)]
        beaters = [a for a in c.superseded_by if id(a) not in seen]
        if not beaters:
            eff: tuple = (own, 0)  # type: ignore[type-arg]
        else:
            worst = max(effective(a, seen | {id(c)}) for a in beaters)
            eff = (*worst, 1, own)
        memo[id(c)] = eff
        return eff

    run.options = sorted(run.candidates, key=effective)
    for c in run.options:
        c.trace.append("rank.key")
