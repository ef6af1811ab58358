"""Reads, and the one access helper per guarded object (case, document)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from onconav.accounts.models import Role
from onconav.audit.services import note_access
from onconav.cases.models import Case, CaseState, Document, DocumentKind
from onconav.cases.rules import VISIBLE_REFERRAL_STATUSES


def _consent_withdrawn(kind: str) -> Exists:
    from onconav.intake.models import Consent

    return Exists(
        Consent.objects.filter(draft_id=OuterRef("draft_id"), kind=kind, withdrawn_at__isnull=False)
    )


def _consent_given(kind: str) -> Exists:
    from onconav.intake.models import Consent

    return Exists(Consent.objects.filter(draft_id=OuterRef("draft_id"), kind=kind, withdrawn_at__isnull=True))


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Every case this user may open (the queryset form of the ``cases.view_case`` rule)."""
    qs = Case.objects.select_related("patient", "assignee")
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser or user.role in (Role.ADMIN, Role.COORDINATOR):
        return qs
    if user.role == Role.PATIENT:
        return qs.filter(patient=user)
    if user.role == Role.CLINICIAN:
        # Assigned cases only, and only while the processing consent is in force.
        return qs.filter(reviewer=user).exclude(state=CaseState.NEW).exclude(_consent_withdrawn("processing"))
    if user.role == Role.PARTNER and user.partner_hospital_id:
        # Referred cases only, while both the processing and the transfer consents are in force.
        return (
            qs.filter(
                referrals__hospital_id=user.partner_hospital_id,
                referrals__status__in=VISIBLE_REFERRAL_STATUSES,
            )
            .filter(_consent_given("transfer"))
            .exclude(_consent_withdrawn("processing"))
            .distinct()
        )
    return qs.none()


def _as_uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError) as exc:
        raise Http404 from exc


def case_get_for_user(*, user: Any, case_id: Any, perm: str | None = None) -> Case:
    """The case, if this user may see it; Http404 otherwise (so that its existence is not
    revealed). With ``perm``, PermissionDenied when the user may see the case but not do that."""
    try:
        case = cases_visible_to(user).get(public_id=_as_uuid(case_id))
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    if perm and not user.has_perm(perm, case):
        raise PermissionDenied
    note_access("case", case.public_id)
    return case


def document_get_for_user(*, user: Any, document_id: Any, session_draft_id: str | None = None) -> Document:
    """A document of a case the user may see (and whose records they may see), or of the
    user's own intake draft; Http404 otherwise."""
    doc_uuid = _as_uuid(document_id)
    try:
        doc = Document.objects.select_related("case", "draft").get(public_id=doc_uuid)
    except Document.DoesNotExist as exc:
        raise Http404 from exc
    if doc.case_id is not None:
        case = case_get_for_user(user=user, case_id=doc.case.public_id)
        if not user.has_perm("cases.view_documents", case):
            raise Http404
        note_access("document", doc.public_id)
        return doc
    draft = doc.draft
    if draft is None:
        raise Http404
    if (user.is_authenticated and draft.owner_id == user.pk) or (
        draft.owner_id is None and session_draft_id and str(draft.public_id) == session_draft_id
    ):
        note_access("document", doc.public_id)
        return doc
    raise Http404


def queue_filtered(
    *, user: Any, state: str = "", assignee: str = "", overdue: bool = False
) -> QuerySet[Case]:
    qs = cases_visible_to(user).prefetch_related("referrals")
    if state == "open":
        qs = qs.exclude(state__in=[CaseState.CLOSED, CaseState.WITHDRAWN, CaseState.DECLINED])
    elif state in CaseState.values:
        qs = qs.filter(state=state)
    if assignee == "me":
        qs = qs.filter(assignee=user)
    elif assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    if overdue:
        qs = qs.filter(first_replied_at__isnull=True, first_reply_due_at__lt=timezone.now()).exclude(
            state__in=[CaseState.CLOSED, CaseState.WITHDRAWN, CaseState.DECLINED]
        )
    return qs.order_by("first_reply_due_at", "-created_at")


# What a record review needs, and which uploaded kinds satisfy each item.
CHECKLIST: tuple[tuple[str, tuple[str, ...]], ...] = (
    (DocumentKind.IMAGING_DICOM, (DocumentKind.IMAGING_DICOM,)),
    (DocumentKind.PATHOLOGY, (DocumentKind.PATHOLOGY,)),
    (DocumentKind.NGS, (DocumentKind.NGS,)),
    (DocumentKind.BLOOD_TESTS, (DocumentKind.BLOOD_TESTS,)),
)
HEME_OPTIONAL_IMAGING = frozenset({"PCM", "BLL", "ALL", "AML", "CLL", "CML", "MM"})


def records_checklist(*, documents: Any, cancer_code: str = "") -> list[dict[str, Any]]:
    """For each record a review needs: its label, whether it is there, and whether it is still
    missing. DICOM imaging is not required for blood cancers without solid lesions."""
    kinds = {d.kind for d in documents}
    # A DICOM zip uploaded under another label still counts as imaging.
    if any(d.file_type in ("dicom", "dicom_zip") for d in documents):
        kinds.add(DocumentKind.IMAGING_DICOM)
    out = []
    for kind, satisfied_by in CHECKLIST:
        if kind == DocumentKind.IMAGING_DICOM and cancer_code in HEME_OPTIONAL_IMAGING:
            continue
        present = bool(kinds & set(satisfied_by))
        out.append({"kind": kind, "label": DocumentKind(kind).label, "present": present})
    return out


def case_timeline(*, case: Case, for_patient: bool) -> QuerySet:
    qs = case.events.select_related("actor")
    return qs.filter(visible_to_patient=True) if for_patient else qs
