from datetime import timedelta

import pytest
from django.utils import timezone

from ravabet.jobs.registry import JOBS
from ravabet.jobs.scheduler import enqueue_due_jobs

pytestmark = pytest.mark.django_db


def test_each_job_is_enqueued_once_per_interval():
    now = timezone.now()
    first = enqueue_due_jobs(now)
    assert "outbox.deliver" in first
    assert enqueue_due_jobs(now + timedelta(seconds=5)) == []
    assert "outbox.deliver" in enqueue_due_jobs(now + JOBS["outbox.deliver"].every + timedelta(seconds=1))
