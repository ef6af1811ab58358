"""Writing to the audit log, and the decorator that makes views unable to forget it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest

from onconav.audit.models import AuditEvent


def audit_record(
    *,
    request: HttpRequest | None,
    action: str,
    object_type: str,
    object_id: str = "",
    detail: dict[str, Any] | None = None,
    actor: Any = None,
) -> AuditEvent:
    user = actor if actor is not None else getattr(request, "user", None)
    authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
    return AuditEvent.objects.create(
        actor=user if authenticated else None,
        actor_email=user.email if authenticated else "",
        actor_role=getattr(user, "role", "") if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        path=(request.path[:300] if request is not None else ""),
        method=(request.method or "" if request is not None else ""),
        ip=(request.META.get("REMOTE_ADDR") if request is not None else None),
        detail=detail or {},
    )


def audited(object_type: str, *, action: str | None = None, id_kwarg: str = "public_id") -> Callable:
    """Mark a view or API handler as touching patient data and record every call that succeeds
    (status < 400): ``read`` for GET/HEAD, ``change`` otherwise, unless ``action`` is given.
    ``tests/audit/test_every_patient_view_is_audited.py`` fails for a patient-data view without it."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            response = view(request, *args, **kwargs)
            status = getattr(response, "status_code", 200)
            if status < 400:
                act = action or ("read" if request.method in ("GET", "HEAD") else "change")
                audit_record(
                    request=request,
                    action=act,
                    object_type=object_type,
                    object_id=str(kwargs.get(id_kwarg, "")),
                )
            return response

        wrapped.audited_object_type = object_type  # type: ignore[attr-defined]
        return wrapped

    return decorator
