"""lib.rediscache: Django's Redis cache with one kept client per server, against a real Redis (database 14 of
REDIS_TEST_URL, default 127.0.0.1:6379; CI starts one; without it the tests skip, except under CI=true)."""

import os

import pytest
import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from ravabet.lib.rediscache import RedisCache

URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(URL).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {URL}")
    cache = RedisCache(URL, {"KEY_PREFIX": "lib-test"})
    cache.clear()
    yield cache
    cache.clear()


def _operations(cache) -> None:
    cache.set("a", {"n": 1}, 30)
    assert cache.get("a") == {"n": 1}
    assert cache.add("b", 1, 30) and not cache.add("b", 5, 30)
    assert cache.incr("b") == 2
    cache.set_many({"c": "ج", "d": [1]}, 30)
    assert cache.get_many(["c", "d", "missing"]) == {"c": "ج", "d": [1]}
    cache.delete("a")
    assert cache.get("a", "gone") == "gone"


@pytest.mark.parametrize(("backend", "clients"), [(RedisCache, 1), (DjangoRedisCache, 9)])
def test_every_operation_goes_through_one_client_made_once(redis_cache, monkeypatch, backend, clients):
    made = []
    real = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    _operations(backend(URL, {"KEY_PREFIX": "lib-test"}))
    assert len(made) == clients  # Django's own backend makes one per operation


def test_the_kept_client_is_the_servers_for_reads_and_writes(redis_cache):
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)


def test_the_rate_limiter_still_counts_in_redis_with_this_backend(redis_cache, settings, monkeypatch):
    from ravabet.lib import ratelimit

    settings.CACHES = {"default": {"BACKEND": "ravabet.lib.rediscache.RedisCache", "LOCATION": URL}}
    monkeypatch.setattr(ratelimit, "cache", redis_cache)
    limit = ratelimit.Limit("lib-test", 2, 60)
    assert ratelimit._uses_redis()
    assert [ratelimit.over(limit, "10.0.0.1", now=120.0) for _ in range(3)] == [False, False, True]
    assert ratelimit.count(limit, "10.0.0.1", now=130.0) == 3
