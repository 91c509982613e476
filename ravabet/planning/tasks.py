"""Reminder of the monthly report a few days before HQ's deadline; hourly refresh of plans' progress."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import F
from django.tasks import task
from django.urls import reverse

from ravabet.jobs.registry import periodic
from ravabet.lib import jalali
from ravabet.offices.models import Unit, UnitKind
from ravabet.offices.roles import Role
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.outbox.services import notify, queue_sms

from .models import Channel, Decision, MonthlyReport, PlanningSettings, ReportState, period_label, report_due_date

SENT = {ReportState.SUBMITTED, ReportState.ACCEPTED}


def remind_reports(today: dt.date | None = None) -> int:
    """Notify (and text) every county officer whose last month's report has not gone to HQ,
    from `reminder_days_before` days before the deadline. Keys make a second run add nothing."""
    today = today or jalali.today()
    current = PlanningSettings.load()
    j = jalali.to_jalali(today)
    year, month = (j.year - 1, 12) if j.month == 1 else (j.year, j.month - 1)
    due = report_due_date(year, month, current.report_due_day)
    if not due - dt.timedelta(days=current.reminder_days_before) <= today <= due:
        return 0
    sent_units = set(MonthlyReport.objects.filter(year=year, month=month, state__in=SENT)
                     .values_list("unit_id", flat=True))
    units = Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).exclude(pk__in=sent_units)
    period = f"{jalali.month_name(month)} {year}"
    count = 0
    for officer, unit in _officers_of(units):
        key = f"planning.report_reminder:{unit.pk}:{year}-{month}:{officer.pk}"
        body = f"گزارش عملکرد {period} {unit.name} تا {jalali.format_date(due)} باید به اداره کل برسد."
        notify(user=officer, title="یادآوری گزارش عملکرد ماهانه", body=body,
               url=reverse("planning:reports"), key=key)
        if officer.mobile:
            queue_sms(to=officer.mobile, body=body, key=key, unit=unit, source="planning.report_reminder")
        count += 1
    return count


def _officers_of(units) -> list:
    """(PR officer, unit) for every active PR officer of the units (one query for both)."""
    units = list(units)
    unit_by_id = {unit.pk: unit for unit in units}
    officers = get_user_model().objects.filter(
        memberships__unit__in=units, memberships__role=Role.PR_OFFICER, is_active=True,
    ).annotate(officer_unit_id=F("memberships__unit_id"))
    return [(officer, unit_by_id[officer.officer_unit_id]) for officer in officers]


# A5: the month's channel statistics are entered in the first days of the next month.
FIGURES_REMINDER_DAYS = 5


def remind_channel_figures(today: dt.date | None = None) -> int:
    """On the first FIGURES_REMINDER_DAYS days of a Jalali month, notify the PR officer of every county
    with a live channel that has no statistics for the month just ended (A5). Once per officer and
    month (notification keys). Returns the number of notices made by this run."""
    today = today or jalali.today()
    j = jalali.to_jalali(today)
    if j.day > FIGURES_REMINDER_DAYS:
        return 0
    year, month = (j.year - 1, 12) if j.month == 1 else (j.year, j.month - 1)
    live = Channel.objects.filter(is_archived=False, is_active=True, unit__kind=UnitKind.COUNTY, unit__is_active=True)
    missing = live.exclude(figures__year=year, figures__month=month).values("unit_id")
    period = period_label(year, month)
    count = 0
    for officer, unit in _officers_of(Unit.objects.filter(pk__in=missing)):
        _, created = Notification.objects.get_or_create(
            key=f"planning.figures_reminder:{unit.pk}:{year}-{month}:{officer.pk}",
            defaults={"user": officer, "title": "یادآوری آمار ماهانه کانال‌ها",
                      "body": f"آمار {period} کانال‌های {unit.name} (مطالب، اعضا، بازدید) هنوز ثبت نشده است.",
                      "url": reverse("planning:channels")})
        count += created
    return count


@task
def remind_figures() -> int:
    return remind_channel_figures()


periodic("planning.remind_channel_figures", every_minutes=720)(remind_figures)


@task
def remind_monthly_reports() -> int:
    return remind_reports()


periodic("planning.remind_monthly_reports", every_minutes=360)(remind_monthly_reports)


def remind_decisions(today: dt.date | None = None) -> int:
    """Remind the owner of every open meeting decision (A3, F1, F6) due within HQ's
    `reminder_days_before` days (today included): an in-app notice, or an SMS through the outbox when
    the owner has no account. Once per decision and due date (a moved due date reminds again).
    Returns the number of reminders made by this run."""
    today = today or jalali.today()
    horizon = today + dt.timedelta(days=PlanningSettings.load().reminder_days_before)
    decisions = Decision.objects.filter(done=False, meeting__is_archived=False, owner__isnull=False,
                                        due_date__range=(today, horizon)) \
        .select_related("owner__user", "meeting", "unit")
    decisions = {f"planning.decision_reminder:{d.pk}:{d.due_date.isoformat()}": d for d in decisions}
    done = set(Notification.objects.filter(key__in=list(decisions)).values_list("key", flat=True)) \
        | set(OutboxMessage.objects.filter(idempotency_key__in=list(decisions)).values_list("idempotency_key", flat=True))
    count = 0
    for key, decision in decisions.items():
        owner = decision.owner
        body = (f"مصوبه جلسه «{decision.meeting.title[:60]}»: {decision.text}\n"
                f"مهلت: {jalali.format_date(decision.due_date)}")
        if key in done:
            continue
        if owner.user_id and owner.user.is_active:
            notify(user=owner.user, title="یادآوری مهلت مصوبه جلسه", body=body, url=reverse("planning:mine"), key=key)
        elif owner.mobile:
            queue_sms(to=owner.mobile, body=body, key=key, unit=decision.unit, source="planning.decision_reminder")
        else:
            continue
        count += 1
    return count


@task
def remind_decision_owners() -> int:
    return remind_decisions()


periodic("planning.remind_decision_owners", every_minutes=360)(remind_decision_owners)


@task
def refresh_plan_progress() -> int:
    """Plans' stored progress summaries follow the records other parts add during the day."""
    from .selectors import refresh_summaries

    return refresh_summaries()


periodic("planning.refresh_plan_progress", every_minutes=60)(refresh_plan_progress)
