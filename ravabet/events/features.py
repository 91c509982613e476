"""What the events part declares: features and their instruction items, home-page entries,
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
    register_review,
    register_todo,
)
from ravabet.lib import jalali
from ravabet.offices.roles import HQ_ROLES, WORK_ROLES

from .models import (
    ACTIVITY_ITEM,
    Activity,
    ActivityKind,
    Assignment,
    AssignmentState,
    ContentState,
    Event,
    EventState,
    Guest,
    Occasion,
    OccasionContent,
    RunSheetItem,
    RunSheetState,
    SupplyItem,
    SupplyLoan,
)
from .services import overdue_q

register_feature(
    Feature(key="events.tasks", title="مأموریت‌های اداره کل", url_name="events:tasks", items=("F7",),
            roles=WORK_ROLES),
    Feature(key="events.task_create", title="ابلاغ مأموریت به واحدها", url_name="events:task_create",
            items=("F7",), roles=HQ_ROLES),
    Feature(key="events.list", title="مراسم، همایش‌ها و برنامه اجرایی", url_name="events:list",
            items=("F2", "F5"), roles=WORK_ROLES),
    Feature(key="events.supplies", title="وسایل تشریفات", url_name="events:supplies", items=("F4",),
            roles=WORK_ROLES),
    Feature(key="events.occasions", title="تقویم مناسبت‌ها", url_name="events:occasions", items=("E3", "E1"),
            roles=WORK_ROLES),
    Feature(key="events.activities", title="مشارکت در مراسم، راهپیمایی‌ها و برنامه‌های فرهنگی",
            url_name="events:activities", items=("E1", "E2"), roles=WORK_ROLES),
    Feature(key="events.contents", title="محتوای مناسبتی برای اداره کل", url_name="events:contents",
            items=("E3",), roles=WORK_ROLES),
)


def _soon(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7)


@register_todo
def events_todo(access, unit) -> list[HomeEntry]:
    if unit is None or not access.has_role(unit, WORK_ROLES):
        return []
    today = jalali.today()
    tasks_url = reverse("events:tasks")
    row = Assignment.objects.filter(unit=unit).aggregate(
        open=Count("pk", filter=Q(state=AssignmentState.OPEN)),
        returned=Count("pk", filter=Q(state=AssignmentState.RETURNED)),
        overdue=Count("pk", filter=overdue_q(today)))
    entries = []
    if row["overdue"]:
        entries.append(HomeEntry(title="مأموریت اداره کل گذشته از مهلت", url=f"{tasks_url}?state=overdue",
                                 count=row["overdue"], level="danger"))
    if row["open"]:
        entries.append(HomeEntry(title="مأموریت اداره کل در دست انجام", url=f"{tasks_url}?state=open",
                                 count=row["open"]))
    if row["returned"]:
        entries.append(HomeEntry(title="مأموریت برگشتی برای تکمیل", url=f"{tasks_url}?state=returned",
                                 count=row["returned"], level="warning"))
    pending_rows = RunSheetItem.objects.filter(
        event__unit=unit, event__state=EventState.PLANNED, event__starts_at__date__lte=_soon(today),
        state=RunSheetState.PENDING).count()
    if pending_rows:
        entries.append(HomeEntry(title="بند آماده‌نشده در برنامه اجرایی مراسم هفته پیش رو",
                                 url=f"{reverse('events:list')}?state=planned", count=pending_rows,
                                 level="warning"))
    occasions = Occasion.objects.filter(date__gte=today, date__lte=_soon(today)).count()
    if occasions:
        entries.append(HomeEntry(title="مناسبت هفته پیش رو", url=reverse("events:occasions"), count=occasions))
    return entries


@register_review
def events_review(access) -> list[HomeEntry]:
    units = access.unit_ids(HQ_ROLES)
    today = jalali.today()
    row = Assignment.objects.filter(unit__in=units).aggregate(
        done=Count("pk", filter=Q(state=AssignmentState.DONE)), overdue=Count("pk", filter=overdue_q(today)))
    sent = OccasionContent.objects.filter(unit__in=units, state=ContentState.SENT).count()
    url = reverse("events:tasks")
    entries = []
    if row["done"]:
        entries.append(HomeEntry(title="گزارش انجام مأموریت در انتظار بررسی", url=f"{url}?state=done",
                                 count=row["done"]))
    if row["overdue"]:
        entries.append(HomeEntry(title="مأموریت واحدها گذشته از مهلت", url=f"{url}?state=overdue",
                                 count=row["overdue"], level="danger"))
    if sent:
        entries.append(HomeEntry(title="محتوای مناسبتی تازه از واحدها", url=f"{reverse('events:contents')}?state=sent",
                                 count=sent))
    return entries


def _held(unit, start, end):
    return Event.objects.filter(unit=unit, state=EventState.HELD, starts_at__date__gte=start,
                                starts_at__date__lte=end)


@register_indicator("F2", "مراسم برگزارشده با برنامه اجرایی")
def f2_count(unit, start, end) -> int:
    return _held(unit, start, end).filter(items__person__isnull=False).distinct().count()


@register_indicator("F4", "امانت وسایل تشریفات به مراسم")
def f4_count(unit, start, end) -> int:
    return SupplyLoan.objects.filter(item__unit=unit, lent_at__date__gte=start, lent_at__date__lte=end).count()


@register_indicator("F5", "مهمانِ دعوت‌شده با کارت یا پیامک")
def f5_count(unit, start, end) -> int:
    return Guest.objects.filter(event__unit=unit, invited_at__date__gte=start, invited_at__date__lte=end).count()


@register_indicator("F7", "مأموریت اداره کل که پذیرفته شد")
def f7_count(unit, start, end) -> int:
    return Assignment.objects.filter(unit=unit, state=AssignmentState.ACCEPTED, reviewed_at__date__gte=start,
                                     reviewed_at__date__lte=end).count()


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
    return OccasionContent.objects.filter(unit=unit, sent_at__date__gte=start, sent_at__date__lte=end).count()


@register_report_section("events", "مراسم، مناسبت‌ها و مأموریت‌های اداره کل", order=70,
                         items=("E1", "E2", "E3", "F2", "F4", "F5", "F7"))
def events_section(unit, start, end) -> dict:
    events = list(Event.objects.filter(unit=unit, starts_at__date__gte=start, starts_at__date__lte=end)
                  .exclude(state=EventState.CANCELLED).order_by("starts_at")
                  .annotate(invited=Count("guests", distinct=True),
                            present=Count("guests", filter=Q(guests__checked_in_at__isnull=False), distinct=True)))
    tasks = Assignment.objects.filter(unit=unit, task__due_date__gte=start, task__due_date__lte=end).aggregate(
        total=Count("pk"), accepted=Count("pk", filter=Q(state=AssignmentState.ACCEPTED)),
        late=Count("pk", filter=overdue_q(jalali.today())))
    activities = Activity.objects.filter(unit=unit, date__gte=start, date__lte=end).aggregate(
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in ActivityKind.values},
        people=Sum("participants", default=0))
    contents = OccasionContent.objects.filter(unit=unit, sent_at__date__gte=start, sent_at__date__lte=end)
    low = SupplyItem.objects.filter(unit=unit).annotate(
        lent=Sum("loans__quantity", filter=Q(loans__returned_at__isnull=True), default=0)).values_list(
        "name", "quantity", "lent", "min_quantity")
    shortages = [name for name, quantity, lent, minimum in low if quantity - lent < minimum]
    occasions = Occasion.objects.filter(date__gte=start, date__lte=end).order_by("date")
    highlights = []
    if occasions:
        highlights.append("مناسبت‌های ماه: " + "، ".join(f"{o.title} ({jalali.format_date(o.date)})"
                                                          for o in occasions))
    highlights += [f"محتوای «{c.title}» برای {c.occasion.title}" for c in contents.select_related("occasion")]
    if shortages:
        highlights.append("کمبود وسایل تشریفات: " + "، ".join(shortages))
    return {
        "counts": [["مراسم برگزارشده", sum(1 for e in events if e.state == EventState.HELD)],
                   ["مأموریت‌های اداره کل با مهلت در این ماه", tasks["total"]],
                   ["مأموریت‌های پذیرفته‌شده", tasks["accepted"]],
                   ["مأموریت‌های گذشته از مهلت", tasks["late"]],
                   ["شرکت در مراسم و راهپیمایی", activities[ActivityKind.CEREMONY] + activities[ActivityKind.MARCH]],
                   ["برنامه‌های فرهنگی و اخلاق اداری", activities[ActivityKind.CULTURE] + activities[ActivityKind.ETHICS]],
                   ["محتوای مناسبتی فرستاده", contents.count()]],
        "table": {"headers": ["تاریخ", "مراسم", "نوع", "وضعیت", "دعوت‌شده", "حاضر"],
                  "rows": [[jalali.format_date(e.starts_at), e.title, e.get_kind_display(), e.get_state_display(),
                            e.invited, e.attendance if e.attendance is not None else e.present] for e in events]},
        "highlights": highlights,
    }
