"""The patient's own data page: consents (withdraw), export, erase. Patients only; every page
is about the signed-in user's own data, so there is no object id in the URL to check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onconav.accounts.models import Role
from onconav.audit.services import audited
from onconav.foundation.ratelimit import ratelimit
from onconav.intake.models import ConsentKind
from onconav.privacy import services


def _patient(request: HttpRequest) -> None:
    if request.user.role != Role.PATIENT:
        raise PermissionDenied


@login_required
@require_GET
@audited("user_data", action="read", id_kwarg="none")
def overview(request: HttpRequest) -> HttpResponse:
    _patient(request)
    return render(request, "privacy/overview.html", {"consents": services.consents_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, kind: str) -> HttpResponse:
    _patient(request)
    if kind not in ConsentKind.values:
        from django.http import Http404

        raise Http404
    label = ConsentKind(kind).label
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Tick the box to confirm that you withdraw this consent.")
        else:
            try:
                cases = services.consent_withdraw(user=request.user, kind=kind, request=request)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if kind == ConsentKind.PROCESSING:
                    msg = _(
                        "Your consent to the processing of your health data is withdrawn. %(n)s case(s) "
                        "were withdrawn; clinician reviewers and hospitals can no longer open them."
                    ) % {"n": len(cases)}
                else:
                    msg = _(
                        "Your consent to the transfer to hospitals in China is withdrawn. Every referral "
                        "was revoked; hospitals can no longer open your case."
                    )
                messages.success(request, msg)
                return redirect("privacy:overview")
    return render(
        request,
        "privacy/withdraw_confirm.html",
        {"kind": kind, "label": label, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
@ratelimit("privacy-export", limit=5, window_seconds=3600)
def export(request: HttpRequest) -> HttpResponse:
    _patient(request)
    data = services.data_export(user=request.user, request=request)
    stamp = timezone.now().strftime("%Y%m%d")
    return FileResponse(
        data, as_attachment=True, filename=f"onconav-my-data-{stamp}.zip", content_type="application/zip"
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    _patient(request)
    error = ""
    if request.method == "POST":
        email = (request.POST.get("email") or "").strip().lower()
        if request.POST.get("confirm") != "yes" or email != request.user.email.lower():
            error = _("Type your email address and tick the box to confirm that you want your data erased.")
        else:
            language = request.user.preferred_language
            services.account_erase(user=request.user, request=request)
            logout(request)
            return render(request, "privacy/erased.html", {"language": language})
    return render(request, "privacy/erase_confirm.html", {"error": error}, status=400 if error else 200)
