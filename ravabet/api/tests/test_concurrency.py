"""Token limits racing on PostgreSQL: two requests at once for the last allowed token make only one."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ravabet.api.models import ApiToken
from ravabet.api.tokens import MAX_ACTIVE, token_create, token_revoke

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def _race(*jobs):
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            start.wait()
            results[index] = job()
        except ValidationError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_requests_for_the_last_allowed_token_make_one(world):
    for n in range(MAX_ACTIVE - 1):
        token_create(by=world.officer, name=f"کلید {n}")
    results = _race(lambda: token_create(by=world.officer, name="الف"), lambda: token_create(by=world.officer, name="ب"))
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert ApiToken.objects.filter(user=world.officer, revoked_at__isnull=True).count() == MAX_ACTIVE


def test_revoking_twice_at_once_keeps_one_time_and_one_log(world):
    from ravabet.audit.models import ActionLog

    token, _ = token_create(by=world.officer, name="الف")
    _race(lambda: token_revoke(by=world.officer, token=ApiToken.objects.get(pk=token.pk)),
          lambda: token_revoke(by=world.officer, token=ApiToken.objects.get(pk=token.pk)))
    assert ActionLog.objects.filter(action="api.token_revoked").count() == 1
