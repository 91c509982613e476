"""How HQ measures the planning items (A1-A5, F1, F6) in its evaluation of units (issue 10)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import (
    ChannelFigure,
    Meeting,
    MeetingKind,
    MonthlyReport,
    PlanItem,
    PlanState,
    ReportState,
    Training,
    report_due_dates,
)

SENT_REPORT = Q(state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED])

# A2's timeliness (issue 10 §1: "A2 the report submitted by the 5th working day of the next month"): a report
# that reaches HQ by then earns the month in full, a later one REPORT_LATE_CREDIT of it, a missing one nothing.
REPORT_DUE_WORKING_DAY = 5
REPORT_LATE_CREDIT = Decimal("0.5")


def report_deadlines(months: list[tuple[int, int]]) -> dict[tuple[int, int], dt.date]:
    """For Jalali (year, month) pairs, {pair: the Gregorian date of the REPORT_DUE_WORKING_DAY-th working
    day of the following Jalali month} — the last day a monthly report (A2) is on time (one calendar read)."""
    return report_due_dates(months, REPORT_DUE_WORKING_DAY)


declare(
    Measure(item="A1", label="بند برنامه تأییدشده با سررسید در دوره", model=PlanItem, unit="plan__unit_id",
            date="due_date", done=Q(plan__state=PlanState.APPROVED), target=Decimal(1)),
    Measure(item="A2", label="گزارش عملکرد ماهانه فرستاده‌شده", model=MonthlyReport, month_fields=("year", "month"),
            done=SENT_REPORT, target=Decimal(1), quality=True, kind="timely", submitted="submitted_at",
            deadlines=report_deadlines, late_credit=REPORT_LATE_CREDIT,
            note="یک گزارش برای هر ماه دوره، فرستاده‌شده به اداره کل تا پنجمین روز کاری ماه بعد: به‌موقع امتیاز کامل، "
                 "دیرتر نیمی از آن، نرسیده صفر."),
    Measure(item="A3", label="جلسه مدیران و مسئولان", model=Meeting, date="starts_at",
            done=Q(kind=MeetingKind.OFFICIALS, is_archived=False), target=Decimal(1), title="title",
            link="planning:meeting_detail"),
    Measure(item="A4", label="دوره و خودآموزی ثبت‌شده", model=Training, date="date", done=Q(is_archived=False),
            target=Decimal(1)),
    Measure(item="A5", label="مطالب منتشرشده در کانال‌های مجازی", model=ChannelFigure, unit="channel__unit_id",
            month_fields=("year", "month"), done=Q(channel__is_archived=False), per="sum", amount="posts",
            target=Decimal(20)),
    Measure(item="F1", label="جلسه هماهنگی مراسم و مناسبت‌ها", model=Meeting, date="starts_at",
            done=Q(kind=MeetingKind.COORDINATION, is_archived=False), target=Decimal(1), title="title", link="planning:meeting_detail",
            note="جلسه‌ای که تاریخش هنوز نرسیده شمرده نمی‌شود."),
    Measure(item="F6", label="جلسه رئیس اداره با کارکنان", model=Meeting, date="starts_at",
            done=Q(kind=MeetingKind.STAFF, is_archived=False), target=Decimal(1), title="title",
            link="planning:meeting_detail"),
)
