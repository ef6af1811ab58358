"""The intake from the first page to a case: save and resume, account, consent, submission."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onconav.cases.models import Case, CaseEvent, Document
from onconav.intake.consent import PROCESSING_VERSION, TRANSFER_VERSION, consent_text, text_hash
from onconav.intake.models import Consent, DraftStatus, IntakeDraft
from tests.cases.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

STEP_POSTS = {
    "who": {"relationship": "family", "helper_name": "Daniyar", "helper_relationship": "son"},
    "patient": {
        "full_name": "Aigerim Testova",
        "sex": "female",
        "date_of_birth": "1961-03-27",
        "nationality": "Kazakhstan",
    },
    "contact": {"email": "aigerim@example.org", "phone": "+7 700", "languages": ["ru"]},
    "diagnosis": {"cancer_type": "LUAD", "stage": "IV", "diagnosis_date": "2025-06-01"},
    "goals": {"goals": ["treatment_china"], "questions": "Can I have osimertinib?"},
    "cities": {"cities": ["Beijing", "Shanghai"]},
    "budget": {"budget_usd": "50000", "insurance": "none"},
}


def _fill_required(client: Client) -> None:
    assert client.post("/start/").status_code == 302
    for slug, data in STEP_POSTS.items():
        resp = client.post(f"/start/step/{slug}/", data)
        assert resp.status_code == 302, (slug, resp.content.decode()[:2000])


def _submit(client: Client, transfer: bool = True):  # type: ignore[no-untyped-def]
    draft = IntakeDraft.objects.get(status=DraftStatus.DRAFT)
    data = {"idempotency_key": str(draft.public_id), "consent_processing": "on"}
    if transfer:
        data["consent_transfer"] = "on"
    return client.post("/start/send/", data), draft


def _register(client: Client) -> None:
    """Sign up, then open the emailed link in the same browser and confirm."""
    import re

    resp = client.post(
        "/start/account/", {"email": "aigerim@example.org", "password": "a-long-passphrase-42"}
    )
    assert resp.status_code == 302 and resp["Location"] == "/start/account/sent/"
    link = re.search(r"https?://\S+(/start/account/confirm/\S+/)", mail.outbox[-1].body).group(1)
    mail.outbox.clear()
    assert client.get(link).status_code == 200
    resp = client.post(link)
    assert resp.status_code == 302 and resp["Location"] == "/start/send/"


def test_anonymous_visitor_goes_from_start_to_a_case_with_an_account(
    client, kb_loaded, django_capture_on_commit_callbacks
):
    # Given a visitor who answers the required questions and uploads a report
    _fill_required(client)
    resp = client.post(
        "/start/records/", {"kind": "pathology", "file": SimpleUploadedFile("p.pdf", PDF_BYTES)}
    )
    assert resp.status_code == 302
    # When they create an account and send with both consents
    _register(client)
    with django_capture_on_commit_callbacks(execute=True):
        resp, draft = _submit(client)
    # Then one case exists, owned by them, with the upload, the timeline and a confirmation email
    case = Case.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/cases/{case.public_id}/"
    assert case.patient.email == "aigerim@example.org" and case.patient_name == "Aigerim Testova"
    assert case.profile["cancer"] == {"oncotree_code": "LUAD", "stage": "IV"}
    assert case.preferred_cities == ["Beijing", "Shanghai"]
    assert Document.objects.get().case == case
    assert CaseEvent.objects.filter(case=case, kind="submitted").exists()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SUBMITTED
    assert len(mail.outbox) == 1 and case.short_ref in mail.outbox[0].subject
    assert "Aigerim" not in mail.outbox[0].body  # no health data or names in email


def test_submitting_twice_makes_one_case(client, kb_loaded):
    _fill_required(client)
    _register(client)
    first, draft = _submit(client)
    # A double click or a retry sends the same idempotency key again
    second = client.post(
        "/start/send/", {"idempotency_key": str(draft.public_id), "consent_processing": "on"}
    )
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_submission_service_is_idempotent(patient, kb_loaded):
    from onconav.intake.services import intake_submit
    from tests.cases.factories import ANSWERS

    draft = IntakeDraft.objects.create(owner=patient, answers=dict(ANSWERS), completed_steps=list(ANSWERS))
    a = intake_submit(draft_id=draft.public_id, user=patient, consent_processing=True, consent_transfer=False)
    b = intake_submit(draft_id=draft.public_id, user=patient, consent_processing=True, consent_transfer=False)
    assert a.pk == b.pk and Case.objects.count() == 1


def test_consents_are_recorded_separately_with_version_and_text_hash(client, kb_loaded):
    _fill_required(client)
    _register(client)
    _submit(client, transfer=True)
    processing = Consent.objects.get(kind="processing")
    transfer = Consent.objects.get(kind="transfer")
    assert processing.version == PROCESSING_VERSION and transfer.version == TRANSFER_VERSION
    assert processing.text_sha256 == text_hash(consent_text("processing")[1])
    assert transfer.scope == {"cities": ["Beijing", "Shanghai"]}
    assert processing.given_at is not None


def test_without_the_transfer_consent_no_referral_can_be_made(client, kb_loaded, coordinator):
    from django.core.exceptions import ValidationError

    from onconav.cases.services import referral_create

    _fill_required(client)
    _register(client)
    _submit(client, transfer=False)
    case = Case.objects.get()
    assert not Consent.objects.filter(kind="transfer").exists()
    with pytest.raises(ValidationError):
        referral_create(case=case, hospital_id="peking-union-medical-college-hospital", actor=coordinator)


def test_processing_consent_is_required_and_nothing_is_saved_without_it(client, kb_loaded):
    _fill_required(client)
    _register(client)
    draft = IntakeDraft.objects.get()
    resp = client.post("/start/send/", {"idempotency_key": str(draft.public_id)})
    assert resp.status_code == 400
    assert "There is a problem" in resp.content.decode()
    assert not Case.objects.exists() and not Consent.objects.exists()


def test_a_missing_required_answer_blocks_submission_and_is_named(patient, client, login_as, kb_loaded):
    login_as(patient)
    client.post("/start/")
    client.post("/start/step/who/", STEP_POSTS["who"])
    draft = IntakeDraft.objects.get()
    resp = client.post("/start/send/", {"idempotency_key": str(draft.public_id), "consent_processing": "on"})
    assert resp.status_code == 400 and not Case.objects.exists()


def test_answers_are_saved_and_shown_again_when_resuming(client, kb_loaded):
    _fill_required(client)
    resp = client.get("/start/step/patient/")
    assert 'value="Aigerim Testova"' in resp.content.decode()
    tasks = client.get("/start/tasks/").content.decode()
    assert "Completed" in tasks


def test_step_errors_are_field_level_and_keep_what_was_typed(client, kb_loaded):
    client.post("/start/")
    resp = client.post(
        "/start/step/patient/",
        {"full_name": "Aigerim", "sex": "female", "date_of_birth": "2999-01-01", "nationality": ""},
    )
    html = resp.content.decode()
    assert resp.status_code == 400
    assert "error-summary" in html and 'href="#id_date_of_birth"' in html and 'href="#id_nationality"' in html
    assert 'value="Aigerim"' in html


def test_draft_answers_are_encrypted_at_rest(client, kb_loaded):
    from django.db import connection

    _fill_required(client)
    with connection.cursor() as cur:
        cur.execute("SELECT answers FROM intake_intakedraft")
        raw = cur.fetchone()[0]
    assert "Aigerim" not in raw and "LUAD" not in raw


def test_contact_email_is_offered_again_when_creating_the_account(client, kb_loaded):
    _fill_required(client)
    assert 'value="aigerim@example.org"' in client.get("/start/account/").content.decode()


def test_staff_cannot_use_the_intake(client, login_as, coordinator):
    login_as(coordinator)
    assert client.post("/start/").status_code == 403


def test_intake_submission_is_rate_limited(client, patient, login_as):
    login_as(patient)
    statuses = [client.post("/start/send/", {}).status_code for _ in range(12)]
    assert 429 in statuses


def test_a_sessions_draft_is_not_visible_to_another_visitor(client, kb_loaded):
    _fill_required(client)
    other = Client()
    other.post("/start/")
    assert "Aigerim" not in other.get("/start/step/patient/").content.decode()


def test_intake_reads_and_writes_are_audited_with_the_draft_id(client, kb_loaded):
    from onconav.audit.models import AuditEvent

    _fill_required(client)
    draft = IntakeDraft.objects.get()
    client.get("/start/check/")
    events = AuditEvent.objects.filter(object_type="intake_draft", object_id=str(draft.public_id))
    assert events.filter(action="change").count() == len(STEP_POSTS)
    assert events.filter(action="read").exists()


def test_every_intake_and_case_view_touching_patient_data_is_audited():
    from django.urls import get_resolver

    from onconav.cases import urls as case_urls
    from onconav.intake import urls as intake_urls

    unaudited = {"start", "index"}  # no patient data: the start page and a role redirect
    for module in (intake_urls, case_urls):
        for pattern in module.urlpatterns:
            if pattern.name in unaudited:
                continue
            assert hasattr(pattern.callback, "audited_object_type"), pattern.name
    assert get_resolver() is not None


def test_abandoned_anonymous_drafts_and_their_files_are_purged(private_storage):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from onconav.cases.services import document_add

    old = IntakeDraft.objects.create(answers={"patient": {"full_name": "X"}})
    doc = document_add(
        upload=SimpleUploadedFile("p.pdf", PDF_BYTES), kind="other", uploaded_by=None, draft=old
    )
    IntakeDraft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=31))
    recent = IntakeDraft.objects.create()
    call_command("intake_purge_drafts", verbosity=0)
    assert list(IntakeDraft.objects.all()) == [recent]
    assert not (private_storage / doc.storage_name).exists()


def test_a_second_request_offers_the_answers_already_given(patient, client, login_as, kb_loaded):
    from onconav.intake.services import intake_submit
    from tests.cases.factories import ANSWERS

    draft = IntakeDraft.objects.create(owner=patient, answers=dict(ANSWERS), completed_steps=list(ANSWERS))
    intake_submit(draft_id=draft.public_id, user=patient, consent_processing=True, consent_transfer=False)
    login_as(patient)
    client.post("/start/")
    assert 'value="Aigerim Testova"' in client.get("/start/step/patient/").content.decode()


def test_draft_uploads_open_only_for_their_own_session_or_owner(client, kb_loaded, patient, login_as):
    client.post("/start/")
    client.post("/start/records/", {"kind": "pathology", "file": SimpleUploadedFile("p.pdf", PDF_BYTES)})
    doc = Document.objects.get()
    assert client.get(f"/start/records/{doc.public_id}/").status_code == 200
    stranger = Client()
    assert stranger.get(f"/start/records/{doc.public_id}/").status_code == 404
    other_patient = login_as(patient, Client())
    assert other_patient.get(f"/start/records/{doc.public_id}/").status_code == 404
    # and a visitor cannot delete another session's upload
    assert stranger.post(f"/start/records/{doc.public_id}/delete/").status_code == 404
    assert Document.objects.filter(pk=doc.pk).exists()
