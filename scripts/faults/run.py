"""Fault scripts: the production shape under faults, each with its result (docs/reliability.md).

    python scripts/faults/run.py [--only kill-web,pg-terminate,storage-down,redis-down,full-volume]

Stack A (gunicorn 2 workers, Celery worker, PostgreSQL, Redis, moto S3):
  kill-web       SIGKILL a gunicorn worker while requests are in flight
  pg-terminate   pg_terminate_backend() on every connection to this run's own database mid-run
                 (the machine's PostgreSQL service is never restarted)
  storage-down   stop the S3 server, then upload: clear error, nothing half-saved
Stack B (its own redis-server on a free port, local files on a full volume):
  redis-down     stop Redis: pages and the options API still serve, rate limiting fails safe,
                 a submission is still accepted and saved once
  full-volume    every file write fails with ENOSPC: clear error, nothing half-saved
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from prodshape.client import IntakeError, intake_until_send, post, session, submit  # noqa: E402
from prodshape.stack import Stack, Unavailable, free_port, psql, require_services  # noqa: E402

RESULTS: list[tuple[str, bool, str]] = []


def result(name: str, ok: bool, detail: str) -> None:
    RESULTS.append((name, ok, detail))
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)


class Traffic:
    """Background clients sending options requests and page views; counts successes and errors."""

    def __init__(self, base: str, clients: int = 4) -> None:
        self.base, self.ok, self.err, self.stop = base, 0, 0, threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(clients)]

    def run(self) -> None:
        s = session(self.base)
        body = '{"age": 60, "ecog": 1, "cancer": {"oncotree_code": "LUAD", "stage": "IV"}}'
        while not self.stop.is_set():
            try:
                r1 = s.post(
                    self.base + "/api/v1/options",
                    data=body,
                    headers={"Content-Type": "application/json"},
                    timeout=30,
                )
                r2 = s.get(self.base + "/kb/search/?q=EGFR", timeout=30)
                good = r1.status_code == 200 and r2.status_code == 200
            except OSError:
                good = False
                s = session(self.base)
            with self.lock:
                if good:
                    self.ok += 1
                else:
                    self.err += 1

    def __enter__(self) -> Traffic:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=40)


def submit_with_retries(stack: Stack, s, draft: str, tries: int = 8) -> str:  # type: ignore[no-untyped-def]
    last: Exception | None = None
    for i in range(tries):
        try:
            return submit(s, stack.base, draft, timeout=30)
        except (IntakeError, OSError) as exc:
            last = exc
            time.sleep(0.5 * (i + 1))
    raise RuntimeError(f"submission failed after retries: {last}")


def cases_for(stack: Stack, draft: str) -> int:
    import uuid

    return int(
        stack.sql(
            "SELECT count(*) FROM cases_case c JOIN intake_intakedraft d ON d.id = c.draft_id "  # noqa: S608
            f"WHERE d.public_id = '{uuid.UUID(draft)}'"
        )
    )


def kill_web(stack: Stack) -> None:
    s, draft, _ = intake_until_send(stack.base, files=1)
    with Traffic(stack.base) as traffic:
        time.sleep(2)
        victims = stack.web_worker_pids()
        os.kill(victims[0], signal.SIGKILL)
        case = submit_with_retries(stack, s, draft)  # submitted while the worker is being replaced
        time.sleep(4)
    after = stack.web_worker_pids()
    again = session(stack.base).get(stack.base + "/api/v1/ready", timeout=10).status_code
    ok = (
        len(after) == 2 and victims[0] not in after and again == 200 and cases_for(stack, draft) == 1 and case
    )
    result(
        "kill-web",
        bool(ok),
        f"worker {victims[0]} killed; gunicorn respawned it ({len(after)} workers); "
        f"{traffic.ok} request pairs ok, {traffic.err} failed during the run (in flight on the killed worker); "
        f"submission made during the kill saved once",
    )


def pg_terminate(stack: Stack) -> None:
    s, draft, _ = intake_until_send(stack.base, files=1)
    with Traffic(stack.base) as traffic:
        time.sleep(2)
        killed = psql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "  # noqa: S608 - our own fixed name
            f"WHERE datname = '{stack.db}' AND pid <> pg_backend_pid()"
        )
        time.sleep(1)
        case = submit_with_retries(stack, s, draft)
        time.sleep(3)
    ready = session(stack.base).get(stack.base + "/api/v1/ready", timeout=10).status_code
    ok = ready == 200 and cases_for(stack, draft) == 1 and bool(case)
    result(
        "pg-terminate",
        ok,
        f"{killed} database connections terminated mid-run; {traffic.ok} request pairs ok, "
        f"{traffic.err} failed (those whose connection was cut); ready again: HTTP {ready}; the submission after it saved once",
    )


def storage_down(stack: Stack) -> None:
    s = session(stack.base)
    s.get(stack.base + "/start/", timeout=30)
    post(s, stack.base + "/start/")
    before = stack.sql("SELECT count(*) FROM cases_document")
    stack.stop("s3")
    from prodshape.client import PDF

    r = post(
        s,
        stack.base + "/start/records/",
        data={"kind": "pathology"},
        files={"file": ("r.pdf", PDF, "application/pdf")},
        timeout=120,
    )
    after = stack.sql("SELECT count(*) FROM cases_document")
    clear = "could not be stored just now" in r.text
    pages = session(stack.base).get(stack.base + "/kb/", timeout=30).status_code
    ready = session(stack.base).get(stack.base + "/api/v1/ready", timeout=60).status_code
    ok = r.status_code == 400 and clear and before == after and pages == 200 and ready == 503
    result(
        "storage-down",
        ok,
        f"upload answered HTTP {r.status_code} with the clear message: {clear}; document rows {before} -> {after}; "
        f"other pages HTTP {pages}; readiness HTTP {ready} (instance taken out of rotation)",
    )


def redis_down(stack: Stack, redis_proc: subprocess.Popen) -> None:
    s, draft, _ = intake_until_send(stack.base, files=0)  # this stack's volume is full (full-volume)
    redis_proc.terminate()
    redis_proc.wait(timeout=10)
    t = session(stack.base)
    pages = [
        t.get(stack.base + u, timeout=30).status_code
        for u in ("/", "/kb/", "/hospitals/", "/kb/search/?q=EGFR")
    ]
    body = '{"age": 60, "ecog": 1, "cancer": {"oncotree_code": "LUAD", "stage": "IV"}}'
    api = [
        t.post(
            stack.base + "/api/v1/options",
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=30,
        ).status_code
        for _ in range(5)
    ]
    # the per-process fallback still limits: the options form allows 30 per minute per client
    limited = [
        post(t, stack.base + "/options/", data={"cancer_type": "LUAD", "stage": "IV"}, timeout=30).status_code
        for _ in range(70)
    ]
    case = submit_with_retries(stack, s, draft)
    ready = t.get(stack.base + "/api/v1/ready", timeout=30).json()
    ok = (
        all(p == 200 for p in pages)
        and all(a == 200 for a in api)
        and 429 in limited
        and cases_for(stack, draft) == 1
        and bool(case)
    )
    result(
        "redis-down",
        ok,
        f"pages {pages}, options API {api}; form posts limited with Redis down: {limited.count(429)} of 70 got 429; "
        f"submission accepted and saved once; readiness reports cache={ready['checks']['cache']} and stays {ready['status']}",
    )


def full_volume(stack: Stack) -> None:
    s = session(stack.base)
    s.get(stack.base + "/start/", timeout=30)
    post(s, stack.base + "/start/")
    from prodshape.client import PDF

    r = post(
        s,
        stack.base + "/start/records/",
        data={"kind": "pathology"},
        files={"file": ("r.pdf", PDF, "application/pdf")},
        timeout=60,
    )
    rows = stack.sql("SELECT count(*) FROM cases_document")
    files = (
        list(Path(stack.env["PRIVATE_STORAGE_ROOT"]).rglob("*.bin"))
        if Path(stack.env["PRIVATE_STORAGE_ROOT"]).exists()
        else []
    )
    ok = r.status_code == 400 and "could not be stored just now" in r.text and rows == "0" and not files
    result(
        "full-volume",
        ok,
        f"upload answered HTTP {r.status_code} with the clear message; document rows {rows}; files written {len(files)}",
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="kill-web,pg-terminate,storage-down,redis-down,full-volume")
    only = set(ap.parse_args().only.split(","))
    try:
        require_services()
    except Unavailable as exc:
        print(f"SKIP faults: {exc}")
        return 0
    if only & {"kill-web", "pg-terminate", "storage-down"}:
        a = Stack(db="onconav_production_faults", web_workers=2)
        try:
            a.start()
            for name, fn in (
                ("kill-web", kill_web),
                ("pg-terminate", pg_terminate),
                ("storage-down", storage_down),
            ):
                if name in only:
                    try:
                        fn(a)
                    except Exception as exc:  # noqa: BLE001
                        result(name, False, f"{type(exc).__name__}: {exc}")
        finally:
            a.close()
    if only & {"redis-down", "full-volume"}:
        port = free_port()
        redis_proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        b = Stack(
            db="onconav_production_faults_b",
            web_workers=2,
            s3=False,
            celery=False,
            extra_env={
                "REDIS_URL": f"redis://127.0.0.1:{port}/0",
                "DEFAULT_FILE_STORAGE": "fullstorage.FullVolumeStorage",
                "PYTHONPATH": f"{HERE.parents[1] / 'src'}{os.pathsep}{HERE}",
                "CELERY_EAGER": "true",
            },
        )
        try:
            b.start()
            if "full-volume" in only:
                full_volume(b)
            if "redis-down" in only:
                redis_down(b, redis_proc)
        except Exception as exc:  # noqa: BLE001
            result("stack B", False, f"{type(exc).__name__}: {exc}")
        finally:
            b.close()
            if redis_proc.poll() is None:
                redis_proc.terminate()
    print("\nfault            result")
    for name, ok, _ in RESULTS:
        print(f"{name:16} {'ok' if ok else 'FAIL'}")
    return 0 if RESULTS and all(ok for _, ok, _ in RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
