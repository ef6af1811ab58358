"""Email notifications. They never carry health data: they say that something happened and
link to the portal, where the person signs in to read it."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from onconav.accounts.models import User

TEMPLATES = {
    "submitted": "cases/email/submitted",
    "message": "cases/email/message",
    "status": "cases/email/status",
    "quote": "cases/email/quote",
    "staff_message": "cases/email/staff_message",
}


@shared_task
def send_case_email(*, user_id: int, template: str, case_public_id: str, extra: dict | None = None) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or template not in TEMPLATES:
        return False
    base = TEMPLATES[template]
    from onconav.cases.models import Case, CaseState

    case = Case.objects.filter(public_id=case_public_id).first()
    language = user.preferred_language or (case.language if case else "") or "en"
    with translation.override(language):
        extra = dict(extra or {})
        if extra.get("state") in CaseState.values:
            extra["state_label"] = str(CaseState(extra["state"]).label)
        ctx = {
            "user": user,
            "case_ref": case_public_id[:8].upper(),
            "case_public_id": case_public_id,
            "case_url": f"{settings.SITE_URL}/cases/{case_public_id}/",
            "site_url": settings.SITE_URL,
            **extra,
        }
        subject = " ".join(render_to_string(f"{base}_subject.txt", ctx).split())
        body = render_to_string(f"{base}.txt", ctx)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
