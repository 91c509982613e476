"""Housekeeping jobs of the shared helpers in ravabet.lib (which import no app, the scheduler included)."""

from django.tasks import task

from ravabet.lib import idempotency

from .registry import periodic


@task
def purge_submit_tokens() -> int:
    """Delete create-form tokens older than `idempotency.KEEP_DAYS` days; returns how many went."""
    return idempotency.purge_old()


periodic("lib.purge_submit_tokens", every_minutes=24 * 60)(purge_submit_tokens)
