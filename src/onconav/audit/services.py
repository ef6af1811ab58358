"""Writing to the audit log, and the decorator that makes views unable to forget it."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.http import HttpRequest

from onconav.audit.models import AuditEvent

# Statuses whose responses show no patient data (sign-in needed, refused, not found, wrong method).
# Every other response of a view that opened a patient object is audited, whatever its status:
# a form sent back with errors (400) shows the case as well.
NOT_RENDERED = frozenset({401, 403, 404, 405})

# Per request: the patient objects the access helpers handed out, and those already recorded.
# ``AuditMiddleware`` records every object handed out but not yet recorded, after the response.
_accessed: ContextVar[list[tuple[str, str]] | None] = ContextVar("audit_accessed", default=None)
_recorded: ContextVar[set[tuple[str, str]] | None] = ContextVar("audit_recorded", default=None)


# Deleting audit rows is refused by the database. The only exception is a whole-table purge made
# by code that says so (a test database being flushed between tests): on SQLite the delete
# trigger asks this process through the SQL function ``onconav_audit_purge_allowed()``, which
# exists only on the app's own connections (from the sqlite3 shell, a delete still fails).
_purge_allowed: ContextVar[bool] = ContextVar("audit_purge_allowed", default=False)


class audit_purge_allowed:  # noqa: N801 - used as a context manager
    def __enter__(self) -> None:
        self._token = _purge_allowed.set(True)

    def __exit__(self, *exc: Any) -> None:
        _purge_allowed.reset(self._token)


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "onconav_audit_purge_allowed", 0, lambda: 1 if _purge_allowed.get() else 0
        )


def note_access(object_type: str, object_id: Any) -> None:
    """Called by the access helpers (``case_get_for_user``, ``document_get_for_user``) when they
    hand an object to a view, so that no read of it can go unrecorded."""
    accessed = _accessed.get()
    if accessed is not None:
        accessed.append((object_type, str(object_id)[:64]))


def begin_request() -> tuple[Any, Any]:
    return _accessed.set([]), _recorded.set(set())


def end_request(tokens: tuple[Any, Any]) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    accessed, recorded = _accessed.get() or [], _recorded.get() or set()
    _accessed.reset(tokens[0])
    _recorded.reset(tokens[1])
    return accessed, recorded


def client_ip(request: HttpRequest) -> str | None:
    from onconav.foundation.ratelimit import client_ip as _ip

    ip = _ip(request)
    return ip if ip and ip != "unknown" else None


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
    recorded = _recorded.get()
    if recorded is not None:
        recorded.add((object_type, str(object_id)[:64]))
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
        ip=(client_ip(request) if request is not None else None),
        detail=detail or {},
    )


def audited(object_type: str, *, action: str | None = None, id_kwarg: str = "public_id") -> Callable:
    """Mark a view or API handler as touching patient data and record every call that may have
    shown it (any status but those in ``NOT_RENDERED``; the status is in the event's detail):
    ``read`` for GET/HEAD, ``change`` otherwise, unless ``action`` is given. Reads this decorator
    does not name are still recorded by ``AuditMiddleware`` from the access helpers."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            response = view(request, *args, **kwargs)
            status = getattr(response, "status_code", 200)
            if status not in NOT_RENDERED:
                act = action or ("read" if request.method in ("GET", "HEAD") else "change")
                audit_record(
                    request=request,
                    action=act,
                    object_type=object_type,
                    object_id=str(kwargs.get(id_kwarg, "")),
                    detail={"status": status} if status >= 400 else None,
                )
            return response

        wrapped.audited_object_type = object_type  # type: ignore[attr-defined]
        return wrapped

    return decorator
