"""Compile the gettext catalogues (.po -> .mo) with polib: no system gettext needed."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every .po catalogue under LOCALE_PATHS into .mo (pure Python)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        count = 0
        for root in settings.LOCALE_PATHS:
            for po_path in Path(root).glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                count += 1
        if options.get("verbosity", 1) > 1 or count:
            self.stdout.write(f"compiled {count} catalogue(s)")
