from django.tasks import task

from ravabet.jobs.registry import periodic

from . import services


@task
def remind_overdue_actions() -> int:
    return services.remind_overdue_actions()


periodic("visits.remind_overdue_actions", every_minutes=180)(remind_overdue_actions)
