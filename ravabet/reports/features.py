"""What the reports part declares: problems and challenges (B4) and their solutions (D3); B3
(achievements and activities) is served by the news part and only linked from here. The unit's
introduction (B9) is declared by the offices part."""

from django.db.models import Count, Q
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
from ravabet.offices.features import b9_count
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES

from .models import Kind, Source, State, UnitReport

register_feature(
    Feature(key="reports.problems", title="گزارش مشکلات و چالش‌ها به اداره کل", url_name="reports:list",
            items=("B4", "D3"), roles=WORK_ROLES),
    Feature(key="reports.new_problem", title="ثبت مشکل یا راهکار تازه", url_name="reports:create",
            items=("B4", "D3"), roles=UNIT_ROLES, in_nav=False),
    # Achievements and activities (B3) are reported as news; this entry only points there.
    Feature(key="reports.achievements", title="انعکاس موفقیت‌ها و فعالیت‌ها (اخبار واحد)", url_name="news:mine",
            items=("B3",), roles=UNIT_ROLES, in_nav=False),
)


@register_todo
def reports_todo(access, unit) -> list[HomeEntry]:
    if unit is None or unit.is_hq:
        return []
    row = UnitReport.objects.filter(unit=unit).aggregate(
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        answered=Count("pk", filter=Q(state=State.ACTION)),
    )
    url = reverse("reports:list")
    entries = []
    if row["drafts"]:
        entries.append(HomeEntry(title="گزارش پیش‌نویس که به اداره کل فرستاده نشده", url=f"{url}?state={State.DRAFT}",
                                 count=row["drafts"], level="warning"))
    if row["answered"]:
        entries.append(HomeEntry(title="گزارش در دست اقدام اداره کل", url=f"{url}?state={State.ACTION}",
                                 count=row["answered"]))
    return entries


@register_review
def reports_review(access) -> list[HomeEntry]:
    units = access.unit_ids(HQ_ROLES)
    row = UnitReport.objects.filter(unit__in=units).aggregate(
        sent=Count("pk", filter=Q(state=State.SENT)),
        overdue=Count("pk", filter=Q(state=State.ACTION, followup_due__lt=timezone.localdate())),
    )
    url = reverse("reports:list")
    entries = []
    if row["sent"]:
        entries.append(HomeEntry(title="گزارش مشکل و راهکار واحدها در انتظار پاسخ", url=f"{url}?state={State.SENT}",
                                 count=row["sent"]))
    if row["overdue"]:
        entries.append(HomeEntry(title="پیگیری گزارش واحدها گذشته از مهلت", url=f"{url}?followup=overdue",
                                 count=row["overdue"], level="danger"))
    return entries


def _sent(unit, start, end):
    return UnitReport.objects.filter(unit=unit, **jalali.in_days("sent_at", start, end))


@register_indicator("B4", "مشکل و چالش گزارش‌شده به اداره کل")
def b4_count(unit, start, end) -> int:
    return _sent(unit, start, end).filter(kind=Kind.PROBLEM).count()


@register_indicator("D3", "راهکار حل مشکل گزارش‌شده به اداره کل")
def d3_count(unit, start, end) -> int:
    return _sent(unit, start, end).filter(kind=Kind.SOLUTION).count()


@register_report_section("reports", "مشکلات و راهکارهای گزارش‌شده به اداره کل", order=25, items=("B4", "D3", "B9"))
def reports_section(unit, start, end) -> dict:
    reports = list(_sent(unit, start, end).select_related("solves").order_by("sent_at", "pk"))
    problems = [r for r in reports if r.kind == Kind.PROBLEM]
    solutions = [r for r in reports if r.kind == Kind.SOLUTION]
    counts = [["مشکل و چالش", len(problems)], ["راهکار", len(solutions)]]
    counts += [[f"مشکل مورد توجه {label}", sum(1 for r in problems if r.source == value)]
               for value, label in Source.choices]
    highlights = [f"راهکار «{r.subject}» برای مشکل «{r.solves.subject}»" for r in solutions if r.solves]
    if b9_count(unit, start, end):
        highlights.append("معرفی‌نامه واحد برای اداره کل فرستاده شد.")
    return {
        "counts": counts,
        "table": {"headers": ["نوع", "موضوع", "خاستگاه", "فوریت", "وضعیت"],
                  "rows": [[r.get_kind_display(), r.subject, r.get_source_display(), r.get_urgency_display(),
                            r.get_state_display()] for r in reports]},
        "highlights": highlights,
    }
