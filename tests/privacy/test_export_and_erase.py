"""Issue 14: export my data (JSON and FHIR, with documents) and erase it (account deletion no
longer fails with ProtectedError; the audit keeps only a pseudonym)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core import mail
from django.test import Client

from onconav.accounts.models import User
from onconav.audit.models import AuditEvent
from onconav.cases.models import Case, Document
from onconav.intake.models import Consent
from tests.cases.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_patient_downloads_all_their_data_as_json_fhir_and_documents(world, login_as):
    # Given a patient with a case, answers and an uploaded record
    patient = login_as(world["patient"], Client())
    # When they ask for their data
    resp = patient.post("/my-data/export/")
    # Then they get a zip with their answers (JSON), the case as a FHIR Bundle and the record
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(b"".join(resp.streaming_content)))
    data = json.loads(zf.read("onconav-data.json"))
    case = world["case"]
    assert data["account"]["email"] == world["patient"].email
    assert data["cases"][0]["answers"]["patient"]["full_name"] == "Aigerim Testova"
    assert {c["kind"] for c in data["consents"]} == {"processing", "transfer"}
    bundle = json.loads(zf.read(f"fhir/{case.short_ref}.json"))
    assert bundle["resourceType"] == "Bundle"
    assert zf.read(f"documents/{case.short_ref}/{world['document'].public_id}.pdf") == PDF_BYTES
    # And the export is audited
    assert AuditEvent.objects.filter(action="export", object_type="user").exists()


def test_export_is_a_post(world, login_as):
    patient = login_as(world["patient"], Client())
    assert patient.get("/my-data/export/").status_code == 405


def test_patient_erases_their_data_and_the_audit_keeps_only_a_pseudonym(
    world, login_as, private_storage, django_capture_on_commit_callbacks
):
    user = world["patient"]
    email, public_id = user.email, str(user.public_id)
    patient = login_as(user, Client())
    patient.get(f"/cases/{world['case'].public_id}/")  # an audited read by the patient
    stored = list(private_storage.rglob("*"))
    assert any(p.is_file() for p in stored)
    # When they confirm the erasure with their email address
    assert patient.get("/my-data/erase/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        resp = patient.post("/my-data/erase/", {"confirm": "yes", "email": email})
    # Then the account, the case, the consents and the stored files are gone
    assert resp.status_code == 200 and "data-erased" in resp.content.decode()
    assert not User.objects.filter(public_id=public_id).exists()
    assert not Case.objects.exists() and not Document.objects.exists() and not Consent.objects.exists()
    assert not any(p.is_file() for p in private_storage.rglob("*"))
    # And the audit log keeps its events, with the email replaced by a pseudonym
    assert not AuditEvent.objects.filter(actor_email=email).exists()
    assert AuditEvent.objects.filter(actor_email__startswith="erased:", action="read").exists()
    erase = AuditEvent.objects.get(action="erase", object_id=public_id)
    assert erase.detail["cases"] == 1 and {c["kind"] for c in erase.detail["consents"]} == {
        "processing",
        "transfer",
    }
    assert "Aigerim" not in json.dumps(erase.detail)
    # And the patient is signed out and told by email
    assert patient.get("/my-data/").status_code == 302
    assert mail.outbox[-1].to == [email]


def test_erasure_needs_the_email_and_the_tick(world, login_as):
    patient = login_as(world["patient"], Client())
    resp = patient.post("/my-data/erase/", {"confirm": "yes", "email": "someone@else.org"})
    assert resp.status_code == 400
    assert User.objects.filter(pk=world["patient"].pk).exists()


def test_admin_deleting_a_patient_account_does_not_fail(world, make_user, login_as):
    # Given a patient with a case and consents (which protect the account from a bare delete)
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client = login_as(admin, Client())
    user = world["patient"]
    # When an administrator deletes the account in the admin
    resp = client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    # Then it is erased through the patient-rights service, not refused with ProtectedError
    assert resp.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert AuditEvent.objects.filter(action="erase", actor=admin).exists()


def test_staff_accounts_cannot_be_deleted_only_deactivated(world, make_user, login_as):
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client = login_as(admin, Client())
    resp = client.post(f"/admin/accounts/user/{world['coordinator'].pk}/delete/", {"post": "yes"})
    assert resp.status_code == 403
    assert User.objects.filter(pk=world["coordinator"].pk).exists()
