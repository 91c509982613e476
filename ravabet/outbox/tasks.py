from django.tasks import task

from ravabet.jobs.registry import periodic

from .services import deliver_due


@task
def deliver_outbox() -> int:
    """Send what is due; called after every enqueue and every minute for retries."""
    return deliver_due()


periodic("outbox.deliver", every_minutes=1)(deliver_outbox)
