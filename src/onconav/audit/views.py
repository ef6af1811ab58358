from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onconav.audit.selectors import audit_events_filtered


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    events = audit_events_filtered(
        actor=request.GET.get("actor", ""),
        object_type=request.GET.get("object_type", ""),
        object_id=request.GET.get("object_id", ""),
        action=request.GET.get("action", ""),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "filters": request.GET})
