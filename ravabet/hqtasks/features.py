"""What the HQ tasks part declares: features and their instruction item (F7), home-page entries, the
indicator and the monthly report section."""

from django.db.models import Count, Q
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

from .models import ASSIGNERS, Assignment, AssignmentState
from .services import overdue_q

register_feature(
    Feature(key="hqtasks.list", title="مأموریت‌های اداره کل", url_name="hqtasks:list", items=("F7",),
            roles=WORK_ROLES),
    Feature(key="hqtasks.create", title="ابلاغ مأموریت به واحدها", url_name="hqtasks:create", items=("F7",),
            roles=ASSIGNERS),
)


@register_todo
def hqtasks_todo(access, unit) -> list[HomeEntry]:
    """The unit's overdue, open and returned assignments on the home page of someone working in it."""
    if unit is None or not access.has_role(unit, WORK_ROLES):
        return []
    url = reverse("hqtasks:list")
    row = Assignment.objects.filter(unit=unit).aggregate(
        open=Count("pk", filter=Q(state=AssignmentState.OPEN)),
        returned=Count("pk", filter=Q(state=AssignmentState.RETURNED)),
        overdue=Count("pk", filter=overdue_q(jalali.today())))
    entries = []
    if row["overdue"]:
        entries.append(HomeEntry(title="مأموریت اداره کل گذشته از مهلت", url=f"{url}?state=overdue",
                                 count=row["overdue"], level="danger"))
    if row["open"]:
        entries.append(HomeEntry(title="مأموریت اداره کل در دست انجام", url=f"{url}?state=open", count=row["open"]))
    if row["returned"]:
        entries.append(HomeEntry(title="مأموریت برگشتی برای تکمیل", url=f"{url}?state=returned",
                                 count=row["returned"], level="warning"))
    return entries


@register_review
def hqtasks_review(access) -> list[HomeEntry]:
    """Evidence waiting for HQ's review and assignments past their due date, in HQ's units."""
    row = Assignment.objects.filter(unit__in=access.unit_ids(HQ_ROLES)).aggregate(
        done=Count("pk", filter=Q(state=AssignmentState.DONE)), overdue=Count("pk", filter=overdue_q(jalali.today())))
    url = reverse("hqtasks:list")
    entries = []
    if row["done"]:
        entries.append(HomeEntry(title="گزارش انجام مأموریت در انتظار بررسی", url=f"{url}?state=done",
                                 count=row["done"]))
    if row["overdue"]:
        entries.append(HomeEntry(title="مأموریت واحدها گذشته از مهلت", url=f"{url}?state=overdue",
                                 count=row["overdue"], level="danger"))
    return entries


@register_indicator("F7", "مأموریت اداره کل که پذیرفته شد")
def f7_count(unit, start, end) -> int:
    return Assignment.objects.filter(unit=unit, state=AssignmentState.ACCEPTED, **jalali.in_days("reviewed_at", start, end)).count()


@register_report_section("hqtasks", "مأموریت‌های اداره کل", order=72, items=("F7",))
def hqtasks_section(unit, start, end) -> dict:
    """The month's tasks of the unit: how many were due, accepted and late (F7)."""
    tasks = Assignment.objects.filter(unit=unit, task__due_date__gte=start, task__due_date__lte=end).aggregate(
        total=Count("pk"), accepted=Count("pk", filter=Q(state=AssignmentState.ACCEPTED)),
        late=Count("pk", filter=overdue_q(jalali.today())))
    return {"counts": [["مأموریت‌های اداره کل با مهلت در این ماه", tasks["total"]],
                       ["مأموریت‌های پذیرفته‌شده", tasks["accepted"]],
                       ["مأموریت‌های گذشته از مهلت", tasks["late"]]]}
