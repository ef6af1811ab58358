"""Benchmark of the treatment-options engine, in process.

    PYTHONPATH=src python benchmarks/engine.py [--n 10000] [--kb PATH] [--seed 7]

Prints profiles/second for a batch of varied profiles generated deterministically from the
knowledge base (cancers, stages, biomarkers, prior therapies, ECOG, ages) and the p50 / p99
latency of one call (time.perf_counter_ns). ``bench_inprocess()`` returns the figures as a dict
so that an HTTP benchmark can be added next to it.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from onconav.engine import Engine, ProfileError  # noqa: E402
from onconav.kbdata.loader import DEFAULT_KB_PATH, KnowledgeBase, load_knowledge_base  # noqa: E402

STAGES = [
    "I",
    "IA",
    "IIB",
    "IIIA",
    "IIIC",
    "IV",
    "IVB",
    "BCLC B",
    "BCLC C",
    "extensive",
    "limited",
    "relapsed",
    None,
]
OUTCOMES = ["progression", "response", "relapse", "refractory", "intolerance", "no progression"]


def make_profiles(kb: KnowledgeBase, n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` varied profiles, the same for the same KB and seed."""
    rng = random.Random(seed)
    codes = sorted(c.oncotree_code for c in kb.cancers)
    presence = sorted((b for b in kb.biomarkers if b.value_type != "numeric"), key=lambda b: b.id)
    numeric = sorted((b for b in kb.biomarkers if b.value_type == "numeric"), key=lambda b: b.id)
    drugs = sorted(d.inn for d in kb.drugs)
    profiles = []
    for _ in range(n):
        p: dict[str, Any] = {
            "age": rng.randint(25, 88),
            "ecog": rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4]),
            "cancer": {"oncotree_code": rng.choice(codes)},
        }
        stage = rng.choice(STAGES)
        if stage:
            p["cancer"]["stage"] = stage
        if rng.random() < 0.15:
            p["cancer"]["resected"] = True
        if rng.random() < 0.1:
            p["operable"] = False
        if rng.random() < 0.2:
            p["child_pugh"] = rng.choice("ABC")
        markers = []
        for b in rng.sample(presence, k=min(len(presence), rng.randint(0, 3))):
            alt = b.id.split(":", 1)[1]
            markers.append(
                {"gene": b.gene or b.id.split(":")[0], "alteration": rng.choice([alt, alt, "wild-type"])}
            )
        for b in rng.sample(numeric, k=min(len(numeric), rng.randint(0, 2))):
            markers.append(
                {
                    "name": b.aliases[0] if b.aliases else b.id,
                    "value": rng.choice([0, 1, 5, 30, 50, 80, "≥50%", "<1%"]),
                }
            )
        if markers:
            p["biomarkers"] = markers
        priors = []
        for line in range(1, rng.choice([1, 1, 1, 2, 3]) if drugs else 1):
            priors.append(
                {
                    "drugs": rng.sample(drugs, k=min(len(drugs), rng.randint(1, 3))),
                    "line": line,
                    "outcome": rng.choice(OUTCOMES),
                }
            )
        if priors:
            p["prior_therapies"] = priors
        if rng.random() < 0.3:
            p["preferences"] = {"budget_usd": rng.choice([5000, 30000, 100000])}
        profiles.append(p)
    return profiles


def bench_inprocess(n: int = 10_000, kb_path: str | Path | None = None, seed: int = 7) -> dict[str, Any]:
    """Figures for ``n`` profiles answered in process by one Engine."""
    t0 = time.perf_counter()
    kb = load_knowledge_base(kb_path or DEFAULT_KB_PATH, strict=False)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine = Engine(kb)
    compile_s = time.perf_counter() - t0
    profiles = make_profiles(kb, n, seed)
    for p in profiles[:200]:  # warm-up
        try:
            engine.recommend(p)
        except ProfileError:
            pass
    gc.collect()
    latencies: list[int] = []
    errors = 0
    options = 0
    start = time.perf_counter()
    for p in profiles:
        t = time.perf_counter_ns()
        try:
            options += len(engine.recommend(p).options)
        except ProfileError:
            errors += 1
        latencies.append(time.perf_counter_ns() - t)
    total = time.perf_counter() - start
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "kb_version": kb.version,
        "evidence_items": len(kb.evidence),
        "profiles": n,
        "profile_errors": errors,
        "mean_options": round(options / max(1, n - errors), 1),
        "kb_load_s": round(load_s, 3),
        "engine_compile_ms": round(compile_s * 1000, 1),
        "profiles_per_second": round(n / total, 1),
        "p50_ms": round(q[49] / 1e6, 3),
        "p99_ms": round(q[98] / 1e6, 3),
        "max_ms": round(latencies[-1] / 1e6, 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--kb", default=None)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    figures = bench_inprocess(args.n, args.kb, args.seed)
    print("engine, in process")
    for k, v in figures.items():
        print(f"  {k:20s} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
