"""Golden output of the options engine, for behaviour-preserving refactors.

    PYTHONPATH=src python scripts/engine_golden.py OUT.jsonl [--n 3000] [--fields-only]

Runs the engine over ``n`` profiles from benchmarks/engine.py's make_profiles() and every
vignette profile (tests/engine/vignettes/*.yaml), in 'en' and 'zh-hans', and writes one line per
answer (``answer.to_json()``, or the ProfileError). Compare two runs with ``cmp``.
``--strip`` drops keys given by name (e.g. new additive fields) before writing, so that a run
after an additive change can be compared with a run before it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.engine import make_profiles  # noqa: E402
from onconav.engine import Engine, ProfileError  # noqa: E402
from onconav.kbdata.loader import DEFAULT_KB_PATH, load_knowledge_base  # noqa: E402


def strip(obj, keys):
    if isinstance(obj, dict):
        return {k: strip(v, keys) for k, v in obj.items() if k not in keys}
    if isinstance(obj, list):
        return [strip(v, keys) for v in obj]
    return obj


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--strip", nargs="*", default=[])
    args = ap.parse_args()
    kb = load_knowledge_base(DEFAULT_KB_PATH, strict=False)
    engine = Engine(kb)
    profiles = make_profiles(kb, args.n)
    for path in sorted((ROOT / "tests/engine/vignettes").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            profiles.append(case["profile"])
    keys = set(args.strip)
    with open(args.out, "w", encoding="utf-8") as f:
        for i, p in enumerate(profiles):
            for lang in ("en", "zh-hans"):
                try:
                    out = engine.recommend(p, lang=lang).to_json()
                    if keys:
                        out = json.dumps(strip(json.loads(out), keys), ensure_ascii=False, indent=2)
                except ProfileError as e:
                    out = f"ProfileError {e.errors!r}"
                f.write(f"{i} {lang} {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
