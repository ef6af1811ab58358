"""Where a person lands after signing in (and where a download says it is done)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def landing_url(user: Any) -> str:
    """A patient with one request goes to it, with several to the list of their requests, with
    none to the start of the intake; staff go to their queue (partners to the cases referred to
    their hospital, which the queue shows); an administrator too."""
    from onconav.accounts.models import Role
    from onconav.cases.selectors import cases_visible_to

    if not getattr(user, "is_authenticated", False):
        return reverse("pages:home")
    if user.role == Role.PATIENT:
        cases = list(cases_visible_to(user).order_by("-submitted_at")[:2])
        if len(cases) == 1:
            return reverse("cases:detail", kwargs={"case_id": cases[0].public_id})
        if cases:
            return reverse("cases:mine")
        return reverse("intake:start")
    return reverse("cases:queue")


def mark_download(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Tell the page that asked for a slow download that it has arrived (onconav.js waits for
    this cookie to bring its button back)."""
    token = (request.POST.get("download_token") or request.GET.get("download_token") or "")[:20]
    if token.isdigit():
        response.set_cookie("download_done", token, max_age=120, samesite="Lax", httponly=False)
    return response
