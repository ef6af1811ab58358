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


def _check_cache() -> str:
    from django.conf import settings

    if not settings.REDIS_URL:
        return "not configured"
    from onconav.foundation.ratelimit import _redis_client

    try:
        client = _redis_client()
        if client is None:
            return "not configured"
        client.ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: Redis unavailable: %s", type(exc).__name__)
        return "unavailable"


def _check_storage() -> str:
    from django.conf import settings
    from django.core.files.storage import default_storage

    if not getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""):
        return "local"
    try:
        default_storage.exists("readiness-probe")  # a HEAD request on the bucket: reachable and allowed
        return "ok"
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: object storage unavailable: %s", type(exc).__name__)
        return "unavailable"


def _check_knowledge_base() -> str:
    from onconav.kb.models import KBRecord
    from onconav.options import services

    if services._engine is None:  # noqa: SLF001 - built at process start (onconav.foundation.warmup)
        return "not loaded"
    return "ok" if KBRecord.objects.exists() else "empty"


@router.get("/ready", response={200: dict, 503: dict}, auth=None, summary="Readiness: dependencies reachable")
def ready(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Ready to take traffic: database, cache (Redis, when configured), object storage (when
    configured) reachable and the knowledge base loaded in this process and in the database;
    Redis is reported but does not make the instance unready.
    A load balancer sends requests only to ready instances; ``/health`` is the liveness check."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: database unavailable: %s", type(exc).__name__)
        checks["database"] = "unavailable"
    checks["cache"] = _check_cache()
    checks["storage"] = _check_storage()
    checks["knowledge_base"] = _check_knowledge_base() if checks["database"] == "ok" else "unknown"
    # Redis down is not a reason to stop serving: rate limiting falls back to per-process counters
    # and tasks wait in the web process's retry; the check reports it without failing.
    ok = (
        checks["database"] == "ok" and checks["knowledge_base"] == "ok" and checks["storage"] != "unavailable"
    )
    return Status(200 if ok else 503, {"status": "ready" if ok else "not ready", "checks": checks})


@router.get("/ping", response={200: dict}, auth=None, summary="Trivial endpoint (benchmark baseline)")
def ping(request: HttpRequest):  # type: ignore[no-untyped-def]
    return {"pong": True}


__all__ = ["router", "ErrorBody"]
