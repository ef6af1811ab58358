"""Delete abandoned intake drafts and their uploaded files (data minimisation).

Anonymous drafts (never tied to an account) older than ``--anonymous-days`` (default 30) and
unsent drafts of users older than ``--owned-days`` (default 365). Run daily (cron or Celery beat).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from onconav.cases.documents import delete_stored
from onconav.cases.models import Document
from onconav.intake.models import DraftStatus, IntakeDraft


class Command(BaseCommand):
    help = "Delete abandoned intake drafts and their encrypted uploads."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--anonymous-days", type=int, default=30)
        parser.add_argument("--owned-days", type=int, default=365)

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        now = timezone.now()
        stale = IntakeDraft.objects.filter(status=DraftStatus.DRAFT).filter(
            owner__isnull=True, updated_at__lt=now - dt.timedelta(days=opts["anonymous_days"])
        ) | IntakeDraft.objects.filter(
            status=DraftStatus.DRAFT,
            owner__isnull=False,
            updated_at__lt=now - dt.timedelta(days=opts["owned_days"]),
        )
        names = list(
            Document.objects.filter(draft__in=stale, case__isnull=True).values_list("storage_name", flat=True)
        )
        with transaction.atomic():
            count = stale.count()
            stale.delete()
        for name in names:
            delete_stored(name)
        self.stdout.write(f"deleted {count} draft(s) and {len(names)} file(s)")
