from django.tasks import task

from ravabet.jobs.registry import periodic

from . import services


@task
def remind_overdue_assignments() -> int:
    return services.remind_overdue_assignments()


@task
def remind_occasions() -> int:
    return services.remind_occasions()


periodic("events.remind_overdue_assignments", every_minutes=60)(remind_overdue_assignments)
periodic("events.remind_occasions", every_minutes=60)(remind_occasions)
