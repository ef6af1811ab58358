"""Role and object-level access rules, in one place (django-rules).

Views and API handlers ask ``user.has_perm("<app>.<action>", obj)``; the object-level
rules for cases and documents are added here by the apps that own those objects.
"""

from __future__ import annotations

import rules

from onconav.accounts.models import Role


@rules.predicate
def is_patient(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user.is_authenticated and user.role == Role.PATIENT)


@rules.predicate
def is_coordinator(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user.is_authenticated and user.role == Role.COORDINATOR)


@rules.predicate
def is_clinician(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user.is_authenticated and user.role == Role.CLINICIAN)


@rules.predicate
def is_partner(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user.is_authenticated and user.role == Role.PARTNER)


@rules.predicate
def is_admin(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser))


is_staff_member = is_coordinator | is_clinician | is_partner | is_admin

rules.add_perm("audit.view_auditevent", is_coordinator | is_admin)
rules.add_perm("accounts.view_staff_console", is_staff_member)
rules.add_perm("accounts.manage_users", is_admin)
