from django.tasks import task

from ravabet.jobs.registry import periodic

from . import services


@task
def fetch_press_sources() -> int:
    """Fetch every press source that is due; a bad source is noted on it and skipped."""
    return services.fetch_due()


periodic("press.fetch_sources", every_minutes=30)(fetch_press_sources)
