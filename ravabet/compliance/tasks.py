"""The scheduled close of evaluation periods (issue 10 §6) and the warming of the evaluation boards."""

from django.tasks import task

from ravabet.jobs.registry import periodic

from .evaluation import close_due_periods


@task
def close_evaluation_periods() -> list[str]:
    return close_due_periods()


periodic("compliance.close_evaluation_periods", every_minutes=360)(close_evaluation_periods)


def shared_cache(backend: str) -> bool:
    """True when the cache backend (its dotted path, str) is shared between processes (not local memory
    or a dummy)."""
    return not any(word in backend.lower() for word in ("locmem", "dummy"))


@task
def warm_evaluation_boards() -> list[str]:
    """Scores the boards HQ opens first — the running month and the month before — into the shared
    cache, so that no one waits for a scoring (compliance.board). Only where the cache is shared between
    processes (Redis): a worker's local memory would help no web process. Every 4 minutes, inside the
    boards' 5-minute life, so a board is replaced before it expires. Returns the period keys scored."""
    from django.conf import settings

    from .board import board
    from .evaluation import Period
    from .views import _county_units

    if not shared_cache(settings.CACHES["default"]["BACKEND"]):
        return []
    units = list(_county_units())
    month = Period.current_month()
    for period in (month, month.previous()):
        board(period, units, fresh=True)
    return [month.key, month.previous().key]


periodic("compliance.warm_evaluation_boards", every_minutes=4)(warm_evaluation_boards)
