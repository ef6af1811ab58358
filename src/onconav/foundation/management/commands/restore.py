"""onconav restore ARCHIVE: into an empty, migrated database and empty storage."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Restore an encrypted backup into an empty, migrated database and empty storage."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("archive", type=Path)

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        from onconav.foundation.backup import BackupError, restore

        try:
            manifest = restore(opts["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {opts['archive']}: {len(manifest['files'])} documents")
