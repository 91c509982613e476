from django.db.models import Q
from django.utils import timezone

from .models import JobSchedule
from .registry import JOBS


def enqueue_due_jobs(now=None) -> list[str]:
    """Enqueue every job whose interval has passed. A conditional UPDATE claims each run,
    so two schedulers running at once never enqueue the same job twice."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS.values():
        JobSchedule.objects.get_or_create(name=job.name)
        claimed = JobSchedule.objects.filter(
            Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - job.every), name=job.name
        ).update(last_enqueued_at=now)
        if claimed:
            job.task.enqueue()
            enqueued.append(job.name)
    return enqueued
