from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onconav.foundation.ratelimit import ratelimit
from onconav.options.forms import OptionsForm, ProfileUploadForm
from onconav.options.services import ProfileError, options_joined, trial_options
from onconav.pages.landing import mark_download

PROFILE_SALT = "onconav.options.profile"  # the profile carried into the intake (signed, not stored)
REPORT_LANGS = ("en", "zh-hans", "both")


def profile_from_signed(value: str) -> dict[str, Any] | None:
    """The profile the options page signed into its results (valid for a day), or None."""
    if not value:
        return None
    try:
        data = signing.loads(value, salt=PROFILE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def _lang() -> str:
    return "zh-hans" if (get_language() or "").startswith("zh") else "en"


def _joined_or_errors(profile: dict[str, Any]) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
    try:
        return options_joined(profile=profile, lang=_lang()), []
    except ProfileError as exc:
        return None, exc.errors


def _context(form: Any, upload: Any, profile: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    joined, errors = (None, [])
    if profile is not None:
        joined, errors = _joined_or_errors(profile)
    return {
        "form": form,
        "upload": upload,
        "joined": joined,
        "answer": joined["answer"] if joined else None,
        "trial_options": trial_options(profile, _lang(), joined["answer"])
        if joined and profile is not None
        else [],
        "profile_errors": errors,
        "profile": profile,
        "signed_profile": signing.dumps(profile, salt=PROFILE_SALT, compress=True) if joined else "",
        **extra,
    }


@require_http_methods(["GET", "POST"])
@ratelimit("options", limit=30, window_seconds=60)
def options_page(request: HttpRequest) -> HttpResponse:
    form = OptionsForm(request.POST or None)
    profile = form.to_profile() if request.method == "POST" and form.is_valid() else None
    ctx = _context(form, ProfileUploadForm(), profile)
    if request.headers.get("HX-Request") and request.method == "POST":
        return render(request, "options/_results.html", ctx)
    return render(request, "options/page.html", ctx)


@require_http_methods(["POST"])
@ratelimit("options", limit=30, window_seconds=60)
def options_upload(request: HttpRequest) -> HttpResponse:
    upload = ProfileUploadForm(request.POST, request.FILES)
    profile, warnings = None, []
    if upload.is_valid():
        data = upload.cleaned_data["file"]
        if data.get("resourceType") == "Bundle":
            from onconav.fhir.mcode import bundle_to_profile

            profile, warnings = bundle_to_profile(data)
        else:
            profile = data
    ctx = _context(OptionsForm(), upload, profile, import_warnings=warnings)
    return render(request, "options/page.html", ctx)


@require_http_methods(["POST"])
@ratelimit("options-pdf", limit=10, window_seconds=60)
def options_report_pdf(request: HttpRequest) -> HttpResponse:
    form = OptionsForm(request.POST)
    profile = profile_from_signed(request.POST.get("signed_profile", ""))
    if profile is None:
        if not form.is_valid():
            return render(request, "options/page.html", _context(form, ProfileUploadForm(), None), status=400)
        profile = form.to_profile()
    report_lang = (
        request.POST.get("report_lang") if request.POST.get("report_lang") in REPORT_LANGS else _lang()
    )
    from onconav.documents.pdf import report_for_profile

    try:
        pdf = report_for_profile(profile=profile, report_lang=report_lang)
    except ProfileError as exc:
        ctx = _context(form, ProfileUploadForm(), None)
        ctx["profile_errors"] = exc.errors or [
            {"field": "", "message": _("The profile could not be understood.")}
        ]
        return render(request, "options/page.html", ctx, status=400)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="onconav-options-report.pdf"'
    return mark_download(request, response)
