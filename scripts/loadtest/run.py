"""`make loadtest`: Locust, headless and bounded, against the production shape on loopback.

    python scripts/loadtest/run.py [--users 30] [--spawn-rate 5] [--time 60s]

Starts gunicorn (production settings), a Celery worker, moto S3, PostgreSQL and Redis
(scripts/prodshape), creates a coordinator, runs Locust (locustfile.py beside this file) and
prints requests/s, p50/p95/p99 per endpoint and the error rate.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from prodshape.stack import BIN, Stack, Unavailable, require_services  # noqa: E402
from prodshape.users import create_coordinator  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=30)
    ap.add_argument("--spawn-rate", type=float, default=5)
    ap.add_argument("--time", default="60s")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    try:
        require_services()
    except Unavailable as exc:
        print(f"SKIP load test: {exc}")
        return 0
    stack = Stack(
        db="onconav_production_load", web_workers=args.workers, extra_env={"TRUSTED_PROXY_COUNT": "1"}
    )
    try:
        stack.start()
        create_coordinator(stack)
        prefix = stack.tmp / "locust"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                args.time,
                "--host",
                stack.base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            cwd=HERE,
            timeout=60 * 30,
            check=False,
        )
        rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
        print(
            f"\nLoad test: {args.users} users, {args.time}, gunicorn {args.workers} workers + Celery + PostgreSQL + Redis + S3"
        )
        print(f"{'endpoint':46} {'reqs':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>7}")
        for r in rows:
            n, fails = int(r["Request Count"]), int(r["Failure Count"])
            print(
                f"{(r['Type'] + ' ' + r['Name'])[:46]:46} {n:6d} {float(r['Requests/s']):7.1f} {r['50%']:>6} {r['95%']:>6} "
                f"{r['99%']:>6} {(100 * fails / n if n else 0):6.2f}%"
            )
        return 0
    finally:
        stack.close()


if __name__ == "__main__":
    sys.exit(main())
