"""Users (email login), roles and API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onconav.foundation.encryption import EncryptedCharField


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient or family member")
    COORDINATOR = "coordinator", _("Care coordinator")
    CLINICIAN = "clinician", _("Clinician reviewer")
    PARTNER = "partner", _("Hospital partner")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset({Role.COORDINATOR, Role.CLINICIAN, Role.PARTNER, Role.ADMIN})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):  # type: ignore[no-untyped-def]
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):  # type: ignore[no-untyped-def]
        extra.setdefault("role", Role.PATIENT)
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):  # type: ignore[no-untyped-def]
        extra.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address. ``role`` decides what they may see."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    # The name as on the passport: encrypted like the case's copy of it (docs/security.md).
    full_name = EncryptedCharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PATIENT)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("en", "English"), ("zh-hans", "简体中文")],
        default="en",
    )
    phone = EncryptedCharField(_("phone number"), max_length=40, blank=True)
    # When the person proved they read mail at ``email`` (sign-up link, verification link or a
    # password reset). Unconfirmed accounts keep the anonymous upload limits (docs/security.md).
    email_verified_at = models.DateTimeField(_("email address confirmed"), null=True, blank=True)
    # For hospital partners: the hospital they represent (the directory id).
    partner_hospital_id = models.CharField(max_length=100, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    # Set at issue (settings.API_TOKEN_TTL_DAYS); an expired token no longer authenticates.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        from django.conf import settings

        raw = "onv_" + secrets.token_urlsafe(32)
        expires_at = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)
        token = cls.objects.create(
            user=user, name=name, key_hash=cls.hash(raw), prefix=raw[:8], expires_at=expires_at
        )
        return token, raw

    @property
    def is_expired(self) -> bool:
        return self.expires_at is None or self.expires_at <= timezone.now()

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=cls.hash(raw), revoked=False, expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        token.last_used_at = timezone.now()
        token.save(update_fields=["last_used_at"])
        return token.user
