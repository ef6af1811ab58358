"""In-process timing of the main endpoints: WSGI calls of the production application in a loop.

    python benchmarks/inprocess.py --db NAME [--n 200] [--only ping,options] [--opcodes]

Production settings (``DEBUG`` off; the knowledge base preloaded and frozen as under gunicorn,
``onconav.config.wsgi``) against PostgreSQL database NAME on 127.0.0.1 (built beforehand, e.g.
as ``benchmarks/prod_bench.py`` builds its 1x and 100x data) and Redis db 13. Prints per
endpoint min, p10, p50, p95 and the CPU time of this process per request; ``--opcodes`` prints
instead the Python opcodes one request executes (``sys.settrace``: a figure the machine's load
does not move). No HTTP server and no client: not a substitute for ``prod_bench.py``, a way to
compare two trees on a busy machine (run each tree with its own ``PYTHONPATH``, alternately).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from typing import Any

PROFILE = {
    "age": 67,
    "ecog": 1,
    "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
    "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}, {"name": "PD-L1 TPS", "value": 30, "unit": "%"}],
}
ENDPOINTS = {
    "ping": ("GET", "/api/v1/ping", b""),
    "options": ("POST", "/api/v1/options", json.dumps(PROFILE).encode()),
    "directory": ("GET", "/hospitals/?city=Beijing", b""),
    "kb_search_en": ("GET", "/api/v1/kb/search?q=osimertinib", b""),
    "kb_search_zh": ("GET", "/api/v1/kb/search?q=%E5%A5%A5%E5%B8%8C%E6%9B%BF%E5%B0%BC", b""),
    "kb_search_page": ("GET", "/kb/search/?q=EGFR", b""),
}


def environment(db: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return {
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "onconav.config.settings",
        "SECRET_KEY": "inprocess-" + os.urandom(32).hex(),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "CELERY_EAGER": "true",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": os.path.join(root, "var", "prodshape-static"),
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        "TRUSTED_PROXY_COUNT": "1",
        "API_RATE_LIMIT_PER_MINUTE": "100000000",
    }


def pct(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[int(p / 100 * (len(sorted_ms) - 1))]


def opcodes(run: Any) -> int:
    """The Python opcodes ``run()`` executes."""
    count = [0]

    def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
        frame.f_trace_opcodes = True
        if event == "opcode":
            count[0] += 1
        return tracer

    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(None)
    return count[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="PostgreSQL database with the data (not changed)")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--only", default="", help="comma-separated endpoint names")
    ap.add_argument("--opcodes", action="store_true")
    args = ap.parse_args()
    os.environ.update(environment(args.db))
    import logging

    from onconav.config.wsgi import application

    logging.disable(logging.WARNING)

    def call(method: str, path: str, body: bytes) -> str:
        p, _, q = path.partition("?")
        env: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": p,
            "QUERY_STRING": q,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_X_FORWARDED_FOR": "10.0.0.1",
            "HTTP_X_FORWARDED_PROTO": "https",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if body:
            env["CONTENT_TYPE"] = "application/json"
            env["CONTENT_LENGTH"] = str(len(body))
        status: list[str] = []
        result = application(env, lambda s, h, e=None: status.append(s))
        b"".join(result)
        result.close()
        return status[0]

    names = [k for k in ENDPOINTS if not args.only or k in args.only.split(",")]
    for name in names:
        status = call(*ENDPOINTS[name])
        if not status.startswith("200"):
            print(f"{name}: {status}")
            return 1
        for _ in range(5):  # per-process state built on first use
            call(*ENDPOINTS[name])
    for name in names:
        if args.opcodes:
            print(f"{name:15s} {opcodes(lambda n=name: call(*ENDPOINTS[n])):9,d} Python opcodes a request")
            continue
        lat = []
        cpu0 = time.thread_time()
        for _ in range(args.n):
            t0 = time.perf_counter()
            call(*ENDPOINTS[name])
            lat.append((time.perf_counter() - t0) * 1000)
        cpu = (time.thread_time() - cpu0) / args.n * 1000
        lat.sort()
        print(
            f"{name:15s} n={args.n} min {lat[0]:6.2f}  p10 {pct(lat, 10):6.2f}  p50 {statistics.median(lat):6.2f}  "
            f"p95 {pct(lat, 95):6.2f}  cpu {cpu:6.2f} ms",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
