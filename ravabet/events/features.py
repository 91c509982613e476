"""What the events part declares: features and their instruction items (F2, F4, F5), home-page entries,
indicators and the monthly report section."""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.urls import reverse

from ravabet.compliance.registry import (
    Feature,
    HomeEntry,
    register_feature,
    register_indicator,
    register_report_section,
    register_todo,
)
from ravabet.lib import jalali
from ravabet.offices.roles import WORK_ROLES

from .models import Event, EventState, Guest, RunSheetItem, RunSheetState, SupplyItem, SupplyLoan

register_feature(
    Feature(key="events.list", title="مراسم، همایش‌ها و برنامه اجرایی", url_name="events:list",
            items=("F2", "F5"), roles=WORK_ROLES),
    Feature(key="events.supplies", title="وسایل تشریفات", url_name="events:supplies", items=("F4",),
            roles=WORK_ROLES),
)


@register_todo
def events_todo(access, unit) -> list[HomeEntry]:
    """Run-sheet rows not ready yet for the unit's events of the coming week."""
    if unit is None or not access.has_role(unit, WORK_ROLES):
        return []
    pending_rows = RunSheetItem.objects.filter(
        event__unit=unit, event__state=EventState.PLANNED,
        event__starts_at__lt=jalali.start_of_day(jalali.today() + dt.timedelta(days=8)), state=RunSheetState.PENDING).count()
    if not pending_rows:
        return []
    return [HomeEntry(title="بند آماده‌نشده در برنامه اجرایی مراسم هفته پیش رو",
                      url=f"{reverse('events:list')}?state=planned", count=pending_rows, level="warning")]


def _held(unit, start, end):
    return Event.objects.filter(unit=unit, state=EventState.HELD, **jalali.in_days("starts_at", start, end))


@register_indicator("F2", "مراسم برگزارشده با برنامه اجرایی")
def f2_count(unit, start, end) -> int:
    return _held(unit, start, end).filter(items__person__isnull=False).distinct().count()


@register_indicator("F4", "امانت وسایل تشریفات به مراسم")
def f4_count(unit, start, end) -> int:
    return SupplyLoan.objects.filter(item__unit=unit, **jalali.in_days("lent_at", start, end)).count()


@register_indicator("F5", "مهمانِ دعوت‌شده با کارت یا پیامک")
def f5_count(unit, start, end) -> int:
    return Guest.objects.filter(event__unit=unit, **jalali.in_days("invited_at", start, end)).count()


@register_report_section("events", "مراسم، همایش‌ها و وسایل تشریفات", order=70, items=("F2", "F4", "F5"))
def events_section(unit, start, end) -> dict:
    """The month's events of the unit with guests invited and present, and the supplies short (F2, F4, F5)."""
    events = list(Event.objects.filter(unit=unit, **jalali.in_days("starts_at", start, end))
                  .exclude(state=EventState.CANCELLED).order_by("starts_at")
                  .annotate(invited=Count("guests", distinct=True),
                            present=Count("guests", filter=Q(guests__checked_in_at__isnull=False), distinct=True)))
    low = SupplyItem.objects.filter(unit=unit).annotate(
        lent=Sum("loans__quantity", filter=Q(loans__returned_at__isnull=True), default=0)).values_list(
        "name", "quantity", "lent", "min_quantity")
    shortages = [name for name, quantity, lent, minimum in low if quantity - lent < minimum]
    return {
        "counts": [["مراسم برگزارشده", sum(1 for e in events if e.state == EventState.HELD)]],
        "table": {"headers": ["تاریخ", "مراسم", "نوع", "وضعیت", "دعوت‌شده", "حاضر"],
                  "rows": [[jalali.format_date(e.starts_at), e.title, e.get_kind_display(), e.get_state_display(),
                            e.invited, e.attendance if e.attendance is not None else e.present] for e in events]},
        "highlights": ["کمبود وسایل تشریفات: " + "، ".join(shortages)] if shortages else [],
    }
