"""Demo accounts for development (``DEMO_DATA=true``; never in production).

Staff accounts need two-factor authentication; the demo staff share one TOTP key so that a
developer can add it to an authenticator app (or compute codes with ``onconav manage demo_totp``).
"""

from __future__ import annotations

import binascii

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from onconav.accounts.models import Role, User
from onconav.accounts.services import user_create

DEMO_PASSWORD = "onconav-demo-2026"
# Base32 "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" as hex; documented in the README.
DEMO_TOTP_BASE32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_USERS = [
    ("patient@demo.onconav.org", Role.PATIENT, "Demo Patient"),
    ("coordinator@demo.onconav.org", Role.COORDINATOR, "Demo Coordinator"),
    ("clinician@demo.onconav.org", Role.CLINICIAN, "Demo Clinician"),
    ("partner@demo.onconav.org", Role.PARTNER, "Demo Hospital Partner"),
    ("admin@demo.onconav.org", Role.ADMIN, "Demo Administrator"),
]


def demo_totp_hex() -> str:
    import base64

    return binascii.hexlify(base64.b32decode(DEMO_TOTP_BASE32)).decode()


@transaction.atomic
def demo_users_ensure() -> list[User]:
    users = []
    for email, role, name in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            extra = {"is_staff": role == Role.ADMIN, "is_superuser": role == Role.ADMIN}
            if role == Role.PARTNER:
                extra["partner_hospital_id"] = "fudan-cancer-center"
            user = user_create(
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                full_name=name,
                email_verified_at=timezone.now(),
                **extra,
            )
        if user.is_staff_role and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo", key=demo_totp_hex(), confirmed=True)
        users.append(user)
    return users
