"""The pipeline's working data: regimens compiled once, candidates, the run, shared constants."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from onconav.engine.facts import FactBook
from onconav.engine.msg import Msg
from onconav.engine.normalize import Case, Vocabulary
from onconav.kbdata.loader import KnowledgeBase
from onconav.kbdata.policy import DrugClass, FitnessRule
from onconav.kbdata.schema import Evidence, Regimen, Text

if TYPE_CHECKING:
    from onconav.engine.fitness import Builtin

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
# biomarker kinds that are a tumour's driver alteration (a present one makes the driver decision)
DRIVER_KINDS = frozenset({"mutation", "fusion", "amplification", "deletion", "rearrangement"})
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
    # every drug already failed, itself or as a class that fails together (failure.repeat)
    repeats_failure: bool = False
    # beaten head-to-head (Evidence.superseded_by) by an option on offer for now (rank.beaten)
    beaten: int = 0
    # 1: a comorbidity rule with action relative_contraindication applies (solid-organ transplant
    # and checkpoint inhibitors): ranked after every option not contraindicated, conditional ones
    # included (fitness.relative_contraindication)
    contraindicated: int = 0
    # messages (codes with parameters), rendered into the answer's language by the answer step
    cautions: list[Msg] = field(default_factory=list)
    demotions: list[Msg] = field(default_factory=list)
    trace: list[str] = field(default_factory=list)
    exclusions: list[Msg] = field(default_factory=list)
    merged: list[Evidence] = field(default_factory=list)
    superseded_by: list[Candidate] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)  # extra rationale lines
    # conditional options (docs/engine.md "Conditional options"): what the item still waits on
    cond_markers: dict[str, str] = field(default_factory=dict)  # biomarker id -> role
    cond_facts: list[str] = field(default_factory=list)  # fact ids (policy/facts)
    likely: bool | None = None  # co-occurrence: True likely, False unlikely, None open
    cond_notes: list[str] = field(default_factory=list)  # exclusive-set ids that decided `likely`
    awaits_test: bool = False  # standard care shown while an untested alteration decides it

    @property
    def conditional(self) -> bool:
        return bool(self.cond_markers or self.cond_facts)

    def cond_rank(self) -> int:
        """0 active or likely, 1 open, 2 waiting on an untested alteration no named test decides
        (``condition.awaiting_test``), 3 unlikely (ranking step ``condition``)."""
        if not self.conditional or self.likely is True:
            return 0
        if self.likely is False:
            return 3
        return 2 if self.awaits_test else 1

    def demote(self, tier: int, reason: Msg, rule: str) -> None:
        self.tier = max(self.tier, tier)
        if reason not in self.demotions:
            self.demotions.append(reason)
        self.caution(reason)
        self.trace.append(rule)

    def contraindicate(self, reason: Msg, rule: str) -> None:
        """A relative contraindication (policy ``action: relative_contraindication``): demoted with
        the reason and ranked after every option not contraindicated (``contraindicated``)."""
        self.demote(1, reason, rule)
        self.contraindicated = 1

    def caution(self, m: Msg) -> None:
        if m not in self.cautions:
            self.cautions.append(m)

    def exclude(self, reason: Msg, rule: str) -> None:
        self.exclusions.append(reason)
        self.trace.append(rule)


@dataclass
class Pending:
    ev: Evidence
    reg: RegimenInfo
    unknown: tuple[str, ...]  # biomarker ids whose result would decide the item
    roles: dict[str, str]  # id -> "present" | "any" (one of a set) | "absent" | "threshold"


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
    builtin: Builtin | None = None  # knowledge/policy/fitness-builtin.yaml, compiled (engine/fitness.py)
    classes: dict[str, DrugClass] = field(default_factory=dict)  # knowledge/policy/classes
    named_markers: frozenset[str] = frozenset()  # biomarkers a named situational test decides
    driver_found: bool = False  # a driver alteration (DRIVER_KINDS, not a resistance marker) is present


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
