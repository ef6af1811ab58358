"""Account writes: creating users, setting up and verifying two-factor devices, API tokens."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from onconav.accounts.models import ApiToken, Role, User
from onconav.audit.services import audit_record


def user_create(*, email: str, password: str, role: str = Role.PATIENT, full_name: str = "", **extra) -> User:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, role=role, full_name=full_name, **extra
        )
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


ENROLMENT_DEVICE_NAME = "authenticator (enrolment started by an administrator)"


def totp_enrolment_start(*, user: User, actor: User | None, request=None) -> TOTPDevice:  # type: ignore[no-untyped-def]
    """An administrator (or ``onconav manage start_2fa_enrolment`` for the first one) lets a staff
    member add an authenticator: an unconfirmed device that the member confirms after signing in.
    Any earlier unconfirmed device is replaced."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE_NAME, confirmed=False)
        audit_record(
            request=request,
            actor=actor,
            action="2fa_enrolment_start",
            object_type="user",
            object_id=str(user.public_id),
        )
    return device


def totp_device_for_setup(*, user: User) -> TOTPDevice | None:
    """The unconfirmed TOTP device an administrator created for this user, or None: a device is
    never created here, so knowing a staff member's password is not enough to enrol one."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def totp_confirm(*, request, device: TOTPDevice, token: str) -> bool:  # type: ignore[no-untyped-def]
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit_record(
        request=request, action="2fa_setup", object_type="user", object_id=str(request.user.public_id)
    )
    return True


def otp_verify(*, request, token: str) -> bool:  # type: ignore[no-untyped-def]
    from django_otp import devices_for_user

    for device in devices_for_user(request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            audit_record(
                request=request,
                action="2fa_verify",
                object_type="user",
                object_id=str(request.user.public_id),
            )
            return True
    audit_record(
        request=request, action="2fa_fail", object_type="user", object_id=str(request.user.public_id)
    )
    return False


def api_token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    return ApiToken.issue(user=user, name=name)


def api_token_revoke(*, token: ApiToken, actor: User | None, request=None) -> ApiToken:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
        token.revoked = True
        audit_record(
            request=request,
            actor=actor,
            action="token_revoke",
            object_type="api_token",
            object_id=str(token.pk),
        )
    return token
