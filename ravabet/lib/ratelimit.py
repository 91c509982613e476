"""One rate-limit helper that holds across processes (issue 13, point 3; OWASP ASVS level 2, V2.2.1).

Counters live in Redis when REDIS_URL is configured (the default cache is then Redis) and in the database
(table lib_ratecounter, one atomic INSERT ... ON CONFLICT per hit) otherwise — never in a process's own
memory, so several gunicorn workers share one allowance. Windows are fixed: `Limit(name, limit, seconds)`
allows `limit` hits per key in each window of `seconds`.

    LOGIN_FAILURES_PER_ADDRESS = Limit("login-ip", 30, 900)
    if exceeded(LOGIN_FAILURES_PER_ADDRESS, ip): refuse
    hit(LOGIN_FAILURES_PER_ADDRESS, ip)
"""

import hashlib
import ipaddress
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection


@dataclass(frozen=True)
class Limit:
    """`limit` hits per key in each fixed window of `seconds` seconds; `name` keeps limits apart."""

    name: str
    limit: int
    seconds: int


def client_ip(request) -> str | None:
    """The client's address: the last address in the header named by settings.RAVABET_CLIENT_IP_HEADER
    (set it only behind a proxy that always writes it), else REMOTE_ADDR; None when neither is an address."""
    header = getattr(settings, "RAVABET_CLIENT_IP_HEADER", None)
    candidates = [request.META.get(header, "").split(",")[-1]] if header else []
    for candidate in [*candidates, request.META.get("REMOTE_ADDR", "")]:
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return None


def _uses_redis() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _key(limit: Limit, key: str) -> str:
    digest = hashlib.sha256(str(key).strip().lower().encode()).hexdigest()[:40]
    return f"rl:{limit.name}:{digest}"


def _window(limit: Limit, now: float) -> int:
    return int(now // limit.seconds)


def hit(limit: Limit, key: str, *, now: float | None = None) -> int:
    """Count one hit for `key` (an address, a username, an email: compared case-insensitively) in the current
    window and return the window's count so far, this hit included."""
    now = time.time() if now is None else now
    window = _window(limit, now)
    name = _key(limit, key)
    if _uses_redis():
        cache_key = f"{name}:{window}"
        if cache.add(cache_key, 1, timeout=limit.seconds + 5):
            return 1
        try:
            return cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=limit.seconds + 5)
            return 1
    from .models import RateCounter

    table = RateCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, bucket, count, expires_at) VALUES (%s, %s, 1, %s) "
            f"ON CONFLICT (key, bucket) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [name, window, int(now) + limit.seconds + 5])
        count = cursor.fetchone()[0]
    if random.random() < 0.01:  # now and then, drop windows that can no longer matter
        RateCounter.objects.filter(expires_at__lt=int(now)).delete()
    return count


def count(limit: Limit, key: str, *, now: float | None = None) -> int:
    """The hits counted for `key` in the current window, without counting one."""
    now = time.time() if now is None else now
    window = _window(limit, now)
    name = _key(limit, key)
    if _uses_redis():
        return int(cache.get(f"{name}:{window}") or 0)
    from .models import RateCounter

    return RateCounter.objects.filter(key=name, bucket=window).values_list("count", flat=True).first() or 0


def exceeded(limit: Limit, key: str, *, now: float | None = None) -> bool:
    """True when `key` already used its allowance in the current window (the next hit would be refused)."""
    return count(limit, key, now=now) >= limit.limit


def over(limit: Limit, key: str, *, now: float | None = None) -> bool:
    """Count one hit and say whether it went beyond the allowance (True: refuse this request)."""
    return hit(limit, key, now=now) > limit.limit


def reset(limit: Limit, key: str) -> None:
    """Forget `key`'s hits in the current window (after a successful login, for example)."""
    window = _window(limit, time.time())
    name = _key(limit, key)
    if _uses_redis():
        cache.delete(f"{name}:{window}")
        return
    from .models import RateCounter

    RateCounter.objects.filter(key=name).delete()
