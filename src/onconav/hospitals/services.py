"""Writes: hospital partners propose changes to their hospital's facts; OncoNav staff review them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from onconav.audit.services import audit_record
from onconav.hospitals.models import EDITABLE_FIELDS, HospitalChangeRequest
from onconav.hospitals.selectors import hospital_get


def change_request_submit(
    *, user, hospital_id: str, changes: dict[str, Any], evidence: str, request=None
) -> HospitalChangeRequest:  # type: ignore[no-untyped-def]
    if not user.has_perm("hospitals.propose_change", hospital_id):
        raise PermissionDenied
    hospital_get(hospital_id)  # 404 for an unknown hospital
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {"changes": f"these fields cannot be changed here: {', '.join(sorted(unknown))}"}
        )
    if not changes:
        raise ValidationError({"changes": "nothing to change"})
    if not evidence.strip():
        raise ValidationError({"evidence": "say where the new facts can be checked"})
    with transaction.atomic():
        cr = HospitalChangeRequest(
            hospital_id=hospital_id, submitted_by=user, changes=changes, evidence=evidence.strip()
        )
        cr.full_clean()
        cr.save()
        audit_record(
            request=request,
            actor=user,
            action="create",
            object_type="hospital_change_request",
            object_id=str(cr.public_id),
        )
    return cr


def change_request_review(
    *, user, change_request: HospitalChangeRequest, approve: bool, note: str = "", request=None
) -> HospitalChangeRequest:  # type: ignore[no-untyped-def]
    if not user.has_perm("hospitals.review_change"):
        raise PermissionDenied
    if change_request.status != HospitalChangeRequest.Status.PENDING:
        raise ValidationError("this change request was already reviewed")
    with transaction.atomic():
        change_request.status = (
            HospitalChangeRequest.Status.APPROVED if approve else HospitalChangeRequest.Status.REJECTED
        )
        change_request.reviewed_by = user
        change_request.reviewed_at = timezone.now()
        change_request.review_note = note
        change_request.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"]
        )
        if approve:
            from onconav.hospitals.index import hospital_index_refresh

            hospital_index_refresh([change_request.hospital_id])
        audit_record(
            request=request,
            actor=user,
            action="approve" if approve else "reject",
            object_type="hospital_change_request",
            object_id=str(change_request.public_id),
        )
    return change_request
