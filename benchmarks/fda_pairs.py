"""Outside measure of the knowledge base: FDA-approved biomarker-to-therapy pairs.

    PYTHONPATH=src python benchmarks/fda_pairs.py [--pairs PATH] [--misses] [--json]

For each row of benchmarks/data/fda_biomarker_pairs.yaml (derived from the Molecular Oncology
Almanac, see its header) it builds a realistic profile (advanced disease unless the label is
adjuvant or maintenance, ECOG 1, age 60, the biomarker present, the earlier treatment the label
assumes), runs the engine on the real knowledge base and checks whether a regimen containing
every key drug of the pair is offered (a) at all among the active or conditional options
(groups preferred, reasonable, conditional) and (b) among ranks 1-3. Prints coverage per cancer
area and, with --misses, every missed pair with a first guess at the cause. ``measure()`` returns
the figures for tests/kb/test_fda_pairs.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from onconav.engine import Engine, ProfileError  # noqa: E402
from onconav.kbdata.loader import KnowledgeBase, load_knowledge_base  # noqa: E402

PAIRS = Path(__file__).parent / "data" / "fda_biomarker_pairs.yaml"
AREAS = ["lung", "breast", "prostate", "colorectal", "ovarian", "lymphoma", "leukaemia", "other"]
AREA_OF = {
    "lung": {"NSCLC", "LUAD", "LUSC", "SCLC", "LUNG"},
    "breast": {"BRCA", "BREAST", "IDC", "ILC"},
    "prostate": {"PRAD", "PROSTATE"},
    "colorectal": {"COADREAD", "COAD", "READ", "BOWEL"},
    "ovarian": {"OVT", "HGSFT", "PSEC", "HGSOC", "LGSOC", "OVARY"},
    "lymphoma": {"ALCL", "BL", "DLBCLNOS", "FL", "MBN", "NHL", "MCL", "CHL"},
    "leukaemia": {"ALL", "ALAL", "AML", "APLPMLRARA", "CML", "CMLBCRABL1", "CLLSLL", "CELNOS", "BLL"},
}
ACTIVE = {"preferred", "reasonable", "conditional"}
FEMALE = {"breast", "ovarian"}


def area(code: str) -> str:
    return next((a for a, codes in AREA_OF.items() if code in codes), "other")


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    return [p for p in yaml.safe_load(path.read_text(encoding="utf-8")) if not p.get("exclude")]


def profile_for(pair: dict[str, Any]) -> dict[str, Any]:
    """A realistic profile of the label's population."""
    code = pair.get("profile_code") or pair["code"]
    cancer: dict[str, Any] = {"oncotree_code": code}
    if pair.get("stage"):
        cancer["stage"] = pair["stage"]
    if pair.get("resected"):
        cancer["resected"] = True
    a = area(pair["code"])
    prof: dict[str, Any] = {
        "age": pair.get("age", 60),
        "sex": "female" if a in FEMALE or code in {"UCEC", "CESC", "CEAD"} else "male",
        "ecog": 1,
        "cancer": cancer,
        "biomarkers": [dict(b) for b in pair["biomarkers"]],
        "prior_therapies": [
            {"drugs": p["drugs"], "outcome": p["outcome"]}
            | ({"setting": p["setting"]} if p.get("setting") else {"line": i + 1})
            for i, p in enumerate(pair["prior"])
        ],
    }
    if "germline" in pair.get("fda", {}).get("text", "").lower():
        # the label's population carries the mutation in the germline (gBRCAm): say so, or the
        # germline-only items wait on a germline test (docs/engine.md, biomarker.origin_unknown)
        for b in prof["biomarkers"]:
            if b.get("gene", "").upper() in {"BRCA1", "BRCA2"}:
                b["origin"] = "germline"
    if pair["code"] == "SOLID":
        prof["cancer"]["oncotree_code"] = "PAAD"  # a solid tumour with no biomarker-directed standard
        prof["cancer"]["stage"] = "IV"
        prof["prior_therapies"] = [
            {"drugs": ["fluorouracil", "oxaliplatin", "irinotecan"], "line": 1, "outcome": "progression"}
        ]
    return prof


def check(engine: Engine, kb: KnowledgeBase, pair: dict[str, Any]) -> dict[str, Any]:
    drugs = set(pair["drugs"])
    prof = profile_for(pair)
    res: dict[str, Any] = {
        "id": pair["id"],
        "area": area(pair["code"]),
        "code": pair["code"],
        "drugs": sorted(drugs),
    }
    try:
        ans = engine.recommend(prof)
    except ProfileError as e:
        res.update(offered=False, top3=False, cause=f"profile rejected: {e}")
        return res
    hits = [o for o in ans.options if o.group in ACTIVE and drugs <= set(o.drugs)]
    res["offered"] = bool(hits)
    res["top3"] = any(o.rank <= 3 for o in hits)
    res["rank"] = min((o.rank for o in hits), default=None)
    if not hits:
        res["cause"] = diagnose(kb, ans, pair, drugs)
    return res


def diagnose(kb: KnowledgeBase, ans: Any, pair: dict[str, Any], drugs: set[str]) -> str:
    """A first guess at why a pair is missed (the report then traces it by hand)."""
    code = "PAAD" if pair["code"] == "SOLID" else pair.get("profile_code") or pair["code"]
    if code not in kb.cancer_by_code:
        return f"cancer code {code} unknown to the KB"
    unused = [u.value for u in ans.unused_inputs if u.field.startswith("biomarkers")]
    missing = sorted(d for d in drugs if d not in kb.drug_by_inn)
    if missing:
        return f"drug not in KB: {', '.join(missing)}"
    regs = [r.id for r in kb.regimens if drugs <= set(r.drugs)]
    if not regs:
        return "no regimen with " + "+".join(sorted(drugs))
    elsewhere = [o for o in ans.options if drugs <= set(o.drugs)]
    if elsewhere:
        return f"offered only as group {elsewhere[0].group}"
    excl = [x for x in ans.excluded if x.regimen in regs]
    if excl:
        return f"excluded: {excl[0].reasons[0] if excl[0].reasons else ''}"[:160]
    why = "no evidence item reaches this profile (cancer/biomarker/setting/line)"
    return why + (f"; biomarker not understood: {unused}" if unused else "")


def measure(path: Path = PAIRS, kb: KnowledgeBase | None = None) -> dict[str, Any]:
    kb = kb or load_knowledge_base()
    engine = Engine(kb)
    results = [check(engine, kb, p) for p in load_pairs(path)]
    per: dict[str, dict[str, int]] = defaultdict(lambda: {"pairs": 0, "offered": 0, "top3": 0})
    for r in results:
        for key in (r["area"], "all"):
            per[key]["pairs"] += 1
            per[key]["offered"] += r["offered"]
            per[key]["top3"] += r["top3"]
    return {
        "kb_version": kb.version,
        "areas": {a: per[a] for a in [*AREAS, "all"] if a in per},
        "results": results,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument(
        "--misses", action="store_true", help="list every missed pair with a first guess at the cause"
    )
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--kb", type=Path, default=None, help="knowledge directory (default: the repo's)")
    args = ap.parse_args()
    m = measure(args.pairs, load_knowledge_base(args.kb) if args.kb else None)
    if args.json:
        print(json.dumps(m, indent=1, ensure_ascii=False))
        return
    print(f"FDA biomarker-therapy pairs (MOAlmanac), KB {m['kb_version']}")
    print(f"{'area':<12}{'pairs':>6}{'offered':>9}{'%':>6}{'top 3':>7}{'%':>6}")
    for a, f in m["areas"].items():
        n = f["pairs"]
        print(
            f"{a:<12}{n:>6}{f['offered']:>9}{100 * f['offered'] / n:>6.0f}{f['top3']:>7}{100 * f['top3'] / n:>6.0f}"
        )
    if args.misses:
        for r in m["results"]:
            if not r["offered"]:
                print(f"MISS {r['area']:<10} {r['id']:<45} {r['cause']}")


if __name__ == "__main__":
    main()
