"""Benchmark of clinical-trial criteria checking and matching, in process (no database).

    PYTHONPATH=src python benchmarks/trial_criteria.py [--n 10000] [--verbose]

1. Criterion-level accuracy on the labelled set benchmarks/data/trial_criteria.yaml (criteria
   written the way registries write them, each with the expected verdict for several profiles):
   overall accuracy, accuracy on the criteria the parser turns into a structured check, and the
   precision and recall of ``not_met``.
2. The time to match one profile against N compiled trials (varied copies of the labelled and
   demo trials; compilation happens at import time and is timed apart).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onconav.trials.criteria import parse_criteria  # noqa: E402
from onconav.trials.matching import PatientFacts, compile_trial, evaluate_trial, match_trials  # noqa: E402
from onconav.trials.registry import read_study  # noqa: E402

LABELLED = ROOT / "benchmarks" / "data" / "trial_criteria.yaml"
DEMO = ROOT / "src" / "onconav" / "trials" / "data" / "demo_studies.json"
_CODES = {"m": "met", "n": "not_met", "u": "unknown"}
_ANNOT = re.compile(r"\s*##\s*([mnu](?:\s+[mnu])*)\s*$")


def load_labelled(path: Path = LABELLED) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for t in data["trials"]:
        lines, labels = [], []
        for line in t["text"].splitlines():
            m = _ANNOT.search(line)
            if m:
                labels.append([_CODES[x] for x in m.group(1).split()])
                line = line[: m.start()]
            lines.append(line)
        t["clean_text"] = "\n".join(lines)
        t["labels"] = labels
    return data


def evaluate_subset(data: dict[str, Any], keep: Any) -> dict[str, Any]:
    """The same figures for a subset of the trials (the held-out part: labelled before tuning)."""
    sub = {**data, "trials": [t for t in data["trials"] if keep(t)]}
    return evaluate_labelled(sub, subset=True)


def evaluate_labelled(
    data: dict[str, Any] | None = None, *, verbose: bool = False, subset: bool = False
) -> dict[str, Any]:
    data = data or load_labelled()
    facts_by_id = {pid: p for pid, p in data["profiles"].items()}
    total = correct = checked_total = checked_correct = 0
    tp = fp = fn = 0
    split_errors: list[str] = []
    errors: list[str] = []
    n_criteria = 0
    for t in data["trials"]:
        rows = parse_criteria(t["clean_text"])
        n_criteria += len(t["labels"])
        if len(rows) != len(t["labels"]):
            split_errors.append(f"{t['id']}: {len(rows)} criteria parsed, {len(t['labels'])} labelled")
        trial = compile_trial({"nct_id": t["id"], "criteria": rows, "status": "RECRUITING"})
        for pi, pid in enumerate(t["profiles"]):
            facts = PatientFacts.from_profile(facts_by_id[pid])
            verdicts = evaluate_trial(trial, facts)
            for ci, labels in enumerate(t["labels"]):
                expected = labels[pi]
                got = verdicts[ci][0] if ci < len(rows) else "missing"
                total += 1
                ok = got == expected
                correct += ok
                if ci < len(rows) and rows[ci]["check"] is not None:
                    checked_total += 1
                    checked_correct += ok
                tp += got == "not_met" and expected == "not_met"
                fp += got == "not_met" and expected != "not_met"
                fn += got != "not_met" and expected == "not_met"
                if not ok:
                    text = rows[ci]["text"][:90] if ci < len(rows) else "?"
                    errors.append(f"{t['id']} #{ci} {pid}: expected {expected}, got {got}: {text}")
    held = None if subset else evaluate_subset(data, lambda t: int(t["id"][1:]) >= 13)
    result = {
        "held_out": held,
        "trials": len(data["trials"]),
        "trials_china": sum(1 for t in data["trials"] if "china" in str(t.get("country", "")).lower()),
        "criteria": n_criteria,
        "judgements": total,
        "accuracy": correct / total if total else 0.0,
        "checked_judgements": checked_total,
        "checked_accuracy": checked_correct / checked_total if checked_total else 0.0,
        "not_met_precision": tp / (tp + fp) if tp + fp else 1.0,
        "not_met_recall": tp / (tp + fn) if tp + fn else 1.0,
        "not_met_expected": tp + fn,
        "split_errors": split_errors,
        "errors": errors,
    }
    if verbose:
        for e in split_errors + errors:
            print("  " + e)
    return result


def _vary_check(check: Any, rng: random.Random) -> Any:
    """The same kind of check with other limits, as another registry record would write it."""
    if check is None:
        return None
    if "type" not in check:
        key = "all" if "all" in check else "any"
        return {key: [_vary_check(c, rng) for c in check[key]]}
    c = dict(check)
    kind = c["type"]
    if kind == "age":
        c["min"] = rng.choice([None, 12, 14, 16, 18, 18, 18, 20])
        c["max"] = rng.choice([None, None, 60, 65, 70, 75, 80, 85])
    elif kind == "ecog" and c.get("max") is not None:
        c["max"] = rng.choice([1, 1, 2, 2, 3])
    elif kind == "lab":
        c["value"] = round(c["value"] * rng.choice([0.5, 0.67, 0.8, 1, 1, 1.2, 1.5, 2]), 2)
    elif kind == "prior_lines":
        c["min"] = rng.choice([None, 1, 1, 2, 2, 3, 4])
        c["max"] = rng.choice([None, None, None, 2, 3, 4, 5])
    elif kind == "life_expectancy":
        c["min_weeks"] = rng.choice([8, 12, 12, 13, 24])
    elif kind == "pdl1" and c.get("min") is not None:
        c["min"] = rng.choice([1, 1, 10, 50])
    return c


def build_trials(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """N trial records with parsed criteria: the labelled and demo trials, each copy with other
    limits (ages, ECOG, lab thresholds, line counts), so that most copies differ."""
    rng = random.Random(seed)
    data = load_labelled()
    bases: list[dict[str, Any]] = []
    for t in data["trials"]:
        bases.append(
            {
                "title": t["modelled_on"],
                "criteria": parse_criteria(t["clean_text"]),
                "conditions": [],
                "phases": ["PHASE2"],
                "status": "RECRUITING",
            }
        )
    for rec in json.loads(DEMO.read_text(encoding="utf-8"))["studies"]:
        f = read_study(rec)
        bases.append(
            {
                "title": f["title"],
                "criteria": parse_criteria(f["criteria_text"]),
                "conditions": f["conditions"],
                "phases": f["phases"],
                "status": f["status"],
                "min_age": f["min_age_years"],
                "max_age": f["max_age_years"],
                "sex": f["sex"],
                "sites": f["sites"],
            }
        )
    out = []
    for i in range(n):
        base = bases[i % len(bases)]
        rec = {**base, "nct_id": f"NCT{90000000 + i:08d}"}
        rec["criteria"] = [{**row, "check": _vary_check(row["check"], rng)} for row in base["criteria"]]
        out.append(rec)
    return out


def bench_parsing(repeats: int = 1) -> dict[str, float]:
    data = load_labelled()
    texts = [t["clean_text"] for t in data["trials"]]
    texts += [read_study(r)["criteria_text"] for r in json.loads(DEMO.read_text(encoding="utf-8"))["studies"]]
    parse_criteria("Inclusion Criteria:\n* Age 18-75 years")  # load the cancer names once
    t0 = time.perf_counter()
    n = sum(len(parse_criteria(t)) for t in texts)
    elapsed = time.perf_counter() - t0
    return {"trials": len(texts), "criteria": n, "ms_per_trial": elapsed * 1000 / len(texts)}


def bench_matching(n: int = 10000, repeats: int = 5) -> dict[str, float]:
    records = build_trials(n)
    t0 = time.perf_counter()
    compiled = [compile_trial(r) for r in records]
    compile_s = time.perf_counter() - t0
    profile = load_labelled()["profiles"]["dlbcl_rr"]
    times, cpu = [], []
    for _ in range(repeats):
        facts = PatientFacts.from_profile(profile)  # a fresh profile: nothing evaluated before
        t0, c0 = time.perf_counter(), time.process_time()
        ranked = match_trials(facts, compiled, limit=50)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    distinct = len({c.key for t in compiled for c in t.criteria})
    return {
        "trials": n,
        "compile_s": compile_s,
        "match_ms_median": statistics.median(times),
        "match_ms_max": max(times),
        "match_cpu_ms_median": statistics.median(cpu),
        "distinct_checks": distinct,
        "returned": len(ranked),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    r = evaluate_labelled(verbose=args.verbose)
    print(
        f"labelled set: {r['trials']} trials ({r['trials_china']} in China), {r['criteria']} criteria, "
        f"{r['judgements']} criterion-profile judgements"
    )
    print(
        f"criterion-level accuracy: {r['accuracy']:.1%} (all); {r['checked_accuracy']:.1%} on the "
        f"{r['checked_judgements']} judgements of criteria with a structured check"
    )
    print(
        f"not_met: precision {r['not_met_precision']:.1%}, recall {r['not_met_recall']:.1%} "
        f"({r['not_met_expected']} expected)"
    )
    h = r["held_out"]
    print(
        f"T13-T44 ({h['trials']} trials labelled before the parser first ran on them, {h['judgements']} judgements; "
        "first-run figures in docs/trials.md): "
        f"accuracy {h['accuracy']:.1%}; {h['checked_accuracy']:.1%} on checked criteria; not_met precision "
        f"{h['not_met_precision']:.1%}, recall {h['not_met_recall']:.1%}"
    )
    if r["split_errors"]:
        print(f"split mismatches: {len(r['split_errors'])}")
    p = bench_parsing()
    print(f"parsing: {p['ms_per_trial']:.1f} ms per trial ({p['trials']} trials, {p['criteria']} criteria)")
    b = bench_matching(args.n)
    print(
        f"matching 1 profile against {b['trials']} trials ({b['distinct_checks']} distinct checks): "
        f"median {b['match_ms_median']:.0f} ms wall, {b['match_cpu_ms_median']:.0f} ms CPU, "
        f"max {b['match_ms_max']:.0f} ms (goal < 200 ms); compiling the parsed criteria: {b['compile_s']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
