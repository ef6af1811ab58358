"""Rebuild the hospital directory's index (``HospitalEntry``) from the KB records and the approved
partner changes. The knowledge-base load does this itself; run it after writing records by hand."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the hospital directory index from the hospital records and approved changes."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from onconav.hospitals.index import hospital_index_refresh

        n = hospital_index_refresh()
        self.stdout.write(f"hospital index: {n} hospitals")
