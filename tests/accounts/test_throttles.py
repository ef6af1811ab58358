"""Issue 14, limits: per-account progressive delay (never a lock-out of the owner), per-address
limit across accounts (password spraying), trusted-proxy client address, password-reset limits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from onconav.accounts import throttle
from onconav.foundation.ratelimit import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-x"


@pytest.fixture
def clock(monkeypatch):
    """A controllable clock for the throttles."""
    now = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    return now


def _login(client: Client, email: str, password: str, ip: str = "198.51.100.1"):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_guessing_one_account_from_many_addresses_is_slowed_progressively(patient, password, clock):
    # Given a stranger who rotates addresses and has made 8 wrong guesses, one allowed at a time
    client = Client()
    for n in range(8):
        clock[0] += 60
        resp = _login(client, patient.email, WRONG, ip=f"203.0.113.{n}")
        assert resp.status_code == 200, n
    # When the next guess comes at once, from yet another address
    resp = _login(client, patient.email, WRONG, ip="203.0.113.99")
    # Then it must wait (the delay doubles: 1, 2, 4 s after guesses 6, 7, 8), and the password is not even checked
    assert resp.status_code == 429 and resp["Retry-After"] == "4"
    # And the owner, after that short wait, signs in: no lock-out
    clock[0] += 4
    owner = Client()
    assert _login(owner, patient.email, password, ip="192.0.2.7").status_code == 302


def test_the_delay_is_capped_so_the_owner_is_never_locked_out(patient, password, clock, settings):
    client = Client()
    for n in range(40):
        clock[0] += 3600
        _login(client, patient.email, WRONG, ip=f"203.0.113.{n}")
    assert (
        throttle.wait_seconds(type("R", (), {"META": {"REMOTE_ADDR": "192.0.2.7"}})(), patient.email)
        <= settings.LOGIN_ACCOUNT_MAX_DELAY
    )


def test_password_spraying_across_accounts_from_one_address_is_stopped(password, settings, clock):
    # Given one address that tried one wrong password on many accounts
    settings.LOGIN_IP_FAILURES = 10
    users = [UserFactory() for _ in range(11)]
    client = Client()
    for user in users[:10]:
        assert _login(client, user.email, WRONG).status_code == 200
    # When it tries the next account, even with the right password
    resp = _login(client, users[10].email, password)
    # Then it is refused for the window
    assert resp.status_code == 429
    # While another address is not affected
    assert _login(Client(), users[10].email, password, ip="192.0.2.50").status_code == 302


def test_client_address_behind_trusted_proxies(rf, settings):
    # Given one load balancer in front of the app
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23")
    # Then the client is the address the balancer saw, not what the client wrote
    assert client_ip(request) == "198.51.100.23"
    # And without trusted proxies, X-Forwarded-For is ignored
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"


def test_throttles_key_on_the_real_client_behind_a_balancer(password, settings):
    # Given a load balancer: every request comes from its address
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_IP_FAILURES = 3
    users = [UserFactory() for _ in range(4)]
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for user in users[:3]:
        attacker.post("/accounts/login/", {"username": user.email, "password": WRONG})
    # When another client behind the same balancer signs in, it is not throttled by the attacker
    other = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert (
        other.post("/accounts/login/", {"username": users[3].email, "password": password}).status_code == 302
    )
    assert (
        attacker.post("/accounts/login/", {"username": users[3].email, "password": password}).status_code
        == 429
    )


def test_password_reset_is_limited_per_email_and_per_address(patient, settings):
    settings.PASSWORD_RESET_PER_EMAIL = 2
    settings.PASSWORD_RESET_PER_IP = 4
    client = Client()
    # Given several reset requests for one account
    for _ in range(3):
        resp = client.post("/accounts/password-reset/", {"email": patient.email})
        # Then the page looks the same every time (nothing revealed)
        assert resp.status_code == 302
    # But only the first two sent an email
    assert len(mail.outbox) == 2
    # And the address is refused after its limit
    client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert client.post("/accounts/password-reset/", {"email": "nobody@example.org"}).status_code == 429
