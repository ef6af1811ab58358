"""CI production-shape job: the deployment shape of compose.yaml, proven without Docker.

    .venv/bin/python scripts/production_shape.py

gunicorn (2 workers, production settings, preloaded knowledge base) against the local PostgreSQL
and Redis, a real Celery worker process (not eager) and moto in server mode as S3. It submits an
intake with two uploads through the web pages, then checks that the case exists once with both
documents, that the notification task ran in the worker, and that every object landed in the
bucket encrypted (no plain bytes; decrypts to the upload). Then backup and restore into a second,
empty database and bucket, compared case by case and file by file. Bounded: about a minute.
Exits 0 with a SKIP line when PostgreSQL or Redis is not reachable.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from prodshape.client import intake_until_send, submit  # noqa: E402
from prodshape.stack import Stack, Unavailable, require_services  # noqa: E402


def check(cond: bool, what: str) -> None:
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        raise SystemExit(1)


def decrypt(key: str, blob: bytes) -> bytes:
    import struct

    from cryptography.fernet import Fernet

    f = Fernet(key.encode())
    header_end = blob.index(b"\n") + 1
    out, pos = [], header_end
    while pos < len(blob):
        (n,) = struct.unpack(">I", blob[pos : pos + 4])
        out.append(f.decrypt(blob[pos + 4 : pos + 4 + n]))
        pos += 4 + n
    return b"".join(out)


def main() -> int:
    t0 = time.time()
    try:
        require_services()
    except Unavailable as exc:
        print(f"SKIP production-shape job: {exc}")
        return 0
    stack = Stack(db="onconav_production_ci", redis_db=6, web_workers=2)
    try:
        stack.start()
        print(
            f"stack up in {time.time() - t0:.0f} s: gunicorn {stack.base}, celery worker, moto S3", flush=True
        )
        s, draft, uploads = intake_until_send(stack.base, files=2)
        case_id = submit(s, stack.base, draft)
        again = submit(s, stack.base, draft)  # a retried submission returns the same case
        check(again == case_id, "a retried submission returns the same case")
        check(
            stack.sql(f"SELECT count(*) FROM cases_case WHERE public_id = '{uuid.UUID(case_id)}'")  # noqa: S608
            == "1",
            "the case exists once",
        )
        names = stack.sql(
            "SELECT d.storage_name FROM cases_document d JOIN cases_case c ON c.id = d.case_id "  # noqa: S608
            f"WHERE c.public_id = '{uuid.UUID(case_id)}' ORDER BY d.id"
        ).split()
        check(len(names) == 2, "both documents belong to the case")
        s3 = stack.s3_client()
        for name, plain in zip(names, uploads, strict=True):
            blob = s3.get_object(Bucket=stack.bucket, Key=f"private/{name}")["Body"].read()
            check(b"upload " not in blob and b"%PDF" not in blob, f"object {name} holds no plain bytes")
            check(decrypt(stack.key, blob) == plain, f"object {name} decrypts to the upload")
        deadline = time.time() + 30
        ran = False
        while time.time() < deadline and not ran:
            log = stack.log("worker").read_text(errors="replace")
            ran = "send_case_email" in log and "succeeded" in log
            time.sleep(0.5)
        check(ran, "the notification task ran in the Celery worker process")
        listing = s3.list_objects_v2(Bucket=stack.bucket).get("Contents", [])
        check(
            all(o["Key"].startswith("private/documents/") for o in listing),
            "objects are under the private prefix",
        )

        # backup, then restore into an empty database and an empty bucket
        archive = stack.tmp / "onconav.backup"
        stack.manage("backup", str(archive))
        restored = Stack(db="onconav_production_ci_restore", redis_db=6, s3=True, celery=False)
        restored.s3_port = stack.s3_port
        restored.bucket = "onconav-restored"
        restored.env.update(
            {
                "FIELD_ENCRYPTION_KEY": stack.key,
                "AWS_STORAGE_BUCKET_NAME": "onconav-restored",
                "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{stack.s3_port}",
            }
        )
        try:
            from prodshape.stack import psql

            psql("DROP DATABASE IF EXISTS onconav_production_ci_restore WITH (FORCE)")
            psql("CREATE DATABASE onconav_production_ci_restore")
            restored.manage("migrate", "--noinput")
            s3.create_bucket(Bucket="onconav-restored")
            restored.manage("restore", str(archive))
            before, after = stack.snapshot(), restored.snapshot()
            check(
                '"cases": [{' in before and before == after,
                "restore: every case, event, consent and document is the same",
            )
            for name in names:
                a = s3.get_object(Bucket=stack.bucket, Key=f"private/{name}")["Body"].read()
                b = s3.get_object(Bucket="onconav-restored", Key=f"private/{name}")["Body"].read()
                check(a == b, f"restore: object {name} is the same")
        finally:
            restored.s3 = False
            restored.close()
        print(f"production-shape job passed in {time.time() - t0:.0f} s")
        return 0
    except (subprocess.SubprocessError, RuntimeError) as exc:
        print(f"FAIL {exc}")
        for name in ("web", "worker", "s3"):
            if stack.log(name).exists():
                print(f"--- {name} log (tail)\n" + stack.log(name).read_text(errors="replace")[-3000:])
        return 1
    finally:
        stack.close()


if __name__ == "__main__":
    sys.exit(main())
