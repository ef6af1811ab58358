from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from onconav import __version__
from onconav.api.schemas import ErrorBody, Health

logger = logging.getLogger(__name__)
router = Router(tags=["health"])


@router.get("/health", response={200: Health, 503: Health}, auth=None, summary="Service and database health")
def health(request: HttpRequest):  # type: ignore[no-untyped-def]
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        db = "ok"
    except Exception as exc:  # noqa: BLE001 - any database failure is reported as unavailable
        logger.warning("health check: database unavailable: %s", type(exc).__name__)
        db = "unavailable"
    from onconav.api.versions import knowledge_base_version

    body = {
        "status": "ok" if db == "ok" else "degraded",
        "database": db,
        "version": __version__,
        "knowledge_base_version": knowledge_base_version(),
    }
    return Status(200 if db == "ok" else 503, body)


@router.get("/ping", response={200: dict}, auth=None, summary="Trivial endpoint (benchmark baseline)")
def ping(request: HttpRequest):  # type: ignore[no-untyped-def]
    return {"pong": True}


__all__ = ["router", "ErrorBody"]
