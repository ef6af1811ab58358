"""Accounts for load tests: a coordinator with a known TOTP secret, created in the stack's database."""

from __future__ import annotations

import subprocess
import sys
import time

from prodshape.stack import ROOT, Stack

COORDINATORS = 6  # one TOTP token is accepted once per device: one device per simulated coordinator


def coordinator_email(i: int) -> str:
    return f"coordinator-load-{i}@example.org"


PASSWORD = "a-long-passphrase-42"
TOTP_HEX = "3132333435363738393031323334353637383930"


def create_coordinator(stack: Stack) -> None:
    code = (
        "import django;django.setup();"
        "from onconav.accounts.models import User,Role;from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        f"for i in range({COORDINATORS}):\n"
        f" u=User.objects.create_user(email=f'coordinator-load-{{i}}@example.org',password='{PASSWORD}',role=Role.COORDINATOR)\n"
        f" TOTPDevice.objects.create(user=u,name='load',key='{TOTP_HEX}',confirmed=True)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=stack.env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    if out.returncode != 0:
        raise RuntimeError("could not create the coordinator: " + out.stderr[-2000:])


def totp_now() -> str:
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(TOTP_HEX), step=30, t0=0, digits=6, drift=0):06d}"


def login_coordinator(s, base: str, i: int = 0) -> None:  # type: ignore[no-untyped-def]
    from prodshape.client import post

    s.get(f"{base}/accounts/login/", timeout=30)
    r = post(s, f"{base}/accounts/login/", data={"username": coordinator_email(i), "password": PASSWORD})
    if r.status_code != 302:
        raise RuntimeError(f"coordinator sign-in: HTTP {r.status_code}")
    for _ in range(3):
        r = post(s, f"{base}/accounts/2fa/verify/", data={"token": totp_now()})
        if r.status_code == 302:
            return
        time.sleep(1)
    raise RuntimeError(f"coordinator 2FA: HTTP {r.status_code}")
