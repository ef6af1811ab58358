"""Uploads sent by onconav.js with a progress bar (header ``X-Upload-Progress``) get a small JSON
answer (where to go next, or the errors to show); without JavaScript, the usual redirect."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect


def upload_done(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("X-Upload-Progress"):
        return JsonResponse({"redirect": url})
    return redirect(url)


def upload_failed(form: Any) -> HttpResponse:
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return JsonResponse({"errors": errors}, status=400)
