"""A small fixed-window rate limiter on the configured cache (Redis in production).

Used for intake, messages and the API; login throttling is django-axes' job.

With Redis, a process takes hits from the window's shared counter in small leases: one round trip
(a Lua script that adds the lease to the counter and sets its expiry atomically) reserves up to
``lease_size(limit)`` hits, which the process then spends without asking again. The limit holds
exactly across processes (a hit is always counted in Redis before it is allowed); a lease one
process holds unspent can make a client spread over several processes refused up to
(processes - 1) x (lease - 1) hits early. Limits under 40 a window lease one hit at a time (every
hit is a round trip, as before), the API's 120 a minute six, at most ``LEASE_MAX``. Once the
shared count has reached the limit, the process refuses the rest of that window without asking. If Redis cannot be reached, the limiter fails safe: it keeps limiting
with a counter in the worker process (so a client gets at most ``limit`` per window per worker)
and logs the outage, and the page is still served. Without Redis (the embedded default), the
Django cache (local memory) holds the counters.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# KEYS[1] = counter key, ARGV[1] = seconds to live, ARGV[2] = hits leased. Returns the count after.
_HIT_SCRIPT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
LEASE_MAX = 16


def lease_size(limit: int) -> int:
    """Hits a process reserves per round trip: a twentieth of the limit, 1 to ``LEASE_MAX``."""
    return max(1, min(LEASE_MAX, limit // 20))


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


class _LocalCounters:
    """Per-process fixed-window counters: the fallback while the shared store is unreachable."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[float, int]] = {}

    def hit(self, key: str, window_seconds: int) -> int:
        now = time.time()
        with self._lock:
            if len(self._counts) > 50_000:  # drop expired windows; bounded memory
                self._counts = {k: v for k, v in self._counts.items() if v[0] > now}
            expires, count = self._counts.get(key, (0.0, 0))
            if expires <= now:
                expires, count = now + window_seconds + 1, 0
            count += 1
            self._counts[key] = (expires, count)
            return count


class _Leases:
    """Hits this process has reserved in Redis and not spent yet, per counter key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._left: dict[str, tuple[float, int]] = {}

    SPENT = -1  # the shared counter has reached the limit: refused until the window ends

    def take(self, key: str) -> bool | None:
        """Spend one reserved hit of ``key`` (True), refuse it when the window's limit was reached
        (False), or None: Redis must be asked."""
        now = time.time()
        with self._lock:
            expires, left = self._left.get(key, (0.0, 0))
            if expires <= now or left == 0:
                return None
            if left == self.SPENT:
                return False
            self._left[key] = (expires, left - 1)
            return True

    def keep(self, key: str, left: int, window_seconds: int) -> None:
        now = time.time()
        with self._lock:
            if len(self._left) > 50_000:  # drop expired leases; bounded memory
                self._left = {k: v for k, v in self._left.items() if v[0] > now}
            self._left[key] = (now + window_seconds + 1, left)


_local = _LocalCounters()
_leases = _Leases()
_script: Any = None
_last_warning = 0.0


def _redis_client() -> Any:
    """The redis-py client behind Django's RedisCache, or None for other cache backends."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    # one client per cache backend (they are per thread), on the backend's connection pool:
    # building a client costs about as much as the round trip itself
    client = getattr(backend, "_onconav_ratelimit_client", None)
    if client is None:
        client = backend._cache.get_client(write=True)  # noqa: SLF001 - RedisCache's client accessor
        backend._onconav_ratelimit_client = client  # noqa: SLF001
    return client


def _redis_hit(client: Any, cache_key: str, window_seconds: int, lease: int = 1) -> int:
    """Add ``lease`` hits to the shared counter; the count after them."""
    global _script
    if _script is None:
        _script = client.register_script(_HIT_SCRIPT)
    return int(_script(keys=[cache_key], args=[window_seconds + 1, lease], client=client))


def _leased_hit(client: Any, cache_key: str, *, limit: int, window_seconds: int) -> bool:
    """One hit through this process's lease of the shared counter (a round trip when it is spent)."""
    lease_key = f"{cache_key}|{limit}"  # a lease is spent under the limit it was taken for
    taken = _leases.take(lease_key)
    if taken is not None:
        return taken
    lease = lease_size(limit)
    before = _redis_hit(client, cache_key, window_seconds, lease) - lease
    granted = min(lease, limit - before)
    # a fixed window's count only grows: once it is at the limit, this process refuses the rest
    # of the window without asking again
    _leases.keep(lease_key, granted - 1 if granted > 0 else _Leases.SPENT, window_seconds)
    return granted > 0


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit; return True while the key is within its limit for the current window."""
    global _last_warning
    bucket = int(time.time() // window_seconds)
    raw_key = f"rl:{key}:{bucket}"
    client = _redis_client()
    if client is not None:
        try:
            return _leased_hit(
                client, cache.make_and_validate_key(raw_key), limit=limit, window_seconds=window_seconds
            )
        except Exception as exc:  # noqa: BLE001 - any Redis failure: fall back, keep serving
            now = time.time()
            if now - _last_warning > 60:
                _last_warning = now
                logger.warning(
                    "rate limiter: Redis unavailable (%s); limiting per process", type(exc).__name__
                )
            count = _local.hit(raw_key, window_seconds)
        return count <= limit
    added = cache.add(raw_key, 1, timeout=window_seconds + 1)
    if added:
        return True
    try:
        count = cache.incr(raw_key)
    except ValueError:  # expired between add and incr
        cache.set(raw_key, 1, timeout=window_seconds + 1)
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
