"""Uploaded records: type sniffed from the content, size-limited, stored encrypted.

Files are stored through the default storage, whose root is ``PRIVATE_STORAGE_ROOT`` (outside
the web root). Each file is a sequence of Fernet tokens (1 MiB of plain text each, so a 200 MB
DICOM study is never held in memory twice), after a short header:

    b"ONVENC1\\n" + (4-byte big-endian length + Fernet token) * n
"""

from __future__ import annotations

import hashlib
import logging
import struct
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from onconav.foundation.encryption import decrypt_bytes, encrypt_bytes

logger = logging.getLogger(__name__)

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB
MAX_ZIP_BYTES = 200 * MB
MAX_ZIP_UNCOMPRESSED = 2048 * MB
MAX_ZIP_ENTRIES = 20_000
CHUNK = 1 * MB
HEADER = b"ONVENC1\n"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "dicom": "application/dicom",
    "dicom_zip": "application/zip",
}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "dicom": "dcm", "dicom_zip": "zip"}


def _is_dicom(head: bytes) -> bool:
    return len(head) >= 132 and head[128:132] == b"DICM"


def sniff(head: bytes) -> str | None:
    """The file type from its first bytes (never from its name or the browser's claim)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if _is_dicom(head):
        return "dicom"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _check_dicom_zip(fileobj: IO[bytes]) -> None:
    """A zip is accepted only as a DICOM study: at least one DICOM file inside, no zip bomb,
    no absolute or parent paths."""
    try:
        with zipfile.ZipFile(fileobj) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise ValidationError(_("The zip file holds too many files."), code="zip_entries")
            if sum(i.file_size for i in infos) > MAX_ZIP_UNCOMPRESSED:
                raise ValidationError(_("The zip file is too large when unpacked."), code="zip_bomb")
            if any(i.filename.startswith(("/", "\\")) or ".." in i.filename.split("/") for i in infos):
                raise ValidationError(_("The zip file has unsafe file paths."), code="zip_paths")
            for info in infos:
                if info.is_dir():
                    continue
                with zf.open(info) as member:
                    if _is_dicom(member.read(132)):
                        return
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("The zip file is damaged and cannot be opened."), code="zip_bad") from exc
    raise ValidationError(
        _("A zip file must hold a DICOM imaging study (the files from the CD or the hospital's download)."),
        code="zip_not_dicom",
    )


def validate_upload(upload: Any) -> str:
    """Return the sniffed file type, or raise ValidationError with a message for the person."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationError(_("The selected file is empty."), code="empty")
    if size > MAX_ZIP_BYTES:
        raise ValidationError(_("The file must be smaller than 200 MB."), code="too_large")
    upload.seek(0)
    head = upload.read(264)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise ValidationError(
            _("The file must be a PDF, a JPEG or PNG image, a DICOM file, or a DICOM study as a zip."),
            code="type",
        )
    if kind == "zip":
        _check_dicom_zip(upload)
        upload.seek(0)
        return "dicom_zip"
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file must be smaller than 20 MB (a zip of DICOM images may be up to 200 MB)."),
            code="too_large",
        )
    return kind


def store_encrypted(upload: Any) -> tuple[str, str, int]:
    """Encrypt and store; return (storage name, sha256 of the plain bytes, size)."""
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    with tempfile.SpooledTemporaryFile(max_size=8 * MB) as tmp:
        tmp.write(HEADER)
        while True:
            chunk = upload.read(CHUNK)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            token = encrypt_bytes(chunk)
            tmp.write(struct.pack(">I", len(token)))
            tmp.write(token)
        tmp.seek(0)
        try:
            name = default_storage.save(f"documents/{uuid.uuid4().hex}.bin", File(tmp))
        except Exception as exc:  # noqa: BLE001 - full volume, object storage down, ...: nothing was saved
            logger.error("document storage failed: %s: %s", type(exc).__name__, str(exc)[:200])
            raise ValidationError(
                _(
                    "The file could not be stored just now, and nothing was saved. Please try again in a few minutes."
                ),
                code="storage_unavailable",
            ) from exc
    return name, digest.hexdigest(), size


def read_decrypted(storage_name: str) -> Iterator[bytes]:
    """The plain bytes, chunk by chunk."""
    with default_storage.open(storage_name, "rb") as fh:
        if fh.read(len(HEADER)) != HEADER:
            raise ValueError("not an OncoNav encrypted file")
        while True:
            raw_len = fh.read(4)
            if not raw_len:
                return
            (length,) = struct.unpack(">I", raw_len)
            yield decrypt_bytes(fh.read(length))


def delete_stored(storage_name: str) -> None:
    if default_storage.exists(storage_name):
        default_storage.delete(storage_name)
