import base64
import time

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from onconav.accounts.demo import DEMO_TOTP_BASE32


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo staff accounts (development only)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        code = totp(base64.b32decode(DEMO_TOTP_BASE32), t0=0, step=30, digits=6, drift=0)
        self.stdout.write(f"{code:06d}  (valid for {30 - int(time.time()) % 30} s)")
