"""The "Start My Medical Treatment" intake: a task list of question pages, uploads, check your
answers, an account, consent and the idempotent submission."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onconav.accounts.services import user_create
from onconav.audit.services import NOT_RENDERED, audit_record, audited
from onconav.cases import services as case_services
from onconav.cases.models import Document
from onconav.cases.selectors import document_get_for_user, records_checklist
from onconav.foundation.ratelimit import ratelimit
from onconav.intake import services
from onconav.intake.consent import PROCESSING_TEXT, REVIEW_NOTICE, TRANSFER_TEXT
from onconav.intake.forms import STEP_BY_SLUG, STEPS, AccountForm, ConsentForm, UploadForm
from onconav.pages.uploads import upload_done, upload_failed


def audited_draft(action: str | None = None):  # type: ignore[no-untyped-def]
    """Like ``audit.services.audited``, with the draft's UUID (found by ``draft_for_request``)
    as the object id, since intake URLs carry no id."""

    def decorator(view):  # type: ignore[no-untyped-def]
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            draft_id = getattr(request, "intake_draft_id", "")
            if response.status_code not in NOT_RENDERED and draft_id:
                act = action or ("read" if request.method in ("GET", "HEAD") else "change")
                audit_record(request=request, action=act, object_type="intake_draft", object_id=draft_id)
            return response

        wrapped.audited_object_type = "intake_draft"  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _lang() -> str:
    return "zh-hans" if (get_language() or "").startswith("zh") else "en"


def _draft_or_start(request: HttpRequest) -> Any:
    draft = services.draft_for_request(request)
    if draft is None:
        return None
    return draft


def _limit_reached(request: HttpRequest, exc: Exception) -> HttpResponse:
    return render(request, "intake/limit_reached.html", {"message": str(exc)}, status=429)


def _guard_staff(request: HttpRequest) -> None:
    if request.user.is_authenticated and request.user.is_staff_role:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    _guard_staff(request)
    if request.method == "POST":
        try:
            services.draft_for_request(request, create=True)
        except services.AnonymousLimitReached as exc:
            return _limit_reached(request, exc)
        return redirect("intake:tasks")
    draft = services.draft_for_request(request)
    return render(request, "intake/start.html", {"draft": draft, "review_notice": REVIEW_NOTICE})


def _sections(draft: Any) -> list[dict[str, Any]]:
    done = set(draft.completed_steps or [])
    out: list[dict[str, Any]] = []
    for step in STEPS:
        if not out or out[-1]["title"] != step.section:
            out.append({"title": step.section, "steps": []})
        out[-1]["steps"].append({"step": step, "done": step.slug in done})
    return out


@require_POST
@ratelimit("intake-step", limit=120, window_seconds=300)
@audited_draft(action="prefill")
def from_options(request: HttpRequest) -> HttpResponse:
    """ "Start my treatment with this case": the options page's profile becomes the draft's answers."""
    from onconav.options.views import profile_from_signed

    if request.user.is_authenticated and request.user.is_staff_role:
        messages.error(request, _("Staff accounts cannot send a request for treatment."))
        return redirect("options:page")
    profile = profile_from_signed(request.POST.get("signed_profile", ""))
    if profile is None:
        messages.error(
            request, _("The options could not be carried over (they are older than a day). Show them again.")
        )
        return redirect("options:page")
    try:
        draft = services.draft_for_request(request, create=True)
    except services.AnonymousLimitReached as exc:
        return _limit_reached(request, exc)
    services.draft_prefill(draft=draft, profile=profile)
    messages.success(
        request,
        _(
            "What you entered on the options page is filled in. Check each section, and answer the ones still open."
        ),
    )
    return redirect("intake:tasks")


@require_GET
@audited_draft()
def tasks(request: HttpRequest) -> HttpResponse:
    _guard_staff(request)
    draft = _draft_or_start(request)
    if draft is None:
        return redirect("intake:start")
    docs = list(draft.documents.all())
    missing = services.missing_steps(draft)
    return render(
        request,
        "intake/tasks.html",
        {
            "draft": draft,
            "sections": _sections(draft),
            "documents": docs,
            "missing": missing,
            "done_count": len(set(draft.completed_steps or [])),
            "total": len(STEPS),
            "can_check": not missing,
        },
    )


@require_http_methods(["GET", "POST"])
@ratelimit("intake-step", limit=120, window_seconds=300)
@audited_draft()
def step(request: HttpRequest, slug: str) -> HttpResponse:
    _guard_staff(request)
    spec = STEP_BY_SLUG.get(slug)
    if spec is None:
        raise Http404
    draft = _draft_or_start(request)
    if draft is None:
        return redirect("intake:start")
    saved = (draft.answers or {}).get(slug)
    initial = dict(saved or {})
    if not saved and request.user.is_authenticated:
        # Never ask twice: what the person told us in an earlier request, and their sign-in email.
        if slug in ("who", "patient", "contact"):
            initial = services.previous_answers(user=request.user, slug=slug)
        if slug == "contact" and not initial.get("email"):
            initial["email"] = request.user.email
    form = spec.form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.draft_save_step(draft=draft, slug=slug, answers=form.to_answers())
        if request.GET.get("return") == "check":
            return redirect("intake:check")
        index = [s.slug for s in STEPS].index(slug)
        if index + 1 < len(STEPS):
            return redirect("intake:step", slug=STEPS[index + 1].slug)
        return redirect("intake:documents")
    index = [s.slug for s in STEPS].index(slug)
    return render(
        request,
        "intake/step.html",
        {
            "form": form,
            "step": spec,
            "number": index + 1,
            "total": len(STEPS),
            "back": reverse("intake:step", kwargs={"slug": STEPS[index - 1].slug})
            if index
            else reverse("intake:tasks"),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@ratelimit("intake-upload", limit=30, window_seconds=300)
@audited_draft(action="upload")
def documents(request: HttpRequest) -> HttpResponse:
    _guard_staff(request)
    draft = _draft_or_start(request)
    if draft is None:
        return redirect("intake:start")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymous_upload_allowed(
                request=request, draft=draft, size=form.cleaned_data["file"].size
            )
            case_services.document_add(
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                uploaded_by=request.user if request.user.is_authenticated else None,
                draft=draft,
            )
            messages.success(request, _("The file was uploaded and stored encrypted."))
            return upload_done(request, reverse("intake:documents"))
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        except services.AnonymousLimitReached as exc:
            form.add_error("file", str(exc))
    if request.method == "POST" and request.headers.get("X-Upload-Progress"):
        return upload_failed(form)
    docs = list(draft.documents.all())
    cancer = (draft.answers or {}).get("diagnosis", {}).get("cancer_type", "")
    return render(
        request,
        "intake/documents.html",
        {
            "form": form,
            "documents": docs,
            "checklist": records_checklist(documents=docs, cancer_code=cancer),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@audited("intake_draft", action="delete_upload", id_kwarg="document_id")
def document_delete(request: HttpRequest, document_id: str) -> HttpResponse:
    _guard_staff(request)
    draft = _draft_or_start(request)
    if draft is None:
        raise Http404
    doc = Document.objects.filter(public_id=document_id, draft=draft, case__isnull=True).first()
    if doc is None:
        raise Http404
    case_services.document_delete(document=doc)
    return redirect("intake:documents")


@require_GET
@audited("document", id_kwarg="document_id")
def document_view(request: HttpRequest, document_id: str) -> HttpResponse:
    from onconav.cases.views import _stream_document

    doc = document_get_for_user(
        user=request.user, document_id=document_id, session_draft_id=request.session.get(services.SESSION_KEY)
    )
    if doc.case_id is not None:
        return redirect("cases:document", document_id=doc.public_id)
    return _stream_document(request, doc)


@require_GET
@audited_draft()
def check(request: HttpRequest) -> HttpResponse:
    _guard_staff(request)
    draft = _draft_or_start(request)
    if draft is None:
        return redirect("intake:start")
    from onconav.intake.display import answer_rows

    rows = answer_rows(draft.answers or {})
    return render(
        request,
        "intake/check.html",
        {
            "rows": rows,
            "documents": list(draft.documents.all()),
            "missing": services.missing_steps(draft),
        },
    )


SIGNUP_SESSION_KEY = "intake_signup"


@require_http_methods(["GET", "POST"])
@ratelimit("intake-account", limit=10, window_seconds=600)
@audited_draft()
def account(request: HttpRequest) -> HttpResponse:
    """Sign-up. The answer is the same whether or not the address has an account (no
    enumeration): "check your email". A new address gets a one-time link that makes the account;
    the holder of an existing account gets a notice to sign in or reset the password."""
    _guard_staff(request)
    if request.user.is_authenticated:
        return redirect("intake:submit")
    draft = _draft_or_start(request)
    if draft is None:
        return redirect("intake:start")
    email = (draft.answers or {}).get("contact", {}).get("email", "")
    form = AccountForm(request.POST or None, initial={"email": email})
    if request.method == "POST" and form.is_valid():
        from django.contrib.auth.hashers import make_password

        from onconav.accounts.verification import signup_email_send

        email = form.cleaned_data["email"]
        # Hashed in both cases, so that the time taken does not tell either.
        request.session[SIGNUP_SESSION_KEY] = {
            "email": email,
            "password": make_password(form.cleaned_data["password"]),
        }
        signup_email_send(request=request, email=email, language=_lang())
        return redirect("intake:account_sent")
    next_url = reverse("intake:submit")
    return render(
        request,
        "intake/account.html",
        {"form": form, "next": next_url},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@ratelimit("intake-account", limit=10, window_seconds=600)
@audited_draft()
def account_sent(request: HttpRequest) -> HttpResponse:
    """ "Check your email", with a button to send the email again (same limits)."""
    _guard_staff(request)
    pending = request.session.get(SIGNUP_SESSION_KEY)
    if request.user.is_authenticated:
        return redirect("intake:submit")
    if not pending:
        return redirect("intake:account")
    services.draft_for_request(request)  # for the audit record
    if request.method == "POST":
        from onconav.accounts.verification import signup_email_send

        signup_email_send(request=request, email=pending["email"], language=_lang())
        messages.success(request, _("We sent the email again."))
        return redirect("intake:account_sent")
    return render(request, "intake/account_sent.html", {"email": pending["email"]})


@require_http_methods(["GET", "POST"])
@ratelimit("intake-account", limit=10, window_seconds=600)
@audited_draft(action="claim")
def account_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The sign-up link. GET shows a button (mail scanners that open links change nothing); POST
    makes the account, confirmed. In the browser that asked, with the password chosen there; in
    another browser, the person who opened the mail chooses the password."""
    from django.contrib.auth.hashers import make_password
    from django.db import IntegrityError
    from django.utils import timezone

    from onconav.accounts.models import User
    from onconav.accounts.verification import signup_email_from_token
    from onconav.intake.forms import ChoosePasswordForm

    _guard_staff(request)
    email = signup_email_from_token(token)
    if email is None:
        return render(request, "intake/account_link_invalid.html", status=400)
    if User.objects.filter(email__iexact=email).exists():
        if request.user.is_authenticated and request.user.email == email:
            return redirect("intake:submit")
        messages.info(request, _("This link was already used: the account exists. Sign in to continue."))
        return redirect("accounts:login")
    if request.user.is_authenticated:
        from django.contrib.auth import logout

        logout(request)
    pending = request.session.get(SIGNUP_SESSION_KEY) or {}
    same_browser = pending.get("email") == email
    form = None if same_browser else ChoosePasswordForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        password_hash = pending["password"] if form is None else make_password(form.cleaned_data["password"])
        try:
            user = user_create(email=email, password=None, preferred_language=_lang())
        except (IntegrityError, ValidationError):
            messages.info(request, _("This link was already used: the account exists. Sign in to continue."))
            return redirect("accounts:login")
        user.password = password_hash
        user.email_verified_at = timezone.now()
        user.save(update_fields=["password", "email_verified_at"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.pop(SIGNUP_SESSION_KEY, None)
        draft = services.draft_for_request(request)  # the draft of this browser, now theirs
        if draft is None:
            messages.success(
                request,
                _(
                    "Your email address is confirmed and your account is ready. To send the request "
                    "you started in another browser, sign in there."
                ),
            )
            return redirect("intake:start")
        full_name = (draft.answers or {}).get("patient", {}).get("full_name", "")
        if full_name and not user.full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        messages.success(
            request,
            _("Your email address is confirmed and your account is ready. Your answers are saved to it."),
        )
        return redirect("intake:submit")
    return render(
        request,
        "intake/account_confirm.html",
        {"email": email, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@ratelimit("intake-submit", limit=10, window_seconds=600)
@audited_draft(action="submit")
def submit(request: HttpRequest) -> HttpResponse:
    _guard_staff(request)
    if not request.user.is_authenticated:
        return redirect("intake:account")
    draft = services.draft_for_request(request)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            try:
                case = services.intake_submit(
                    draft_id=form.cleaned_data["idempotency_key"],
                    user=request.user,
                    consent_processing=form.cleaned_data["consent_processing"],
                    consent_transfer=form.cleaned_data["consent_transfer"],
                    language=_lang(),
                    request=request,
                )
            except services.IntakeDraft.DoesNotExist as exc:
                raise Http404 from exc
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                request.session.pop(services.SESSION_KEY, None)
                messages.success(
                    request,
                    _(
                        "Your request was sent. We emailed you a confirmation. A coordinator will reply within 2 working days."
                    ),
                )
                return redirect("cases:detail", case_id=case.public_id)
        if draft is None:
            return redirect("cases:mine")
    else:
        if draft is None:
            return redirect("intake:start")
        form = ConsentForm(initial={"idempotency_key": draft.public_id})
    missing = services.missing_steps(draft) if draft else []
    needs_verification = draft is not None and not services.unverified_submit_allowed(
        draft=draft, user=request.user
    )
    return render(
        request,
        "intake/submit.html",
        {
            "form": form,
            "missing": missing,
            "needs_verification": needs_verification,
            "processing_text": PROCESSING_TEXT,
            "transfer_text": TRANSFER_TEXT,
            "review_notice": REVIEW_NOTICE,
            "cities": (draft.answers or {}).get("cities", {}).get("cities", []) if draft else [],
        },
        status=400 if request.method == "POST" else 200,
    )
