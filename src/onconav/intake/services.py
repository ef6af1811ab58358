"""Intake writes: drafts (save and resume), step answers, uploads, account claim, submission."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onconav.accounts.models import Role, User
from onconav.audit.services import audit_record
from onconav.cases import services as case_services
from onconav.cases.models import Case
from onconav.intake.consent import consent_text, text_hash
from onconav.intake.forms import STEP_BY_SLUG, STEPS
from onconav.intake.models import Consent, ConsentKind, DraftStatus, IntakeDraft
from onconav.options.prior_text import PriorLineError, parse_prior_lines

SESSION_KEY = "intake_draft"


class AnonymousLimitReached(Exception):
    """An anonymous visitor reached a quota (drafts or upload bytes); the message says which."""


class EmailNotVerified(AnonymousLimitReached):
    """A signed-in account whose email address is not confirmed reached the anonymous limits."""


UNVERIFIED_UPLOAD_MESSAGE = gettext_lazy(
    "Confirm your email address to add more files: we can send you the link again."
)


def _anon_count(key: str, amount: int, *, limit: int, window_seconds: int = 24 * 3600) -> bool:
    """Add ``amount`` to a per-day counter unless that would pass ``limit``; True if added."""
    from django.core.cache import cache

    current = cache.get(key, 0)
    if current + amount > limit:
        return False
    if not cache.add(key, amount, timeout=window_seconds):
        try:
            cache.incr(key, amount)
        except ValueError:
            cache.set(key, amount, timeout=window_seconds)
    return True


def anonymous_draft_allowed(request: Any) -> None:
    """At most ANON_OPEN_DRAFTS_PER_IP new anonymous drafts a day per client address."""
    from django.conf import settings

    from onconav.foundation.ratelimit import client_ip

    if not _anon_count(f"anon-drafts:{client_ip(request)}", 1, limit=settings.ANON_OPEN_DRAFTS_PER_IP):
        raise AnonymousLimitReached(
            _(
                "Too many new requests were started from your network today. Continue the one you "
                "started, or sign in."
            )
        )


def anonymous_upload_allowed(*, request: Any, draft: IntakeDraft, size: int) -> None:
    """Anonymous uploads: at most ANON_UPLOAD_BYTES_PER_DRAFT bytes in one draft and
    ANON_UPLOAD_BYTES_PER_IP bytes a day per client address. Signed-in patients are not limited
    here (their uploads are tied to an account)."""
    from django.conf import settings
    from django.db.models import Sum

    from onconav.foundation.ratelimit import client_ip

    user = request.user
    if user.is_authenticated and user.email_verified:
        return
    held = draft.documents.aggregate(total=Sum("size"))["total"] or 0
    if held + size > settings.ANON_UPLOAD_BYTES_PER_DRAFT:
        if user.is_authenticated:
            raise EmailNotVerified(UNVERIFIED_UPLOAD_MESSAGE)
        raise AnonymousLimitReached(
            _(
                "This request already holds as many files as can be sent before you create an "
                "account. Create your account on the next steps, then add the rest."
            )
        )
    if not _anon_count(f"anon-bytes:{client_ip(request)}", size, limit=settings.ANON_UPLOAD_BYTES_PER_IP):
        if user.is_authenticated:
            raise EmailNotVerified(UNVERIFIED_UPLOAD_MESSAGE)
        raise AnonymousLimitReached(
            _("Too much was uploaded from your network today. Create your account, then add the rest.")
        )


def unverified_submit_allowed(*, draft: IntakeDraft, user: User) -> bool:
    """An account whose email address is not confirmed sends a request with at most
    UNVERIFIED_SUBMIT_FILES files and UNVERIFIED_SUBMIT_BYTES bytes."""
    from django.conf import settings
    from django.db.models import Count, Sum

    if user.email_verified:
        return True
    held = draft.documents.aggregate(total=Sum("size"), n=Count("id"))
    return (held["n"] or 0) <= settings.UNVERIFIED_SUBMIT_FILES and (
        held["total"] or 0
    ) <= settings.UNVERIFIED_SUBMIT_BYTES


def draft_for_request(request: Any, *, create: bool = False) -> IntakeDraft | None:
    """The open draft of this person: the signed-in patient's, else the one in this session.
    A session draft is claimed by the user who signs in or creates an account."""
    user = request.user
    if user.is_authenticated and user.role != Role.PATIENT:
        raise PermissionDenied
    session_id = request.session.get(SESSION_KEY)
    draft = None
    if session_id:
        draft = IntakeDraft.objects.filter(public_id=session_id, status=DraftStatus.DRAFT).first()
        if (
            draft is not None
            and draft.owner_id is not None
            and (not user.is_authenticated or draft.owner_id != user.pk)
        ):
            draft = None
    if user.is_authenticated:
        if draft is not None and draft.owner_id is None:
            draft_claim(draft=draft, user=user)
        if draft is None:
            draft = (
                IntakeDraft.objects.filter(owner=user, status=DraftStatus.DRAFT)
                .order_by("-updated_at")
                .first()
            )
    if draft is None and create:
        if not user.is_authenticated:
            anonymous_draft_allowed(request)
        draft = IntakeDraft.objects.create(
            owner=user if user.is_authenticated else None,
            session_key=request.session.session_key or "",
        )
    if draft is not None:
        request.session[SESSION_KEY] = str(draft.public_id)
        request.intake_draft_id = str(draft.public_id)  # for the audit record
    return draft


def draft_claim(*, draft: IntakeDraft, user: User) -> IntakeDraft:
    if draft.owner_id not in (None, user.pk):
        raise PermissionDenied
    draft.owner = user
    answers = dict(draft.answers or {})
    draft.answers = answers
    draft.save(update_fields=["owner", "answers", "updated_at"])
    return draft


def draft_save_step(*, draft: IntakeDraft, slug: str, answers: dict[str, Any]) -> IntakeDraft:
    if slug not in STEP_BY_SLUG:
        raise ValidationError(_("Unknown step."))
    if draft.status != DraftStatus.DRAFT:
        raise ValidationError(_("This request has already been sent."))
    data = dict(draft.answers or {})
    data[slug] = answers
    draft.answers = data
    if slug not in draft.completed_steps:
        draft.completed_steps = [*draft.completed_steps, slug]
    draft.save(update_fields=["answers", "completed_steps", "updated_at"])
    return draft


def draft_prefill(*, draft: IntakeDraft, profile: dict[str, Any]) -> IntakeDraft:
    """Carry a profile from the options page into the draft: answers where a question matches
    (an answer already given is kept), steps marked done when their answers are complete."""
    from onconav.intake.prefill import PROFILE_KEY, answers_from_profile, complete_steps

    if draft.status != DraftStatus.DRAFT:
        raise ValidationError(_("This request has already been sent."))
    carried = answers_from_profile(profile)
    data = dict(draft.answers or {})
    for slug, values in carried.items():
        if slug not in data:
            data[slug] = values
    data[PROFILE_KEY] = profile
    done = list(draft.completed_steps or [])
    for slug in complete_steps({s: data[s] for s in carried}):
        if slug not in done:
            done.append(slug)
    draft.answers, draft.completed_steps = data, done
    draft.save(update_fields=["answers", "completed_steps", "updated_at"])
    return draft


def previous_answers(*, user: User, slug: str) -> dict[str, Any]:
    """The answers to a step in the user's most recent sent request, if any."""
    last = (
        IntakeDraft.objects.filter(owner=user, status=DraftStatus.SUBMITTED).order_by("-submitted_at").first()
    )
    return dict((last.answers or {}).get(slug) or {}) if last else {}


def missing_steps(draft: IntakeDraft) -> list[str]:
    return [s.slug for s in STEPS if s.required and s.slug not in (draft.completed_steps or [])]


def answers_to_profile(answers: dict[str, Any]) -> dict[str, Any]:
    """The options-engine profile (contract v1) from the intake answers, with what only the
    options page asked (when the request started there) kept."""
    from onconav.intake.prefill import PROFILE_KEY, merge_profile

    return merge_profile(_intake_profile(answers), answers.get(PROFILE_KEY))


def _intake_profile(answers: dict[str, Any]) -> dict[str, Any]:
    diagnosis = answers.get("diagnosis", {})
    cancer: dict[str, Any] = {"oncotree_code": diagnosis.get("cancer_type", "")}
    if diagnosis.get("stage"):
        cancer["stage"] = diagnosis["stage"]
    if diagnosis.get("recurrent_metastatic"):
        cancer["recurrent_metastatic"] = True
    profile: dict[str, Any] = {"cancer": cancer}
    patient = answers.get("patient", {})
    if patient.get("date_of_birth"):
        born = timezone.datetime.fromisoformat(patient["date_of_birth"]).date()
        today = timezone.localdate()
        profile["age"] = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if patient.get("sex"):
        profile["sex"] = patient["sex"]
    ecog = answers.get("ecog", {}).get("ecog")
    if ecog not in (None, ""):
        profile["ecog"] = int(ecog)
    bio = answers.get("biomarkers", {})
    biomarkers: list[dict[str, Any]] = []
    if bio.get("egfr"):
        biomarkers.append({"gene": "EGFR", "alteration": bio["egfr"]})
    for line in (bio.get("other_alterations") or "").splitlines():
        gene, _sep, alteration = line.strip().partition(" ")
        if gene:
            biomarkers.append({"gene": gene.upper(), "alteration": alteration.strip() or "positive"})
    if bio.get("pdl1_tps") is not None:
        biomarkers.append({"name": "PD-L1 TPS", "value": float(bio["pdl1_tps"]), "unit": "%"})
    for key, name in (("msi", "MSI"), ("her2", "HER2 IHC"), ("er", "ER"), ("pr", "PR")):
        if bio.get(key):
            biomarkers.append({"name": name, "value": bio[key]})
    if biomarkers:
        profile["biomarkers"] = biomarkers
    try:
        prior = parse_prior_lines(answers.get("treatment", {}).get("prior_therapies") or "")
    except PriorLineError:  # validated by the form; an older stored answer is read leniently
        prior = []
    if prior:
        profile["prior_therapies"] = prior
    prefs: dict[str, Any] = {}
    if answers.get("cities", {}).get("cities"):
        prefs["cities"] = answers["cities"]["cities"]
    if answers.get("budget", {}).get("budget_usd") is not None:
        prefs["budget_usd"] = answers["budget"]["budget_usd"]
    if prefs:
        profile["preferences"] = prefs
    return profile


def _record_consent(
    *, draft: IntakeDraft, user: User, kind: str, language: str, scope: dict[str, Any]
) -> Consent:
    version, text = consent_text(kind)
    return Consent.objects.create(
        user=user,
        draft=draft,
        kind=kind,
        version=version,
        language=language,
        text_sha256=text_hash(text),
        scope=scope,
        given_at=timezone.now(),
    )


def intake_submit(
    *,
    draft_id: uuid.UUID | str,
    user: User,
    consent_processing: bool,
    consent_transfer: bool,
    language: str = "en",
    request: Any = None,
) -> Case:
    """Turn the draft into a case, once. Idempotent: a second call (double click, retry) with
    the same draft returns the case already made. Transactional: the case, its documents, the
    consents and the timeline are saved together or not at all. The email goes after commit."""
    if not consent_processing:
        raise ValidationError(
            {"consent_processing": _("You must agree to the processing of health data to send the request")}
        )
    try:
        with transaction.atomic():
            draft = IntakeDraft.objects.select_for_update().get(public_id=draft_id)
            if draft.owner_id != user.pk:
                raise PermissionDenied
            existing = Case.objects.filter(draft=draft).first()
            if existing is not None:
                return existing
            if not unverified_submit_allowed(draft=draft, user=user):
                raise ValidationError(
                    _(
                        "Confirm your email address before sending a request with this many records: "
                        "we can send you the link again."
                    ),
                    code="email_unverified",
                )
            missing = missing_steps(draft)
            if missing:
                raise ValidationError(
                    {
                        "__all__": _("Some answers are still needed: %(steps)s")
                        % {"steps": ", ".join(str(STEP_BY_SLUG[s].title) for s in missing)}
                    }
                )
            answers = draft.answers or {}
            cities = answers.get("cities", {}).get("cities", [])
            case = case_services.case_open(
                patient=user,
                draft=draft,
                patient_name=answers["patient"]["full_name"],
                details=answers,
                profile=answers_to_profile(answers),
                cancer_code=answers["diagnosis"]["cancer_type"],
                cities=cities,
                language=language,
            )
            draft.documents.update(case=case)
            _record_consent(draft=draft, user=user, kind=ConsentKind.PROCESSING, language=language, scope={})
            if consent_transfer:
                _record_consent(
                    draft=draft,
                    user=user,
                    kind=ConsentKind.TRANSFER,
                    language=language,
                    scope={"cities": cities},
                )
            draft.status, draft.submitted_at = DraftStatus.SUBMITTED, timezone.now()
            draft.save(update_fields=["status", "submitted_at", "updated_at"])
            audit_record(
                request=request,
                actor=user,
                action="create",
                object_type="case",
                object_id=str(case.public_id),
            )
            case_services._notify(user=user, template="submitted", case=case)
            return case
    except IntegrityError:
        # A concurrent submission of the same draft won the race: return its case.
        case = Case.objects.filter(draft__public_id=draft_id, patient=user).first()
        if case is None:
            raise
        return case
