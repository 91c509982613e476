"""What the surveys part declares: its features (D5), the evidence count, its monthly-report
section and the home-page entries."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ravabet.compliance.registry import (
    Feature,
    HomeEntry,
    register_feature,
    register_indicator,
    register_report_section,
    register_review,
    register_todo,
)
from ravabet.lib import jalali
from ravabet.offices.access import scoped
from ravabet.offices.roles import ALL_ROLES, HQ_ROLES, UNIT_ROLES

from .models import Audience, Response, State, Survey

register_feature(
    Feature(key="surveys.list", title="نظرسنجی‌ها و نتایج", url_name="surveys:list", items=("D5",),
            roles=UNIT_ROLES | HQ_ROLES),
    Feature(key="surveys.mine", title="نظرسنجی‌های من", url_name="surveys:mine", items=("D5",), roles=ALL_ROLES),
)


def _run(unit, start, end):
    """Surveys that took answers in the range: opened, and their answer window overlaps it."""
    return Survey.objects.filter(unit=unit, opened_at__isnull=False, opens_on__lte=end, closes_on__gte=start)


@register_indicator("D5", "نظرسنجی‌هایی که نتیجه‌شان به رئیس واحد و اداره کل گزارش شد")
def count_reported_surveys(unit, start, end) -> int:
    return Survey.objects.filter(unit=unit, **jalali.in_days("reported_at", start, end)).count()


@register_report_section("surveys.results", "نظرسنجی‌ها", order=70, items=("D5",))
def surveys_section(unit, start, end) -> dict:
    surveys = list(_run(unit, start, end).order_by("opens_on")[:30])
    answers = Response.objects.filter(survey__unit=unit, **jalali.in_days("created_at", start, end)).count()
    return {
        "counts": [["نظرسنجی‌های اجراشده", len(surveys)], ["پاسخ‌های دریافتی در این ماه", answers],
                   ["نتیجه‌های گزارش‌شده به رئیس و اداره کل", count_reported_surveys(unit, start, end)]],
        "table": {"headers": ["عنوان", "مخاطب", "بازه", "پاسخ‌ها", "گزارش"],
                  "rows": [[s.title, s.get_audience_display(),
                            f"{jalali.format_date(s.opens_on)} تا {jalali.format_date(s.closes_on)}",
                            s.responses_count, jalali.format_date(s.reported_at) if s.reported_at else "—"]
                           for s in surveys]} if surveys else None,
    }


@register_todo
def surveys_todo(access, unit) -> list[HomeEntry]:
    """Staff surveys of the person's own units that wait for their answer. (Closed surveys whose results
    wait to be reported are in the home page's "waiting for you" list, from the workflow declaration.)"""
    today = jalali.today()
    waiting = Survey.objects.filter(
        unit__in=access.units, audience=Audience.STAFF,
        state=State.OPEN, opens_on__lte=today, closes_on__gte=today).exclude(
        Q(responses__user=access.user)).count()
    if not waiting:
        return []
    return [HomeEntry(title="نظرسنجی‌هایی که منتظر پاسخ شماست", count=waiting, url=reverse("surveys:mine"))]


@register_review
def surveys_review(access) -> list[HomeEntry]:
    since = timezone.now() - dt.timedelta(days=14)
    reported = scoped(access, Survey.objects.filter(reported_at__gte=since), HQ_ROLES).count()
    if not reported:
        return []
    return [HomeEntry(title="نتیجه‌های نظرسنجی گزارش‌شده در دو هفته‌ی گذشته", count=reported,
                      url=reverse("surveys:list") + "?reported=1")]
