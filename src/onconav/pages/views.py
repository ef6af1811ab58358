from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from onconav.pages.landing import landing_url


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


def _service() -> dict[str, Any]:
    from onconav.cases.services import FIRST_REPLY_BUSINESS_DAYS

    return {
        "operator": settings.SERVICE_OPERATOR,
        "operator_address": settings.SERVICE_OPERATOR_ADDRESS,
        "reviewers": settings.SERVICE_REVIEWERS,
        "fee": settings.SERVICE_REVIEW_FEE,
        "review_days": settings.SERVICE_REVIEW_DAYS,
        "first_reply_days": FIRST_REPLY_BUSINESS_DAYS,
        "controller": settings.DATA_CONTROLLER,
        "controller_address": settings.DATA_CONTROLLER_ADDRESS,
        "privacy_email": settings.PRIVACY_EMAIL or settings.CONTACT_EMAIL,
    }


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html", {"service": _service()})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html", {"service": _service()})


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/terms.html", {"service": _service()})


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Where a person lands after signing in: a patient on their case, staff on their queue."""
    return redirect(landing_url(request.user))


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)
