"""Issue 14: archive bombs (declared vs actual sizes, ratio) and image bombs (pixel count)."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from onconav.cases.documents import validate_upload
from tests.cases.conftest import DICOM_BYTES, dicom_zip_bytes, jpeg_header, png_header


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _forge_sizes(data: bytes, member: str, declared: int) -> bytes:
    """Write a false uncompressed size for ``member`` into its local and central headers."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
    struct.pack_into("<I", raw, info.header_offset + 22, declared)  # local file header
    pos = raw.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if bytes(raw[pos + 46 : pos + 46 + name_len]) == member.encode():
            struct.pack_into("<I", raw, pos + 24, declared)  # central directory
        pos = raw.find(b"PK\x01\x02", pos + 4)
    return bytes(raw)


def test_a_real_dicom_study_is_accepted():
    assert validate_upload(_upload("study.zip", dicom_zip_bytes())) == "dicom_zip"


def test_a_zip_bomb_is_rejected_by_its_compression_ratio():
    # Given a DICOM study with a member of 30 MB of zeros (compresses about 1000 times)
    bomb = _zip([("study/IM0001", DICOM_BYTES), ("study/padding", b"\0" * (30 * 1024 * 1024))])
    assert len(bomb) < 200_000
    # Then it is rejected
    with pytest.raises(ValidationError) as exc:
        validate_upload(_upload("study.zip", bomb))
    assert exc.value.code == "zip_bomb"


def test_a_zip_with_forged_sizes_is_rejected():
    # Given a member whose headers declare 1 kB but which unpacks to 2 MB (ratio check passes)
    big = bytes(range(256)) * (8 * 1024)  # 2 MiB, compresses about 100 times at most
    data = _forge_sizes(_zip([("study/IM0001", DICOM_BYTES), ("study/IM0002", big)]), "study/IM0002", 1024)
    # Then the actual size is checked, not the declared one
    with pytest.raises(ValidationError) as exc:
        validate_upload(_upload("study.zip", data))
    assert exc.value.code in ("zip_bomb", "zip_bad")


@pytest.mark.parametrize("header", [png_header, jpeg_header])
def test_an_image_bomb_is_rejected_by_its_pixel_count(header):
    # Given an image that declares 20000 x 20000 pixels in a few bytes
    data = header(20000, 20000) + b"\0" * 64
    with pytest.raises(ValidationError) as exc:
        validate_upload(_upload("scan.png", data))
    assert exc.value.code == "image_bomb"


@pytest.mark.parametrize("header,kind", [(png_header, "png"), (jpeg_header, "jpeg")])
def test_an_ordinary_photo_is_accepted(header, kind):
    assert validate_upload(_upload("scan", header(4000, 3000) + b"\0" * 64)) == kind


def test_an_image_without_a_size_header_is_rejected():
    with pytest.raises(ValidationError) as exc:
        validate_upload(_upload("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64))
    assert exc.value.code == "image_bad"
