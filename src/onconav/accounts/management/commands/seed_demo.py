from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onconav.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_BASE32, DEMO_USERS, demo_users_ensure


class Command(BaseCommand):
    help = "Create the demo accounts (development only; idempotent)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_DATA:
            raise CommandError("DEMO_DATA is off (production): refusing to create demo accounts")
        demo_users_ensure()
        self.stdout.write(
            f"demo accounts ready (password {DEMO_PASSWORD!r}; staff TOTP key {DEMO_TOTP_BASE32}):"
        )
        for email, role, _ in DEMO_USERS:
            self.stdout.write(f"  {role:12} {email}")
