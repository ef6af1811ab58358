"""Start two-factor enrolment for a staff account from the server (for the first administrator,
who has nobody to start it for them)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from onconav.accounts.models import User
from onconav.accounts.services import totp_enrolment_start


class Command(BaseCommand):
    help = "Let a staff account add an authenticator at its next sign-in."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("email")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError("No account with that email address.")
        totp_enrolment_start(user=user, actor=None)
        self.stdout.write(f"Enrolment started for {user.email}: sign in and scan the code shown.")
