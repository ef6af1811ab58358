import pytest
from cryptography.fernet import Fernet
from django.db import connection

from onconav.accounts.models import User

pytestmark = pytest.mark.django_db


def _raw_phone(user_id: int) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM accounts_user WHERE id = %s", [user_id])
        return cur.fetchone()[0]


def test_sensitive_field_is_encrypted_at_rest_and_read_back_in_clear(patient):
    patient.phone = "+44 7700 900123"
    patient.save(update_fields=["phone"])
    raw = _raw_phone(patient.pk)
    assert "7700" not in raw
    assert User.objects.get(pk=patient.pk).phone == "+44 7700 900123"


def test_key_rotation_reencrypts_with_the_new_key(patient, settings):
    from django.core.management import call_command

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    patient.phone = "+86 138 0000 0000"
    patient.save(update_fields=["phone"])
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys")
    # Given only the new key, the value still decrypts: it was re-encrypted.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert User.objects.get(pk=patient.pk).phone == "+86 138 0000 0000"
    assert Fernet(new_key.encode()).decrypt(_raw_phone(patient.pk).encode()) == b"+86 138 0000 0000"
