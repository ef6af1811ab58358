from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onconav.foundation.ratelimit import ratelimit
from onconav.options.forms import OptionsForm, ProfileUploadForm
from onconav.options.services import ProfileError, options_for_profile


def _lang() -> str:
    return "zh-hans" if (get_language() or "").startswith("zh") else "en"


def _answer_or_errors(profile: dict[str, Any]) -> tuple[Any, list[dict[str, str]]]:
    try:
        return options_for_profile(profile=profile, lang=_lang()), []
    except ProfileError as exc:
        return None, exc.errors


@require_http_methods(["GET", "POST"])
@ratelimit("options", limit=30, window_seconds=60)
def options_page(request: HttpRequest) -> HttpResponse:
    form = OptionsForm(request.POST or None)
    upload = ProfileUploadForm()
    answer, profile_errors, profile = None, [], None
    if request.method == "POST" and form.is_valid():
        profile = form.to_profile()
        answer, profile_errors = _answer_or_errors(profile)
    ctx = {
        "form": form,
        "upload": upload,
        "answer": answer,
        "profile_errors": profile_errors,
        "profile": profile,
    }
    if request.headers.get("HX-Request") and request.method == "POST":
        return render(request, "options/_results.html", ctx)
    return render(request, "options/page.html", ctx)


@require_http_methods(["POST"])
@ratelimit("options", limit=30, window_seconds=60)
def options_upload(request: HttpRequest) -> HttpResponse:
    upload = ProfileUploadForm(request.POST, request.FILES)
    answer, profile_errors, profile, warnings = None, [], None, []
    if upload.is_valid():
        data = upload.cleaned_data["file"]
        if data.get("resourceType") == "Bundle":
            from onconav.fhir.mcode import bundle_to_profile

            profile, warnings = bundle_to_profile(data)
        else:
            profile = data
        answer, profile_errors = _answer_or_errors(profile)
    ctx = {
        "form": OptionsForm(),
        "upload": upload,
        "answer": answer,
        "profile_errors": profile_errors,
        "profile": profile,
        "import_warnings": warnings,
    }
    return render(request, "options/page.html", ctx)


@require_http_methods(["POST"])
@ratelimit("options-pdf", limit=10, window_seconds=60)
def options_report_pdf(request: HttpRequest) -> HttpResponse:
    form = OptionsForm(request.POST)
    if not form.is_valid():
        return render(request, "options/page.html", {"form": form, "upload": ProfileUploadForm()}, status=400)
    answer, errors = _answer_or_errors(form.to_profile())
    if answer is None:
        return HttpResponse(
            _("The profile could not be understood.") + " " + "; ".join(e["message"] for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    from onconav.documents.pdf import options_report_pdf as render_pdf

    pdf = render_pdf(answer)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="onconav-options-report.pdf"'
    return response
