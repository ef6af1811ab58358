"""Production-shape benchmark, side by side with a trivial endpoint, at 1x and 100x data.

    python benchmarks/prod_bench.py [--seconds 8] [--clients 4] [--scales 1,100] [--db NAME] [--redis-db N]

gunicorn (2 workers, production settings, knowledge base preloaded) on PostgreSQL and Redis
(scripts/prodshape). For each endpoint, ``--clients`` keep-alive clients send requests for
``--seconds``; printed: requests/s, p50 and p95 latency, and requests/s as a fraction of the
trivial endpoint's (GET /api/v1/ping) measured in the same run. 100x data: every knowledge-base
record (hospitals included) copied 99 times under new keys in the database, and the hospital
directory index rebuilt from them. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from prodshape.client import intake_until_send, session, submit  # noqa: E402
from prodshape.stack import Stack, Unavailable, require_services  # noqa: E402

PROFILE = {
    "age": 67,
    "ecog": 1,
    "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
    "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}, {"name": "PD-L1 TPS", "value": 30, "unit": "%"}],
}


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def measure(base: str, make_call, seconds: float, clients: int) -> dict:  # type: ignore[no-untyped-def]
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.time() + seconds

    def run() -> None:
        s = session(base)
        call = make_call(s)
        call()  # warm the connection and code path
        while time.time() < stop:
            t0 = time.perf_counter()
            ok = call()
            dt = (time.perf_counter() - t0) * 1000
            with lock:
                lat.append(dt)
                if not ok:
                    errors[0] += 1

    threads = [threading.Thread(target=run) for _ in range(clients)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - t0
    return {
        "n": len(lat),
        "rps": len(lat) / wall,
        "p50": statistics.median(lat) if lat else float("nan"),
        "p95": _pct(lat, 95),
        "errors": errors[0],
    }


def scale_data(stack: Stack, have: int, want: int) -> None:
    """Copy every original KB record (want - have) more times under new keys; PostgreSQL builds
    their stored search documents as they are inserted; the hospital directory index is rebuilt
    from the records (as the KB load does), so the copies are in the directory too."""
    if want <= have:
        return
    cols = (
        "kind, name_en, name_zh, cancer, regimen, level, modality, parent, drugs, verified, search_en, "
        "search_zh, search_grams, content_hash, version, updated_at"
    )
    stack.sql(
        f"INSERT INTO kb_kbrecord (key, data, {cols}) "  # noqa: S608 - fixed SQL, integers only
        "SELECT key || '~c' || g, jsonb_set(data, '{id}', to_jsonb(key || '~c' || g)), "
        f"{cols} FROM kb_kbrecord, generate_series({have}, {want - 1}) AS g WHERE key NOT LIKE '%~c%'",
        timeout=1800,
    )
    # the copies' evidence filter terms (drugs, biomarkers), as the KB load writes them
    stack.sql(
        "INSERT INTO kb_kbrecordterm (record_id, field, value) "
        "SELECT c.id, t.field, t.value FROM kb_kbrecordterm t JOIN kb_kbrecord o ON o.id = t.record_id "
        f"CROSS JOIN generate_series({have}, {want - 1}) AS g "  # noqa: S608 - integers only
        "JOIN kb_kbrecord c ON c.kind = o.kind AND c.key = o.key || '~c' || g "
        "WHERE o.key NOT LIKE '%~c%'",
        timeout=1800,
    )
    # VACUUM as well as ANALYZE: the state autovacuum (on by default) leaves a table in after a
    # bulk insert (visibility map set, so counts are index-only scans); the local test server runs
    # with autovacuum off, where the freshly copied rows were read from the heap
    stack.sql("VACUUM ANALYZE kb_kbrecord", timeout=600)
    stack.sql("VACUUM ANALYZE kb_kbrecordterm", timeout=600)
    stack.manage("hospital_index", timeout=1200)
    stack.sql("VACUUM ANALYZE hospitals_hospitalentry", timeout=600)


def endpoints(base: str, case_url: str, patient_cookies) -> dict:  # type: ignore[no-untyped-def]
    body = json.dumps(PROFILE)

    def get(path: str):  # type: ignore[no-untyped-def]
        def make(s):  # type: ignore[no-untyped-def]
            return lambda: s.get(base + path, timeout=60).status_code == 200

        return make

    def options(s):  # type: ignore[no-untyped-def]
        return lambda: (
            s.post(
                base + "/api/v1/options", data=body, headers={"Content-Type": "application/json"}, timeout=60
            ).status_code
            == 200
        )

    def case_page(s):  # type: ignore[no-untyped-def]
        s.cookies.update(patient_cookies)
        return lambda: s.get(case_url, timeout=60).status_code == 200

    return {
        "GET /api/v1/ping (trivial)": get("/api/v1/ping"),
        "POST /api/v1/options": options,
        "GET /api/v1/kb/search?q=osimertinib": get("/api/v1/kb/search?q=osimertinib"),
        "GET /api/v1/kb/search?q=奥希替尼": get("/api/v1/kb/search?q=%E5%A5%A5%E5%B8%8C%E6%9B%BF%E5%B0%BC"),
        "GET /kb/search/?q=EGFR (page)": get("/kb/search/?q=EGFR"),
        "GET /api/v1/hospitals?q=cancer": get("/api/v1/hospitals?q=cancer"),
        "GET /api/v1/kb/evidence?cancer=LUAD&drug=osimertinib": get(
            "/api/v1/kb/evidence?cancer=LUAD&drug=osimertinib"
        ),
        "GET /kb/ (index page)": get("/kb/"),
        "GET /hospitals/?city=Beijing (page)": get("/hospitals/?city=Beijing"),
        "GET /cases/<id>/ (patient)": case_page,
    }


def bench_intake(base: str, n: int) -> dict:
    """Whole intake flows (12 requests each, one upload), then the submission alone."""
    lat_submit, lat_flow = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        s, draft, _files = intake_until_send(base, files=1)
        t1 = time.perf_counter()
        submit(s, base, draft)
        t2 = time.perf_counter()
        lat_flow.append((t2 - t0) * 1000)
        lat_submit.append((t2 - t1) * 1000)
    return {
        "submit_p50": statistics.median(lat_submit),
        "submit_p95": _pct(lat_submit, 95),
        "flow_p50": statistics.median(lat_flow),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--scales", default="1,100")
    ap.add_argument("--intakes", type=int, default=8)
    ap.add_argument(
        "--db", default="onconav_production_bench", help="PostgreSQL database (dropped and created)"
    )
    ap.add_argument("--redis-db", type=int, default=6, help="Redis database number (flushed)")
    args = ap.parse_args()
    try:
        require_services()
    except Unavailable as exc:
        print(f"SKIP production-shape benchmark: {exc}")
        return 0
    stack = Stack(
        db=args.db,
        redis_db=args.redis_db,
        s3=False,
        celery=False,
        web_workers=2,
        extra_env={"TRUSTED_PROXY_COUNT": "1"},
    )
    try:
        stack.prepare()
        stack.start_web()
        s, draft, _ = intake_until_send(stack.base, files=1)
        case_url = f"{stack.base}/cases/{submit(s, stack.base, draft)}/"
        cookies = dict(s.cookies)
        have = 1
        for scale in [int(x) for x in args.scales.split(",")]:
            scale_data(stack, have, scale)
            have = max(have, scale)
            n_rec = stack.sql("SELECT count(*) FROM kb_kbrecord")
            n_hosp = stack.sql("SELECT count(*) FROM kb_kbrecord WHERE kind = 'hospital'")
            print(
                f"\n== {scale}x data: {n_rec} KB records ({n_hosp} hospitals); gunicorn 2 workers, "
                f"{args.clients} clients, {args.seconds:.0f} s per endpoint, PostgreSQL + Redis",
                flush=True,
            )
            print(f"{'endpoint':44} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs ping':>8} {'errors':>6}")
            base_rps = None
            for name, make in endpoints(stack.base, case_url, cookies).items():
                r = measure(stack.base, make, args.seconds, args.clients)
                base_rps = base_rps or r["rps"]
                print(
                    f"{name:44} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['rps'] / base_rps:8.2f} {r['errors']:6d}",
                    flush=True,
                )
            i = bench_intake(stack.base, args.intakes)
            print(
                f"{'intake submission (POST /start/send/)':44} {'':8} {i['submit_p50']:8.1f} {i['submit_p95']:8.1f}"
                f"   (whole 12-request intake with upload: p50 {i['flow_p50']:.0f} ms)",
                flush=True,
            )
        return 0
    finally:
        stack.close()


if __name__ == "__main__":
    sys.exit(main())
