"""onconav backup / restore: an encrypted archive restored into an empty database and storage
gives back every case and every file."""

from __future__ import annotations

import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from onconav.cases import services as case_services
from onconav.cases.documents import read_decrypted
from onconav.cases.models import Case, CaseEvent, Document, Message
from onconav.intake.models import Consent
from tests.cases.conftest import PDF_BYTES, PNG_BYTES
from tests.cases.factories import CaseFactory, ConsentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict:
    cases = {
        str(c.public_id): {
            **{k: v for k, v in model_to_dict(c).items() if k not in {"id", "patient", "draft", "assignee"}},
            "patient": c.patient.email,
            "events": list(
                CaseEvent.objects.filter(case=c).order_by("at", "id").values_list("kind", "note", "at")
            ),
            "messages": list(
                Message.objects.filter(case=c).order_by("created_at").values_list("body", flat=True)
            ),
        }
        for c in Case.objects.order_by("public_id")
    }
    files = {
        str(d.public_id): (d.storage_name, d.sha256, b"".join(read_decrypted(d.storage_name)))
        for d in Document.objects.all()
    }
    consents = sorted(Consent.objects.values_list("kind", "version", "text_sha256"))
    return {"cases": cases, "files": files, "consents": consents}


def test_backup_then_restore_into_an_empty_database_and_storage_gives_back_everything(
    tmp_path, private_storage
):
    # given cases with documents, messages and consents
    for i in range(3):
        case = CaseFactory(patient_name=f"Patient {i} 患者")
        ConsentFactory(draft=case.draft)
        for j, (name, data) in enumerate([("p.pdf", PDF_BYTES), ("s.png", PNG_BYTES)]):
            case_services.document_add(
                upload=SimpleUploadedFile(name, data + f"{i}-{j}".encode()),
                kind="pathology",
                uploaded_by=None,
                case=case,
            )
        Message.objects.create(case=case, author=case.patient, body=f"question {i}")
    before = _snapshot()
    assert len(before["cases"]) == 3 and len(before["files"]) == 6
    archive = tmp_path / "onconav.backup"

    # when backed up
    call_command("backup", str(archive), verbosity=0)
    raw = archive.read_bytes()
    # then nothing readable is in the archive
    assert b"Patient 0" not in raw and "患者".encode() not in raw and b"question 0" not in raw

    # when the database and the storage are emptied and the archive restored
    call_command("flush", "--noinput", verbosity=0)
    shutil.rmtree(private_storage)
    private_storage.mkdir()
    assert not Case.objects.exists()
    call_command("restore", str(archive), verbosity=0)

    # then every case, event, message, consent and file is back, byte for byte
    after = _snapshot()
    assert after == before


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, private_storage):
    CaseFactory()
    archive = tmp_path / "b.backup"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), verbosity=0)


def test_an_archive_cannot_be_read_with_another_key(tmp_path, private_storage, settings):
    from cryptography.fernet import Fernet

    CaseFactory()
    archive = tmp_path / "b.backup"
    call_command("backup", str(archive), verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("restore", str(archive), verbosity=0)
