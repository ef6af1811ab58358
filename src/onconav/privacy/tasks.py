"""Confirmation emails for patient-rights requests, in the patient's language. They carry no
health data."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from onconav.accounts.models import User

TEMPLATES = {"withdrawn": "privacy/email/withdrawn", "erased": "privacy/email/erased"}


def render_privacy_email(*, template: str, language: str, ctx: dict) -> tuple[str, str]:
    base = TEMPLATES[template]
    with translation.override(language or "en"):
        subject = " ".join(render_to_string(f"{base}_subject.txt", ctx).split())
        body = render_to_string(f"{base}.txt", ctx)
    return subject, body


@shared_task
def send_privacy_email(*, user_id: int, template: str, extra: dict | None = None) -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None or template not in TEMPLATES:
        return False
    ctx = {"site_url": settings.SITE_URL, **(extra or {})}
    subject, body = render_privacy_email(template=template, language=user.preferred_language, ctx=ctx)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def send_erased_email(*, email: str, language: str) -> None:
    """Sent once the account is gone (so it cannot look the user up)."""
    subject, body = render_privacy_email(
        template="erased", language=language, ctx={"site_url": settings.SITE_URL}
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
