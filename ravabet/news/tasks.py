"""Periodic news jobs: publishing scheduled items and the daily reminder (B5)."""

import datetime as dt

from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from ravabet.jobs.registry import periodic
from ravabet.lib.workdays import is_working_day
from ravabet.offices.models import Membership
from ravabet.offices.roles import Role
from ravabet.outbox.services import notify, queue_sms

from . import selectors, services
from .models import NewsSettings


@task
def publish_scheduled() -> int:
    return services.publish_due()


def send_reminders(now: dt.datetime | None = None) -> int:
    """After HQ's reminder time on a working day, remind each county unit that has sent nothing today.
    Idempotent: the outbox and notice keys carry the unit and the date, so running again adds nothing."""
    now = timezone.localtime(now or timezone.now())
    config = NewsSettings.current()
    today = now.date()
    if not config.reminders_enabled or now.time() < config.reminder_time or not is_working_day(today):
        return 0
    missing = selectors.today_status(today)["missing"]
    officers = Membership.objects.filter(unit__in=missing, role=Role.PR_OFFICER).select_related("user", "unit")
    url = reverse("news:create")
    reminded = 0
    texted: set[int] = set()
    for membership in officers:
        unit, user = membership.unit, membership.user
        title = "هنوز خبر امروز واحد به اداره کل فرستاده نشده است"
        body = f"{unit.name}: لطفاً خبر متنی و تصویری امروز را ثبت و ارسال کنید."
        notify(user=user, title=title, body=body, url=url, key=f"news-reminder:{unit.pk}:{today}:{user.pk}")
        if user.mobile:
            # One key per unit and day; a second officer of the same unit gets their own.
            key = f"news-reminder:{unit.pk}:{today}" + (f":{user.pk}" if unit.pk in texted else "")
            texted.add(unit.pk)
            queue_sms(to=user.mobile, body=f"روابط: {body}", key=key, unit=unit, source="news.reminder")
        reminded += 1
    return reminded


@task
def remind_missing_news() -> int:
    return send_reminders()


periodic("news.publish_scheduled", every_minutes=5)(publish_scheduled)
periodic("news.remind_missing", every_minutes=15)(remind_missing_news)
