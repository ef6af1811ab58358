import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from onconav.accounts.models import Role
from tests.conftest import current_totp

pytestmark = pytest.mark.django_db


def test_patient_signs_in_with_email_and_password(client, patient, password):
    resp = client.post("/accounts/login/", {"username": patient.email.upper(), "password": password})
    assert resp.status_code == 302
    assert client.get("/accounts/").status_code == 200


def test_wrong_password_shows_a_clear_error_and_no_session(client, patient):
    resp = client.post("/accounts/login/", {"username": patient.email, "password": "nope-nope-nope"})
    assert resp.status_code == 200
    assert "The email address or password is not right" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_guesses_by_a_stranger_do_not_lock_the_owner_out(client, patient, password):
    # Given a stranger who guessed the patient's password wrong five times (issue 14)
    for _ in range(5):
        client.post("/accounts/login/", {"username": patient.email, "password": "wrong-password-x"})
    # When the owner signs in with the right password
    resp = client.post("/accounts/login/", {"username": patient.email, "password": password})
    # Then they are in
    assert resp.status_code == 302
    assert "_auth_user_id" in client.session


def test_staff_must_pass_two_factor_before_any_page(client, coordinator, password):
    client.post("/accounts/login/", {"username": coordinator.email, "password": password})
    resp = client.get("/accounts/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/2fa/verify/")
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert api.json()["detail"] == "Two-factor verification required."
    device = TOTPDevice.objects.get(user=coordinator)
    resp = client.post("/accounts/2fa/verify/", {"token": current_totp(device)})
    assert resp.status_code == 302
    assert client.get("/accounts/").status_code == 200


def test_wrong_totp_code_is_rejected(client, coordinator, password):
    client.post("/accounts/login/", {"username": coordinator.email, "password": password})
    resp = client.post("/accounts/2fa/verify/", {"token": "000000"})
    assert resp.status_code == 200
    assert "not right" in resp.content.decode()
    assert client.get("/accounts/").status_code == 302


def test_staff_without_device_is_sent_to_setup_and_can_enable_totp(client, make_user, password, coordinator):
    from onconav.accounts.services import totp_enrolment_start
    from tests.factories import UserFactory

    # Given a clinician whose enrolment an administrator started
    clinician = UserFactory(role=Role.CLINICIAN)
    totp_enrolment_start(user=clinician, actor=None)
    client.post("/accounts/login/", {"username": clinician.email, "password": password})
    resp = client.get("/accounts/2fa/verify/")
    assert resp.status_code == 302 and resp["Location"].endswith("/accounts/2fa/setup/")
    page = client.get("/accounts/2fa/setup/")
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    resp = client.post("/accounts/2fa/setup/", {"token": current_totp(device)})
    assert resp.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/accounts/").status_code == 200


def test_password_reset_sends_an_email_with_a_working_link(client, patient):
    resp = client.post("/accounts/password-reset/", {"email": patient.email})
    assert resp.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    resp = client.get(path, follow=True)
    assert resp.status_code == 200
    assert b"new_password1" in resp.content


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    resp = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert resp.status_code == 302
    assert len(mail.outbox) == 0
