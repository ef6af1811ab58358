import pytest

from onconav.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_a_hash(patient):
    token, raw = ApiToken.issue(user=patient, name="script")
    assert raw.startswith("onv_")
    assert raw not in (token.key_hash, token.prefix)
    assert ApiToken.authenticate(raw) == patient


def test_revoked_token_no_longer_authenticates(patient):
    token, raw = ApiToken.issue(user=patient, name="script")
    token.revoked = True
    token.save(update_fields=["revoked"])
    assert ApiToken.authenticate(raw) is None
