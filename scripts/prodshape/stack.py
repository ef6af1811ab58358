"""The production shape on one machine without Docker: gunicorn (production settings) against
the local PostgreSQL and Redis, a real Celery worker process, and moto in server mode as S3.

Used by scripts/production_shape.py (the CI job), scripts/loadtest.py, scripts/faults/ and
benchmarks/. Everything listens on 127.0.0.1 only. PostgreSQL: its own database (default
``onconav_production``), dropped and created afresh; Redis: its own db number (default 6).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_HOST, PG_PORT = os.environ.get("PGHOST", "127.0.0.1"), int(os.environ.get("PGPORT", "5432"))
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


class Unavailable(Exception):
    """A service the production shape needs is not reachable: the caller skips with this message."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_services() -> None:
    missing = []
    if not reachable(PG_HOST, PG_PORT):
        missing.append(f"PostgreSQL at {PG_HOST}:{PG_PORT}")
    if not reachable(REDIS_HOST, REDIS_PORT):
        missing.append(f"Redis at {REDIS_HOST}:{REDIS_PORT}")
    if not shutil.which("psql"):
        missing.append("psql (postgresql-client)")
    if missing:
        raise Unavailable("not reachable: " + ", ".join(missing))


def psql(sql: str, db: str = "postgres", timeout: float = 60) -> str:
    out = subprocess.run(
        ["psql", "-h", PG_HOST, "-p", str(PG_PORT), "-U", "postgres", "-d", db, "-qAtc", sql],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return out.stdout.strip()


def wait_http(url: str, timeout: float = 60.0, expect: int = 200) -> None:
    deadline = time.time() + timeout
    last: object = None
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3) as r:  # noqa: S310 - loopback only
                if r.status == expect:
                    return
                last = r.status
        except Exception as exc:  # noqa: BLE001
            last = exc
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer {expect} within {timeout:.0f} s (last: {last})")


@dataclass
class Stack:
    db: str = "onconav_production"
    redis_db: int = 6
    web_workers: int = 2
    s3: bool = True
    celery: bool = True
    port: int = 0
    extra_env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="onconav-prod-")))
    bucket: str = "onconav-documents"
    verbose: bool = True

    def __post_init__(self) -> None:
        from cryptography.fernet import Fernet

        self.port = self.port or free_port()
        self.s3_port = free_port()
        self.key = Fernet.generate_key().decode()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))},
            "DJANGO_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "onconav.config.settings",
            "SECRET_KEY": "prodshape-" + os.urandom(32).hex(),
            "FIELD_ENCRYPTION_KEY": self.key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://postgres@{PG_HOST}:{PG_PORT}/{self.db}",
            "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{self.redis_db}",
            "CELERY_EAGER": "false" if self.celery else "true",
            "SECURE_SSL_REDIRECT": "false",  # TLS ends at the load balancer; the client sends X-Forwarded-Proto
            "STATIC_ROOT": str(ROOT / "var" / "prodshape-static"),
            # hashed names as in production, without the slow compression pass (the image has it)
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
            "PRIVATE_STORAGE_ROOT": str(self.tmp / "private"),
            # mail lands in files the scripted visitor reads (the sign-up link, docs/security.md)
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.tmp / "mail"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(self.web_workers),
            "GUNICORN_LOGLEVEL": "warning",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "TRUSTED_PROXY_COUNT": "0",
            "API_RATE_LIMIT_PER_MINUTE": "100000000",
            "PYTHONPATH": str(ROOT / "src"),
        }
        if self.s3:
            self.env.update(
                {
                    "AWS_STORAGE_BUCKET_NAME": self.bucket,
                    "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}",
                    "AWS_S3_REGION_NAME": "us-east-1",
                    "AWS_ACCESS_KEY_ID": "prodshape",
                    "AWS_SECRET_ACCESS_KEY": "prodshape-secret",
                }
            )
        self.env.update(self.extra_env)
        os.environ["ONCONAV_PRODSHAPE_MAIL_DIR"] = self.env["EMAIL_FILE_PATH"]  # for the client

    # --- lifecycle ---------------------------------------------------------------------------
    def log(self, name: str) -> Path:
        return self.tmp / f"{name}.log"

    def _start(self, name: str, argv: list[str]) -> subprocess.Popen:
        fh = self.log(name).open("ab")
        proc = subprocess.Popen(
            argv, env=self.env, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs[name] = proc
        return proc

    def manage(self, *args: str, timeout: float = 300) -> str:
        t0 = time.time()
        out = subprocess.run(
            [str(BIN / "onconav"), "manage", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if out.returncode != 0:
            raise RuntimeError(
                f"onconav manage {' '.join(args)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
            )
        if self.verbose:
            print(f"  onconav manage {args[0]}: {time.time() - t0:.1f} s", file=sys.stderr, flush=True)
        return out.stdout

    def prepare(self, fresh: bool = True) -> None:
        """A fresh database with the schema and the knowledge base, static files, the bucket."""
        # a timeout's SIGTERM still stops every process this stack started (see close())
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        require_services()
        if fresh:
            psql(f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")
            psql(f"CREATE DATABASE {self.db}")
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("compile_catalogues")
        self.manage("load_initial_data")
        import redis

        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=self.redis_db).flushdb()
        if self.s3:
            self.start_s3()

    def start_s3(self) -> None:
        self._start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)])
        deadline = time.time() + 30
        while not reachable("127.0.0.1", self.s3_port):
            if time.time() > deadline:
                raise RuntimeError("moto did not start")
            time.sleep(0.2)
        s3 = self.s3_client()
        existing = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
        if self.bucket not in existing:
            s3.create_bucket(Bucket=self.bucket)

    def s3_client(self):  # type: ignore[no-untyped-def]
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.s3_port}",
            region_name="us-east-1",
            aws_access_key_id="prodshape",
            aws_secret_access_key="prodshape-secret",  # noqa: S106 - the local moto server's dummy key
        )

    def start_web(self, timeout: float = 90) -> None:
        self._start(
            "web", [str(BIN / "gunicorn"), "-c", "python:onconav.config.gunicorn", "onconav.config.wsgi"]
        )
        wait_http(f"{self.base}/api/v1/ready", timeout=timeout)

    def start_worker(self) -> None:
        self._start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "onconav.config",
                "worker",
                "-l",
                "info",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"prodshape-{self.port}@%h",
            ],
        )
        deadline = time.time() + 60
        while "ready." not in self.log("worker").read_text(errors="replace"):
            if time.time() > deadline:
                raise RuntimeError(
                    "the Celery worker did not start:\n" + self.log("worker").read_text()[-3000:]
                )
            time.sleep(0.3)

    def start(self) -> Stack:
        self.prepare()
        if self.celery:
            self.start_worker()
        self.start_web()
        return self

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def close(self, drop: bool = True) -> None:
        for name in list(self.procs):
            self.stop(name)
        if drop and reachable(PG_HOST, PG_PORT):
            try:
                psql(f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")
            except subprocess.CalledProcessError:
                pass
        if os.environ.get("KEEP_LOGS") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Stack:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- inspection --------------------------------------------------------------------------
    def sql(self, query: str, timeout: float = 60) -> str:
        return psql(query, db=self.db, timeout=timeout)

    def snapshot(self) -> str:
        """Every case (decrypted, without database ids), event, consent and document row, as JSON."""
        code = (
            "import django,json;django.setup();"
            "from django.forms.models import model_to_dict as d;"
            "from onconav.cases.models import Case,Document,CaseEvent;from onconav.intake.models import Consent;"
            "skip={'id','patient','draft','assignee','case','uploaded_by','actor','user'};"
            "f=lambda o:{k:v for k,v in d(o).items() if k not in skip};"
            "print(json.dumps({'cases':[dict(f(c),public_id=c.public_id,created_at=c.created_at,patient=c.patient.email)"
            " for c in Case.objects.order_by('public_id')],"
            "'events':[f(e) for e in CaseEvent.objects.order_by('at','kind')],"
            "'consents':sorted([f(x) for x in Consent.objects.all()],key=str),"
            "'documents':[dict(f(x),public_id=x.public_id) for x in Document.objects.order_by('public_id')]},"
            "default=str,sort_keys=True))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        if out.returncode != 0:
            raise RuntimeError("snapshot failed: " + out.stderr[-2000:])
        return out.stdout

    def web_worker_pids(self) -> list[int]:
        master = self.procs["web"].pid
        out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]
