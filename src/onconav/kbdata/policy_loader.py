"""Load ``knowledge/policy/`` and check it against the rest of the knowledge base; list the
knowledge base's v2 completeness gaps (guideline preference, China access searched, Chinese text,
citable references, no curator notes in public text). Pure Python (no Django)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from onconav.kbdata.policy import (
    Condition,
    DrugClass,
    ExclusiveSet,
    Fact,
    FitnessRule,
    Her2Scoring,
    Labels,
    PanelRule,
    RankingPolicy,
    RegimenName,
    SequencingRule,
    TestRule,
    TrialGateRule,
)
from onconav.kbdata.policy_builtin import BuiltinFitness, RelapseWindows, check_builtin, check_relapse_windows

if TYPE_CHECKING:
    from onconav.kbdata.loader import KnowledgeBase

# Flip to True once every gap is closed: kb-check then fails on any completeness gap.
STRICT_COMPLETENESS = False

LIST_SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "facts": ("facts", Fact),
    "fitness": ("fitness", FitnessRule),
    "classes": ("classes", DrugClass),
    "tests": ("tests", TestRule),
    "panels": ("panels", PanelRule),
    "exclusive": ("co-occurrence", ExclusiveSet),
    "sequencing": ("sequencing", SequencingRule),
    "trial_gates": ("trials", TrialGateRule),
    "regimen_names": ("regimen-names", RegimenName),
}
SINGLE_SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "ranking": ("ranking.yaml", RankingPolicy),
    "labels": ("labels.yaml", Labels),
    "her2": ("her2.yaml", Her2Scoring),
    "fitness_builtin": ("fitness-builtin.yaml", BuiltinFitness),
    "relapse_windows": ("relapse-windows.yaml", RelapseWindows),
}
# Single files a knowledge base with a policy directory must have.
REQUIRED_SINGLE = ("fitness_builtin",)


@dataclass(frozen=True)
class Policy:
    facts: tuple[Fact, ...] = ()
    fitness: tuple[FitnessRule, ...] = ()
    classes: tuple[DrugClass, ...] = ()
    tests: tuple[TestRule, ...] = ()
    panels: tuple[PanelRule, ...] = ()
    exclusive: tuple[ExclusiveSet, ...] = ()
    sequencing: tuple[SequencingRule, ...] = ()
    trial_gates: tuple[TrialGateRule, ...] = ()
    regimen_names: tuple[RegimenName, ...] = ()
    ranking: RankingPolicy | None = None
    labels: Labels | None = None
    her2: Her2Scoring | None = None
    fitness_builtin: BuiltinFitness | None = None  # thresholds of the built-in fitness checks
    relapse_windows: RelapseWindows | None = None  # when a relapse after curative treatment is late
    fact_by_id: dict[str, Fact] = field(default_factory=dict, compare=False)
    class_by_tag: dict[str, DrugClass] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.fact_by_id.update({f.id: f for f in self.facts})
        self.class_by_tag.update({c.tag: c for c in self.classes})

    def label(self, namespace: str, code: str, lang: str) -> str | None:
        """The label of ``code`` in ``namespace`` (None when the policy has none)."""
        if self.labels is None:
            return None
        tx = self.labels.labels.get(namespace, {}).get(code)
        if tx is None:
            return None
        return tx.en if lang == "en" else tx.zh


Reader = Callable[[Path], list[dict[str, Any]]]


def _validate(model: type[BaseModel], item: Any, where: str, problems: list[str]) -> Any:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        ident = item.get("id") or item.get("tag") if isinstance(item, dict) else None
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"])
            problems.append(f"{where}: {ident + ': ' if ident else ''}{loc}: {err['msg']}")
    return None


def parse_policy(root: Path, problems: list[str], read: Reader) -> Policy:
    base = root / "policy"
    if not base.is_dir():
        return Policy()
    out: dict[str, Any] = {}
    for key, (rel, model) in LIST_SECTIONS.items():
        records = []
        for path in sorted((base / rel).glob("*.yaml")):
            where = str(path.relative_to(root))
            try:
                raw = read(path)
            except Exception as exc:  # noqa: BLE001 - any read error is a reported problem
                problems.append(f"{where}: cannot read: {exc}")
                continue
            for item in raw:
                rec = _validate(model, item, where, problems)
                if rec is not None:
                    records.append(rec)
        out[key] = tuple(records)
    for key, (rel, model) in SINGLE_SECTIONS.items():
        path = base / rel
        if not path.exists():
            if key in REQUIRED_SINGLE:
                problems.append(f"policy/{rel}: missing (the engine reads {key} from it)")
            continue
        try:
            raw = read(path)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"policy/{rel}: cannot read: {exc}")
            continue
        out[key] = _validate(model, raw[0] if raw else {}, f"policy/{rel}", problems)
    return Policy(**out)


def _dupes(values: list[str]) -> set[str]:
    seen: set[str] = set()
    return {v for v in values if v in seen or seen.add(v)}  # type: ignore[func-returns-value]


def _check_condition(c: Condition, where: str, kb: KnowledgeBase, problems: list[str]) -> None:
    if c.fact and c.fact not in kb.policy.fact_by_id:
        problems.append(f"{where}: unknown fact {c.fact}")
    if c.biomarker and c.biomarker not in kb.biomarker_by_id:
        problems.append(f"{where}: unknown biomarker {c.biomarker}")


def _fact_cycles(kb: KnowledgeBase, problems: list[str]) -> None:
    facts = kb.policy.fact_by_id

    def visit(fid: str, stack: tuple[str, ...]) -> None:
        if fid in stack:
            problems.append(f"policy fact {fid}: circular definition ({' -> '.join((*stack, fid))})")
            return
        f = facts.get(fid)
        if f is None:
            return
        for c in [*f.all, *f.any, *f.false_when]:
            if c.fact:
                visit(c.fact, (*stack, fid))

    for fid in sorted(facts):
        visit(fid, ())


def check_policy(kb: KnowledgeBase, problems: list[str]) -> None:
    """Cross-references of the policy and of the v2 evidence / cost / reference fields."""
    pol = kb.policy
    tags = {t for d in kb.drugs for t in d.class_tags}
    tokens_ok = set(kb.drug_by_inn) | tags
    for label, values in (
        ("fact", [f.id for f in pol.facts]),
        ("fitness rule", [r.id for r in pol.fitness]),
        ("class", [c.tag for c in pol.classes]),
        ("test rule", [r.id for r in pol.tests]),
        ("panel rule", [r.id for r in pol.panels]),
        ("co-occurrence set", [r.id for r in pol.exclusive]),
        ("sequencing rule", [r.id for r in pol.sequencing]),
        ("trial rule", [r.id for r in pol.trial_gates]),
    ):
        for d in sorted(_dupes(values)):
            problems.append(f"policy: duplicate {label} id {d}")
    for f in pol.facts:
        for c in [*f.all, *f.any, *f.false_when]:
            _check_condition(c, f"policy fact {f.id}", kb, problems)
    _fact_cycles(kb, problems)
    _check_fitness_and_gates(kb, tags, problems)
    check_builtin(kb, tags, problems)
    check_relapse_windows(kb, tags, problems)
    _check_regimen_names(kb, problems)
    _check_rule_sets(kb, tokens_ok, problems)
    _check_evidence_v2(kb, tokens_ok, problems)
    _check_costs_and_codes(kb, problems)


def _check_regimen_names(kb: KnowledgeBase, problems: list[str]) -> None:
    """Regimen abbreviations: known drugs, each name once, never a drug's own name."""
    seen: dict[str, set[str]] = {}  # name -> cancers it is already defined for ("" = any)
    drug_names = {k.strip().lower() for d in kb.drugs for k in (d.inn, d.name_zh, *d.brands, *d.aliases)}
    for r in kb.policy.regimen_names:
        for inn in r.drugs:
            if inn not in kb.drug_by_inn:
                problems.append(f"policy regimen name {r.names[0]}: unknown drug {inn}")
        for code in r.cancers:
            if code not in kb.cancer_by_code:
                problems.append(f"policy regimen name {r.names[0]}: unknown cancer {code}")
        scope = set(r.cancers) or {""}
        for n in r.names:
            key = n.lower()
            before = seen.setdefault(key, set())
            if before & scope or ("" in before) or ("" in scope and before):
                problems.append(f"policy regimen name {n}: listed twice for the same cancers")
            if key in drug_names:
                problems.append(f"policy regimen name {n}: is a drug's name or alias")
            before |= scope


def _check_fitness_and_gates(kb: KnowledgeBase, tags: set[str], problems: list[str]) -> None:
    """Fitness rules and trial gates: conditions, drugs, class tags, regimens, cancers."""
    pol = kb.policy
    for r in pol.fitness:
        where = f"policy fitness rule {r.id}"
        for c in r.when:
            _check_condition(c, where, kb, problems)
        for inn in [*r.applies.drugs, *r.unless_regimen_has]:
            if inn not in kb.drug_by_inn:
                problems.append(f"{where}: unknown drug {inn}")
        for t in r.applies.class_tags:
            if t not in tags:
                problems.append(f"{where}: class tag {t} is on no drug")
        for rid in [*r.applies.regimens, *r.substitutes]:
            if rid not in kb.regimen_by_id:
                problems.append(f"{where}: unknown regimen {rid}")
        for code in r.applies.cancers:
            if code not in kb.cancer_by_code:
                problems.append(f"{where}: unknown cancer {code}")
    for g in pol.trial_gates:
        for code in g.cancers:
            if code not in kb.cancer_by_code:
                problems.append(f"policy trial rule {g.id}: unknown cancer {code}")
        for t in g.after_class_tags:
            if t not in tags:
                problems.append(f"policy trial rule {g.id}: class tag {t} is on no drug")


def _check_rule_sets(kb: KnowledgeBase, tokens_ok: set[str], problems: list[str]) -> None:
    """Classes, test rules, panels, co-occurrence sets and sequencing rules."""
    pol = kb.policy
    for c in pol.classes:
        for t in c.fails_with:
            if t not in pol.class_by_tag:
                problems.append(f"policy class {c.tag}: fails_with unknown class {t}")
        if c.not_reoffered and (c.why is None or not c.sources):
            problems.append(f"policy class {c.tag}: not_reoffered needs a why and sources")
        if c.failure_neutral and (c.fails_together or c.fails_with or c.not_reoffered or not c.sources):
            problems.append(f"policy class {c.tag}: failure_neutral needs sources and cannot fail together")
    for r in pol.tests:
        where = f"policy test rule {r.id}"
        if r.cancer not in kb.cancer_by_code:
            problems.append(f"{where}: unknown cancer {r.cancer}")
        for tok in [*r.after_failure_of, *r.not_after]:
            if tok not in tokens_ok:
                problems.append(f"{where}: {tok!r} is neither a drug nor a class tag")
        for c in r.when:
            _check_condition(c, where, kb, problems)
        for nt in r.tests:
            for b in nt.biomarkers:
                if b not in kb.biomarker_by_id:
                    problems.append(f"{where}: unknown biomarker {b}")
    for r in pol.panels:
        for code in [r.cancer, *r.exclude_cancers]:
            if code not in kb.cancer_by_code:
                problems.append(f"policy panel rule {r.id}: unknown cancer {code}")
    for r in pol.exclusive:
        if r.cancer not in kb.cancer_by_code:
            problems.append(f"policy co-occurrence set {r.id}: unknown cancer {r.cancer}")
        for b in r.markers:
            if b not in kb.biomarker_by_id:
                problems.append(f"policy co-occurrence set {r.id}: unknown biomarker {b}")
    for r in pol.sequencing:
        where = f"policy sequencing rule {r.id}"
        if r.cancer not in kb.cancer_by_code:
            problems.append(f"{where}: unknown cancer {r.cancer}")
        for c in r.when:
            _check_condition(c, where, kb, problems)
        for rid in r.defer.regimens:
            if rid not in kb.regimen_by_id:
                problems.append(f"{where}: unknown regimen {rid}")


def _check_evidence_v2(kb: KnowledgeBase, tokens_ok: set[str], problems: list[str]) -> None:
    facts = kb.policy.fact_by_id
    for e in kb.evidence:
        for fid in [*e.requires, *e.requires_not]:
            if fid not in facts:
                problems.append(f"evidence {e.id}: unknown fact {fid} (define it in knowledge/policy/facts/)")
        for tok in e.after_exposure_to:
            if tok not in tokens_ok:
                problems.append(
                    f"evidence {e.id}: prior-exposure token {tok!r} is neither a drug nor a class tag"
                )


def _check_costs_and_codes(kb: KnowledgeBase, problems: list[str]) -> None:
    cost_ids = {c.id for c in kb.costs}
    for rc in kb.regimen_costs:
        if rc.regimen not in kb.regimen_by_id:
            problems.append(f"cost model {rc.regimen}: unknown regimen")
        for u in rc.uses:
            if u.item not in cost_ids:
                problems.append(f"cost model {rc.regimen}: unknown cost item {u.item}")
        if any(u.per == "cycle" for u in rc.uses) and not (rc.cycle_days and rc.typical_cycles):
            problems.append(f"cost model {rc.regimen}: per-cycle items need cycle_days and typical_cycles")
        if any(u.per == "month" for u in rc.uses) and not rc.typical_months:
            problems.append(f"cost model {rc.regimen}: per-month items need typical_months")
    for d in sorted(_dupes([rc.regimen for rc in kb.regimen_costs])):
        problems.append(f"cost model {d}: defined twice")
    nodes = {c.oncotree_code for c in kb.cancers}
    seen: dict[str, str] = {}
    for c in kb.cancers:
        for code in c.child_codes:
            if code in nodes:
                problems.append(f"cancer {c.oncotree_code}: child code {code} is also a cancer record")
            if code in seen:
                problems.append(f"cancer {c.oncotree_code}: child code {code} also under {seen[code]}")
            seen[code] = c.oncotree_code
    for d in sorted(_dupes([r.ref for r in kb.references])):
        problems.append(f"reference {d}: described twice")


# --- completeness (knowledge base v2) --------------------------------------------------------

CURATOR_NOTE_RE = re.compile(
    r"seed (document|text)s?|general knowledge|not (been )?verified|reported but|first[- ]pass|"
    r"this pass|curator|not checked|could not (be )?(check|verif)|TODO|FIXME",
    re.IGNORECASE,
)
CITABLE_FOR_FIGURES = ("PMID:", "DOI:", "LABEL:")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD_RE = re.compile(r"[A-Za-z]{3,}")
UNIT_WORDS = {"months", "month", "years", "year", "weeks", "week", "days", "day", "not", "reached"}


def _public_texts(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(where, text) of public English text fields that a curator note must not reach."""
    out: list[tuple[str, str]] = []
    for d in kb.drugs:
        if d.summary:
            out.append((f"drug {d.inn} summary", d.summary.en))
        out.append((f"drug {d.inn} drug_class", d.drug_class))
        for a in d.approvals:
            out.append((f"drug {d.inn} {a.agency} indication", a.indication))
        if d.nrdl.indications:
            out.append((f"drug {d.inn} nrdl.indications", d.nrdl.indications))
        if d.cost:
            out.append((f"drug {d.inn} cost.basis", d.cost.basis))
        if d.development_status:
            out.append((f"drug {d.inn} development_status", d.development_status.en))
        if d.boao and d.boao.note:
            out.append((f"drug {d.inn} boao.note", d.boao.note.en))
        for a in d.approvals:
            if a.withdrawn_note:
                out.append((f"drug {d.inn} {a.agency} withdrawn_note", a.withdrawn_note.en))
    for e in kb.evidence:
        out.append((f"evidence {e.id} summary", e.summary.en))
        out.extend((f"evidence {e.id} caution", c.en) for c in e.cautions)
    for h in kb.hospitals:
        if h.description:
            out.append((f"hospital {h.id} description", h.description.en))
    for c in kb.costs:
        out.append((f"cost {c.id} name", c.name.en))
    return out


def _needs_zh(text: str | None) -> bool:
    if not text:
        return False
    words = {w.lower() for w in LATIN_WORD_RE.findall(text)}
    return bool(words - UNIT_WORDS)


RECORD_REFS = ("LABEL:", "GUIDELINE:", "NOTICE:", "BOOK:")
# A reference that names no source outside the knowledge base (its own records, a curator's
# recollection): the fact it supports needs a real source.
NOT_A_SOURCE_RE = re.compile(r"\bOncoNav\b|general knowledge|unverified|\(weak\)", re.IGNORECASE)
KB_SECTIONS = (
    "modalities", "cancers", "biomarkers", "drugs", "regimens", "evidence", "trials",
    "hospitals", "costs", "exchange_rates", "faq", "regimen_costs",
)  # fmt: skip
POLICY_SECTIONS = (
    "facts", "fitness", "classes", "tests", "panels", "exclusive", "ranking", "labels", "her2",
    "fitness_builtin", "relapse_windows",
)  # fmt: skip


def _collect_refs(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _collect_refs(v, out)
    elif isinstance(value, list):
        for v in value:
            _collect_refs(v, out)
    elif isinstance(value, str) and value.startswith(RECORD_REFS):
        out.add(value)


def used_record_refs(kb: KnowledgeBase) -> set[str]:
    """Every LABEL: / GUIDELINE: / NOTICE: / BOOK: reference anywhere in the knowledge base."""
    out: set[str] = set()
    for section in KB_SECTIONS:
        for rec in getattr(kb, section):
            _collect_refs(rec.model_dump(mode="json"), out)
    for section in POLICY_SECTIONS:
        value = getattr(kb.policy, section)
        for rec in value if isinstance(value, tuple) else ([value] if value is not None else []):
            _collect_refs(rec.model_dump(mode="json"), out)
    return out


ENGLISH_PHRASE_RE = re.compile(r"[A-Za-z]{3,}(?:[ ,]+[A-Za-z]{3,}){2,}")  # three English words in a row


def _reference_gaps(kb: KnowledgeBase) -> list[str]:
    gaps: list[str] = []
    records = {r.ref: r for r in kb.references}
    for ref in sorted(used_record_refs(kb)):
        if NOT_A_SOURCE_RE.search(ref):
            gaps.append(f"source: {ref} names no source outside the knowledge base; cite the real source")
        elif ref not in records:
            gaps.append(f"reference: {ref} has no entry in knowledge/references/ (type, title, link)")
    for ref, r in sorted(records.items()):
        if r.url is None:
            gaps.append(f"reference: {ref} has no link a reader can open")
        # a title given wholly in Chinese serves both languages; one with an English phrase beside
        # the Chinese (an official name with its translation) needs its Chinese-only title_zh
        if not r.title_zh and (not CJK_RE.search(r.title) or ENGLISH_PHRASE_RE.search(r.title)):
            gaps.append(f"zh: reference {ref} has no title_zh")
    return gaps


def _drug_v2_gaps(kb: KnowledgeBase) -> list[str]:
    gaps: list[str] = []
    for d in kb.drugs:
        if d.nrdl.listed and d.nrdl.since is None and d.nrdl.searched is None:
            gaps.append(f"china: drug {d.inn} is NRDL-listed without the year it was listed")
        if d.investigational and d.development_status is None:
            gaps.append(f"china: investigational drug {d.inn} has no development_status")
        for a in d.approvals:
            if a.withdrawn and a.withdrawn_note is None:
                gaps.append(f"zh: drug {d.inn} {a.agency} withdrawn indication has no withdrawn_note")
    return gaps


def completeness(kb: KnowledgeBase) -> list[str]:
    """Every v2 completeness gap as ``"<kind>: <where>"`` (kind first, for counting)."""
    gaps: list[str] = []
    for e in kb.evidence:
        if e.preference is None and e.level.value not in ("R1", "R2"):
            gaps.append(f"preference: evidence {e.id} has no guideline preference")
        for o in e.outcomes:
            if not o.reference.startswith(CITABLE_FOR_FIGURES):
                gaps.append(f"figure-source: evidence {e.id} outcome {o.endpoint!r} cites {o.reference}")
            if o.endpoint_zh is None:
                gaps.append(f"zh: evidence {e.id} outcome {o.endpoint!r} has no endpoint_zh")
            if o.comparator and o.comparator_zh is None:
                gaps.append(f"zh: evidence {e.id} outcome {o.endpoint!r} has no comparator_zh")
            if _needs_zh(o.value) and o.value_zh is None:
                gaps.append(f"zh: evidence {e.id} outcome {o.endpoint!r} value {o.value!r} has no value_zh")
    for c in kb.cancers:
        if not c.staging_system_zh:
            gaps.append(f"zh: cancer {c.oncotree_code} has no staging_system_zh")
    for d in kb.drugs:
        if not d.drug_class_zh:
            gaps.append(f"zh: drug {d.inn} has no drug_class_zh")
        for a in d.approvals:
            if not a.indication_zh:
                gaps.append(f"zh: drug {d.inn} {a.agency} approval has no indication_zh")
            if a.agency == "NMPA" and a.year is None and a.searched is None:
                gaps.append(f"china: drug {d.inn} NMPA approval year unknown and not marked searched")
        if d.nrdl.listed is None and d.nrdl.searched is None:
            gaps.append(f"china: drug {d.inn} NRDL status unknown and not marked searched")
        if d.nrdl.listed and d.nrdl.indications and not d.nrdl.indications_zh:
            gaps.append(f"zh: drug {d.inn} nrdl.indications has no indications_zh")
        has_nmpa = any(a.agency == "NMPA" and a.year for a in d.approvals)
        if not has_nmpa and d.nmpa_searched is None and not d.investigational:
            gaps.append(f"china: drug {d.inn} has no NMPA approval year and is not marked searched")
    gaps.extend(_reference_gaps(kb))
    gaps.extend(_drug_v2_gaps(kb))
    for where, text in _public_texts(kb):
        if CURATOR_NOTE_RE.search(text):
            gaps.append(f"curator-note: {where} reads like a curator note: {text[:80]!r}")
    tags = sorted({t for d in kb.drugs for t in d.class_tags})
    for t in tags:
        if t not in kb.policy.class_by_tag:
            gaps.append(
                f"class: class tag {t} has no entry in knowledge/policy/classes/ (label, fails together)"
            )
    return gaps
