"""Issue 14: the sign-up reveals no account, and an address is confirmed before large uploads.

- The intake sign-up answers the same whether or not the address has an account ("check your
  email"); a new address gets a one-time signed link that makes the account, the holder of an
  existing account a notice ("sign in or reset your password").
- An account whose address is not confirmed keeps the anonymous upload limits and sends a
  request with a few records at most; a signed, expiring, one-time link confirms the address.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onconav.accounts.models import User
from onconav.cases.models import Document
from onconav.intake.models import IntakeDraft
from tests.cases.conftest import PDF_BYTES
from tests.intake.test_intake_flow import STEP_POSTS, _fill_required

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-42"


def _visitor_with_answers(kb_loaded_client: Client | None = None) -> Client:
    client = kb_loaded_client or Client()
    _fill_required(client)
    return client


def _signup(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/start/account/", {"email": email, "password": password})


def _link(message, path: str) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"https?://\S+(" + re.escape(path) + r"\S+/)", message.body).group(1)


def _normalise(html: str, email: str) -> str:
    html = html.replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- no enumeration --------------------------------------------------------------------------


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(kb_loaded, patient):
    # Given two visitors with the same answers, one typing a new address, one the address of an
    # existing account
    new, taken = _visitor_with_answers(), _visitor_with_answers()
    # When both sign up
    resp_new = _signup(new, "someone.new@example.org")
    resp_taken = _signup(taken, patient.email)
    # Then the answers are the same: a redirect to "check your email", and the same page there
    assert (resp_new.status_code, resp_new.get("Location")) == (302, "/start/account/sent/")
    assert (resp_taken.status_code, resp_taken.get("Location")) == (302, "/start/account/sent/")
    page_new = new.get("/start/account/sent/")
    page_taken = taken.get("/start/account/sent/")
    assert page_new.status_code == page_taken.status_code == 200
    assert _normalise(page_new.content.decode(), "someone.new@example.org") == _normalise(
        page_taken.content.decode(), patient.email
    )
    assert "already" not in page_taken.content.decode().split("<main", 1)[1].split("If this address")[0]
    # And no account is made yet for the new address, nor any session signed in
    assert not User.objects.filter(email="someone.new@example.org").exists()
    assert "_auth_user_id" not in new.session and "_auth_user_id" not in taken.session
    # And each address got one email: a link for the new one, a notice for the holder
    by_rcpt = {m.to[0]: m for m in mail.outbox}
    assert set(by_rcpt) == {"someone.new@example.org", patient.email}
    assert "/start/account/confirm/" in by_rcpt["someone.new@example.org"].body
    notice = by_rcpt[patient.email]
    assert "/start/account/confirm/" not in notice.body
    assert "/accounts/login/" in notice.body and "/accounts/password-reset/" in notice.body
    assert "already have an account" in notice.body


def test_sign_up_with_an_existing_address_changes_nothing_about_that_account(kb_loaded, patient):
    before = User.objects.get(pk=patient.pk).password
    client = _visitor_with_answers()
    _signup(client, patient.email, "another-passphrase-77")
    patient.refresh_from_db()
    assert patient.password == before and patient.check_password("correct-horse-battery-9")
    assert IntakeDraft.objects.filter(owner=patient).count() == 0


def test_the_holders_notice_is_in_their_language(kb_loaded, patient):
    patient.preferred_language = "zh-hans"
    patient.save()
    _signup(_visitor_with_answers(), patient.email)
    assert "登录" in mail.outbox[0].subject + mail.outbox[0].body


def test_sign_up_emails_are_limited_per_address(kb_loaded, settings, patient):
    settings.SIGNUP_EMAILS_PER_EMAIL = 2
    for _ in range(4):
        assert _signup(_visitor_with_answers(), patient.email).status_code == 302
    assert len(mail.outbox) == 2


# --- the sign-up link ------------------------------------------------------------------------


def test_the_link_in_the_same_browser_makes_a_confirmed_account_with_the_draft(kb_loaded):
    client = _visitor_with_answers()
    client.post("/start/records/", {"kind": "pathology", "file": SimpleUploadedFile("p.pdf", PDF_BYTES)})
    _signup(client, "new.patient@example.org")
    link = _link(mail.outbox[-1], "/start/account/confirm/")
    # Opening the link changes nothing (mail scanners open links): a button
    page = client.get(link)
    assert page.status_code == 200 and 'name="password"' not in page.content.decode()
    assert not User.objects.filter(email="new.patient@example.org").exists()
    # Confirming makes the account, signed in, confirmed, with the password chosen at sign-up
    resp = client.post(link)
    assert resp.status_code == 302 and resp["Location"] == "/start/send/"
    user = User.objects.get(email="new.patient@example.org")
    assert user.email_verified and user.check_password(PASSWORD)
    assert user.full_name == STEP_POSTS["patient"]["full_name"]
    assert IntakeDraft.objects.get().owner == user
    assert client.get("/start/send/").status_code == 200
    # And the link works once
    again = Client().post(link)
    assert again.status_code == 302 and again["Location"] == "/accounts/login/"
    assert User.objects.filter(email="new.patient@example.org").count() == 1


def test_the_link_in_another_browser_asks_for_the_password_there(kb_loaded):
    # Given someone who signed up with an address that is not theirs, choosing the password
    _signup(_visitor_with_answers(), "victim@example.org", "attacker-knows-this-1")
    link = _link(mail.outbox[-1], "/start/account/confirm/")
    # When the owner of the address opens the link in their own browser
    owner = Client()
    page = owner.get(link)
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    assert owner.post(link, {}).status_code == 400
    resp = owner.post(link, {"password": "owner-chooses-this-2"})
    # Then the account has the password the owner chose, not the one typed at sign-up
    assert resp.status_code == 302
    user = User.objects.get(email="victim@example.org")
    assert user.check_password("owner-chooses-this-2")
    assert not user.check_password("attacker-knows-this-1")
    # And the draft stays with the browser that started it (not given to the owner)
    assert IntakeDraft.objects.get().owner is None


def test_altered_or_expired_links_are_refused(kb_loaded, settings):
    client = _visitor_with_answers()
    _signup(client, "new.patient@example.org")
    link = _link(mail.outbox[-1], "/start/account/confirm/")
    import base64

    payload, rest = link.split("/confirm/")[1].split(":", 1)
    forged = base64.urlsafe_b64encode(b'{"e":"other.person@example.org"}').decode().rstrip("=")
    assert client.post(f"/start/account/confirm/{forged}:{rest}").status_code == 400
    assert client.post(link[:-3] + "xx/").status_code == 400
    settings.EMAIL_LINK_MAX_AGE = -1
    resp = client.post(link)
    assert resp.status_code == 400 and "expired" in resp.content.decode()
    assert not User.objects.filter(email="new.patient@example.org").exists()


# --- confirmation before large uploads ---------------------------------------------------------


def _upload_to_draft(client: Client):  # type: ignore[no-untyped-def]
    return client.post(
        "/start/records/", {"kind": "pathology", "file": SimpleUploadedFile("p.pdf", PDF_BYTES)}
    )


def test_an_unconfirmed_account_keeps_the_anonymous_upload_limit(client, login_as, make_user, settings):
    settings.ANON_UPLOAD_BYTES_PER_DRAFT = len(PDF_BYTES) * 2
    user = make_user(email_verified_at=None)
    login_as(user)
    client.post("/start/")
    assert _upload_to_draft(client).status_code == 302
    assert _upload_to_draft(client).status_code == 302
    resp = _upload_to_draft(client)
    body = resp.content.decode()
    assert resp.status_code == 400 and "Confirm your email address" in body
    assert 'action="/accounts/verify-email/"' in body  # the resend button
    assert Document.objects.count() == 2


def test_a_confirmed_account_is_not_held_to_the_anonymous_limit(client, login_as, patient, settings):
    settings.ANON_UPLOAD_BYTES_PER_DRAFT = len(PDF_BYTES) * 2
    login_as(patient)
    client.post("/start/")
    for _ in range(3):
        assert _upload_to_draft(client).status_code == 302
    assert Document.objects.count() == 3


def test_an_unconfirmed_patient_cannot_add_large_records_to_a_case(client, login_as, settings):
    from tests.cases.factories import CaseFactory

    settings.ANON_UPLOAD_BYTES_PER_DRAFT = len(PDF_BYTES)
    case = CaseFactory(patient__email_verified_at=None)
    login_as(case.patient)
    url = f"/cases/{case.public_id}/documents/"
    ok = client.post(url, {"kind": "pathology", "file": SimpleUploadedFile("p.pdf", PDF_BYTES)})
    assert ok.status_code == 302
    refused = client.post(url, {"kind": "pathology", "file": SimpleUploadedFile("p.pdf", PDF_BYTES)})
    assert refused.status_code == 400 and "Confirm your email address" in refused.content.decode()
    assert Document.objects.filter(case=case).count() == 1


def test_an_unconfirmed_account_sends_a_request_with_a_few_records_only(
    client, login_as, make_user, settings, kb_loaded
):
    settings.UNVERIFIED_SUBMIT_FILES = 1
    user = make_user(email_verified_at=None)
    login_as(user)
    _fill_required(client)
    _upload_to_draft(client)
    _upload_to_draft(client)
    draft = IntakeDraft.objects.get(owner=user)
    page = client.get("/start/send/").content.decode()
    assert 'id="verify-email"' in page  # said before they try, with the resend button
    data = {"idempotency_key": str(draft.public_id), "consent_processing": "on"}
    resp = client.post("/start/send/", data)
    assert resp.status_code == 400 and "Confirm your email address" in resp.content.decode()
    assert not user.cases.exists()
    # When they ask for the link and confirm
    resp = client.post("/accounts/verify-email/", {"next": "/start/send/"})
    assert resp.status_code == 302 and resp["Location"] == "/start/send/"
    link = _link(mail.outbox[-1], "/accounts/verify-email/")
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert not user.email_verified  # opening it alone changes nothing
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email_verified
    # Then the request goes, and the link does not work a second time
    assert client.post("/start/send/", data).status_code == 302
    assert client.post(link).status_code == 400


def test_a_verification_link_for_a_changed_address_is_refused(client, login_as, make_user):
    user = make_user(email_verified_at=None)
    login_as(user)
    client.post("/accounts/verify-email/")
    link = _link(mail.outbox[-1], "/accounts/verify-email/")
    User.objects.filter(pk=user.pk).update(email="changed@example.org")
    assert client.post(link).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_a_password_reset_confirms_the_address(client, make_user):
    user = make_user(email_verified_at=None)
    client.post("/accounts/password-reset/", {"email": user.email})
    link = _link(mail.outbox[-1], "/accounts/reset/")
    resp = client.get(link, follow=True)
    form_url = resp.redirect_chain[-1][0]
    pw = "a-new-passphrase-after-reset"
    assert client.post(form_url, {"new_password1": pw, "new_password2": pw}).status_code == 302
    user.refresh_from_db()
    assert user.email_verified and user.check_password(pw)
