"""Cases over the API: the same access helper and audit records as the web pages.

GET /cases, GET /cases/{id}, POST /cases/{id}/transitions, GET/POST /cases/{id}/messages,
GET /cases/{id}/fhir (``?format=ips`` for the International Patient Summary)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from onconav.api.pagination import clamp, page_headers
from onconav.api.schemas import ErrorBody
from onconav.audit.services import audit_record
from onconav.cases import selectors, services
from onconav.cases.exports import case_fhir_bundle
from onconav.cases.models import Case, CaseState
from onconav.cases.workflow import allowed_targets
from onconav.foundation.ratelimit import hit

router = Router(tags=["cases"])


class CaseSummary(Schema):
    id: uuid.UUID
    state: str
    state_label: str
    cancer_code: str
    preferred_cities: list[str]
    submitted_at: dt.datetime
    first_reply_due_at: dt.datetime | None
    overdue: bool


class TimelineEntry(Schema):
    at: dt.datetime
    kind: str
    from_state: str
    to_state: str


class CaseDetail(CaseSummary):
    allowed_transitions: list[str]
    timeline: list[TimelineEntry]


class TransitionIn(Schema):
    to_state: str
    note: str = ""


class MessageIn(Schema):
    body: str


class MessageOut(Schema):
    id: uuid.UUID
    created_at: dt.datetime
    from_patient: bool
    body: str


def _summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.public_id,
        "state": case.state,
        "state_label": str(CaseState(case.state).label),
        "cancer_code": case.cancer_code,
        "preferred_cities": list(case.preferred_cities or []),
        "submitted_at": case.submitted_at,
        "first_reply_due_at": case.first_reply_due_at,
        "overdue": case.is_overdue,
    }


def _detail(case: Case, user: Any) -> dict[str, Any]:
    events = selectors.case_timeline(case=case, for_patient=case.patient_id == user.pk)
    return {
        **_summary(case),
        "allowed_transitions": allowed_targets(case=case, user=user),
        "timeline": [
            {"at": e.at, "kind": e.kind, "from_state": e.from_state, "to_state": e.to_state} for e in events
        ],
    }


def _errors(exc: ValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": f"body.{k}" if k != "__all__" else "body", "message": m}
            for k, msgs in exc.message_dict.items()
            for m in msgs
        ]
    return [{"field": "body", "message": m} for m in exc.messages]


@router.get(
    "/cases",
    response=list[CaseSummary],
    summary="The cases you may see",
    description=(
        "Newest first. Paged: `limit` (default and at most 500) and `offset`; the total is in the "
        "`X-Total-Count` header and the neighbouring pages in `Link` (`rel=next`, `rel=prev`)."
    ),
)
def case_list(request: HttpRequest, response: HttpResponse, limit: int | None = None, offset: int = 0):  # type: ignore[no-untyped-def]
    limit, offset = clamp(limit, offset, default=500, maximum=500)
    qs = selectors.cases_visible_to(request.user).order_by("-created_at", "-id")
    page_headers(request, response, limit=limit, offset=offset, total=qs.count())
    cases = list(qs[offset : offset + limit])
    audit_record(request=request, action="list", object_type="case_list", detail={"count": len(cases)})
    return [_summary(c) for c in cases]


@router.get(
    "/cases/{case_id}", response={200: CaseDetail, 404: ErrorBody}, summary="One case with its timeline"
)
def case_detail(request: HttpRequest, case_id: uuid.UUID):  # type: ignore[no-untyped-def]
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    audit_record(request=request, action="read", object_type="case", object_id=str(case.public_id))
    return Status(200, _detail(case, request.user))


@router.post(
    "/cases/{case_id}/transitions",
    response={200: CaseDetail, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody},
    summary="Move the case to another status (if your role may)",
)
def case_transition(request: HttpRequest, case_id: uuid.UUID, payload: TransitionIn):  # type: ignore[no-untyped-def]
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    try:
        case = services.case_transition(
            case=case, to_state=payload.to_state, actor=request.user, note=payload.note, request=request
        )
    except ValidationError as exc:
        return Status(422, {"detail": "The transition is not possible.", "errors": _errors(exc)})
    except PermissionDenied:
        return Status(403, {"detail": "Your role cannot make this change.", "errors": []})
    return Status(200, _detail(case, request.user))


@router.get(
    "/cases/{case_id}/messages",
    response={200: list[MessageOut], 403: ErrorBody, 404: ErrorBody},
    summary="Messages between the patient and the coordinators",
)
def message_list(request: HttpRequest, case_id: uuid.UUID):  # type: ignore[no-untyped-def]
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.view_messages")
    audit_record(request=request, action="read", object_type="case_messages", object_id=str(case.public_id))
    return Status(
        200,
        [
            {"id": m.public_id, "created_at": m.created_at, "from_patient": m.from_patient, "body": m.body}
            for m in case.messages.all()
        ],
    )


@router.post(
    "/cases/{case_id}/messages",
    response={201: MessageOut, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody, 429: ErrorBody},
    summary="Send a message",
)
def message_create(request: HttpRequest, case_id: uuid.UUID, payload: MessageIn):  # type: ignore[no-untyped-def]
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.send_message")
    if not hit(f"api-case-message:{request.user.pk}", limit=20, window_seconds=300):
        return Status(429, {"detail": "Too many requests.", "errors": []})
    try:
        m = services.message_send(case=case, author=request.user, body=payload.body)
    except ValidationError as exc:
        return Status(422, {"detail": "The message is not valid.", "errors": _errors(exc)})
    audit_record(request=request, action="message", object_type="case", object_id=str(case.public_id))
    return Status(
        201, {"id": m.public_id, "created_at": m.created_at, "from_patient": m.from_patient, "body": m.body}
    )


@router.get(
    "/cases/{case_id}/fhir",
    response={200: dict, 403: ErrorBody, 404: ErrorBody},
    summary="The case as a FHIR R4 Bundle (format=ips: International Patient Summary)",
)
def case_fhir(request: HttpRequest, case_id: uuid.UUID, format: str = "bundle"):  # type: ignore[no-untyped-def]  # noqa: A002
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.export_fhir")
    audit_record(
        request=request,
        action="export",
        object_type="case",
        object_id=str(case.public_id),
        detail={"format": format},
    )
    return Status(200, case_fhir_bundle(case, ips=format == "ips"))
