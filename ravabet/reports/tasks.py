from django.tasks import task

from ravabet.jobs.registry import periodic

from . import services


@task
def remind_overdue_followups() -> int:
    return services.remind_overdue_followups()


periodic("reports.remind_overdue_followups", every_minutes=60)(remind_overdue_followups)
