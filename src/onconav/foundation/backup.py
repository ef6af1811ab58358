"""Backup and restore of the database and the documents, as one encrypted archive.

The archive is a tar file (``manifest.json``, ``db.json`` and every stored document under
``files/``), encrypted in 1 MiB chunks with a Fernet key derived (HKDF-SHA256) from each
``FIELD_ENCRYPTION_KEY``: the first key encrypts, every configured key can decrypt, so a backup
survives a key rotation while the old key is still listed. The documents go into the archive as
they are stored (already encrypted by the application), and are written back byte for byte.

The database goes through Django's serialisation (``dumpdata`` / ``loaddata``): the same archive
restores into SQLite or PostgreSQL. Restore refuses a database that already holds users or cases.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import struct
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

MAGIC = b"ONCONAV-BACKUP-1\n"
CHUNK = 1024 * 1024
FORMAT_VERSION = 1
SERIALIZER = "json-exact"  # onconav.foundation.exact_json: JSON with microseconds
# Rebuilt by migrations or by the application; not part of a backup.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    pass


def _derive(key: str) -> Fernet:
    raw = base64.urlsafe_b64decode(key.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"onconav backup archive v1").derive(
        raw
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def archive_fernet() -> MultiFernet:
    return MultiFernet([_derive(k) for k in settings.FIELD_ENCRYPTION_KEYS])


def _encrypt_stream(src: IO[bytes], dst: IO[bytes]) -> None:
    f = archive_fernet()
    dst.write(MAGIC)
    while chunk := src.read(CHUNK):
        token = f.encrypt(chunk)
        dst.write(struct.pack(">I", len(token)))
        dst.write(token)


def _decrypt_stream(src: IO[bytes], dst: IO[bytes]) -> None:
    if src.read(len(MAGIC)) != MAGIC:
        raise BackupError("not an OncoNav backup archive")
    f = archive_fernet()
    while head := src.read(4):
        (n,) = struct.unpack(">I", head)
        token = src.read(n)
        if len(token) != n:
            raise BackupError("the archive is truncated")
        try:
            dst.write(f.decrypt(token))
        except InvalidToken as exc:
            raise BackupError(
                "the archive cannot be decrypted with the configured FIELD_ENCRYPTION_KEY"
            ) from exc


def _stored_documents() -> Iterator[str]:
    from onconav.cases.models import Document

    yield from Document.objects.order_by("pk").values_list("storage_name", flat=True).iterator()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    tar.addfile(info, io.BytesIO(data))


def backup(out_path: Path) -> dict[str, Any]:
    """Write an encrypted archive of the database and documents; return its manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "backup.tar"
        db_json = Path(tmp) / "db.json"
        with (
            transaction.atomic()
        ):  # one consistent snapshot on PostgreSQL (repeatable reads per query otherwise)
            serializers.register_serializer(SERIALIZER, "onconav.foundation.exact_json")
            call_command(
                "dumpdata",
                format=SERIALIZER,
                natural_foreign=True,
                natural_primary=True,
                exclude=EXCLUDED,
                output=str(db_json),
                verbosity=0,
            )
            names = list(_stored_documents())
        files: dict[str, str] = {}
        missing: list[str] = []
        with tarfile.open(plain, "w") as tar:
            tar.add(db_json, arcname="db.json")
            for name in names:
                if not default_storage.exists(name):
                    missing.append(name)
                    continue
                with default_storage.open(name, "rb") as fh:
                    data = fh.read()
                files[name] = hashlib.sha256(data).hexdigest()
                _add_bytes(tar, f"files/{name}", data)
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "database_sha256": hashlib.sha256(db_json.read_bytes()).hexdigest(),
                "files": files,
                "missing_files": missing,
            }
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with plain.open("rb") as src, out_path.open("wb") as dst:
            _encrypt_stream(src, dst)
    return manifest


def _database_is_empty() -> bool:
    from onconav.accounts.models import User
    from onconav.cases.models import Case

    return not User.objects.exists() and not Case.objects.exists()


def restore(in_path: Path) -> dict[str, Any]:
    """Restore an archive into an empty, migrated database and storage; return its manifest.
    Every file is checked against the manifest's hash before anything is written."""
    if not _database_is_empty():
        raise BackupError("the database is not empty (users or cases exist): restore needs an empty database")
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "backup.tar"
        with in_path.open("rb") as src, plain.open("wb") as dst:
            _decrypt_stream(src, dst)
        with tarfile.open(plain, "r") as tar:
            manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
            if manifest.get("format") != FORMAT_VERSION:
                raise BackupError(f"unsupported archive format {manifest.get('format')!r}")
            db_bytes = tar.extractfile("db.json").read()  # type: ignore[union-attr]
            if hashlib.sha256(db_bytes).hexdigest() != manifest["database_sha256"]:
                raise BackupError("the database dump does not match its hash")
            files: dict[str, bytes] = {}
            for name, digest in manifest["files"].items():
                data = tar.extractfile(f"files/{name}").read()  # type: ignore[union-attr]
                if hashlib.sha256(data).hexdigest() != digest:
                    raise BackupError(f"file {name} does not match its hash")
                files[name] = data
        for name in files:
            if default_storage.exists(name):
                raise BackupError(f"the storage already holds {name}: restore needs empty storage")
        db_path = Path(tmp) / "db.json"
        db_path.write_bytes(db_bytes)
        written: list[str] = []
        try:
            with transaction.atomic():
                serializers.register_serializer(SERIALIZER, "onconav.foundation.exact_json")
                call_command("loaddata", str(db_path), format=SERIALIZER, verbosity=0)
                for name, data in files.items():
                    saved = default_storage.save(name, ContentFile(data))
                    written.append(saved)
                    if saved != name:
                        raise BackupError(f"the storage renamed {name} to {saved}")
        except Exception:
            for name in written:  # nothing half-restored: the database rolled back, remove the files
                default_storage.delete(name)
            raise
    return manifest
