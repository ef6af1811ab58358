"""Sign-in throttles on the cache, next to django-axes (which locks an account+address pair).

Per account, from any address: after ``LOGIN_ACCOUNT_FREE_FAILURES`` failures, each further
attempt must wait a delay that doubles with every failure, up to ``LOGIN_ACCOUNT_MAX_DELAY``
seconds: password guessing is slowed to a crawl, and a stranger can never lock the real owner
out. Per address, across accounts (password spraying): at most ``LOGIN_IP_FAILURES`` failures in
``LOGIN_WINDOW`` seconds. The address is the trusted-proxy client address (``client_ip``)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from onconav.foundation.ratelimit import client_ip


def _account_key(email: str) -> str:
    return "login-acct:" + hashlib.sha256((email or "").strip().lower().encode()).hexdigest()


def _ip_key(request: HttpRequest) -> str:
    return "login-ip:" + client_ip(request)


def _delay(failures: int) -> int:
    over = failures - settings.LOGIN_ACCOUNT_FREE_FAILURES
    if over <= 0:
        return 0
    return min(settings.LOGIN_ACCOUNT_MAX_DELAY, 2 ** (over - 1))


def wait_seconds(request: HttpRequest, email: str) -> int:
    """How long this attempt must wait (0: it may go ahead). Nothing is counted here."""
    ip_failures = cache.get(_ip_key(request), 0)
    if ip_failures >= settings.LOGIN_IP_FAILURES:
        return settings.LOGIN_WINDOW
    state = cache.get(_account_key(email))
    if not state:
        return 0
    remaining = state["last"] + _delay(state["n"]) - time.time()
    return max(0, int(remaining + 0.999))


def record_failure(request: HttpRequest, email: str) -> None:
    window = settings.LOGIN_WINDOW
    key = _ip_key(request)
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)
    akey = _account_key(email)
    state = cache.get(akey) or {"n": 0, "last": 0.0}
    cache.set(akey, {"n": state["n"] + 1, "last": time.time()}, timeout=window)


def record_success(email: str) -> None:
    cache.delete(_account_key(email))
