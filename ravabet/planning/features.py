"""What the planning part declares: its features (A1-A5, F1, F6), the evidence counts its
records give other parts' plan items and the scorecard, its monthly-report sections, and
the entries of the home pages."""

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
from ravabet.lib.instruction import item_short
from ravabet.offices.roles import ALL_ROLES, HQ_ROLES, UNIT_ROLES

from .models import (
    MEETING_ITEMS,
    ChannelFigure,
    Decision,
    Meeting,
    MeetingKind,
    MonthlyReport,
    Plan,
    PlanItem,
    PlanState,
    ReportState,
    Training,
    report_due_date,
)

WORK = HQ_ROLES | UNIT_ROLES

register_feature(
    Feature(key="planning.plans", title="برنامه‌های عملیاتی سالانه و ماهانه", url_name="planning:plans",
            items=("A1",), roles=WORK),
    Feature(key="planning.reports", title="گزارش عملکرد ماهانه", url_name="planning:reports",
            items=("A2",), roles=WORK),
    Feature(key="planning.meetings", title="جلسه‌ها و صورت‌جلسه‌ها", url_name="planning:meetings",
            items=("A3", "F1", "F6"), roles=WORK),
    Feature(key="planning.decisions", title="پیگیری مصوبات جلسه‌ها", url_name="planning:decisions",
            items=("A3", "F6"), roles=WORK, section="A"),
    Feature(key="planning.mine", title="جلسه‌ها و مصوبات من", url_name="planning:mine",
            items=("A3", "F6"), roles=ALL_ROLES, section="A"),
    Feature(key="planning.trainings", title="آموزش کارکنان روابط عمومی", url_name="planning:trainings",
            items=("A4",), roles=WORK),
    Feature(key="planning.channels", title="روابط عمومی الکترونیک", url_name="planning:channels",
            items=("A5",), roles=WORK),
    Feature(key="planning.channel_compare", title="مقایسه روابط عمومی الکترونیک واحدها",
            url_name="planning:channel_compare", items=("A5",), roles=HQ_ROLES),
    Feature(key="planning.report_states", title="وضعیت گزارش‌های ماهانه واحدها", url_name="planning:report_states",
            items=("A2",), roles=HQ_ROLES),
    Feature(key="planning.settings", title="تنظیمات برنامه‌ریزی و گزارش", url_name="planning:settings",
            items=(), roles=HQ_ROLES, section="A"),
)


# --- Evidence counts (inclusive dates) ----------------------------------------------------------

def _meetings_between(unit, start, end):
    return Meeting.objects.filter(unit=unit, **jalali.in_days("starts_at", start, end), is_archived=False)


def _meeting_indicator(kind):
    def count(unit, start, end) -> int:
        return _meetings_between(unit, start, end).filter(kind=kind).count()
    return count


for _kind, _item in MEETING_ITEMS.items():
    register_indicator(_item, f"تعداد {MeetingKind(_kind).label.split(' (')[0]}")(_meeting_indicator(_kind))


@register_indicator("A1", "بندهای برنامه تأییدشده با سررسید در این بازه")
def plan_items_due(unit, start, end) -> int:
    return PlanItem.objects.filter(plan__unit=unit, plan__state=PlanState.APPROVED,
                                   due_date__range=(start, end)).count()


@register_indicator("A2", "گزارش‌های ماهانه فرستاده‌شده")
def reports_submitted(unit, start, end) -> int:
    return MonthlyReport.objects.filter(unit=unit, **jalali.in_days("submitted_at", start, end)).count()


@register_indicator("A4", "دوره‌ها و خودآموزی‌های ثبت‌شده")
def trainings_recorded(unit, start, end) -> int:
    return Training.objects.filter(unit=unit, date__range=(start, end), is_archived=False).count()


@register_indicator("A5", "مطالب منتشرشده در کانال‌های مجازی")
def channel_posts(unit, start, end) -> int:
    months = _months_between(start, end)
    query = Q()
    for year, month in months:
        query |= Q(year=year, month=month)
    return ChannelFigure.objects.filter(query, channel__unit=unit, channel__is_archived=False).aggregate(total=Sum("posts", default=0))["total"]


def _months_between(start, end) -> list[tuple[int, int]]:
    first, last = jalali.to_jalali(start), jalali.to_jalali(end)
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- Monthly report sections --------------------------------------------------------------------

@register_report_section("planning.meetings", "جلسه‌ها", order=10, items=("A3", "F1", "F6"))
def meetings_section(unit, start, end) -> dict:
    meetings = list(_meetings_between(unit, start, end).annotate(
        present=Count("attendances", filter=Q(attendances__present=True), distinct=True),
        decision_count=Count("decisions", distinct=True)).order_by("starts_at"))
    by_kind = {kind: sum(1 for m in meetings if m.kind == kind) for kind in MeetingKind.values}
    open_decisions = Decision.objects.filter(unit=unit, done=False, due_date__lte=end,
                                             meeting__is_archived=False).count()
    return {
        "counts": [[MeetingKind(kind).label.split(" (")[0], by_kind[kind]] for kind in MeetingKind.values]
        + [["مصوبات باز تا پایان ماه", open_decisions]],
        "table": {"headers": ["تاریخ", "موضوع", "نوع", "حاضران", "مصوبات"],
                  "rows": [[jalali.format_date(m.starts_at), m.title, m.get_kind_display().split(" (")[0],
                            m.present, m.decision_count] for m in meetings[:40]]} if meetings else None,
    }


@register_report_section("planning.trainings", "آموزش کارکنان", order=20, items=("A4",))
def trainings_section(unit, start, end) -> dict:
    trainings = list(Training.objects.filter(unit=unit, date__range=(start, end), is_archived=False)
                     .select_related("person")
                     .order_by("date"))
    hours = sum(t.hours for t in trainings)
    return {
        "counts": [["دوره و خودآموزی", len(trainings)], ["ساعت آموزش", float(hours)],
                   ["فراگیران", len({t.person_id for t in trainings})]],
        "table": {"headers": ["تاریخ", "عنوان", "فراگیر", "ساعت"],
                  "rows": [[jalali.format_date(t.date), t.title, t.person.full_name, float(t.hours)]
                           for t in trainings[:40]]} if trainings else None,
    }


@register_report_section("planning.channels", "روابط عمومی الکترونیک", order=30, items=("A5",))
def channels_section(unit, start, end) -> dict:
    j = jalali.to_jalali(start)
    figures = list(ChannelFigure.objects.filter(channel__unit=unit, channel__is_archived=False, year=j.year,
                                               month=j.month)
                   .select_related("channel").order_by("channel__name"))
    return {
        "counts": [["مطالب منتشرشده", sum(f.posts for f in figures)],
                   ["بازدید", sum(f.views for f in figures)],
                   ["اعضا و دنبال‌کنندگان", sum(f.members for f in figures)]],
        "table": {"headers": ["کانال", "نوع", "مطالب", "اعضا", "بازدید"],
                  "rows": [[f.channel.name, f.channel.get_platform_display(), f.posts, f.members, f.views]
                           for f in figures]} if figures else None,
    }


@register_report_section("planning.plans", "پیشرفت برنامه عملیاتی", order=5, items=("A1",))
def plans_section(unit, start, end) -> dict:
    from .selectors import plan_progress

    j = jalali.to_jalali(start)
    plan = Plan.objects.filter(unit=unit, year=j.year, month=j.month).first()
    if plan is None:
        return {"highlights": ["برای این ماه برنامه عملیاتی ثبت نشده است."]}
    progress = plan_progress(plan, today=min(end, jalali.today()))
    return {
        "counts": [["بندهای برنامه", len(progress)], ["انجام‌شده", sum(p.done for p in progress)],
                   ["عقب از برنامه", sum(p.behind for p in progress)]],
        "table": {"headers": ["کار", "بندها", "هدف", "انجام", "درصد"],
                  "rows": [[p.item.title, "، ".join(item_short(code) for code in p.item.codes),
                            p.item.target_count or jalali.format_date(p.item.target_date), p.actual, p.percent]
                           for p in progress]},
    }


# --- Home pages ---------------------------------------------------------------------------------

@register_todo
def planning_todo(access, unit) -> list[HomeEntry]:
    from .selectors import plan_progress

    entries = []
    today = jalali.today()
    year, month = jalali.current_month()
    plan = Plan.objects.filter(unit=unit, year=year, month=month, state=PlanState.APPROVED).first() \
        or Plan.objects.filter(unit=unit, year=year, month=None, state=PlanState.APPROVED).first()
    if plan is not None:
        behind = sum(p.behind for p in plan_progress(plan, today=today))
        if behind:
            entries.append(HomeEntry(title=f"بندهای عقب‌مانده برنامه {plan.period_label}", count=behind,
                                     level="danger", url=reverse("planning:plan_detail", args=[plan.pk])))
    decisions = Decision.objects.filter(unit=unit, done=False, meeting__is_archived=False,
                                        due_date__lte=today + dt.timedelta(days=3)) \
        .aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    if decisions["total"]:
        entries.append(HomeEntry(title="مصوبات جلسه‌ها که مهلتشان رسیده", count=decisions["total"],
                                 level="danger" if decisions["overdue"] else "warning",
                                 url=reverse("planning:decisions")))
    last_year, last_month = (year - 1, 12) if month == 1 else (year, month - 1)
    report = MonthlyReport.objects.filter(unit=unit, year=last_year, month=last_month).only("state").first()
    # A report waiting for the manager's approval is in the home page's "waiting for you" list (its workflow).
    if report is None or report.state not in (ReportState.SUBMITTED, ReportState.ACCEPTED):
        due = report_due_date(last_year, last_month)
        entries.append(HomeEntry(
            title=f"گزارش عملکرد {jalali.month_name(last_month)} هنوز فرستاده نشده است",
            detail=f"مهلت {jalali.format_date(due)}", level="danger" if today > due else "warning",
            url=reverse("planning:report_detail", args=[report.pk]) if report else reverse("planning:reports")))
    return entries


@register_review
def planning_review(access) -> list[HomeEntry]:
    unit_ids = access.unit_ids(HQ_ROLES)
    plans = Plan.objects.filter(unit_id__in=unit_ids, state=PlanState.SUBMITTED).count()
    reports = MonthlyReport.objects.filter(unit_id__in=unit_ids, state=ReportState.SUBMITTED) \
        .aggregate(total=Count("pk"))
    entries = []
    if plans:
        entries.append(HomeEntry(title="برنامه‌های عملیاتی در انتظار بررسی", count=plans,
                                 url=reverse("planning:plan_queue")))
    if reports["total"]:
        entries.append(HomeEntry(title="گزارش‌های ماهانه در انتظار بررسی", count=reports["total"],
                                 url=reverse("planning:reports") + "?state=submitted"))
    return entries
