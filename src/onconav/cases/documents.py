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
import zlib
from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from onconav.foundation.encryption import decrypt_bytes, encrypt_bytes, rotate_token

logger = logging.getLogger(__name__)

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB
MAX_ZIP_BYTES = 200 * MB
MAX_ZIP_UNCOMPRESSED = 2048 * MB
MAX_ZIP_ENTRIES = 20_000
# DICOM compresses a few times at most; a member that claims or reaches more than this ratio is
# a decompression bomb.
MAX_ZIP_RATIO = 100
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
    """A zip is accepted only as a DICOM study: at least one DICOM file inside, no absolute or
    parent paths, and no zip bomb. Declared sizes are not trusted: every member is decompressed
    (in chunks, never held in memory) and its actual size checked against the declared one (a
    forged size fails Python's CRC check or the count), the total, and the compression ratio."""
    found = False
    try:
        with zipfile.ZipFile(fileobj) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise ValidationError(_("The zip file holds too many files."), code="zip_entries")
            if sum(i.file_size for i in infos) > MAX_ZIP_UNCOMPRESSED:
                raise ValidationError(_("The zip file is too large when unpacked."), code="zip_bomb")
            if any(i.filename.startswith(("/", "\\")) or ".." in i.filename.split("/") for i in infos):
                raise ValidationError(_("The zip file has unsafe file paths."), code="zip_paths")
            total = 0
            for info in infos:
                if info.is_dir():
                    continue
                if info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1) + 1024:
                    raise ValidationError(_("The zip file is too large when unpacked."), code="zip_bomb")
                actual = 0
                with zf.open(info) as member:
                    head = member.read(132)
                    found = found or _is_dicom(head)
                    actual += len(head)
                    while chunk := member.read(CHUNK):
                        actual += len(chunk)
                        total += len(chunk)
                        if actual > info.file_size or total > MAX_ZIP_UNCOMPRESSED:
                            raise ValidationError(
                                _("The zip file is too large when unpacked."), code="zip_bomb"
                            )
                if actual != info.file_size:
                    raise ValidationError(_("The zip file is damaged and cannot be opened."), code="zip_bad")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise ValidationError(_("The zip file is damaged and cannot be opened."), code="zip_bad") from exc
    if found:
        return
    raise ValidationError(
        _("A zip file must hold a DICOM imaging study (the files from the CD or the hospital's download)."),
        code="zip_not_dicom",
    )


def image_pixels(head: bytes, fileobj: IO[bytes]) -> int | None:
    """Width x height from a PNG or JPEG header, without decoding the image (None if not found)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24 and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return width * height
    if head.startswith(b"\xff\xd8"):
        fileobj.seek(2)
        for _n in range(10_000):
            marker = fileobj.read(2)
            if len(marker) < 2 or marker[0] != 0xFF:
                return None
            code = marker[1]
            if code in (0xD8, 0x01) or 0xD0 <= code <= 0xD7:
                continue
            length_bytes = fileobj.read(2)
            if len(length_bytes) < 2:
                return None
            length = struct.unpack(">H", length_bytes)[0]
            if 0xC0 <= code <= 0xCF and code not in (0xC4, 0xC8, 0xCC):
                data = fileobj.read(5)
                if len(data) < 5:
                    return None
                height, width = struct.unpack(">HH", data[1:5])
                return height * width
            fileobj.seek(length - 2, 1)
    return None


def _check_image(head: bytes, upload: Any) -> None:
    from django.conf import settings

    limit = getattr(settings, "MAX_IMAGE_PIXELS", 50_000_000)
    pixels = image_pixels(head, upload)
    upload.seek(0)
    if pixels is None:
        raise ValidationError(_("The image is damaged and cannot be opened."), code="image_bad")
    if pixels > limit:
        raise ValidationError(
            _("The image is too large (more than %(n)s million pixels). Send a smaller scan or a PDF.")
            % {"n": limit // 1_000_000},
            code="image_bomb",
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
    if kind in ("png", "jpeg"):
        _check_image(head, upload)
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


def rotate_stored(storage_name: str) -> str:
    """Re-encrypt a stored file with the first key of FIELD_ENCRYPTION_KEY (key rotation): a new
    file is written and its name returned; the caller points the document at it and deletes the
    old one."""
    with (
        default_storage.open(storage_name, "rb") as fh,
        tempfile.SpooledTemporaryFile(max_size=8 * MB) as tmp,
    ):
        if fh.read(len(HEADER)) != HEADER:
            raise ValueError("not an OncoNav encrypted file")
        tmp.write(HEADER)
        while raw_len := fh.read(4):
            (length,) = struct.unpack(">I", raw_len)
            token = rotate_token(fh.read(length))
            tmp.write(struct.pack(">I", len(token)))
            tmp.write(token)
        tmp.seek(0)
        return default_storage.save(f"documents/{uuid.uuid4().hex}.bin", File(tmp))


def delete_stored(storage_name: str) -> None:
    if default_storage.exists(storage_name):
        default_storage.delete(storage_name)
