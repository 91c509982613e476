from django.tasks import task

from ravabet.jobs.registry import periodic

from . import services


@task
def remind_overdue_assignments() -> int:
    return services.remind_overdue_assignments()


periodic("hqtasks.remind_overdue_assignments", every_minutes=60)(remind_overdue_assignments)
