from django.tasks import task

from ravabet.jobs.registry import periodic

from . import services


@task
def remind_occasions() -> int:
    return services.remind_occasions()


periodic("occasions.remind_occasions", every_minutes=60)(remind_occasions)
