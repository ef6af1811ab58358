"""Read, validate and cross-check the knowledge base tree (pure Python, no Django).

``load_knowledge_base(path)`` returns a frozen :class:`KnowledgeBase`; ``check(path)`` returns
the list of problems (empty when the tree is valid). ``make kb-check`` runs ``check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from onconav.kbdata.policy_loader import Policy, check_policy, completeness, parse_policy
from onconav.kbdata.schema import (
    Biomarker,
    Cancer,
    CostItem,
    Drug,
    Evidence,
    ExchangeRate,
    Faq,
    Hospital,
    Level,
    ModalityRecord,
    ReferenceRecord,
    Regimen,
    RegimenCost,
    Trial,
)

DEFAULT_KB_PATH = Path(__file__).resolve().parents[3] / "knowledge"
CALVER_RE = re.compile(r"^\d{4}\.(1[0-2]|[1-9])\.\d+$")
# A figure: a number followed by a unit of outcome (months, %, years) or an HR.
FIGURE_RE = re.compile(r"\d+(\.\d+)?\s*(%|months?|mo\b|years?|个月|年)|\bHR\b|风险比", re.IGNORECASE)

M = TypeVar("M", bound=BaseModel)
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Which files hold which record type. A directory means "every *.yaml file in it".
SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "modalities": ("modalities.yaml", ModalityRecord),
    "cancers": ("cancers", Cancer),
    "biomarkers": ("biomarkers", Biomarker),
    "drugs": ("drugs", Drug),
    "regimens": ("regimens", Regimen),
    "evidence": ("evidence", Evidence),
    "trials": ("trials", Trial),
    "hospitals": ("hospitals", Hospital),
    "costs": ("costs", CostItem),
    "exchange_rates": ("exchange-rates.yaml", ExchangeRate),
    "faq": ("faq", Faq),
    "regimen_costs": ("cost-models", RegimenCost),
    "references": ("references", ReferenceRecord),
}


class KnowledgeBaseError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the knowledge base:\n" + "\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    modalities: tuple[ModalityRecord, ...]
    cancers: tuple[Cancer, ...]
    biomarkers: tuple[Biomarker, ...]
    drugs: tuple[Drug, ...]
    regimens: tuple[Regimen, ...]
    evidence: tuple[Evidence, ...]
    trials: tuple[Trial, ...]
    hospitals: tuple[Hospital, ...]
    costs: tuple[CostItem, ...] = ()
    exchange_rates: tuple[ExchangeRate, ...] = ()
    faq: tuple[Faq, ...] = ()
    regimen_costs: tuple[RegimenCost, ...] = ()
    references: tuple[ReferenceRecord, ...] = ()
    policy: Policy = field(default_factory=Policy)
    # indexes (built in __post_init__)
    cancer_by_code: dict[str, Cancer] = field(default_factory=dict, compare=False)
    biomarker_by_id: dict[str, Biomarker] = field(default_factory=dict, compare=False)
    drug_by_inn: dict[str, Drug] = field(default_factory=dict, compare=False)
    regimen_by_id: dict[str, Regimen] = field(default_factory=dict, compare=False)
    trial_by_name: dict[str, Trial] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # An OncoTree child code that has no record of its own (Cancer.child_codes: NSCHL under
        # CHL, GBM under GB) is read as its node: it maps to the node's record, and its lineage
        # runs through the node. A record always wins over a child code of the same name.
        self.cancer_by_code.update({code: c for c in self.cancers for code in c.child_codes})
        self.cancer_by_code.update({c.oncotree_code: c for c in self.cancers})
        self.biomarker_by_id.update({b.id: b for b in self.biomarkers})
        self.drug_by_inn.update({d.inn: d for d in self.drugs})
        self.regimen_by_id.update({r.id: r for r in self.regimens})
        self.trial_by_name.update({t.name.lower(): t for t in self.trials})

    def lineage(self, code: str) -> list[str]:
        """The code and its OncoTree ancestors, nearest first (LUAD, NSCLC, LUNG)."""
        out: list[str] = []
        while code and code in self.cancer_by_code and code not in out:
            out.append(code)
            rec = self.cancer_by_code[code]
            # a child code without a record of its own: its node comes next
            code = rec.oncotree_code if rec.oncotree_code != code else (rec.parent or "")
        return out

    def is_node(self, code: str) -> bool:
        """True when ``code`` is a cancer record of its own (not a child code read as its node)."""
        c = self.cancer_by_code.get(code)
        return c is not None and c.oncotree_code == code


def _yaml_files(root: Path, rel: str) -> list[Path]:
    p = root / rel
    if p.is_dir():
        return sorted(p.glob("*.yaml"))
    return [p] if p.exists() else []


def _read_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=SafeLoader)  # noqa: S506 - the C-accelerated *safe* loader
    if data is None:
        return []
    if isinstance(data, dict):
        return [data]
    if not isinstance(data, list):
        raise ValueError("expected a list of records or one record")
    return data


def _parse(root: Path, problems: list[str]) -> dict[str, list[Any]]:
    parsed: dict[str, list[Any]] = {}
    for section, (rel, model) in SECTIONS.items():
        records: list[Any] = []
        for path in _yaml_files(root, rel):
            name = path.relative_to(root)
            try:
                raw = _read_records(path)
            except (yaml.YAMLError, ValueError, OSError) as exc:
                problems.append(f"{name}: cannot read: {exc}")
                continue
            for i, item in enumerate(raw):
                try:
                    records.append(model.model_validate(item))
                except ValidationError as exc:
                    ident = item.get("id") or item.get("inn") or item.get("oncotree_code") or f"#{i}"
                    for err in exc.errors():
                        loc = ".".join(str(x) for x in err["loc"])
                        problems.append(f"{name}: {ident}: {loc}: {err['msg']}")
        parsed[section] = records
    return parsed


def _dupes(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for x in items:
        if x in seen:
            dup.append(x)
        seen.add(x)
    return dup


def _conflicting(records: Iterable[Any], key: str, same: tuple[str, ...]) -> list[str]:
    """Ids whose records disagree. The same regimen or trial may be written in two area
    files (pembrolizumab alone serves NSCLC and melanoma) when the defining fields agree."""
    first: dict[str, Any] = {}
    out: list[str] = []
    for r in records:
        k = getattr(r, key)
        if k in first and any(getattr(first[k], f) != getattr(r, f) for f in same):
            out.extend([k, k])
        first.setdefault(k, r)
    return out


def _cross_check(kb: KnowledgeBase, problems: list[str]) -> None:
    for label, keys in (
        ("modality", [m.id for m in kb.modalities]),
        ("cancer", [c.oncotree_code for c in kb.cancers]),
        ("biomarker", [b.id for b in kb.biomarkers]),
        ("drug", [d.inn for d in kb.drugs]),
        ("regimen", _conflicting(kb.regimens, "id", ("drugs", "modality"))),
        ("evidence", [e.id for e in kb.evidence]),
        ("trial", _conflicting(kb.trials, "id", ("name", "nct_id"))),
        ("hospital", [h.id for h in kb.hospitals]),
    ):
        for d in _dupes(keys):
            problems.append(
                f"duplicate {label} id with different content: {d}"
                if label in ("regimen", "trial")
                else f"duplicate {label} id: {d}"
            )

    aliases: dict[str, str] = {}
    for b in kb.biomarkers:
        for a in [b.id, *b.aliases]:
            k = a.strip().lower()
            if k in aliases and aliases[k] != b.id:
                problems.append(f"biomarker alias {a!r} used by both {aliases[k]} and {b.id}")
            aliases[k] = b.id
        for g in b.implies:
            if g not in kb.biomarker_by_id:
                problems.append(f"biomarker {b.id}: implies unknown biomarker {g}")

    for c in kb.cancers:
        if c.parent and not kb.is_node(c.parent):
            problems.append(f"cancer {c.oncotree_code}: unknown parent {c.parent}")

    class_tags = {t for d in kb.drugs for t in d.class_tags}
    for r in kb.regimens:
        for inn in r.drugs:
            if inn not in kb.drug_by_inn:
                problems.append(f"regimen {r.id}: unknown drug {inn}")

    for e in kb.evidence:
        where = f"evidence {e.id}"
        if e.regimen not in kb.regimen_by_id:
            problems.append(f"{where}: unknown regimen {e.regimen}")
        for sup in e.superseded_by:
            if sup.regimen not in kb.regimen_by_id or sup.regimen == e.regimen:
                problems.append(f"{where}: superseded_by names unknown or own regimen {sup.regimen}")
        if not kb.is_node(e.cancer):
            problems.append(f"{where}: unknown cancer {e.cancer} (evidence is written for a cancer record)")
        for b in [*e.biomarkers, *e.biomarkers_any, *e.biomarkers_absent, *(t.marker for t in e.thresholds)]:
            if b not in kb.biomarker_by_id:
                problems.append(f"{where}: unknown biomarker {b}")
        for token in [*e.after_failure_of, *e.not_after]:
            if token not in kb.drug_by_inn and token not in class_tags:
                problems.append(f"{where}: prior-treatment token {token!r} is neither a drug nor a class tag")
        if e.level in (Level.R1, Level.R2):
            for token in e.resists:
                if token not in kb.regimen_by_id and token not in class_tags and token not in kb.drug_by_inn:
                    problems.append(f"{where}: resists unknown regimen/drug/class {token!r}")
        refs = set(e.references) | set(e.sources)
        for o in e.outcomes:
            if o.reference not in refs:
                problems.append(f"{where}: outcome reference {o.reference} is not in references")
        if not e.outcomes and (FIGURE_RE.search(e.summary.en) or FIGURE_RE.search(e.summary.zh)):
            problems.append(f"{where}: summary states a figure but the item has no cited outcomes")
        if e.trial and e.trial.lower() not in kb.trial_by_name and kb.trials:
            # trials are optional records; a named trial without a record is allowed
            pass

    for d in _dupes([c.id for c in kb.costs]):
        problems.append(f"duplicate cost id: {d}")
    for d in _dupes([f.id for f in kb.faq]):
        problems.append(f"duplicate faq id: {d}")
    for c in kb.costs:
        if c.drug and c.drug not in kb.drug_by_inn:
            problems.append(f"cost {c.id}: unknown drug {c.drug}")
        if c.regimen and c.regimen not in kb.regimen_by_id:
            problems.append(f"cost {c.id}: unknown regimen {c.regimen}")

    for h in kb.hospitals:
        for a in h.accreditations:
            if a.verified and not a.sources:
                problems.append(f"hospital {h.id}: verified accreditation {a.body} without sources")

    # bilingual: every Text has both languages by schema; check zh is not a copy of en
    def _same(t: Any, where: str) -> None:
        if t is not None and t.en.strip() == t.zh.strip() and re.search(r"[A-Za-z]{4,}", t.zh):
            problems.append(f"{where}: Chinese text is a copy of the English")

    for m in kb.modalities:
        _same(m.name, f"modality {m.id}")
        _same(m.description, f"modality {m.id}")
    for c in kb.cancers:
        _same(c.name, f"cancer {c.oncotree_code}")
    for e in kb.evidence:
        _same(e.summary, f"evidence {e.id}")


def read_version(root: Path) -> str:
    vpath = root / "VERSION"
    return vpath.read_text(encoding="utf-8").strip() if vpath.exists() else ""


def _build(root: Path) -> tuple[KnowledgeBase, list[str]]:
    problems: list[str] = []
    version = read_version(root)
    if not CALVER_RE.match(version):
        problems.append(f"VERSION: {version!r} is not CalVer YYYY.M.N")
    parsed = _parse(root, problems)
    policy = parse_policy(root, problems, _read_records)
    kb = KnowledgeBase(version=version, policy=policy, **{k: tuple(v) for k, v in parsed.items()})
    _cross_check(kb, problems)
    check_policy(kb, problems)
    from onconav.kbdata.articles import load_articles

    problems.extend(load_articles(root)[1])
    return kb, problems


def load_knowledge_base(root: Path | str = DEFAULT_KB_PATH, *, strict: bool = True) -> KnowledgeBase:
    """Load and validate the tree. With ``strict`` any problem raises KnowledgeBaseError."""
    kb, problems = _build(Path(root))
    if problems and strict:
        raise KnowledgeBaseError(problems)
    return kb


def check(root: Path | str = DEFAULT_KB_PATH) -> list[str]:
    """Every problem in the tree (empty list: valid)."""
    return _build(Path(root))[1]


def main(argv: list[str] | None = None) -> int:
    import sys

    args = sys.argv[1:] if argv is None else argv
    paths = [a for a in args if not a.startswith("-")]
    root = Path(paths[0]) if paths else DEFAULT_KB_PATH
    kb, problems = _build(root)
    gaps = completeness(kb)
    if gaps:
        # Knowledge base v2 completeness (docs/knowledge-base.md): reported until every gap is
        # closed, then enforced (KB_STRICT_COMPLETENESS in policy_loader).
        from onconav.kbdata.policy_loader import STRICT_COMPLETENESS

        counts: dict[str, int] = {}
        for g in gaps:
            counts[g.split(":", 1)[0]] = counts.get(g.split(":", 1)[0], 0) + 1
        if "-v" in args or STRICT_COMPLETENESS:
            for g in gaps:
                print(g)
        print("kb-check completeness gaps: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        if STRICT_COMPLETENESS:
            problems = [*problems, *gaps]
    if problems:
        for p in problems:
            print(p)
        print(f"kb-check: {len(problems)} problem(s)")
        return 1
    print(
        f"kb-check: OK (version {kb.version}: {len(kb.modalities)} modalities, {len(kb.cancers)} cancers, "
        f"{len(kb.biomarkers)} biomarkers, {len(kb.drugs)} drugs, {len(kb.regimens)} regimens, "
        f"{len(kb.evidence)} evidence items, {len(kb.trials)} trials, {len(kb.hospitals)} hospitals)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
