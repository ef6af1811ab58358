from __future__ import annotations

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from onconav.accounts.models import Role
from tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _audit_rows_may_be_flushed_between_tests():
    """The audit table refuses deletes in the database; flushing the test database between
    transactional tests is the one purge allowed (see audit.services.audit_purge_allowed)."""
    from django.core.management.commands import flush

    from onconav.audit.services import audit_purge_allowed

    original = flush.Command.handle

    def handle(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with audit_purge_allowed():
            return original(self, *args, **kwargs)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request in Chinese leaves its language
    active in the thread, which made later tests order-dependent."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from onconav.hospitals.directory import directory_reset

    cache.clear()
    directory_reset()  # the per-process copy of the hospital directory (rolled back with a test)
    yield
    cache.clear()
    directory_reset()


def current_totp(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):0{device.digits}d}"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def make_user(db):
    def _make(role: str = Role.PATIENT, **kwargs):  # type: ignore[no-untyped-def]
        user = UserFactory(role=role, **kwargs)
        if role != Role.PATIENT:
            TOTPDeviceFactory(user=user)
        return user

    return _make


@pytest.fixture
def patient(make_user):
    return make_user(Role.PATIENT)


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def login_as(client):
    """Log a user in through the real sign-in form (and the 2FA step for staff)."""

    def _login(user, c=None):  # type: ignore[no-untyped-def]
        c = c or client
        resp = c.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
        assert resp.status_code == 302, resp.content[:500]
        if user.is_staff_role:
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            resp = c.post("/accounts/2fa/verify/", {"token": current_totp(device)})
            assert resp.status_code == 302
        return c

    return _login


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the real knowledge base once into the test database."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("kb", "load", verbosity=0)


@pytest.fixture
def kb_loaded(db):  # type: ignore[no-untyped-def]
    """The knowledge base in the database (reloaded after a transactional test flushed it)."""
    from onconav.kb.models import KBRecord
    from onconav.kb.services import kb_load

    if not KBRecord.objects.exists():
        kb_load()
    return True
