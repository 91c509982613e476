"""Issue 13, point 3: the rate-limit helper counts in the database (shared by every process) without Redis."""

import threading

import pytest
from django.db import connection

from ravabet.lib import ratelimit
from ravabet.lib.models import RateCounter
from ravabet.lib.ratelimit import Limit

pytestmark = pytest.mark.django_db

SAMPLE = Limit("sample", 3, 60)


def test_counts_per_key_and_refuses_beyond_the_allowance():
    assert [ratelimit.over(SAMPLE, "10.0.0.1", now=1000) for _ in range(4)] == [False, False, False, True]
    assert ratelimit.exceeded(SAMPLE, "10.0.0.1", now=1000)
    assert not ratelimit.exceeded(SAMPLE, "10.0.0.2", now=1000)
    # Keys compare case-insensitively (usernames, emails); the next window starts afresh.
    assert ratelimit.count(SAMPLE, " 10.0.0.1 ".upper(), now=1010) == 4
    assert ratelimit.count(SAMPLE, "10.0.0.1", now=1060) == 0


def test_the_counter_lives_in_the_database_not_in_process_memory():
    ratelimit.hit(SAMPLE, "someone")
    row = RateCounter.objects.get()
    assert row.count == 1 and "someone" not in row.key  # keys are hashed
    ratelimit.reset(SAMPLE, "someone")
    assert not RateCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_hits_from_several_connections_are_all_counted():
    limit = Limit("concurrent", 100, 600)

    def worker():
        from django.db import connection as own

        for _ in range(10):
            ratelimit.hit(limit, "shared", now=5000)
        own.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ratelimit.count(limit, "shared", now=5000) == 40


def test_client_ip_reads_the_configured_proxy_header(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert ratelimit.client_ip(request) == "10.0.0.9"
    settings.RAVABET_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert ratelimit.client_ip(request) == "5.6.7.8"
