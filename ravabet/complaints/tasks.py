from django.tasks import task

from ravabet.jobs.registry import periodic

from . import services


@task
def escalate_overdue_cases() -> int:
    return services.escalate_overdue()


periodic("complaints.escalate_overdue", every_minutes=30)(escalate_overdue_cases)
