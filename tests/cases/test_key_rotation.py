"""Key rotation covers the uploaded records, not only the encrypted columns."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from onconav.cases import services
from onconav.cases.documents import read_decrypted
from onconav.foundation.encryption import generate_key
from tests.cases.conftest import PDF_BYTES
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_rotation_re_encrypts_fields_and_files_so_the_old_key_can_go(
    settings, private_storage, django_capture_on_commit_callbacks
):
    # Given a case and a record written under the old key
    old, new = settings.FIELD_ENCRYPTION_KEYS[0], generate_key()
    case = CaseFactory()
    doc = services.document_add(
        upload=SimpleUploadedFile("r.pdf", PDF_BYTES), kind="pathology", uploaded_by=case.patient, case=case
    )
    old_name = doc.storage_name
    # When the new key is put first and the rotation runs
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_encryption_keys", stdout=io.StringIO())
    # Then, with the old key dropped, the record and the case still decrypt
    settings.FIELD_ENCRYPTION_KEYS = [new]
    doc.refresh_from_db()
    assert doc.storage_name != old_name
    assert b"".join(read_decrypted(doc.storage_name)) == PDF_BYTES
    case.refresh_from_db()
    assert case.patient_name == "Aigerim Testova"
    assert not (private_storage / old_name).exists()
