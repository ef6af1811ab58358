"""Draw a reproducible random sample of the knowledge base's stated facts for an audit.

    git archive cbf5327 knowledge | tar -x -C /tmp/kb-audit-base
    .venv/bin/python scripts/kb_audit_sample.py /tmp/kb-audit-base/knowledge --seed 20261207

Facts are listed per kind (regulatory approvals, NRDL status, trial outcome figures, hospital
facts, cost ranges), each with the record it sits in and the source the record cites. The sample
is stratified: a fixed number per kind (QUOTAS), drawn with ``random.Random(seed)`` from the facts
sorted by id, so the same tree and seed always give the same sample. Only stated facts are drawn
(an unknown year or an unknown NRDL status is not a fact to check). The output is YAML, ready for
the verdicts of knowledge/audit/<yyyy-mm>.yaml.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

from onconav.kbdata.loader import KnowledgeBase, load_knowledge_base

QUOTAS = {"approval": 25, "nrdl": 15, "outcome": 25, "hospital": 15, "cost": 10, "trial": 10}


def _approvals(kb: KnowledgeBase) -> list[dict[str, Any]]:
    out = []
    for d in kb.drugs:
        for i, a in enumerate(d.approvals):
            if a.year is None:
                continue
            statement = f"{d.inn}: {a.agency} approval {a.year}: {a.indication}"
            if a.withdrawn:
                statement += f" (withdrawn {a.withdrawn})"
            out.append({"id": f"approval:{d.inn}:{i}", "statement": statement, "cited": a.sources})
    return out


def _nrdl(kb: KnowledgeBase) -> list[dict[str, Any]]:
    out = []
    for d in kb.drugs:
        n = d.nrdl
        if n.listed is None:
            continue
        if n.listed:
            since = f"since {n.since}" if n.since else "(year not given)"
            statement = f"{d.inn}: NRDL listed {since}" + (f": {n.indications}" if n.indications else "")
        else:
            statement = f"{d.inn}: not on the NRDL"
        out.append({"id": f"nrdl:{d.inn}", "statement": statement, "cited": n.sources})
    return out


def _outcomes(kb: KnowledgeBase) -> list[dict[str, Any]]:
    out = []
    for e in kb.evidence:
        for i, o in enumerate(e.outcomes):
            statement = f"{e.id} ({e.trial or 'no trial named'}): {o.endpoint} = {o.value}"
            if o.hazard_ratio:
                statement += f", HR {o.hazard_ratio}"
            if o.comparator:
                statement += f"; comparator: {o.comparator}"
            out.append({"id": f"outcome:{e.id}:{i}", "statement": statement, "cited": [o.reference]})
    return out


def _hospitals(kb: KnowledgeBase) -> list[dict[str, Any]]:
    out = []
    for h in kb.hospitals:
        if h.grade_3a is not None:
            out.append(
                {"id": f"hospital:{h.id}:grade3a", "statement": f"{h.name} ({h.city}): grade 3A = {h.grade_3a}",
                 "cited": h.sources}
            )  # fmt: skip
        for a in h.accreditations:
            out.append(
                {"id": f"hospital:{h.id}:{a.body}", "statement": f"{h.name}: {a.body} accreditation {a.year or ''}",
                 "cited": a.sources or h.sources}
            )  # fmt: skip
        for c in h.capabilities:
            out.append(
                {
                    "id": f"hospital:{h.id}:cap:{c}",
                    "statement": f"{h.name} ({h.city}): offers {c}",
                    "cited": h.sources,
                }
            )
    return out


def _costs(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [
        {
            "id": f"cost:{c.id}",
            "statement": f"{c.name.en} ({c.city or 'national'}, {c.hospital_type}): CNY {c.cny_low:g}-{c.cny_high:g} "
            f"per {c.unit}, price date {c.price_date}",
            "cited": c.sources,
        }
        for c in kb.costs
    ]


def _trials(kb: KnowledgeBase) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for t in kb.trials:
        if t.id in seen:
            continue
        seen.add(t.id)
        statement = (
            f"trial {t.name}: phase {t.phase}" + (f", {t.nct_id}" if t.nct_id else "") + f"; {t.design}"
        )
        out.append({"id": f"trial:{t.id}", "statement": statement, "cited": t.sources})
    return out


KINDS = {
    "approval": _approvals,
    "nrdl": _nrdl,
    "outcome": _outcomes,
    "hospital": _hospitals,
    "cost": _costs,
    "trial": _trials,
}


def sample(kb: KnowledgeBase, seed: int, quotas: dict[str, int] = QUOTAS) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    drawn: list[dict[str, Any]] = []
    for kind, n in quotas.items():
        facts = sorted(KINDS[kind](kb), key=lambda f: f["id"])
        for f in rng.sample(facts, min(n, len(facts))):
            drawn.append({"kind": kind, **f})
    return drawn


def population(kb: KnowledgeBase) -> dict[str, int]:
    return {kind: len(fn(kb)) for kind, fn in KINDS.items()}


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("kb", type=Path)
    p.add_argument("--seed", type=int, default=20261207)
    args = p.parse_args(argv)
    kb = load_knowledge_base(args.kb, strict=False)
    print(f"# population: {population(kb)}; seed {args.seed}; quotas {QUOTAS}")
    print(yaml.safe_dump(sample(kb, args.seed), allow_unicode=True, sort_keys=False, width=110))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
