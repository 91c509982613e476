import datetime as dt

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from ravabet.jobs.registry import periodic

from . import services


@task
def escalate_overdue_cases() -> int:
    return services.escalate_overdue()


periodic("complaints.escalate_overdue", every_minutes=30)(escalate_overdue_cases)


CAPTCHA_REFILL_MINUTES = 10


def refill_captcha_pool_now(size: int | None = None) -> int:
    """Top the captcha pool up to `size` captchas (default settings.CAPTCHA_POOL_SIZE) that will still be
    handed out when the next refill runs, and delete expired ones (solved ones are deleted by the library).
    Returns how many captchas were created. With the pool, a plain GET of the public complaint form writes
    nothing (issue 11 §5)."""
    from captcha.models import CaptchaStore

    size = settings.CAPTCHA_POOL_SIZE if size is None else size
    lasting = timezone.now() + dt.timedelta(minutes=settings.CAPTCHA_GET_FROM_POOL_TIMEOUT + CAPTCHA_REFILL_MINUTES)
    missing = max(0, size - CaptchaStore.objects.filter(expiration__gt=lasting).count())
    if missing:
        CaptchaStore.create_pool(missing)
    CaptchaStore.remove_expired()
    return missing


@task
def refill_captcha_pool() -> int:
    return refill_captcha_pool_now()


periodic("complaints.refill_captcha_pool", every_minutes=CAPTCHA_REFILL_MINUTES)(refill_captcha_pool)
