"""Proof that a person reads mail at an address: signed, expiring, one-time links.

Two kinds of link, each signed with ``django.core.signing.TimestampSigner`` under its own salt and
valid for ``EMAIL_LINK_MAX_AGE`` seconds:

- **sign-up**: carries only the address. The account is made when the link is used, so a link
  works once (afterwards the address has an account) and nobody can hold an address they cannot
  read. Asking to sign up with an address that already has an account sends its holder a notice
  instead ("sign in or reset your password"); the page the visitor sees is the same either way.
- **verification** of an existing account: carries the account's id and address; it works while
  the account's address is unconfirmed and unchanged, so once.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from onconav.accounts.models import User
from onconav.foundation.ratelimit import hit

SIGNUP_SALT = "onconav.accounts.signup"
VERIFY_SALT = "onconav.accounts.verify-email"


def _signer(salt: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=salt)


def signup_token(email: str) -> str:
    return _signer(SIGNUP_SALT).sign_object({"e": email.strip().lower()})


def signup_email_from_token(token: str) -> str | None:
    """The address a sign-up link was sent to, or None if the link is altered or expired."""
    try:
        data = _signer(SIGNUP_SALT).unsign_object(token, max_age=settings.EMAIL_LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    email = data.get("e") if isinstance(data, dict) else None
    return email if isinstance(email, str) and email else None


def verify_token(user: User) -> str:
    return _signer(VERIFY_SALT).sign_object({"u": str(user.public_id), "e": user.email})


def user_from_verify_token(token: str) -> User | None:
    """The account a verification link is for, while its address is unconfirmed and unchanged."""
    try:
        data = _signer(VERIFY_SALT).unsign_object(token, max_age=settings.EMAIL_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(public_id=data.get("u"), is_active=True).first()
    if user is None or user.email != data.get("e") or user.email_verified_at is not None:
        return None
    return user


def mark_verified(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        User.objects.filter(pk=user.pk).update(email_verified_at=user.email_verified_at)


def _send(*, template: str, to: str, language: str, ctx: dict[str, Any]) -> None:
    with translation.override(language or "en"):
        subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", ctx).split())
        body = render_to_string(f"accounts/email/{template}.txt", ctx)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def _email_allowance(kind: str, email: str) -> bool:
    key = f"{kind}-email:" + hashlib.sha256(email.encode()).hexdigest()
    return hit(key, limit=settings.SIGNUP_EMAILS_PER_EMAIL, window_seconds=3600)


def signup_email_send(*, request: Any, email: str, language: str) -> None:
    """One email either way: a sign-up link to a new address, or to the holder of an existing
    account a notice that someone tried to sign up with it. At most SIGNUP_EMAILS_PER_EMAIL an
    hour per address (past that nothing is sent, and the page looks the same)."""
    email = email.strip().lower()
    if not _email_allowance("signup", email):
        return
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        _send(
            template="signup_exists",
            to=existing.email,
            language=existing.preferred_language or language,
            ctx={
                "login_url": request.build_absolute_uri(reverse("accounts:login")),
                "reset_url": request.build_absolute_uri(reverse("accounts:password_reset")),
            },
        )
        return
    link = reverse("intake:account_confirm", kwargs={"token": signup_token(email)})
    _send(
        template="signup_confirm",
        to=email,
        language=language,
        ctx={"link": request.build_absolute_uri(link), "days": settings.EMAIL_LINK_MAX_AGE // 86400},
    )


def verify_email_send(*, request: Any, user: User) -> bool:
    """Send the account holder a verification link; False if the hourly limit was reached."""
    if user.email_verified_at is not None or not _email_allowance("verify", user.email):
        return False
    link = reverse("accounts:verify_email", kwargs={"token": verify_token(user)})
    _send(
        template="verify_email",
        to=user.email,
        language=user.preferred_language,
        ctx={"link": request.build_absolute_uri(link), "days": settings.EMAIL_LINK_MAX_AGE // 86400},
    )
    return True
