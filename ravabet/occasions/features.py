"""What the occasions part declares: features and their instruction items, home-page entries,
indicators (E1-E3) and the monthly report section."""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.urls import reverse

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
from ravabet.offices.roles import HQ_ROLES, WORK_ROLES

from .models import ACTIVITY_ITEM, Activity, ActivityKind, ContentState, Occasion, OccasionContent

register_feature(
    Feature(key="occasions.calendar", title="تقویم مناسبت‌ها", url_name="occasions:list", items=("E3", "E1"),
            roles=WORK_ROLES),
    Feature(key="occasions.activities", title="مشارکت در مراسم، راهپیمایی‌ها و برنامه‌های فرهنگی",
            url_name="occasions:activities", items=("E1", "E2"), roles=WORK_ROLES),
    Feature(key="occasions.contents", title="محتوای مناسبتی برای اداره کل", url_name="occasions:contents",
            items=("E3",), roles=WORK_ROLES),
    Feature(key="occasions.culture", title="برنامه‌های فرهنگی و اخلاق اداری در برابر هدف سالانه",
            url_name="occasions:culture", items=("E2",), roles=WORK_ROLES),
)


@register_todo
def occasions_todo(access, unit) -> list[HomeEntry]:
    """The week's occasions on the home page of someone working in `unit`."""
    if unit is None or not access.has_role(unit, WORK_ROLES):
        return []
    today = jalali.today()
    count = Occasion.objects.filter(date__gte=today, date__lte=today + dt.timedelta(days=7)).count()
    if not count:
        return []
    return [HomeEntry(title="مناسبت هفته پیش رو", url=reverse("occasions:list"), count=count)]


@register_review
def occasions_review(access) -> list[HomeEntry]:
    """Occasion content the units sent that HQ has not seen yet."""
    sent = OccasionContent.objects.filter(unit__in=access.unit_ids(HQ_ROLES), state=ContentState.SENT).count()
    if not sent:
        return []
    return [HomeEntry(title="محتوای مناسبتی تازه از واحدها", url=f"{reverse('occasions:contents')}?state=sent",
                      count=sent)]


def _activities(unit, start, end, item):
    kinds = [kind for kind, code in ACTIVITY_ITEM.items() if code == item]
    return Activity.objects.filter(unit=unit, kind__in=kinds, date__gte=start, date__lte=end).count()


@register_indicator("E1", "شرکت در مراسم و راهپیمایی")
def e1_count(unit, start, end) -> int:
    return _activities(unit, start, end, "E1")


@register_indicator("E2", "برنامه ترویج فرهنگ اسلامی و اخلاق اداری")
def e2_count(unit, start, end) -> int:
    return _activities(unit, start, end, "E2")


@register_indicator("E3", "محتوای مناسبتی فرستاده به اداره کل")
def e3_count(unit, start, end) -> int:
    return OccasionContent.objects.filter(unit=unit, **jalali.in_days("sent_at", start, end)).count()


@register_report_section("occasions", "مناسبت‌ها، مشارکت‌ها و محتوای مناسبتی", order=68, items=("E1", "E2", "E3"))
def occasions_section(unit, start, end) -> dict:
    """The month's occasions, the unit's participation and programmes, and the content it sent (E1-E3)."""
    activities = Activity.objects.filter(unit=unit, date__gte=start, date__lte=end).aggregate(
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in ActivityKind.values},
        people=Sum("participants", default=0))
    contents = OccasionContent.objects.filter(unit=unit, **jalali.in_days("sent_at", start, end))
    occasions = Occasion.objects.filter(date__gte=start, date__lte=end).order_by("date")
    highlights = []
    if occasions:
        highlights.append("مناسبت‌های ماه: " + "، ".join(f"{o.title} ({jalali.format_date(o.date)})"
                                                          for o in occasions))
    highlights += [f"محتوای «{c.title}» برای {c.occasion.title}" for c in contents.select_related("occasion")]
    return {
        "counts": [["شرکت در مراسم و راهپیمایی", activities[ActivityKind.CEREMONY] + activities[ActivityKind.MARCH]],
                   ["برنامه‌های فرهنگی و اخلاق اداری", activities[ActivityKind.CULTURE] + activities[ActivityKind.ETHICS]],
                   ["شرکت‌کنندگان", activities["people"]],
                   ["محتوای مناسبتی فرستاده", contents.count()]],
        "highlights": highlights,
    }
