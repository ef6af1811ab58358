"""One error body for every API failure:

{"detail": "human-readable summary", "errors": [{"field": "body.ecog", "message": "..."}]}
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError


def _loc(loc: list | tuple) -> str:
    return ".".join(str(p) for p in loc)


def field_errors(errors: list[dict]) -> list[dict[str, str]]:
    return [{"field": _loc(e.get("loc", [])), "message": str(e.get("msg", "invalid"))} for e in errors]


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError):  # type: ignore[no-untyped-def]
        errs = field_errors(exc.errors)
        return api.create_response(
            request, {"detail": "The request has invalid fields.", "errors": errs}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError):  # type: ignore[no-untyped-def]
        return api.create_response(request, {"detail": "Authentication required.", "errors": []}, status=401)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied):  # type: ignore[no-untyped-def]
        return api.create_response(
            request, {"detail": "You do not have access to this.", "errors": []}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):  # type: ignore[no-untyped-def]
        return api.create_response(request, {"detail": "Not found.", "errors": []}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):  # type: ignore[no-untyped-def]
        return api.create_response(request, {"detail": str(exc), "errors": []}, status=exc.status_code)
