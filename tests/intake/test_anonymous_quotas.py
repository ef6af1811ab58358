"""Issue 14: anonymous visitors cannot open drafts or upload without bound."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onconav.cases.models import Document
from onconav.intake.models import IntakeDraft
from tests.cases.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _visitor(ip: str = "198.51.100.5") -> Client:
    client = Client(REMOTE_ADDR=ip)
    assert client.post("/start/").status_code == 302
    return client


def _upload(client: Client):  # type: ignore[no-untyped-def]
    return client.post(
        "/start/records/", {"kind": "pathology", "file": SimpleUploadedFile("p.pdf", PDF_BYTES)}
    )


def test_new_anonymous_drafts_are_capped_per_address(settings):
    # Given one address that started as many drafts as allowed, each in a new session
    settings.ANON_OPEN_DRAFTS_PER_IP = 3
    for _ in range(3):
        _visitor()
    # When it starts one more
    resp = Client(REMOTE_ADDR="198.51.100.5").post("/start/")
    # Then it is refused with an explanation, and no draft is made
    assert resp.status_code == 429 and "Too many new requests" in resp.content.decode()
    assert IntakeDraft.objects.count() == 3
    # While another address can start
    assert _visitor("192.0.2.80").post("/start/").status_code == 302


def test_anonymous_uploads_are_capped_per_draft(settings):
    settings.ANON_UPLOAD_BYTES_PER_DRAFT = len(PDF_BYTES) * 2
    client = _visitor()
    assert _upload(client).status_code == 302
    assert _upload(client).status_code == 302
    resp = _upload(client)
    assert resp.status_code == 400 and "Create your account" in resp.content.decode()
    assert Document.objects.count() == 2


def test_anonymous_uploads_are_capped_per_address_across_drafts(settings):
    settings.ANON_UPLOAD_BYTES_PER_IP = len(PDF_BYTES) * 3
    for _ in range(3):
        assert _upload(_visitor()).status_code == 302
    resp = _upload(_visitor())
    assert resp.status_code == 400 and "from your network today" in resp.content.decode()
    assert Document.objects.count() == 3
