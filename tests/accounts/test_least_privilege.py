"""Issue 14, least privilege and data at rest: token expiry and revocation, 2FA enrolment only
when an administrator started it, the user's full name encrypted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from onconav.accounts import services
from onconav.accounts.models import ApiToken, Role
from onconav.audit.models import AuditEvent
from tests.conftest import current_totp
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_tokens_expire_after_the_configured_days(patient, settings):
    # Given a token issued now
    token, raw = ApiToken.issue(user=patient, name="script")
    # Then it expires after API_TOKEN_TTL_DAYS
    expected = timezone.now() + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert ApiToken.authenticate(raw) == patient
    # When that day has passed, it no longer authenticates (web API: 401)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert ApiToken.authenticate(raw) is None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(patient):
    token, raw = ApiToken.issue(user=patient, name="script")
    services.api_token_revoke(token=token, actor=patient)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEvent.objects.filter(action="token_revoke", object_id=str(token.pk)).exists()


def test_staff_without_a_device_cannot_enrol_one_with_only_the_password(client):
    # Given a staff account with no authenticator, and someone who knows its password
    clinician = UserFactory(role=Role.CLINICIAN)
    client.post("/accounts/login/", {"username": clinician.email, "password": PASSWORD})
    # When they open the set-up page
    resp = client.get("/accounts/2fa/setup/")
    # Then no secret is shown and no device is created: an administrator must start enrolment
    assert resp.status_code == 403 and b"<svg" not in resp.content
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert client.post("/accounts/2fa/setup/", {"token": "123456"}).status_code == 403
    assert client.get("/accounts/").status_code == 302  # still not verified


def test_an_administrator_starts_enrolment_and_the_member_finishes_it(make_user, login_as):
    admin = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    clinician = UserFactory(role=Role.CLINICIAN)
    # Given an administrator who starts the enrolment in the admin
    admin_client = login_as(admin, Client())
    resp = admin_client.post(
        "/admin/accounts/user/",
        {"action": "start_2fa_enrolment", "_selected_action": [clinician.pk]},
    )
    assert resp.status_code == 302
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    # When the member signs in and confirms a code
    client = Client()
    client.post("/accounts/login/", {"username": clinician.email, "password": PASSWORD})
    assert b"<svg" in client.get("/accounts/2fa/setup/").content
    assert client.post("/accounts/2fa/setup/", {"token": current_totp(device)}).status_code == 302
    # Then the device is confirmed and both steps are audited
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="2fa_enrolment_start", actor=admin).exists()
    assert AuditEvent.objects.filter(action="2fa_setup", actor=clinician).exists()


def test_the_full_name_is_encrypted_at_rest(patient):
    # Given a user with a passport name
    patient.full_name = "Aigerim Testova"
    patient.save(update_fields=["full_name"])
    # Then the column holds ciphertext, and the model reads the name back
    with connection.cursor() as cur:
        cur.execute("SELECT full_name FROM accounts_user WHERE id = %s", [patient.pk])
        stored = cur.fetchone()[0]
    assert "Aigerim" not in stored and stored.startswith("gAAAAA")
    patient.refresh_from_db()
    assert patient.full_name == "Aigerim Testova"
