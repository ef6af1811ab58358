"""Case pages: the patient portal, the staff queue and the case page, and the actions on it.

Every view that touches a case goes through ``case_get_for_user`` (404 for a case the user may
not see, 403 for an action their role may not take) and is ``@audited``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onconav.accounts.models import Role
from onconav.audit.services import audited
from onconav.cases import selectors, services
from onconav.cases.documents import read_decrypted
from onconav.cases.exports import (
    cancer_display,
    case_fhir_bundle,
    case_options,
    case_visa_letter,
    quote_conversion,
    visa_letter_problems,
)
from onconav.cases.forms import (
    QUOTE_LINES,
    AppointmentForm,
    AssignForm,
    DocumentForm,
    FollowUpForm,
    MessageForm,
    NoteForm,
    OpinionForm,
    QuoteForm,
    ReferralForm,
    ReferralResponseForm,
    TransitionForm,
    TravelPlanForm,
)
from onconav.cases.hospitals import hospital_city, hospital_name, hospital_type
from onconav.cases.models import CaseState, Quote, QuoteStatus, Referral, ReferralStatus
from onconav.cases.workflow import FORWARD, allowed_targets
from onconav.foundation.ratelimit import ratelimit
from onconav.options.forms import CITY_CHOICES
from onconav.pages.uploads import upload_done, upload_failed
from onconav.trials.options import trial_options_for

CITIES = {c for c, _label in CITY_CHOICES}

PERMS = (
    "view_documents",
    "add_document",
    "view_messages",
    "send_message",
    "view_notes",
    "add_note",
    "manage_case",
    "record_opinion",
    "view_options",
    "view_quotes",
    "accept_quote",
    "view_travel",
    "respond_referral",
    "answer_follow_up",
    "export_fhir",
)


def _lang() -> str:
    return "zh-hans" if (get_language() or "").startswith("zh") else "en"


def _detail_url(case: Any, anchor: str = "") -> str:
    return reverse("cases:detail", kwargs={"case_id": case.public_id}) + (f"#{anchor}" if anchor else "")


def _errors_to_form(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


def _follow_up_rows(case: Any) -> list[dict[str, Any]]:
    """Follow-up answers with the questions' labels and the chosen options' words."""
    fields = FollowUpForm().fields
    rows = []
    for fu in case.follow_ups.all():
        items = []
        for key, value in (fu.answers or {}).items():
            field = fields.get(key)
            if field is None or value in ("", None, False):
                continue
            choices = dict(getattr(field, "choices", []) or [])
            shown = _("Yes") if value is True else choices.get(value, value)
            items.append({"label": field.label, "value": shown})
        rows.append({"answered_at": fu.answered_at, "items": items})
    return rows


def _regimen_name(regimen_id: str) -> str:
    from onconav.costs.names import treatment_name

    return treatment_name(regimen_id, _lang() == "zh-hans") if regimen_id else ""


def _answer_rows(case: Any) -> list[dict[str, Any]]:
    from onconav.intake.display import answer_rows

    return answer_rows(case.details or {}, skip=("who",))


def _joined(case: Any, answer: Any) -> dict[str, Any]:
    from onconav.options.services import answer_groups, option_hospitals

    return {"groups": answer_groups(answer), "hospitals": option_hospitals(answer, case.profile or {})}


def _guard_hints(case: Any, targets: list[str]) -> list[dict[str, Any]]:
    """For each next state this user may choose: what is still missing before it can be entered."""
    from onconav.cases.workflow import guard_failures

    return [
        {"state": CaseState(t).label, "missing": missing}
        for t in targets
        if (missing := guard_failures(case, t))
    ]


def _render_case(request: HttpRequest, case: Any, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    can = {p: user.has_perm(f"cases.{p}", case) for p in PERMS}
    is_owner = case.patient_id == user.pk
    targets = allowed_targets(case=case, user=user)
    referrals = list(case.referrals.all())
    for r in referrals:
        r.hospital_label = hospital_name(r.hospital_id)
    if user.role == Role.PARTNER:
        referrals = [r for r in referrals if r.hospital_id == user.partner_hospital_id]
    quotes = list(case.quotes.prefetch_related("lines")) if can["view_quotes"] else []
    if is_owner:
        quotes = [q for q in quotes if q.status != QuoteStatus.DRAFT]
    for q in quotes:
        q.hospital_label = hospital_name(q.hospital_id) if q.hospital_id else ""
    documents = list(case.documents.all()) if can["view_documents"] else []
    travel = getattr(case, "travel", None) if can["view_travel"] else None
    details = case.details or {}
    answer = case_options(case, _lang()) if can["view_options"] else None
    joined = _joined(case, answer) if answer is not None else None
    regimen_choices = [(o.regimen, o.title) for o in answer.options] if answer else []
    opinions = (
        list(case.opinions.select_related("author")) if (can["view_options"] or can["record_opinion"]) else []
    )
    for o in opinions:
        o.regimen_label = _regimen_name(o.regimen)
    ctx = {
        "case": case,
        "can": can,
        "is_owner": is_owner,
        "details": details
        if not (user.role == Role.PARTNER)
        else {"diagnosis": details.get("diagnosis", {})},
        "cancer_label": cancer_display(case.cancer_code, _lang()),
        "timeline": selectors.case_timeline(case=case, for_patient=is_owner),
        "messages_list": case.messages.select_related("author") if can["view_messages"] else [],
        "notes": case.notes.select_related("author") if can["view_notes"] else [],
        "documents": documents,
        "checklist": selectors.records_checklist(documents=documents, cancer_code=case.cancer_code)
        if can["view_documents"]
        else [],
        "opinions": opinions,
        "answer_rows": _answer_rows(case) if (not is_owner and user.role != Role.PARTNER) else [],
        "joined": joined,
        "visa_problems": visa_letter_problems(case) if travel is not None or can["manage_case"] else [],
        "referrals": referrals,
        "quotes": quotes,
        "travel": travel,
        "appointments": case.appointments.all() if can["view_travel"] else [],
        "follow_ups": _follow_up_rows(case) if (can["manage_case"] and not is_owner) else [],
        "forward": [(s, CaseState(s).label) for s in FORWARD],
        "state_index": FORWARD.index(case.state) if case.state in FORWARD else -1,
        "transition_form": forms.get("transition_form")
        or (TransitionForm(targets=targets) if targets else None),
        "assign_form": forms.get("assign_form")
        or (
            AssignForm(
                initial={
                    "assignee": case.assignee.public_id if case.assignee else None,
                    "reviewer": case.reviewer.public_id if case.reviewer else None,
                }
            )
            if can["manage_case"]
            else None
        ),
        "message_form": forms.get("message_form") or MessageForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "opinion_form": forms.get("opinion_form") or OpinionForm(regimens=regimen_choices),
        "referral_form": forms.get("referral_form")
        or (ReferralForm(cities=case.preferred_cities) if can["manage_case"] else None),
        "response_form": forms.get("response_form") or ReferralResponseForm(),
        "appointment_form": forms.get("appointment_form") or AppointmentForm(),
        "transfer_consent": services.case_has_transfer_consent(case),
        "answer": answer,
        # "Trials for this case": recruiting trials without a not_met criterion (onconav.trials).
        "trial_options": trial_options_for(case.profile, _lang())
        if can["view_options"] and case.profile
        else [],
        "guard_hints": _guard_hints(case, targets),
    }
    return render(request, "cases/detail.html", ctx, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.PATIENT:
        return redirect("cases:mine")
    return redirect("cases:queue")


@login_required
@require_GET
@audited("case_list", action="list", id_kwarg="none")
def mine(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.PATIENT:
        return redirect("cases:queue")
    cases = selectors.cases_visible_to(request.user)
    return render(request, "cases/mine.html", {"cases": cases})


QUEUE_PAGE_SIZE = 50


@login_required
@require_GET
@audited("case_list", action="list", id_kwarg="none")
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.view_queue"):
        raise PermissionDenied
    state = request.GET.get("state", "open")
    assignee = request.GET.get("assignee", "")
    overdue = request.GET.get("overdue") == "1"
    # counted and paged in the database: one page of cases is read
    page = Paginator(
        selectors.queue_filtered(user=request.user, state=state, assignee=assignee, overdue=overdue),
        QUEUE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    cases = list(page.object_list)
    for c in cases:
        c.cancer_label = cancer_display(c.cancer_code, _lang())
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/queue.html",
        {
            "cases": cases,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "query": params.urlencode(),
            "state": state,
            "assignee": assignee,
            "overdue": overdue,
            "states": CaseState.choices,
        },
    )


@login_required
@require_GET
@audited("case", id_kwarg="case_id")
def detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    return _render_case(request, case)


@login_required
@require_POST
@audited("case", action="transition", id_kwarg="case_id")
def transition(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    targets = allowed_targets(case=case, user=request.user)
    if not targets:
        raise PermissionDenied
    form = TransitionForm(request.POST, targets=targets)
    if form.is_valid():
        try:
            services.case_transition(
                case=case,
                to_state=form.cleaned_data["to_state"],
                actor=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
            messages.success(
                request,
                _("The case is now: %(state)s.") % {"state": CaseState(form.cleaned_data["to_state"]).label},
            )
            return redirect(_detail_url(case))
        except ValidationError as exc:
            _errors_to_form(form, exc)
    return _render_case(request, case, status=400, transition_form=form)


@login_required
@require_POST
@audited("case", action="assign", id_kwarg="case_id")
def assign(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.manage_case")
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.case_assign(
                case=case,
                assignee=form.cleaned_data["assignee"],
                actor=request.user,
                # A post without the field (an older form) leaves the reviewer as it is.
                reviewer=form.cleaned_data["reviewer"] if "reviewer" in request.POST else "unchanged",
            )
            return redirect(_detail_url(case))
        except ValidationError as exc:
            _errors_to_form(form, exc)
    return _render_case(request, case, status=400, assign_form=form)


@login_required
@require_POST
@ratelimit("case-message", limit=20, window_seconds=300)
@audited("case", action="message", id_kwarg="case_id")
def message_post(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.send_message")
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(case=case, author=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("Message sent."))
            return redirect(_detail_url(case, "messages"))
        except ValidationError as exc:
            _errors_to_form(form, exc)
    return _render_case(request, case, status=400, message_form=form)


@login_required
@require_POST
@audited("case", action="note", id_kwarg="case_id")
def note_post(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.add_note")
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(case=case, author=request.user, body=form.cleaned_data["body"])
        return redirect(_detail_url(case, "notes"))
    return _render_case(request, case, status=400, note_form=form)


def _unverified_upload_allowed(user: Any, case: Any, size: int) -> bool:
    """A patient whose email address is not confirmed keeps the anonymous per-draft quota
    (ANON_UPLOAD_BYTES_PER_DRAFT) for the records of a case (docs/security.md)."""
    from django.conf import settings
    from django.db.models import Sum

    if user.is_staff_role or user.email_verified:
        return True
    held = case.documents.aggregate(total=Sum("size"))["total"] or 0
    return held + size <= settings.ANON_UPLOAD_BYTES_PER_DRAFT


@login_required
@require_POST
@ratelimit("case-upload", limit=30, window_seconds=300)
@audited("case", action="upload", id_kwarg="case_id")
def document_upload(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.add_document")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid() and not _unverified_upload_allowed(request.user, case, form.cleaned_data["file"].size):
        from onconav.intake.services import UNVERIFIED_UPLOAD_MESSAGE

        form.add_error("file", str(UNVERIFIED_UPLOAD_MESSAGE))
    if form.is_valid():
        try:
            services.document_add(
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                uploaded_by=request.user,
                case=case,
            )
            messages.success(request, _("The document was uploaded."))
            return upload_done(request, _detail_url(case, "documents"))
        except ValidationError as exc:
            form.add_error("file", exc.messages)
    if request.headers.get("X-Upload-Progress"):
        return upload_failed(form)
    return _render_case(request, case, status=400, document_form=form)


def _stream_document(request: HttpRequest, doc: Any) -> HttpResponse:
    from onconav.cases.documents import EXTENSIONS

    response = StreamingHttpResponse(read_decrypted(doc.storage_name), content_type=doc.content_type)
    # The file name carries no PHI: the document's UUID and its sniffed type.
    disposition = "inline" if doc.file_type in ("pdf", "jpeg", "png") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{doc.public_id}.{EXTENSIONS[doc.file_type]}"'
    response["Content-Length"] = str(doc.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
@audited("document", id_kwarg="document_id")
def document_download(request: HttpRequest, document_id: str) -> HttpResponse:
    doc = selectors.document_get_for_user(user=request.user, document_id=document_id)
    return _stream_document(request, doc)


@login_required
@require_GET
@audited("case", action="options_report", id_kwarg="case_id")
def options_pdf(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.view_options")
    from onconav.documents.pdf import report_for_profile
    from onconav.pages.landing import mark_download

    report_lang = request.GET.get("lang") if request.GET.get("lang") in ("en", "zh-hans", "both") else _lang()
    try:
        pdf = report_for_profile(profile=case.profile or {}, report_lang=report_lang)
    except Exception:  # noqa: BLE001 - incomplete profile (ProfileError) or KB being edited
        messages.error(
            request,
            _("The options report cannot be made from this case's answers yet: the diagnosis is incomplete."),
        )
        return redirect(_detail_url(case, "opinion"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="options-{case.short_ref}.pdf"'
    return mark_download(request, response)


@login_required
@require_POST
@audited("case", action="opinion", id_kwarg="case_id")
def opinion_post(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.record_opinion")
    answer = case_options(case, _lang())
    form = OpinionForm(
        request.POST, regimens=[(o.regimen, o.title) for o in answer.options] if answer else []
    )
    if form.is_valid():
        services.opinion_record(case=case, author=request.user, **form.cleaned_data)
        messages.success(request, _("The opinion was recorded."))
        return redirect(_detail_url(case, "opinion"))
    return _render_case(request, case, status=400, opinion_form=form)


@login_required
@require_POST
@audited("case", action="refer", id_kwarg="case_id")
def referral_post(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.manage_case")
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            services.referral_create(
                case=case, hospital_id=form.cleaned_data["hospital_id"], actor=request.user
            )
            return redirect(_detail_url(case, "referrals"))
        except ValidationError as exc:
            _errors_to_form(form, exc)
    return _render_case(request, case, status=400, referral_form=form)


@login_required
@require_POST
@audited("case", action="referral_response", id_kwarg="case_id")
def referral_respond(request: HttpRequest, case_id: str, referral_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.respond_referral")
    referral = Referral.objects.filter(
        case=case, public_id=selectors._as_uuid(referral_id), hospital_id=request.user.partner_hospital_id
    ).first()
    if referral is None:
        from django.http import Http404

        raise Http404
    form = ReferralResponseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.referral_respond(
                referral=referral,
                actor=request.user,
                accept=d["decision"] == "accept",
                reason=d["reason"],
                proposed_start=d["proposed_start"],
                proposed_end=d["proposed_end"],
                department=d["department"],
                contact=d["contact"],
            )
            messages.success(request, _("Your answer was sent to the coordinator."))
            if referral.status == ReferralStatus.DECLINED:
                return redirect("cases:queue")
            return redirect(_detail_url(case, "referrals"))
        except ValidationError as exc:
            _errors_to_form(form, exc)
    return _render_case(request, case, status=400, response_form=form)


@login_required
@require_http_methods(["GET", "POST"])
@audited("case", id_kwarg="case_id")
def quote_new(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.manage_case")
    initial: dict[str, Any] = {}
    answer = case_options(case, _lang())
    regimens = [(o.regimen, o.title) for o in (answer.options[:8] if answer else [])]
    opinion = case.opinions.order_by("-created_at").first()
    recommended = opinion.regimen if opinion and opinion.regimen else ""
    if recommended and recommended not in dict(regimens):
        regimens.insert(0, (recommended, _regimen_name(recommended)))
    # The regimen choice is health data: it comes in a POST body, never in the URL.
    prefill = request.method == "POST" and "prefill" in request.POST
    default = recommended or (regimens[0][0] if regimens else "")
    regimen = request.POST.get("regimen", "") if prefill else default
    accepted = case.referrals.filter(status=ReferralStatus.ACCEPTED).first()
    hospital_id = accepted.hospital_id if accepted else ""
    city = hospital_city(hospital_id) if hospital_id else ""
    if not city:
        city = next((c for c in case.preferred_cities if c in CITIES), "Shanghai")
    if request.method == "GET" or prefill:
        lines = services.quote_lines_from_estimate(
            regimen=regimen if regimen in dict(regimens) else None,
            city=city,
            hospital_type=hospital_type(hospital_id) if hospital_id else "public_tertiary",
        )
        for n, line in enumerate(lines[:QUOTE_LINES]):
            initial |= {
                f"line{n}_description": line["description"],
                f"line{n}_low": line["amount_low"],
                f"line{n}_high": line["amount_high"],
            }
        if hospital_id:
            initial["hospital_id"] = hospital_id
        initial["valid_until"] = timezone.localdate() + dt.timedelta(days=30)
    form = QuoteForm(None if prefill else (request.POST or None), initial=initial)
    if request.method == "POST" and not prefill and form.is_valid():
        d = form.cleaned_data
        try:
            quote = services.quote_create(
                case=case,
                actor=request.user,
                valid_until=d["valid_until"],
                lines=d["lines"],
                hospital_id=d["hospital_id"],
                currency=d["currency"],
                notes=d["notes"],
            )
            if request.POST.get("send"):
                services.quote_send(quote=quote, actor=request.user, request=request)
                messages.success(request, _("The quote was sent to the patient."))
            else:
                messages.success(request, _("The quote was saved as a draft."))
            return redirect(_detail_url(case, "quotes"))
        except ValidationError as exc:
            _errors_to_form(form, exc)
    return render(
        request,
        "cases/quote_form.html",
        {
            "case": case,
            "form": form,
            "regimens": regimens,
            "regimen": regimen,
            "city": city,
            "opinion": opinion,
            "recommended_label": _regimen_name(recommended),
        },
        status=400 if request.method == "POST" and not prefill else 200,
    )


def _quote_for(case: Any, quote_id: str) -> Quote:
    quote = case.quotes.filter(public_id=selectors._as_uuid(quote_id)).first()
    if quote is None:
        from django.http import Http404

        raise Http404
    return quote


@login_required
@require_POST
@audited("case", action="quote_send", id_kwarg="case_id")
def quote_send(request: HttpRequest, case_id: str, quote_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.manage_case")
    try:
        services.quote_send(quote=_quote_for(case, quote_id), actor=request.user, request=request)
        messages.success(request, _("The quote was sent to the patient."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_detail_url(case, "quotes"))


@login_required
@require_http_methods(["GET", "POST"])
@audited("case", action="quote_accept", id_kwarg="case_id")
def quote_accept(request: HttpRequest, case_id: str, quote_id: str) -> HttpResponse:
    """The patient reads the quote, its terms and what happens next, then confirms."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.accept_quote")
    if case.patient_id != request.user.pk:
        raise PermissionDenied
    quote = _quote_for(case, quote_id)
    if quote.status == QuoteStatus.DRAFT:
        from django.http import Http404

        raise Http404
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Tick the box to confirm that you accept this quote and its terms.")
        else:
            try:
                services.quote_accept(quote=quote, actor=request.user, request=request)
                messages.success(
                    request, _("Thank you. Your coordinator will now help with the visa and travel.")
                )
                return redirect(_detail_url(case, "quotes"))
            except ValidationError as exc:
                error = " ".join(exc.messages)
    quote.hospital_label = hospital_name(quote.hospital_id) if quote.hospital_id else ""
    return render(
        request,
        "cases/quote_accept.html",
        {"case": case, "quote": quote, "error": error, "conversion": quote_conversion(quote, case)},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@audited("case", id_kwarg="case_id")
def travel_edit(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.manage_case")
    plan = getattr(case, "travel", None)
    initial = {}
    if plan is None:
        patient = (case.details or {}).get("patient", {})
        initial = {
            "passport_nationality": patient.get("nationality", ""),
            "companions": (case.details or {}).get("travel", {}).get("companions", 0),
        }
        accepted = case.referrals.filter(status=ReferralStatus.ACCEPTED).first()
        if accepted:
            initial |= {
                "hospital_id": accepted.hospital_id,
                "treatment_start": accepted.proposed_start,
                "treatment_end": accepted.proposed_end,
            }
    form = TravelPlanForm(request.POST or None, instance=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.travel_update(case=case, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The travel details were saved."))
            return redirect(_detail_url(case, "travel"))
        except ValidationError as exc:
            _errors_to_form(form, exc)
    return render(
        request,
        "cases/travel_form.html",
        {"case": case, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
@audited("case", action="visa_letter", id_kwarg="case_id")
def visa_letter(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.view_travel")
    if request.user.role == Role.PARTNER:
        raise PermissionDenied
    lang = request.GET.get("lang") if request.GET.get("lang") in ("en", "zh-hans") else case.language or "en"
    try:
        pdf = case_visa_letter(case, lang)
    except ValidationError as exc:
        # Said in the page, with every reason, not as a bare error status.
        messages.error(request, _("The visa letter cannot be made yet:") + " " + " ".join(exc.messages))
        return redirect(_detail_url(case, "travel"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="visa-letter-{case.short_ref}-{lang}.pdf"'
    return response


@login_required
@require_POST
@audited("case", action="appointment", id_kwarg="case_id")
def appointment_post(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    if not (
        request.user.has_perm("cases.manage_case", case)
        or request.user.has_perm("cases.respond_referral", case)
    ):
        raise PermissionDenied
    form = AppointmentForm(request.POST)
    if form.is_valid():
        hospital = request.user.partner_hospital_id if request.user.role == Role.PARTNER else ""
        services.appointment_add(case=case, actor=request.user, hospital_id=hospital, **form.cleaned_data)
        return redirect(_detail_url(case, "travel"))
    return _render_case(request, case, status=400, appointment_form=form)


@login_required
@require_http_methods(["GET", "POST"])
@audited("case", id_kwarg="case_id")
def follow_up(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.answer_follow_up")
    if case.patient_id != request.user.pk:
        raise PermissionDenied
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_answer(case=case, actor=request.user, answers=form.cleaned_data)
            messages.success(request, _("Thank you. Your coordinator will read your answers."))
            return redirect(_detail_url(case))
        except ValidationError as exc:
            _errors_to_form(form, exc)
    return render(
        request,
        "cases/follow_up.html",
        {"case": case, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
@audited("case", action="export", id_kwarg="case_id")
def fhir_export(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, perm="cases.export_fhir")
    ips = request.GET.get("format") == "ips"
    bundle = case_fhir_bundle(case, ips=ips)
    response = JsonResponse(
        bundle, json_dumps_params={"ensure_ascii": False, "indent": 2}, content_type="application/fhir+json"
    )
    name = "ips" if ips else "fhir"
    response["Content-Disposition"] = f'attachment; filename="{name}-{case.short_ref}.json"'
    return response
