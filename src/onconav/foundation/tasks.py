"""Scheduled maintenance (Celery beat, see CELERY_BEAT_SCHEDULE in settings)."""

from __future__ import annotations

from io import StringIO

from celery import shared_task
from django.core.management import call_command


@shared_task
def purge_abandoned_drafts() -> str:
    """The daily purge of abandoned intake drafts and their encrypted files."""
    out = StringIO()
    call_command("intake_purge_drafts", stdout=out)
    return out.getvalue().strip()
