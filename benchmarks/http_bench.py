"""HTTP benchmark: POST /api/v1/options against the trivial GET /api/v1/ping, through a real server.

    python benchmarks/http_bench.py [--n 2000] [--port 8391]

Starts gunicorn (one sync worker, production WSGI stack with the development settings) on a
loopback port, warms it up, then sends the two requests alternately over one keep-alive
connection each and prints p50/p99 latency of both and their ratio. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROFILES = [
    {
        "age": 67,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [
            {"gene": "EGFR", "alteration": "L858R"},
            {"name": "PD-L1 TPS", "value": 30, "unit": "%"},
        ],
    },
    {
        "age": 48,
        "ecog": 0,
        "cancer": {"oncotree_code": "BRCA", "stage": "IV"},
        "biomarkers": [{"gene": "ERBB2", "alteration": "amplification"}, {"name": "ER", "value": "negative"}],
    },
    {"age": 59, "ecog": 1, "child_pugh": "A", "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"}},
    {
        "age": 70,
        "ecog": 2,
        "cancer": {"oncotree_code": "COADREAD", "stage": "IV"},
        "biomarkers": [{"gene": "KRAS", "alteration": "G12D"}],
        "prior_therapies": [{"drugs": ["oxaliplatin", "capecitabine"], "line": 1, "outcome": "progression"}],
    },
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/api/v1/ping")
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def bench_http(n: int = 2000, port: int | None = None) -> dict[str, Any]:
    port = port or _free_port()
    env = {
        **os.environ,
        "API_RATE_LIMIT_PER_MINUTE": "100000000",
        "DJANGO_SETTINGS_MODULE": "onconav.config.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "onconav.config.wsgi",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--keep-alive",
            "30",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        opt = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        ping = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        bodies = [json.dumps(p).encode() for p in PROFILES]
        headers = {"Content-Type": "application/json"}

        def call_options(i: int) -> float:
            t0 = time.perf_counter_ns()
            opt.request("POST", "/api/v1/options", body=bodies[i % len(bodies)], headers=headers)
            r = opt.getresponse()
            r.read()
            assert r.status == 200, r.status
            return (time.perf_counter_ns() - t0) / 1e6

        def call_ping() -> float:
            t0 = time.perf_counter_ns()
            ping.request("GET", "/api/v1/ping")
            r = ping.getresponse()
            r.read()
            return (time.perf_counter_ns() - t0) / 1e6

        for i in range(200):  # warm-up: engine compiled, code paths hot
            call_options(i)
            call_ping()
        t_opt, t_ping = [], []
        for i in range(n):
            t_opt.append(call_options(i))
            t_ping.append(call_ping())
        res = {
            "requests_each": n,
            "options_p50_ms": statistics.median(t_opt),
            "options_p99_ms": _pct(t_opt, 99),
            "ping_p50_ms": statistics.median(t_ping),
            "ping_p99_ms": _pct(t_ping, 99),
        }
        res["ratio_p50"] = res["options_p50_ms"] / res["ping_p50_ms"]
        return res
    finally:
        server.terminate()
        server.wait(timeout=10)


def print_http(res: dict[str, Any]) -> None:
    print(
        f"HTTP ({res['requests_each']} requests each, gunicorn 1 sync worker, loopback, requests alternating)"
    )
    print(f"  POST /api/v1/options  p50 {res['options_p50_ms']:.2f} ms   p99 {res['options_p99_ms']:.2f} ms")
    print(f"  GET  /api/v1/ping     p50 {res['ping_p50_ms']:.2f} ms   p99 {res['ping_p99_ms']:.2f} ms")
    print(f"  ratio options/ping (p50): {res['ratio_p50']:.2f}x  (target: within 3x)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--port", type=int, default=None)
    a = ap.parse_args(argv)
    print_http(bench_http(a.n, a.port))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
