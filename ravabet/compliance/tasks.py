"""The scheduled close of evaluation periods (issue 10 §6)."""

from django.tasks import task

from ravabet.jobs.registry import periodic

from .evaluation import close_due_periods


@task
def close_evaluation_periods() -> list[str]:
    return close_due_periods()


periodic("compliance.close_evaluation_periods", every_minutes=360)(close_evaluation_periods)
