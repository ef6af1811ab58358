"""Issue 14, finding 1: withdrawing a consent revokes access at once (referrals, hospital
partners, clinician reviewers), moves the case to withdrawn, is audited and confirmed in the
patient's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from onconav.audit.models import AuditEvent
from onconav.cases.models import CaseState, ReferralStatus
from onconav.intake.models import Consent

pytestmark = pytest.mark.django_db


def _urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    case, doc = world["case"], world["document"]
    return [
        f"/cases/{case.public_id}/",
        f"/cases/documents/{doc.public_id}/",
        f"/api/v1/cases/{case.public_id}",
    ]


def test_withdrawing_processing_consent_revokes_every_access_at_once(
    world, login_as, django_capture_on_commit_callbacks
):
    # Given a hospital partner and the assigned clinician who can open the case and its records
    partner = login_as(world["partner"], Client())
    clinician = login_as(world["clinician"], Client())
    for url in _urls(world):
        assert partner.get(url).status_code == 200, url
        assert clinician.get(url).status_code == 200, url
    patient = login_as(world["patient"], Client())
    # When the patient reads the confirmation page and withdraws the processing consent
    page = patient.get("/my-data/withdraw/processing/")
    assert page.status_code == 200 and "What happens at once" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resp = patient.post("/my-data/withdraw/processing/", {"confirm": "yes"})
    assert resp.status_code == 302 and resp["Location"] == "/my-data/"
    # Then both consents are withdrawn, the referral revoked and the case withdrawn
    assert not Consent.objects.filter(user=world["patient"], withdrawn_at__isnull=True).exists()
    world["case"].refresh_from_db()
    world["referral"].refresh_from_db()
    assert world["case"].state == CaseState.WITHDRAWN and world["case"].closed_at is not None
    assert world["referral"].status == ReferralStatus.REVOKED
    # And neither the partner nor the clinician can open the case or download its records any more
    for url in _urls(world):
        assert partner.get(url).status_code == 404, url
        assert clinician.get(url).status_code == 404, url
    # And it is audited, and confirmed by email
    assert AuditEvent.objects.filter(
        action="consent_withdraw", object_id=str(world["case"].public_id)
    ).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world["patient"].email]
    # And the patient's page shows the withdrawal
    overview = patient.get("/my-data/").content.decode()
    assert "Withdrawn on" in overview, overview[overview.find("<main") :][:3000]


def test_withdrawing_transfer_consent_revokes_hospitals_only(world, login_as):
    # Given a case referred to a hospital
    patient = login_as(world["patient"], Client())
    # When the patient withdraws only the transfer consent
    resp = patient.post("/my-data/withdraw/transfer/", {"confirm": "yes"})
    assert resp.status_code == 302
    # Then the hospital loses access, the review goes on with the assigned clinician
    world["case"].refresh_from_db()
    world["referral"].refresh_from_db()
    assert world["referral"].status == ReferralStatus.REVOKED
    assert world["case"].state == CaseState.HOSPITAL_MATCHED
    assert login_as(world["partner"], Client()).get(f"/cases/{world['case'].public_id}/").status_code == 404
    assert login_as(world["clinician"], Client()).get(f"/cases/{world['case'].public_id}/").status_code == 200


def test_withdrawal_needs_confirmation_and_changes_nothing_without_it(world, login_as):
    patient = login_as(world["patient"], Client())
    resp = patient.post("/my-data/withdraw/processing/", {})
    assert resp.status_code == 400 and "Tick the box" in resp.content.decode()
    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()


def test_withdrawal_needs_a_csrf_token(world):
    # Given a signed-in patient whose browser is made to post from another site
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["patient"])
    resp = client.post("/my-data/withdraw/processing/", {"confirm": "yes"})
    # Then the post is refused and nothing is withdrawn
    assert resp.status_code == 403
    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()


def test_staff_and_strangers_cannot_withdraw_for_the_patient(world, login_as, client):
    assert client.get("/my-data/withdraw/processing/").status_code == 302  # sign in first
    coordinator = login_as(world["coordinator"], Client())
    assert coordinator.post("/my-data/withdraw/processing/", {"confirm": "yes"}).status_code == 403
    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()


def test_withdrawal_is_confirmed_in_chinese_for_a_chinese_speaking_patient(
    world, login_as, django_capture_on_commit_callbacks
):
    # Given a patient who uses the Chinese interface
    world["patient"].preferred_language = "zh-hans"
    world["patient"].save(update_fields=["preferred_language"])
    patient = login_as(world["patient"], Client())
    patient.cookies["django_language"] = "zh-hans"
    # When they withdraw
    page = patient.get("/my-data/withdraw/processing/").content.decode()
    assert "撤回" in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = patient.post("/my-data/withdraw/processing/", {"confirm": "yes"}, follow=True)
    # Then the page and the email say so in Chinese
    assert "撤回" in resp.content.decode()
    assert "撤回" in mail.outbox[0].subject


def test_a_patient_can_withdraw_a_case_and_the_hospitals_lose_it(world, login_as):
    # Given a referred case: when the patient withdraws the case itself
    from onconav.cases import services

    services.case_transition(case=world["case"], to_state=CaseState.WITHDRAWN, actor=world["patient"])
    # Then the referral is revoked with it
    world["referral"].refresh_from_db()
    assert world["referral"].status == ReferralStatus.REVOKED
    assert login_as(world["partner"], Client()).get(f"/cases/{world['case'].public_id}/").status_code == 404
