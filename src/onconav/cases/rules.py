"""Object-level rules for cases and documents (django-rules), discovered at start-up.

The same rules are expressed as a queryset in ``selectors.cases_visible_to`` (for lists and the
access helper); ``tests/cases/test_permission_matrix.py`` checks that both agree.
"""

from __future__ import annotations

import rules

from onconav.accounts.models import Role
from onconav.accounts.rules import is_admin, is_clinician, is_coordinator, is_partner, is_patient

VISIBLE_REFERRAL_STATUSES = ("pending", "accepted")


def consent_in_force(case, kind: str) -> bool:  # type: ignore[no-untyped-def]
    """Processing: not withdrawn (given at every submission). Transfer: given and not withdrawn.
    The queryset form is ``selectors._consent_filters``."""
    from onconav.intake.models import Consent

    if case is None or not case.draft_id:
        return kind == "processing"
    consents = Consent.objects.filter(draft_id=case.draft_id, kind=kind)
    if kind == "processing":
        return not consents.filter(withdrawn_at__isnull=False).exists()
    return consents.filter(withdrawn_at__isnull=True).exists()


@rules.predicate
def is_case_owner(user, case) -> bool:  # type: ignore[no-untyped-def]
    return bool(case is not None and user.is_authenticated and case.patient_id == user.pk)


@rules.predicate
def is_referred_partner(user, case) -> bool:  # type: ignore[no-untyped-def]
    if case is None or not user.is_authenticated or user.role != Role.PARTNER or not user.partner_hospital_id:
        return False
    return (
        case.referrals.filter(
            hospital_id=user.partner_hospital_id, status__in=VISIBLE_REFERRAL_STATUSES
        ).exists()
        and consent_in_force(case, "processing")
        and consent_in_force(case, "transfer")
    )


@rules.predicate
def is_reviewing_clinician(user, case) -> bool:  # type: ignore[no-untyped-def]
    """Clinician reviewers see the cases assigned to them for review, once the record review has
    started, while the patient's processing consent is in force."""
    return bool(
        case is not None
        and user.is_authenticated
        and user.role == Role.CLINICIAN
        and case.state != "new"
        and case.reviewer_id == user.pk
        and consent_in_force(case, "processing")
    )


is_case_staff = is_coordinator | is_admin
can_view_case = (
    (is_patient & is_case_owner) | is_case_staff | is_reviewing_clinician | (is_partner & is_referred_partner)
)

rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.view_queue", is_coordinator | is_admin | is_clinician | is_partner)
rules.add_perm("cases.view_documents", can_view_case)
rules.add_perm("cases.add_document", (is_patient & is_case_owner) | is_case_staff)
rules.add_perm("cases.view_messages", (is_patient & is_case_owner) | is_case_staff)
rules.add_perm("cases.send_message", (is_patient & is_case_owner) | is_case_staff)
rules.add_perm("cases.view_notes", is_case_staff | is_reviewing_clinician)
rules.add_perm("cases.add_note", is_case_staff | is_reviewing_clinician)
rules.add_perm("cases.manage_case", is_case_staff)  # assign, refer, quote, travel, visa letter
rules.add_perm("cases.record_opinion", is_reviewing_clinician | is_admin)
rules.add_perm("cases.view_options", (is_patient & is_case_owner) | is_case_staff | is_reviewing_clinician)
rules.add_perm("cases.view_quotes", (is_patient & is_case_owner) | is_case_staff)
rules.add_perm("cases.accept_quote", is_patient & is_case_owner)
rules.add_perm(
    "cases.view_travel", (is_patient & is_case_owner) | is_case_staff | (is_partner & is_referred_partner)
)
rules.add_perm("cases.respond_referral", is_partner & is_referred_partner)
rules.add_perm("cases.answer_follow_up", is_patient & is_case_owner)
rules.add_perm("cases.export_fhir", (is_patient & is_case_owner) | is_case_staff | is_reviewing_clinician)
