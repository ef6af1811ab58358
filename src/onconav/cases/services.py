"""Case writes. Keyword-only, each in one transaction, owning its side effects: the timeline
(CaseEvent), the audit log and the email notifications (Celery, after commit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onconav.accounts.models import Role, User
from onconav.audit.services import audit_record
from onconav.cases import documents as storage
from onconav.cases.hospitals import hospital_exists
from onconav.cases.models import (
    Appointment,
    Case,
    CaseEvent,
    CaseState,
    Document,
    EventKind,
    FollowUp,
    InternalNote,
    MdtOpinion,
    Message,
    Quote,
    QuoteLine,
    QuoteStatus,
    Referral,
    ReferralStatus,
    TravelPlan,
)
from onconav.cases.tasks import send_case_email
from onconav.cases.workflow import QUOTE_STATES, TERMINAL, guard_failures, transition_allowed

FIRST_REPLY_BUSINESS_DAYS = 2
# Transitions the patient is told about by email.
PATIENT_NOTIFIED_STATES = frozenset(CaseState.values) - {CaseState.NEW}


def add_business_days(start: dt.datetime, days: int) -> dt.datetime:
    """``start`` plus ``days`` working days (Monday to Friday; public holidays not counted)."""
    current = start
    added = 0
    while added < days:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def _notify(*, user: User | None, template: str, case: Case, extra: dict | None = None) -> None:
    if user is None:
        return
    user_id, case_id = user.pk, str(case.public_id)
    # robust: a broker outage after the commit is logged, not turned into an error for a request
    # whose data is already saved (docs/reliability.md)
    transaction.on_commit(
        lambda: send_case_email.delay(
            user_id=user_id, template=template, case_public_id=case_id, extra=extra or {}
        ),
        robust=True,
    )


def _event(
    *,
    case: Case,
    actor: Any,
    kind: str,
    note: str = "",
    visible: bool = True,
    from_state: str = "",
    to_state: str = "",
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        note=note,
        visible_to_patient=visible,
        from_state=from_state,
        to_state=to_state,
    )


def case_open(
    *,
    patient: User,
    patient_name: str,
    details: dict[str, Any],
    profile: dict[str, Any],
    cancer_code: str,
    cities: list[str],
    language: str,
    draft: Any = None,
) -> Case:
    """Create a case (called by intake submission, inside its transaction)."""
    now = timezone.now()
    case = Case(
        patient=patient,
        draft=draft,
        patient_name=patient_name,
        details=details,
        profile=profile,
        cancer_code=cancer_code,
        preferred_cities=cities,
        language=language,
        submitted_at=now,
        first_reply_due_at=add_business_days(now, FIRST_REPLY_BUSINESS_DAYS),
    )
    case.full_clean(exclude=["draft"])
    case.save()
    _event(case=case, actor=patient, kind=EventKind.SUBMITTED, to_state=CaseState.NEW)
    return case


def case_transition(*, case: Case, to_state: str, actor: User, note: str = "", request: Any = None) -> Case:
    """Move the case to ``to_state`` if the table allows this actor to; records a timeline entry
    and an audit event. Raises PermissionDenied (role) or ValidationError (state or guard)."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if to_state not in CaseState.values:
            raise ValidationError({"to_state": _("Unknown status.")})
        if not transition_allowed(case=locked, user=actor, to_state=to_state):
            from onconav.cases.workflow import TRANSITIONS

            if (locked.state, to_state) not in TRANSITIONS:
                raise ValidationError(
                    {
                        "to_state": _("A case cannot move from “%(a)s” to “%(b)s”.")
                        % {"a": CaseState(locked.state).label, "b": CaseState(to_state).label}
                    }
                )
            raise PermissionDenied(_("Your role cannot make this change."))
        failures = guard_failures(locked, to_state)
        if failures:
            raise ValidationError({"to_state": failures})
        from_state = locked.state
        locked.state = to_state
        fields = ["state", "updated_at"]
        if to_state in TERMINAL:
            locked.closed_at = timezone.now()
            fields.append("closed_at")
        locked.save(update_fields=fields)
        if to_state == CaseState.WITHDRAWN:
            # A withdrawn case is no hospital's business any more: the referrals end with it.
            from onconav.privacy.services import referrals_revoke

            referrals_revoke(case=locked, actor=actor, reason=str(_("The case was withdrawn.")))
        _event(
            case=locked,
            actor=actor,
            kind=EventKind.TRANSITION,
            note=note,
            from_state=from_state,
            to_state=to_state,
        )
        audit_record(
            request=request,
            actor=actor,
            action="transition",
            object_type="case",
            object_id=str(locked.public_id),
            detail={"from": from_state, "to": to_state},
        )
        if to_state in PATIENT_NOTIFIED_STATES and actor.pk != locked.patient_id:
            _notify(user=locked.patient, template="status", case=locked, extra={"state": to_state})
    case.refresh_from_db()
    return case


def _require(actor: User, perm: str, case: Case) -> None:
    if not actor.has_perm(perm, case):
        raise PermissionDenied


def case_assign(*, case: Case, assignee: User | None, actor: User, reviewer: Any = "unchanged") -> Case:
    """Assign the coordinator and (unless ``reviewer`` is left "unchanged") the clinician reviewer,
    the only clinician who may then open the case."""
    _require(actor, "cases.manage_case", case)
    if assignee is not None and assignee.role not in (Role.COORDINATOR, Role.ADMIN):
        raise ValidationError({"assignee": _("Cases can be assigned to coordinators only.")})
    change_reviewer = reviewer != "unchanged"
    if change_reviewer and reviewer is not None and reviewer.role != Role.CLINICIAN:
        raise ValidationError({"reviewer": _("Only a clinician reviewer can review a case.")})
    with transaction.atomic():
        case.assignee = assignee
        fields = ["assignee", "updated_at"]
        if change_reviewer and case.reviewer_id != (reviewer.pk if reviewer else None):
            case.reviewer = reviewer
            fields.append("reviewer")
            _event(
                case=case,
                actor=actor,
                kind=EventKind.ASSIGNED,
                visible=False,
                note=_("Clinician reviewer: %(name)s")
                % {"name": reviewer.get_full_name() if reviewer else "-"},
            )
            audit_record(
                request=None,
                actor=actor,
                action="assign_reviewer",
                object_type="case",
                object_id=str(case.public_id),
                detail={"reviewer": str(reviewer.public_id) if reviewer else ""},
            )
        case.save(update_fields=fields)
        _event(
            case=case,
            actor=actor,
            kind=EventKind.ASSIGNED,
            visible=False,
            note=assignee.get_full_name() if assignee else "",
        )
    return case


def message_send(*, case: Case, author: User, body: str) -> Message:
    _require(author, "cases.send_message", case)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > 10_000:
        raise ValidationError({"body": _("The message must be shorter than 10,000 characters.")})
    from_patient = author.pk == case.patient_id
    with transaction.atomic():
        message = Message.objects.create(case=case, author=author, body=body, from_patient=from_patient)
        _event(case=case, actor=author, kind=EventKind.MESSAGE)
        if not from_patient and case.first_replied_at is None:
            case.first_replied_at = timezone.now()
            case.save(update_fields=["first_replied_at", "updated_at"])
        if from_patient:
            _notify(user=case.assignee, template="staff_message", case=case)
        else:
            _notify(user=case.patient, template="message", case=case)
    return message


def note_add(*, case: Case, author: User, body: str) -> InternalNote:
    _require(author, "cases.add_note", case)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a note.")})
    return InternalNote.objects.create(case=case, author=author, body=body)


def document_add(
    *, upload: Any, kind: str, uploaded_by: User | None, case: Case | None = None, draft: Any = None
) -> Document:
    """Validate (sniffed type, size), encrypt and store an upload for a case or an intake draft."""
    if case is not None and uploaded_by is not None:
        _require(uploaded_by, "cases.add_document", case)
    file_type = storage.validate_upload(upload)
    name, sha, size = storage.store_encrypted(upload)
    try:
        with transaction.atomic():
            doc = Document(
                case=case,
                draft=draft,
                uploaded_by=uploaded_by,
                kind=kind,
                file_type=file_type,
                content_type=storage.CONTENT_TYPES[file_type],
                size=size,
                sha256=sha,
                storage_name=name,
                original_name=(getattr(upload, "name", "") or "")[:255],
            )
            doc.full_clean()
            doc.save()
            if case is not None:
                _event(case=case, actor=uploaded_by, kind=EventKind.DOCUMENT, note=doc.get_kind_display())
    except Exception:
        storage.delete_stored(name)  # nothing half-saved
        raise
    return doc


def document_delete(*, document: Document) -> None:
    name = document.storage_name
    document.delete()
    transaction.on_commit(lambda: storage.delete_stored(name))


def opinion_record(
    *, case: Case, author: User, summary: str, recommendation: str = "", regimen: str = ""
) -> MdtOpinion:
    _require(author, "cases.record_opinion", case)
    if not summary.strip():
        raise ValidationError({"summary": _("Write the opinion.")})
    with transaction.atomic():
        opinion = MdtOpinion.objects.create(
            case=case,
            author=author,
            summary=summary.strip(),
            recommendation=recommendation.strip(),
            regimen=regimen.strip(),
        )
        _event(case=case, actor=author, kind=EventKind.OPINION)
    return opinion


def case_has_transfer_consent(case: Case) -> bool:
    from onconav.intake.models import Consent, ConsentKind

    return bool(
        case.draft_id
        and Consent.objects.filter(
            draft_id=case.draft_id, kind=ConsentKind.TRANSFER, withdrawn_at__isnull=True
        ).exists()
    )


def referral_create(*, case: Case, hospital_id: str, actor: User) -> Referral:
    _require(actor, "cases.manage_case", case)
    hospital_id = hospital_id.strip()
    if not hospital_id or not hospital_exists(hospital_id):
        raise ValidationError({"hospital_id": _("Choose a hospital from the directory.")})
    if not case_has_transfer_consent(case):
        raise ValidationError(
            {
                "hospital_id": _(
                    "The patient has not agreed to the transfer of their records to hospitals in China."
                )
            }
        )
    with transaction.atomic():
        referral, created = Referral.objects.get_or_create(case=case, hospital_id=hospital_id)
        if created:
            _event(case=case, actor=actor, kind=EventKind.REFERRAL, note=hospital_id, visible=False)
    return referral


def referral_respond(
    *,
    referral: Referral,
    actor: User,
    accept: bool,
    reason: str = "",
    proposed_start: dt.date | None = None,
    proposed_end: dt.date | None = None,
    department: str = "",
    contact: str = "",
) -> Referral:
    case = referral.case
    if actor.role != Role.PARTNER or actor.partner_hospital_id != referral.hospital_id:
        raise PermissionDenied
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError({"status": _("This referral has already been answered.")})
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    if accept and not (department.strip() and contact.strip()):
        raise ValidationError(
            {
                "department": _("Name the department that will receive the patient."),
                "contact": _("Give a contact (phone or email) for the patient and the embassy."),
            }
        )
    if proposed_start and proposed_end and proposed_end < proposed_start:
        raise ValidationError({"proposed_end": _("The last date must be on or after the first date.")})
    with transaction.atomic():
        referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
        referral.reason = reason.strip()
        referral.proposed_start, referral.proposed_end = proposed_start, proposed_end
        referral.department, referral.contact = department.strip()[:200], contact.strip()[:300]
        referral.responded_by, referral.responded_at = actor, timezone.now()
        referral.save()
        _event(
            case=case,
            actor=actor,
            kind=EventKind.REFERRAL,
            visible=False,
            note=f"{referral.hospital_id}: {referral.status}",
        )
    return referral


def quote_create(
    *,
    case: Case,
    actor: User,
    valid_until: dt.date,
    lines: list[dict[str, Any]],
    hospital_id: str = "",
    currency: str = "CNY",
    notes: str = "",
) -> Quote:
    _require(actor, "cases.manage_case", case)
    if not lines:
        raise ValidationError({"lines": _("Add at least one line.")})
    if valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The validity date must be today or later.")})
    with transaction.atomic():
        quote = Quote(
            case=case,
            created_by=actor,
            valid_until=valid_until,
            hospital_id=hospital_id,
            currency=currency.upper(),
            notes=notes,
        )
        quote.full_clean()
        quote.save()
        for n, line in enumerate(lines):
            low, high = Decimal(str(line["amount_low"])), Decimal(str(line["amount_high"]))
            if low < 0 or high < low:
                raise ValidationError(
                    {
                        "lines": _(
                            "Each line needs a low amount of 0 or more and a high amount at least as large."
                        )
                    }
                )
            QuoteLine.objects.create(
                quote=quote,
                description=str(line["description"])[:300],
                amount_low=low,
                amount_high=high,
                position=n,
            )
    return quote


def quote_lines_from_estimate(
    *, regimen: str | None, city: str, hospital_type: str = "public_tertiary"
) -> list[dict[str, Any]]:
    """Line items (CNY) from the cost estimate, when the costs app provides one; else []. The
    lines are copied into the quote, so the quote never depends on the costs app."""
    try:
        from onconav.costs.services import cost_estimate
    except ImportError:
        return []
    try:
        estimate = cost_estimate(
            regimen=regimen or None, city=city, hospital_type=hospital_type, currency="CNY"
        )
    except Exception:  # noqa: BLE001 - the estimate is a convenience; the coordinator can type lines
        return []
    out = []
    for line in getattr(estimate, "lines", []):
        if getattr(line, "cny_low", None) is None:
            continue
        units = getattr(line, "units", 1) or 1
        label = str(line.label) + (f" × {units:g}" if units != 1 else "")
        if getattr(line, "item", None) is not None:
            label += " (" + _("price of %(year)s") % {"year": line.item.price_date.year} + ")"
        out.append(
            {
                "description": label[:300],
                "amount_low": round(Decimal(str(line.cny_low)), 2),
                "amount_high": round(
                    Decimal(str(line.cny_high if line.cny_high is not None else line.cny_low)), 2
                ),
            }
        )
    return out


def quote_send(*, quote: Quote, actor: User, request: Any = None) -> Quote:
    case = quote.case
    _require(actor, "cases.manage_case", case)
    if quote.status != QuoteStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft quote can be sent.")})
    if case.state not in QUOTE_STATES:
        raise ValidationError(
            {
                "status": _("A quote can be sent only once a hospital is matched (the case is “%(s)s”).")
                % {"s": CaseState(case.state).label}
            }
        )
    with transaction.atomic():
        quote.status, quote.sent_at = QuoteStatus.SENT, timezone.now()
        quote.save(update_fields=["status", "sent_at", "updated_at"])
        _event(case=case, actor=actor, kind=EventKind.QUOTE, note=_("Quote sent"))
        _notify(user=case.patient, template="quote", case=case)
        if case.state == CaseState.HOSPITAL_MATCHED:
            case_transition(case=case, to_state=CaseState.QUOTE_SENT, actor=actor, request=request)
    return quote


def quote_accept(*, quote: Quote, actor: User, request: Any = None) -> Quote:
    case = quote.case
    if actor.pk != case.patient_id:  # only the patient accepts (not even a superuser for them)
        raise PermissionDenied
    if quote.status != QuoteStatus.SENT:
        raise ValidationError({"status": _("This quote cannot be accepted now.")})
    if quote.valid_until < timezone.localdate():
        raise ValidationError({"status": _("This quote has expired. Ask your coordinator for a new one.")})
    with transaction.atomic():
        quote.status, quote.accepted_at = QuoteStatus.ACCEPTED, timezone.now()
        quote.save(update_fields=["status", "accepted_at", "updated_at"])
        _event(case=case, actor=actor, kind=EventKind.QUOTE, note=_("Quote accepted"))
        if case.state == CaseState.QUOTE_SENT:
            case_transition(case=case, to_state=CaseState.QUOTE_ACCEPTED, actor=actor, request=request)
    return quote


TRAVEL_FIELDS = (
    "hospital_id",
    "passport_nationality",
    "passport_number",
    "treatment_start",
    "treatment_end",
    "arrival_at",
    "arrival_details",
    "pickup",
    "interpreter_language",
    "companions",
)


def travel_update(*, case: Case, actor: User, **fields: Any) -> TravelPlan:
    _require(actor, "cases.manage_case", case)
    start, end = fields.get("treatment_start"), fields.get("treatment_end")
    if start and end and end < start:
        raise ValidationError({"treatment_end": _("The end date must be on or after the start date.")})
    with transaction.atomic():
        plan, _created = TravelPlan.objects.get_or_create(case=case)
        for key in TRAVEL_FIELDS:
            if key in fields:
                setattr(
                    plan,
                    key,
                    fields[key]
                    if fields[key] is not None
                    else ("" if key not in ("treatment_start", "treatment_end", "arrival_at") else None),
                )
        plan.full_clean()
        plan.save()
        _event(case=case, actor=actor, kind=EventKind.TRAVEL)
    return plan


def appointment_add(
    *, case: Case, actor: User, at: dt.datetime, description: str, hospital_id: str = ""
) -> Appointment:
    if not (actor.has_perm("cases.manage_case", case) or actor.has_perm("cases.respond_referral", case)):
        raise PermissionDenied
    with transaction.atomic():
        appt = Appointment.objects.create(
            case=case, at=at, description=description.strip()[:300], hospital_id=hospital_id
        )
        _event(case=case, actor=actor, kind=EventKind.APPOINTMENT)
    return appt


def follow_up_answer(*, case: Case, actor: User, answers: dict[str, Any]) -> FollowUp:
    if actor.pk != case.patient_id:
        raise PermissionDenied
    if case.state not in (CaseState.FOLLOW_UP, CaseState.CLOSED):
        raise ValidationError({"state": _("Follow-up questions open after treatment.")})
    with transaction.atomic():
        fu = FollowUp.objects.create(case=case, answers=answers, answered_at=timezone.now())
        _event(case=case, actor=actor, kind=EventKind.FOLLOW_UP)
        _notify(user=case.assignee, template="staff_message", case=case)
    return fu
