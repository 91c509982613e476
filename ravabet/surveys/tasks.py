from django.tasks import task

from ravabet.jobs.registry import periodic

from . import services


@task
def close_expired_surveys() -> int:
    return services.close_expired()


periodic("surveys.close_expired", every_minutes=60)(close_expired_surveys)
