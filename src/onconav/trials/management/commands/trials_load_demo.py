"""Load the demo registry records (src/onconav/trials/data/demo_studies.json; every title starts
with [DEMO]; not real trials). Idempotent."""

from pathlib import Path

from django.core.management.base import BaseCommand

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_studies.json"


class Command(BaseCommand):
    help = "Load the clearly labelled demo clinical-trial records."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from onconav.trials.services import import_file

        res = import_file(DEMO_FILE, is_demo=True)
        self.stdout.write(f"demo trials: {len(res.created)} created, {len(res.updated)} updated")
        for err in res.errors:
            self.stderr.write(err)
