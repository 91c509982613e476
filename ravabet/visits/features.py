"""What the visits part declares: its features (D6), the evidence count, its monthly-report
section and the home-page entries."""

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
from ravabet.offices.access import scoped
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES

from .models import ActionState, FollowUp, State, Visit

WORK = UNIT_ROLES | HQ_ROLES

register_feature(
    Feature(key="visits.list", title="بازدیدهای میدانی", url_name="visits:list", items=("D6",), roles=WORK),
    Feature(key="visits.monthly", title="برنامه و انجام بازدیدهای ماه", url_name="visits:monthly", items=("D6",),
            roles=WORK),
    Feature(key="visits.places", title="محل‌های تحت پوشش و آخرین بازدید", url_name="visits:places", items=("D6",),
            roles=WORK),
    Feature(key="visits.actions", title="اقدام‌های پیگیری بازدید", url_name="visits:actions", items=("D6",),
            roles=WORK, in_nav=False),
)


@register_indicator("D6", "بازدیدهای انجام‌شده از محیط‌های تحت پوشش")
def count_done_visits(unit, start, end) -> int:
    return Visit.objects.filter(unit=unit, state=State.DONE, done_on__range=(start, end)).count()


@register_report_section("visits.field", "بازدیدهای میدانی", order=75, items=("D6",))
def visits_section(unit, start, end) -> dict:
    planned = Visit.objects.filter(unit=unit, planned_on__range=(start, end)).aggregate(
        planned=Count("id", filter=~Q(state=State.CANCELLED)), done=Count("id", filter=Q(state=State.DONE)))
    done = list(Visit.objects.filter(unit=unit, state=State.DONE, done_on__range=(start, end)).annotate(
        action_count=Count("actions")).order_by("done_on")[:40])
    open_actions = FollowUp.objects.filter(unit=unit, state=ActionState.OPEN).count()
    late_actions = FollowUp.objects.filter(unit=unit, state=ActionState.OPEN, due_on__lt=min(end, jalali.today()))
    return {
        "counts": [["بازدیدهای برنامه‌ریزی‌شده در ماه", planned["planned"]],
                   ["انجام‌شده از برنامه ماه", planned["done"]],
                   ["بازدیدهای انجام‌شده در ماه", len(done)],
                   ["اقدام‌های پیگیری باز", open_actions],
                   ["اقدام‌های گذشته از مهلت", late_actions.count()]],
        "table": {"headers": ["تاریخ", "محل", "یافته‌ها", "اقدام‌ها"],
                  "rows": [[jalali.format_date(v.done_on), v.place, v.findings[:200], v.action_count]
                           for v in done]} if done else None,
    }


@register_todo
def visits_todo(access, unit) -> list[HomeEntry]:
    today = jalali.today()
    entries = []
    mine = FollowUp.objects.filter(owner__user=access.user, state=ActionState.OPEN).aggregate(
        open=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
    if mine["open"]:
        entries.append(HomeEntry(title="اقدام‌های پیگیری بازدید که به من سپرده شده", count=mine["open"],
                                 url=reverse("visits:actions"), level="danger" if mine["late"] else ""))
    if unit is None or not access.has_role(unit, WORK):
        return entries
    late = Visit.objects.filter(unit=unit, state=State.PLANNED, planned_on__lt=today).count()
    if late:
        entries.append(HomeEntry(title="بازدیدهای برنامه‌ریزی‌شده‌ای که انجامشان ثبت نشده", count=late,
                                 url=reverse("visits:list") + "?overdue=1", level="danger"))
    due = FollowUp.objects.filter(unit=unit, state=ActionState.OPEN, due_on__lt=today).count()
    if due:
        entries.append(HomeEntry(title="اقدام‌های پیگیری بازدید گذشته از مهلت", count=due,
                                 url=reverse("visits:actions") + "?overdue=1", level="danger"))
    upcoming = Visit.objects.filter(unit=unit, state=State.PLANNED, planned_on=today).count()
    if upcoming:
        entries.append(HomeEntry(title="بازدیدهای امروز", count=upcoming, url=reverse("visits:list") + "?state=planned"))
    return entries


@register_review
def visits_review(access) -> list[HomeEntry]:
    due = scoped(access, FollowUp.objects.filter(state=ActionState.OPEN, due_on__lt=jalali.today()),
                 HQ_ROLES).count()
    if not due:
        return []
    return [HomeEntry(title="اقدام‌های پیگیری بازدید گذشته از مهلت در واحدها", count=due, level="warning",
                      url=reverse("visits:actions") + "?overdue=1")]
