"""Encryption at rest for sensitive fields and uploaded files.

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with key rotation through MultiFernet:
``FIELD_ENCRYPTION_KEY`` holds comma-separated keys; the first encrypts, every key decrypts, and
``onconav manage rotate_encryption_keys`` re-encrypts stored values with the first key.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be comma-separated Fernet keys (generate one with: onconav genkey)"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def rotate_token(token: bytes) -> bytes:
    return fernet().rotate(token)


def generate_key() -> str:
    return Fernet.generate_key().decode()


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token. Not searchable or sortable by content."""

    description = "Text encrypted at rest"

    def get_prep_value(self, value):  # type: ignore[no-untyped-def]
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_bytes(str(value).encode("utf-8")).decode("ascii")

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        if value is None or value == "":
            return value
        try:
            return decrypt_bytes(value.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                f"cannot decrypt {self.model.__name__}.{self.name}: the key that encrypted it is "
                "not in FIELD_ENCRYPTION_KEY"
            ) from exc


class EncryptedCharField(EncryptedTextField):
    """Short encrypted text (names, phone numbers); the max_length applies to the plain text."""

    def __init__(self, *args, max_length: int = 255, **kwargs):  # type: ignore[no-untyped-def]
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):  # type: ignore[no-untyped-def]
        from django import forms

        return super().formfield(
            **{"form_class": forms.CharField, "max_length": self.plain_max_length, **kwargs}
        )
