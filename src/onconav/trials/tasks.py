"""Scheduled refresh (Celery beat, settings.CELERY_BEAT_SCHEDULE): import registry files dropped in
settings.TRIALS_IMPORT_DIR. No network: files are fetched and dropped there by the operator."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(name="onconav.trials.tasks.import_trials_inbox")
def import_trials_inbox() -> dict[str, list[str]]:
    from onconav.trials.services import import_inbox

    res = import_inbox(settings.TRIALS_IMPORT_DIR)
    return {"created": res.created, "updated": res.updated, "errors": res.errors}
