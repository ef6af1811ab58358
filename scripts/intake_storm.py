"""200 concurrent intake submissions with client retries, then a check that nothing was lost
or doubled: every accepted submission exists exactly once, with all its files, none half-saved.

    python scripts/intake_storm.py [--n 200] [--files 2]

Production shape (gunicorn, Celery worker, PostgreSQL, Redis, moto S3). Each simulated patient
fills the intake and uploads its files from its own address; then all press "send" at once
(a barrier), each retrying on an error or timeout with the same idempotency key, as the
browser form does. The check reads the database and the bucket.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from prodshape.client import IntakeError, intake_until_send, submit  # noqa: E402
from prodshape.stack import Stack, Unavailable, require_services  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--files", type=int, default=2)
    ap.add_argument("--workers", type=int, default=3)
    args = ap.parse_args()
    try:
        require_services()
    except Unavailable as exc:
        print(f"SKIP intake storm: {exc}")
        return 0
    stack = Stack(
        db="onconav_production_storm",
        web_workers=args.workers,
        extra_env={"TRUSTED_PROXY_COUNT": "1", "GUNICORN_THREADS": "4"},
    )
    try:
        stack.start()
        t0 = time.time()

        def prepare(i: int):  # type: ignore[no-untyped-def]
            ip = f"198.19.{i // 250}.{i % 250 + 1}"
            for attempt in range(5):
                try:
                    s, draft, files = intake_until_send(stack.base, files=args.files)
                    s.headers["X-Forwarded-For"] = ip
                    return s, draft, files
                except (IntakeError, OSError) as exc:
                    last = exc
                    time.sleep(0.5 * (attempt + 1))
            raise RuntimeError(f"client {i} could not prepare: {last}")

        # each client its own address (rate limits are per visitor)
        import prodshape.client as client_mod

        original_session = client_mod.session
        counter = iter(range(10**6))
        lock = threading.Lock()

        def session_with_ip(base: str):  # type: ignore[no-untyped-def]
            s = original_session(base)
            with lock:
                i = next(counter)
            s.headers["X-Forwarded-For"] = f"198.19.{i // 250}.{i % 250 + 1}"
            return s

        client_mod.session = session_with_ip
        with ThreadPoolExecutor(max_workers=16) as pool:
            prepared = list(pool.map(prepare, range(args.n)))
        print(
            f"{args.n} intakes filled with {args.files} uploads each in {time.time() - t0:.0f} s", flush=True
        )

        barrier = threading.Barrier(args.n)
        accepted: dict[str, str] = {}
        retries = [0]
        failures: list[str] = []

        def send(item):  # type: ignore[no-untyped-def]
            s, draft, _files = item
            barrier.wait()
            for attempt in range(6):
                try:
                    case = submit(s, stack.base, draft, timeout=60)
                    with lock:
                        accepted[draft] = case
                    return
                except (IntakeError, OSError) as exc:
                    with lock:
                        retries[0] += 1
                    last = exc
                    time.sleep(0.5 * (attempt + 1))
            with lock:
                failures.append(f"{draft}: {last}")

        t1 = time.time()
        with ThreadPoolExecutor(max_workers=args.n) as pool:
            list(pool.map(send, prepared))
        print(
            f"{args.n} concurrent submissions: {len(accepted)} accepted, {retries[0]} retries, "
            f"{len(failures)} gave up, in {time.time() - t1:.1f} s",
            flush=True,
        )

        # the check: every accepted submission exactly once, with all its files, in the bucket
        problems = list(failures)
        rows = stack.sql(
            "SELECT c.public_id, d.public_id, count(doc.id) FROM cases_case c JOIN intake_intakedraft d ON d.id = c.draft_id "
            "LEFT JOIN cases_document doc ON doc.case_id = c.id GROUP BY c.public_id, d.public_id"
        ).splitlines()
        by_draft: dict[str, list[tuple[str, int]]] = {}
        for row in rows:
            case, draft, n = row.split("|")
            by_draft.setdefault(draft, []).append((case, int(n)))
        for draft, case in accepted.items():
            got = by_draft.get(draft, [])
            if len(got) != 1 or got[0][0] != case:
                problems.append(f"draft {draft}: cases {got}, accepted {case}")
            elif got[0][1] != args.files:
                problems.append(f"case {case}: {got[0][1]} files, {args.files} uploaded")
        extra = set(by_draft) - set(accepted)
        if extra:
            problems.append(f"{len(extra)} cases that no client saw accepted")
        orphans = stack.sql("SELECT count(*) FROM cases_document WHERE case_id IS NULL")
        names = stack.sql(
            "SELECT storage_name, sha256 FROM cases_document WHERE case_id IS NOT NULL"
        ).splitlines()
        s3 = stack.s3_client()
        keys = {
            o["Key"]
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=stack.bucket)
            for o in page.get("Contents", [])
        }
        missing = [n for n in (r.split("|")[0] for r in names) if f"private/{n}" not in keys]
        if missing:
            problems.append(f"{len(missing)} documents without their object in the bucket")
        # a sample decrypts to what was uploaded
        from production_shape import decrypt

        sample = prepared[0]
        case0 = accepted.get(sample[1])
        if case0:
            digests = {hashlib.sha256(b).hexdigest() for b in sample[2]}
            stored = stack.sql(
                "SELECT doc.storage_name, doc.sha256 FROM cases_document doc JOIN cases_case c ON c.id = doc.case_id "  # noqa: S608
                f"WHERE c.public_id = '{uuid.UUID(case0)}'"
            ).splitlines()
            for row in stored:
                name, sha = row.split("|")
                blob = s3.get_object(Bucket=stack.bucket, Key=f"private/{name}")["Body"].read()
                if hashlib.sha256(decrypt(stack.key, blob)).hexdigest() != sha or sha not in digests:
                    problems.append(f"{name} does not decrypt to the upload")
        print(
            f"check: {len(accepted)} accepted submissions, {len(rows)} cases, {len(names)} case documents, "
            f"{len(keys)} objects, {orphans} uploads left on drafts"
        )
        if problems:
            print("FAIL\n  " + "\n  ".join(problems[:20]))
            return 1
        print("ok   every accepted submission exists exactly once with all its files; none half-saved")
        return 0
    finally:
        stack.close()


if __name__ == "__main__":
    sys.exit(main())
