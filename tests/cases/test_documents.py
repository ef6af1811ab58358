"""Uploads: type sniffed from content, size limits, encrypted at rest, served only decrypted to
those allowed, every read audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onconav.audit.models import AuditEvent
from onconav.cases import documents as storage
from onconav.cases.selectors import records_checklist
from onconav.cases.services import document_add
from tests.cases.conftest import DICOM_BYTES, JPEG_BYTES, PDF_BYTES, PNG_BYTES, dicom_zip_bytes
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("scan.pdf", PDF_BYTES, "pdf"),
        ("photo.jpg", JPEG_BYTES, "jpeg"),
        ("photo.png", PNG_BYTES, "png"),
        ("IM0001", DICOM_BYTES, "dicom"),
        ("study.zip", dicom_zip_bytes(), "dicom_zip"),
        # The name lies; the content decides.
        ("report.pdf", PNG_BYTES, "png"),
    ],
)
def test_file_type_is_sniffed_from_the_content(name, content, expected):
    assert storage.validate_upload(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.pdf", b"MZ\x90\x00 windows executable"),
        ("page.pdf", b"<html><script>alert(1)</script>"),
        ("empty.pdf", b""),
    ],
)
def test_other_content_is_refused_whatever_the_name(name, content):
    with pytest.raises(ValidationError):
        storage.validate_upload(SimpleUploadedFile(name, content))


def test_a_zip_without_dicom_is_refused():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("notes.txt", "hello")
    with pytest.raises(ValidationError, match="DICOM"):
        storage.validate_upload(SimpleUploadedFile("study.zip", buf.getvalue()))


def test_size_limits_20_mb_per_file_and_200_mb_per_zip(monkeypatch):
    big_pdf = SimpleUploadedFile("big.pdf", PDF_BYTES)
    big_pdf.size = 21 * 1024 * 1024
    with pytest.raises(ValidationError, match="20 MB"):
        storage.validate_upload(big_pdf)
    big_zip = SimpleUploadedFile("big.zip", dicom_zip_bytes())
    big_zip.size = 150 * 1024 * 1024
    assert storage.validate_upload(big_zip) == "dicom_zip"
    big_zip.size = 201 * 1024 * 1024
    with pytest.raises(ValidationError, match="200 MB"):
        storage.validate_upload(big_zip)


def test_stored_file_is_encrypted_and_outside_the_web_root(private_storage, settings):
    case = CaseFactory()
    doc = document_add(
        upload=SimpleUploadedFile("report.pdf", PDF_BYTES),
        kind="pathology",
        uploaded_by=case.patient,
        case=case,
    )
    stored = (private_storage / doc.storage_name).read_bytes()
    assert b"SECRET-PATHOLOGY-FINDING" not in stored and b"%PDF" not in stored
    assert stored.startswith(storage.HEADER)
    assert b"".join(storage.read_decrypted(doc.storage_name)) == PDF_BYTES
    assert not str(private_storage / doc.storage_name).startswith(str(settings.STATIC_ROOT))
    assert doc.size == len(PDF_BYTES) and doc.file_type == "pdf"


def test_large_files_are_encrypted_in_chunks_and_read_back_whole(private_storage):
    case = CaseFactory()
    content = b"%PDF-1.7\n" + bytes(range(256)) * 9000  # > 2 chunks
    doc = document_add(
        upload=SimpleUploadedFile("big.pdf", content), kind="other", uploaded_by=case.patient, case=case
    )
    assert b"".join(storage.read_decrypted(doc.storage_name)) == content


def test_a_refused_upload_leaves_nothing_behind(private_storage):
    case = CaseFactory()
    with pytest.raises(ValidationError):
        document_add(
            upload=SimpleUploadedFile("x.pdf", b"not a pdf"),
            kind="other",
            uploaded_by=case.patient,
            case=case,
        )
    assert not list(private_storage.rglob("*.bin"))
    assert not case.documents.exists()


def test_owner_downloads_the_decrypted_file_and_the_read_is_audited(login_as):
    case = CaseFactory()
    doc = document_add(
        upload=SimpleUploadedFile("r.pdf", PDF_BYTES), kind="pathology", uploaded_by=case.patient, case=case
    )
    client = login_as(case.patient, Client())
    resp = client.get(f"/cases/documents/{doc.public_id}/")
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == PDF_BYTES
    assert resp["Content-Type"] == "application/pdf"
    assert "r.pdf" not in resp["Content-Disposition"]  # no original file name (could hold a name)
    assert AuditEvent.objects.filter(
        object_type="document", object_id=str(doc.public_id), action="read"
    ).exists()


def test_records_checklist_names_what_is_missing():
    case = CaseFactory()
    document_add(
        upload=SimpleUploadedFile("r.pdf", PDF_BYTES), kind="pathology", uploaded_by=case.patient, case=case
    )
    document_add(
        upload=SimpleUploadedFile("s.zip", dicom_zip_bytes()),
        kind="other",
        uploaded_by=case.patient,
        case=case,
    )
    items = {
        i["kind"]: i["present"] for i in records_checklist(documents=case.documents.all(), cancer_code="LUAD")
    }
    assert items == {"imaging_dicom": True, "pathology": True, "ngs": False, "blood_tests": False}


def test_patient_can_upload_more_records_to_their_case(login_as):
    case = CaseFactory()
    client = login_as(case.patient, Client())
    resp = client.post(
        f"/cases/{case.public_id}/documents/", {"kind": "ngs", "file": SimpleUploadedFile("n.pdf", PDF_BYTES)}
    )
    assert resp.status_code == 302 and case.documents.get().kind == "ngs"


def test_a_bad_upload_shows_a_field_error(login_as):
    case = CaseFactory()
    client = login_as(case.patient, Client())
    resp = client.post(
        f"/cases/{case.public_id}/documents/", {"kind": "ngs", "file": SimpleUploadedFile("n.pdf", b"hello")}
    )
    assert resp.status_code == 400 and "error-summary" in resp.content.decode()
