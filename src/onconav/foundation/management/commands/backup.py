"""onconav backup ARCHIVE: the database and documents as one encrypted archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Write an encrypted backup (database and documents) to ARCHIVE."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("archive", type=Path)

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        from onconav.foundation.backup import backup

        manifest = backup(opts["archive"])
        self.stdout.write(
            f"backup written to {opts['archive']}: {len(manifest['files'])} documents"
            + (
                f", {len(manifest['missing_files'])} listed but missing in storage"
                if manifest["missing_files"]
                else ""
            )
        )
