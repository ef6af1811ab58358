"""The case state machine as data: which transitions exist and which roles may make each.

Pseudo-roles: ``owner`` is the patient whose case it is; ``partner`` is a hospital partner of a
hospital the case is referred to (object access is checked separately by the access helper, so a
partner can only ever act on a case they can see). Admins may make every transition.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from onconav.accounts.models import Role
from onconav.cases.models import Case, CaseState, QuoteStatus, ReferralStatus

S = CaseState
OWNER = "owner"
COORDINATOR = Role.COORDINATOR.value
CLINICIAN = Role.CLINICIAN.value
PARTNER = Role.PARTNER.value

TERMINAL = frozenset({S.CLOSED, S.WITHDRAWN, S.DECLINED})

# The happy path, in order.
FORWARD: tuple[str, ...] = (
    S.NEW,
    S.RECORDS_REVIEW,
    S.MDT_OPINION,
    S.HOSPITAL_MATCHED,
    S.QUOTE_SENT,
    S.QUOTE_ACCEPTED,
    S.VISA_TRAVEL,
    S.IN_TREATMENT,
    S.FOLLOW_UP,
    S.CLOSED,
)

TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.NEW, S.RECORDS_REVIEW): frozenset({COORDINATOR}),
    (S.RECORDS_REVIEW, S.MDT_OPINION): frozenset({COORDINATOR, CLINICIAN}),
    (S.MDT_OPINION, S.HOSPITAL_MATCHED): frozenset({COORDINATOR}),
    (S.HOSPITAL_MATCHED, S.QUOTE_SENT): frozenset({COORDINATOR}),
    (S.QUOTE_SENT, S.HOSPITAL_MATCHED): frozenset({COORDINATOR}),  # quote to be revised
    (S.QUOTE_SENT, S.QUOTE_ACCEPTED): frozenset({OWNER, COORDINATOR}),
    (S.QUOTE_ACCEPTED, S.VISA_TRAVEL): frozenset({COORDINATOR}),
    (S.VISA_TRAVEL, S.IN_TREATMENT): frozenset({COORDINATOR, PARTNER}),
    (S.IN_TREATMENT, S.FOLLOW_UP): frozenset({COORDINATOR, CLINICIAN, PARTNER}),
    (S.FOLLOW_UP, S.CLOSED): frozenset({COORDINATOR}),
}
for _state in S.values:
    if _state not in TERMINAL:
        TRANSITIONS[(_state, S.WITHDRAWN)] = frozenset({OWNER, COORDINATOR})
        TRANSITIONS[(_state, S.DECLINED)] = frozenset({COORDINATOR, CLINICIAN})


def _quote_was_sent(case: Case) -> bool:
    return case.quotes.filter(status__in=[QuoteStatus.SENT, QuoteStatus.ACCEPTED]).exists()


def _opinion_recorded(case: Case) -> bool:
    return case.opinions.exists()


def _referral_accepted(case: Case) -> bool:
    return case.referrals.filter(status=ReferralStatus.ACCEPTED).exists()


# Preconditions on the case for entering a state, each with the sentence shown when it fails.
GUARDS: dict[str, tuple[tuple[Callable[[Case], bool], Any], ...]] = {
    S.HOSPITAL_MATCHED: (
        (_opinion_recorded, _("A clinician must record the tumour board (MDT) opinion first.")),
        (_referral_accepted, _("A hospital must accept the referral first.")),
    ),
    S.QUOTE_SENT: ((_quote_was_sent, _("Send a quote first.")),),
    S.QUOTE_ACCEPTED: ((_quote_was_sent, _("There is no quote to accept.")),),
}
# States in which a quote may be sent: a hospital has been matched (and not yet accepted).
QUOTE_STATES = frozenset({S.HOSPITAL_MATCHED, S.QUOTE_SENT})
# States after the patient accepted a quote: a visa letter can be made.
VISA_STATES = frozenset({S.QUOTE_ACCEPTED, S.VISA_TRAVEL, S.IN_TREATMENT, S.FOLLOW_UP})


def guard_failures(case: Case, to_state: str) -> list[str]:
    """The reasons the case cannot enter ``to_state`` yet (empty: it can)."""
    return [str(message) for check, message in GUARDS.get(to_state, ()) if not check(case)]


def roles_of(user, case: Case) -> set[str]:  # type: ignore[no-untyped-def]
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = {user.role}
    if user.role == Role.PATIENT:
        roles.discard(Role.PATIENT)
        if case.patient_id == user.pk:
            roles.add(OWNER)
    if user.role == Role.ADMIN or user.is_superuser:
        roles.add("admin")
    return roles


def allowed_targets(*, case: Case, user) -> list[str]:  # type: ignore[no-untyped-def]
    """The states this user may move this case to now (ignoring guards)."""
    roles = roles_of(user, case)
    out = []
    for (src, dst), who in TRANSITIONS.items():
        if src == case.state and ("admin" in roles or roles & who):
            out.append(dst)
    return out


def transition_allowed(*, case: Case, user, to_state: str) -> bool:  # type: ignore[no-untyped-def]
    return to_state in allowed_targets(case=case, user=user)
