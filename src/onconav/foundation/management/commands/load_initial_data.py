"""Everything `make run` loads after migrating: the knowledge base and, in development, demo data.
Idempotent: running it twice changes nothing the second time."""

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the knowledge base and (when DEMO_DATA is on) the demo accounts and cases."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        commands = get_commands()
        for name, args in (("kb", ["load"]), ("hospitals_load", []), ("content_load", [])):
            if name in commands:
                call_command(name, *args)
        if settings.DEMO_DATA:
            call_command("seed_demo")
            if "seed_demo_cases" in commands:
                call_command("seed_demo_cases")
            if "trials_load_demo" in commands:
                call_command("trials_load_demo")
