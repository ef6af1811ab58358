"""Patient rights: withdrawing a consent, exporting one's data, erasing one's account.

Each write runs in one transaction and records an audit event; the confirmation email goes after
commit, in the patient's language. Retention rules are in docs/security.md ("Retention and
deletion")."""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onconav.accounts.models import User
from onconav.audit.models import AuditEvent
from onconav.audit.services import audit_record
from onconav.audit.services import client_ip as audit_client_ip
from onconav.cases.models import Case, CaseEvent, CaseState, EventKind, QuoteStatus, Referral, ReferralStatus
from onconav.cases.workflow import TERMINAL
from onconav.intake.models import Consent, ConsentKind

OPEN_REFERRAL_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


def consents_of(user: User) -> list[dict[str, Any]]:
    """Each kind of consent with whether it is in force (given at least once and never withdrawn)."""
    rows = []
    for kind, label in ConsentKind.choices:
        given = list(Consent.objects.filter(user=user, kind=kind).order_by("given_at"))
        in_force = bool(given) and all(c.withdrawn_at is None for c in given)
        withdrawn = [c.withdrawn_at for c in given if c.withdrawn_at is not None]
        rows.append(
            {
                "kind": kind,
                "label": label,
                "given": bool(given),
                "given_at": given[0].given_at if given else None,
                "in_force": in_force,
                "withdrawn_at": max(withdrawn) if withdrawn else None,
            }
        )
    return rows


def referrals_revoke(*, case: Case, actor: Any, reason: str) -> int:
    """Revoke every open referral of the case: the hospitals lose access at once."""
    open_refs = list(case.referrals.filter(status__in=OPEN_REFERRAL_STATUSES))
    for referral in open_refs:
        Referral.objects.filter(pk=referral.pk).update(
            status=ReferralStatus.REVOKED, responded_at=timezone.now(), updated_at=timezone.now()
        )
        CaseEvent.objects.create(
            case=case,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            kind=EventKind.REFERRAL,
            note=reason,
            visible_to_patient=False,
        )
    return len(open_refs)


def _notify_withdrawn(user: User, kinds: list[str]) -> None:
    from onconav.privacy.tasks import send_privacy_email

    user_id = user.pk
    transaction.on_commit(
        lambda: send_privacy_email.delay(user_id=user_id, template="withdrawn", extra={"kinds": kinds})
    )


def consent_withdraw(*, user: User, kind: str, request: Any = None) -> list[Case]:
    """Withdraw a consent with immediate effect. Transfer: every open referral is revoked, so the
    hospitals lose access. Processing (which also ends the transfer consent, since nothing can be
    sent without it): referrals revoked, every open case moves to ``withdrawn``, and clinician
    reviewers and hospitals lose access (the access helpers check the consents). Returns the
    cases affected."""
    if kind not in ConsentKind.values:
        raise ValidationError(_("Unknown consent."))
    kinds = [ConsentKind.PROCESSING.value, ConsentKind.TRANSFER.value] if kind == "processing" else [kind]
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one withdrawal at a time
        in_force = Consent.objects.filter(user=user, kind__in=kinds, withdrawn_at__isnull=True)
        if not in_force.filter(kind=kind).exists():
            raise ValidationError(_("This consent is not in force, so there is nothing to withdraw."))
        ended = sorted(set(in_force.values_list("kind", flat=True)))
        in_force.update(withdrawn_at=now, updated_at=now)
        cases = list(Case.objects.select_for_update().filter(patient=user))
        reason = str(_("The patient withdrew consent."))
        for case in cases:
            revoked = referrals_revoke(case=case, actor=user, reason=reason)
            moved = False
            if kind == ConsentKind.PROCESSING and case.state not in TERMINAL:
                from_state = case.state
                case.state, case.closed_at = CaseState.WITHDRAWN, now
                case.save(update_fields=["state", "closed_at", "updated_at"])
                CaseEvent.objects.create(
                    case=case,
                    actor=user,
                    kind=EventKind.TRANSITION,
                    from_state=from_state,
                    to_state=CaseState.WITHDRAWN,
                    note=reason,
                )
                moved = True
            audit_record(
                request=request,
                actor=user,
                action="consent_withdraw",
                object_type="case",
                object_id=str(case.public_id),
                detail={"consents": ended, "referrals_revoked": revoked, "withdrawn": moved},
            )
        audit_record(
            request=request,
            actor=user,
            action="consent_withdraw",
            object_type="user",
            object_id=str(user.public_id),
            detail={"consents": ended, "cases": [str(c.public_id) for c in cases]},
        )
        _notify_withdrawn(user, ended)
    return cases


# --- export ------------------------------------------------------------------------------------


def _case_json(case: Case) -> dict[str, Any]:
    return {
        "id": str(case.public_id),
        "reference": case.short_ref,
        "state": case.state,
        "submitted_at": case.submitted_at,
        "closed_at": case.closed_at,
        "language": case.language,
        "patient_name": case.patient_name,
        "answers": case.details or {},
        "profile": case.profile or {},
        "preferred_cities": case.preferred_cities,
        "timeline": [
            {"at": e.at, "kind": e.kind, "from": e.from_state, "to": e.to_state, "note": e.note}
            for e in case.events.filter(visible_to_patient=True)
        ],
        "messages": [
            {"at": m.created_at, "from_patient": m.from_patient, "body": m.body} for m in case.messages.all()
        ],
        "opinions": [
            {
                "at": o.created_at,
                "summary": o.summary,
                "recommendation": o.recommendation,
                "regimen": o.regimen,
            }
            for o in case.opinions.all()
        ],
        "referrals": [{"hospital_id": r.hospital_id, "status": r.status} for r in case.referrals.all()],
        "quotes": [
            {
                "id": str(q.public_id),
                "hospital_id": q.hospital_id,
                "currency": q.currency,
                "status": q.status,
                "valid_until": q.valid_until,
                "notes": q.notes,
                "lines": [
                    {"description": ln.description, "low": ln.amount_low, "high": ln.amount_high}
                    for ln in q.lines.all()
                ],
            }
            for q in case.quotes.exclude(status=QuoteStatus.DRAFT)
        ],
        "appointments": [
            {"at": a.at, "hospital_id": a.hospital_id, "description": a.description}
            for a in case.appointments.all()
        ],
        "follow_ups": [{"answered_at": f.answered_at, "answers": f.answers} for f in case.follow_ups.all()],
        "documents": [
            {
                "id": str(d.public_id),
                "kind": d.kind,
                "file_type": d.file_type,
                "size": d.size,
                "sha256": d.sha256,
                "original_name": d.original_name,
                "uploaded_at": d.created_at,
            }
            for d in case.documents.all()
        ],
    }


def data_export(*, user: User, request: Any = None) -> Any:
    """Everything held about the user, machine-readable: ``onconav-data.json`` (account, consents,
    drafts, cases), one FHIR R4 Bundle per case (``fhir/<ref>.json``) and every uploaded document,
    decrypted (``documents/<ref>/<id>.<ext>``). Internal staff notes are not included (they are
    the staff's working notes; see docs/security.md). Returns an open temporary file positioned
    at the start (records can be hundreds of MB: they are never held in memory)."""
    from onconav.cases.documents import EXTENSIONS, read_decrypted
    from onconav.cases.exports import case_fhir_bundle

    cases = list(Case.objects.filter(patient=user).order_by("created_at"))
    data = {
        "format": "onconav-personal-data-export/1",
        "exported_at": timezone.now(),
        "account": {
            "id": str(user.public_id),
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "consents": [
            {
                "kind": c.kind,
                "version": c.version,
                "language": c.language,
                "text_sha256": c.text_sha256,
                "scope": c.scope,
                "given_at": c.given_at,
                "withdrawn_at": c.withdrawn_at,
            }
            for c in Consent.objects.filter(user=user).order_by("given_at")
        ],
        "drafts": [
            {"id": str(d.public_id), "status": d.status, "answers": d.answers, "created_at": d.created_at}
            for d in user.intake_drafts.all()
        ],
        "cases": [_case_json(c) for c in cases],
    }
    buf = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "onconav-data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for case in cases:
            bundle = case_fhir_bundle(case)
            zf.writestr(f"fhir/{case.short_ref}.json", json.dumps(bundle, ensure_ascii=False, indent=2))
            for doc in case.documents.all():
                with zf.open(
                    f"documents/{case.short_ref}/{doc.public_id}.{EXTENSIONS[doc.file_type]}", "w"
                ) as out:
                    for chunk in read_decrypted(doc.storage_name):
                        out.write(chunk)
        for draft in user.intake_drafts.filter(case__isnull=True):
            for doc in draft.documents.all():
                with zf.open(f"documents/draft/{doc.public_id}.{EXTENSIONS[doc.file_type]}", "w") as out:
                    for chunk in read_decrypted(doc.storage_name):
                        out.write(chunk)
    audit_record(
        request=request,
        actor=user,
        action="export",
        object_type="user",
        object_id=str(user.public_id),
        detail={"cases": [str(c.public_id) for c in cases]},
    )
    buf.seek(0)
    return buf


# --- erasure -----------------------------------------------------------------------------------


def erased_label(user: User) -> str:
    """The pseudonym the audit log keeps for an erased user (not reversible to the email)."""
    return "erased:" + hashlib.sha256(str(user.public_id).encode()).hexdigest()[:16]


def account_erase(*, user: User, request: Any = None, actor: Any = None) -> dict[str, Any]:
    """Erase the account and everything it holds: cases (answers, messages, records and their
    encrypted files, opinions, quotes, travel), drafts, consents and the account itself. Any
    consent still in force is withdrawn first (so referrals are revoked). What is kept, because
    the law requires it (accountability, GDPR art. 5(2) and 7(1); PIPL art. 54 and 56): the audit log,
    with the user's email replaced by a pseudonym, and one ``erase`` event listing the consents
    (kind, version, dates) and how many records were deleted, without any health data."""
    from onconav.cases import documents as storage
    from onconav.cases.models import Document

    actor = actor if actor is not None else user
    with transaction.atomic():
        if Consent.objects.filter(user=user, kind=ConsentKind.PROCESSING, withdrawn_at__isnull=True).exists():
            consent_withdraw(user=user, kind=ConsentKind.PROCESSING, request=request)
        elif Consent.objects.filter(user=user, kind=ConsentKind.TRANSFER, withdrawn_at__isnull=True).exists():
            consent_withdraw(user=user, kind=ConsentKind.TRANSFER, request=request)
        cases = list(Case.objects.filter(patient=user))
        documents = list(Document.objects.filter(case__patient=user)) + list(
            Document.objects.filter(draft__owner=user, case__isnull=True)
        )
        names = [d.storage_name for d in documents]
        consents = [
            {
                "kind": c.kind,
                "version": c.version,
                "language": c.language,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in Consent.objects.filter(user=user).order_by("given_at")
        ]
        pseudonym = erased_label(user)
        summary = {
            "cases": len(cases),
            "documents": len(documents),
            "drafts": user.intake_drafts.count(),
            "consents": consents,
        }
        user_public_id = str(user.public_id)
        email, language = user.email, user.preferred_language
        # The audit log keeps the events; the email goes, the pseudonym stays.
        AuditEvent.objects.filter(actor=user).update(actor=None, actor_email=pseudonym)
        Consent.objects.filter(user=user).delete()
        for case in cases:
            case.delete()
        user.intake_drafts.all().delete()
        user.delete()
        by_self = actor is user
        AuditEvent.objects.create(
            actor=None if by_self else actor,
            actor_email=pseudonym if by_self else actor.email,
            actor_role="patient" if by_self else getattr(actor, "role", ""),
            action="erase",
            object_type="user",
            object_id=user_public_id,
            path=(request.path[:300] if request is not None else ""),
            method=(request.method or "" if request is not None else ""),
            ip=(audit_client_ip(request) if request is not None else None),
            detail={"pseudonym": pseudonym, **summary},
        )
        transaction.on_commit(lambda: [storage.delete_stored(n) for n in names])
        from onconav.privacy.tasks import send_erased_email

        transaction.on_commit(lambda: send_erased_email(email=email, language=language))
    return summary
