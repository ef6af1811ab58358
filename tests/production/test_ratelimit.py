"""The rate limiter: one Redis round trip per hit, and it fails safe when Redis is down."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from onconav.foundation import ratelimit

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_cache():
    if not _redis_up():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    conf = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    with override_settings(CACHES=conf):  # the setting_changed signal resets the cache handler
        yield caches["default"]


class _Counting:
    """Wraps a redis-py client and counts the commands it sends."""

    def __init__(self, client):  # type: ignore[no-untyped-def]
        self.client, self.calls = client, 0
        original = client.execute_command

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.calls += 1
            return original(*args, **kwargs)

        client.execute_command = counted


def test_a_hit_is_one_round_trip_and_the_limit_holds(redis_cache, monkeypatch):
    # given a Redis-backed cache; when a client hits 4 times with a limit of 3
    client = ratelimit._redis_client()
    counter = _Counting(client)
    monkeypatch.setattr(ratelimit, "_redis_client", lambda: client)
    key = f"test:{uuid.uuid4().hex}"
    results = [ratelimit.hit(key, limit=3, window_seconds=60)]
    counter.calls = 0  # the first hit may also load the script into Redis
    results += [ratelimit.hit(key, limit=3, window_seconds=60) for _ in range(3)]
    # then the fourth is refused, and each later hit cost exactly one command (EVALSHA): a limit
    # this small is leased one hit at a time
    assert results == [True, True, True, False]
    assert counter.calls == 3
    # and once refused, the rest of the window is refused without asking Redis again
    assert ratelimit.hit(key, limit=3, window_seconds=60) is False
    assert counter.calls == 3
    # and the counter expires with its window
    ttl = client.ttl(redis_cache.make_and_validate_key(f"rl:{key}:{int(__import__('time').time() // 60)}"))
    assert 0 < ttl <= 61


def test_when_redis_is_down_requests_are_served_and_still_limited(monkeypatch, settings):
    # given a cache pointing at a Redis that is not there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    key = f"down:{uuid.uuid4().hex}"
    # when a client hits 4 times with a limit of 3; then no error and the per-process limit holds
    assert [ratelimit.hit(key, limit=3, window_seconds=60) for _ in range(4)] == [True, True, True, False]


def test_a_larger_limit_is_leased_in_few_round_trips_and_holds_exactly_across_processes(
    redis_cache, monkeypatch
):
    # given a limit of 120 a window (a lease of 6 hits) and two processes sharing Redis
    client = ratelimit._redis_client()
    counter = _Counting(client)
    monkeypatch.setattr(ratelimit, "_redis_client", lambda: client)
    assert ratelimit.lease_size(120) == 6 and ratelimit.lease_size(3) == 1
    assert ratelimit.lease_size(10**8) == ratelimit.LEASE_MAX
    key = f"lease:{uuid.uuid4().hex}"
    ratelimit.hit(key, limit=120, window_seconds=60)  # loads the script
    counter.calls = 0
    processes = [ratelimit._Leases(), ratelimit._Leases()]
    allowed = 1
    # when 150 hits alternate between the processes
    for i in range(150):
        monkeypatch.setattr(ratelimit, "_leases", processes[i % 2])
        allowed += ratelimit.hit(key, limit=120, window_seconds=60)
    # then never more than the limit is allowed, at most a lease per process short of it
    assert 120 - 2 * 5 <= allowed <= 120
    # and the round trips are about one per lease, not one per hit (a refused hit costs one
    # round trip per process, then none until the window ends)
    assert counter.calls <= 120 // 6 + 2 + 2, counter.calls


def test_a_lease_taken_under_one_limit_is_not_spent_under_a_lower_one(redis_cache, monkeypatch):
    # given a process that leased hits of a key under a limit of 120 (6 a lease)
    client = ratelimit._redis_client()
    monkeypatch.setattr(ratelimit, "_redis_client", lambda: client)
    monkeypatch.setattr(ratelimit, "_leases", ratelimit._Leases())
    key = f"relimit:{uuid.uuid4().hex}"
    assert ratelimit.hit(key, limit=120, window_seconds=60)
    # when the limit is lowered to 7 (the shared count is already 6); then one more is allowed
    assert [ratelimit.hit(key, limit=7, window_seconds=60) for _ in range(2)] == [True, False]
