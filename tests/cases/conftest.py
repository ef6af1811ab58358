from __future__ import annotations

import io
import struct
import zipfile

import pytest

from onconav.accounts.models import Role

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"SECRET-PATHOLOGY-FINDING " * 20


def png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR chunk (CRC not checked: only the header is read)."""
    ihdr = struct.pack(">II", width, height) + b"\x08\x02\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\x00" * 4


def jpeg_header(width: int, height: int) -> bytes:
    """SOI, an APP0 segment, then a baseline SOF0 frame header with the size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\x00" * 32


PNG_BYTES = png_header(800, 600) + b"\x00" * 64
JPEG_BYTES = jpeg_header(800, 600)
DICOM_BYTES = b"\x00" * 128 + b"DICM" + b"\x02\x00" * 50


def dicom_zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("study/IM0001", DICOM_BYTES)
        zf.writestr("study/IM0002", DICOM_BYTES)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploads go to a temporary private root in tests."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_STORAGE_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


@pytest.fixture
def clinician(make_user):
    return make_user(Role.CLINICIAN)


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def partner(make_user):
    from tests.cases.factories import HOSPITAL

    return make_user(Role.PARTNER, partner_hospital_id=HOSPITAL)


@pytest.fixture
def other_partner(make_user):
    from tests.cases.factories import OTHER_HOSPITAL

    return make_user(Role.PARTNER, partner_hospital_id=OTHER_HOSPITAL)
