"""A small fixed-window rate limiter on the configured cache (Redis in production).

Used for intake, messages and the API; login throttling is django-axes' job.
"""

from __future__ import annotations

import time
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (load balancer, TLS
    terminator) each proxy appends the address it received from to X-Forwarded-For, so the client
    is the n-th entry from the right; anything further left was written by the client and is not
    trusted. With no trusted proxy (the default), X-Forwarded-For is ignored."""
    from django.conf import settings

    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "unknown")


def axes_client_ip(request: HttpRequest) -> str | None:
    """For django-axes (``AXES_CLIENT_IP_CALLABLE``): the same trusted-proxy rule (None when the
    request has no address, as axes stores it in an IP address column)."""
    ip = client_ip(request)
    return None if ip == "unknown" else ip


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit; return True while the key is within its limit for the current window."""
    bucket = int(time.time() // window_seconds)
    cache_key = f"rl:{key}:{bucket}"
    added = cache.add(cache_key, 1, timeout=window_seconds + 1)
    if added:
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit


def ratelimit(scope: str, *, limit: int, window_seconds: int = 60, methods: tuple[str, ...] = ("POST",)):
    """Decorator for views: HTTP 429 once a client (user, else IP) passes ``limit`` per window."""

    def decorator(view):  # type: ignore[no-untyped-def]
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):  # type: ignore[no-untyped-def]
            if request.method in methods:
                who = f"u{request.user.pk}" if request.user.is_authenticated else client_ip(request)
                if not hit(f"{scope}:{who}", limit=limit, window_seconds=window_seconds):
                    return HttpResponse(
                        _("Too many requests. Please wait a minute and try again."),
                        status=429,
                        content_type="text/plain; charset=utf-8",
                    )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
