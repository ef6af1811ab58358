"""When the document storage fails (object storage down, full volume), the upload gets a clear
error and nothing is half-saved: no document row, no case change."""

from __future__ import annotations

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from onconav.cases.models import Document
from tests.cases.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


class FullVolume(FileSystemStorage):
    def _save(self, name, content):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_full_upload_volume_gives_a_clear_error_and_saves_nothing(
    client, kb_loaded, settings, tmp_path, language
):
    # given a storage whose volume is full
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.FullVolume", "OPTIONS": {"location": str(tmp_path)}},
    }
    client.cookies["django_language"] = language
    client.post("/start/")
    # when a patient uploads a record
    resp = client.post(
        "/start/records/", {"kind": "pathology", "file": SimpleUploadedFile("p.pdf", PDF_BYTES)}
    )
    # then the page says so in their language, and nothing was saved
    assert resp.status_code == 400
    text = resp.content.decode()
    assert ("could not be stored just now" in text) if language == "en" else ("文件暂时无法保存" in text)
    assert not Document.objects.exists()
    assert not any(tmp_path.rglob("*.bin"))
