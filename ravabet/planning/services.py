"""Writes of the planning part: each checks permission, validates, saves and is logged."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.services import changes, log_action, snapshot
from ravabet.lib.digits import to_persian_digits
from ravabet.offices.access import access_for
from ravabet.offices.models import Unit
from ravabet.offices.roles import HQ_ROLES, Role
from ravabet.outbox.services import notify

from .models import (
    PLAN_TRANSITIONS,
    REPORT_TRANSITIONS,
    Attendance,
    Channel,
    ChannelFigure,
    Decision,
    Meeting,
    MonthlyReport,
    Plan,
    PlanningSettings,
    PlanState,
    ReportState,
    Training,
)
from .selectors import compile_sections, store_summary

UNIT_EDITORS = HQ_ROLES | {Role.PR_OFFICER, Role.UNIT_MANAGER}
OWN_UNIT = {Role.PR_OFFICER, Role.UNIT_MANAGER}


def _users_with(units, roles):
    return get_user_model().objects.filter(memberships__unit__in=units, memberships__role__in=roles,
                                           is_active=True).distinct()


def _hq_users(unit: Unit):
    ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    return _users_with(ancestors, HQ_ROLES)


def _require_editable(record, message: str) -> None:
    if not record.is_editable:
        raise ValidationError(message)


# --- Plans --------------------------------------------------------------------------------------

@transaction.atomic
def plan_save(*, plan: Plan, items: list, removed: list = (), by) -> Plan:
    """Create or edit a plan with its items; items not in `items` but in `removed` are deleted."""
    access_for(by).require(plan.unit, OWN_UNIT)
    creating = plan.pk is None
    if not creating:
        current = Plan.objects.select_for_update().get(pk=plan.pk)
        _require_editable(current, "برنامه فرستاده یا تأیید شده را نمی‌توان ویرایش کرد.")
    else:
        plan.created_by = by
    plan.full_clean()
    plan.save()
    for item in removed:
        if item.pk:
            item.delete()
    for position, item in enumerate(items):
        item.plan = plan
        item.position = position
        item.full_clean()
        item.save()
    store_summary(plan)
    log_action(actor=by, action="planning.plan_created" if creating else "planning.plan_updated",
               summary=f"{'ساخت' if creating else 'ویرایش'} برنامه {plan.period_label} با {to_persian_digits(len(items))} بند",
               target=plan, data={"items": [item.title for item in items]})
    return plan


def _move_plan(plan: Plan, to: str) -> None:
    if to not in PLAN_TRANSITIONS[plan.state]:
        messages = {PlanState.SUBMITTED: "این برنامه پیش‌تر فرستاده شده است.",
                    PlanState.APPROVED: "فقط برنامه فرستاده‌شده را می‌توان تأیید کرد.",
                    PlanState.RETURNED: "فقط برنامه فرستاده‌شده را می‌توان برگرداند."}
        raise ValidationError(messages.get(to, "این تغییر وضعیت ممکن نیست."))
    plan.state = to


@transaction.atomic
def plan_submit(*, plan: Plan, by) -> Plan:
    access_for(by).require(plan.unit, OWN_UNIT)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _move_plan(plan, PlanState.SUBMITTED)
    if not plan.items.exists():
        raise ValidationError("برنامه‌ای بی‌بند را نمی‌توان فرستاد؛ دست‌کم یک بند بیفزایید.")
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["state", "submitted_at"])
    log_action(actor=by, action="planning.plan_submitted", summary=f"ارسال برنامه {plan.period_label} به اداره کل",
               target=plan)
    url = reverse("planning:plan_detail", args=[plan.pk])
    for user in _hq_users(plan.unit):
        notify(user=user, title=f"برنامه {plan.period_label} {plan.unit.name} برای بررسی رسید", url=url,
               key=f"planning.plan_submitted:{plan.pk}:{plan.submitted_at.timestamp():.3f}:{user.pk}")
    return plan


@transaction.atomic
def plan_review(*, plan: Plan, approve: bool, comment: str = "", by) -> Plan:
    access_for(by).require(plan.unit, HQ_ROLES)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not approve and not comment.strip():
        raise ValidationError("برای برگرداندن برنامه، نظر خود را بنویسید.")
    _move_plan(plan, PlanState.APPROVED if approve else PlanState.RETURNED)
    plan.hq_comment = comment.strip()
    plan.reviewed_at = timezone.now()
    plan.save(update_fields=["state", "hq_comment", "reviewed_at"])
    verb = "تأیید" if approve else "برگرداندن"
    log_action(actor=by, action=f"planning.plan_{plan.state}", summary=f"{verb} برنامه {plan.period_label}"
               + (f": {comment.strip()}" if comment.strip() else ""), target=plan, data={"comment": comment})
    url = reverse("planning:plan_detail", args=[plan.pk])
    for user in _users_with([plan.unit], OWN_UNIT):
        notify(user=user, title=f"برنامه {plan.period_label} {'تأیید شد' if approve else 'برگشت خورد'}", url=url,
               body=comment, key=f"planning.plan_{plan.state}:{plan.pk}:{plan.reviewed_at.timestamp():.3f}:{user.pk}")
    return plan


# --- Meetings -----------------------------------------------------------------------------------

@transaction.atomic
def meeting_save(*, meeting: Meeting, present: list, absent: list, decisions: list, removed: list = (),
                 by) -> Meeting:
    access_for(by).require(meeting.unit, OWN_UNIT)
    creating = meeting.pk is None
    if creating:
        meeting.created_by = by
    if {p.pk for p in present} & {p.pk for p in absent}:
        raise ValidationError("هر نفر یا حاضر است یا غایب، نه هر دو.")
    if any(person.unit_id != meeting.unit_id for person in [*present, *absent]):
        raise ValidationError("شرکت‌کنندگان باید از کارکنان همین واحد باشند.")
    meeting.full_clean()
    meeting.save()
    meeting.attendances.all().delete()
    Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p, present=True) for p in present]
                                   + [Attendance(meeting=meeting, person=p, present=False) for p in absent])
    for decision in removed:
        if decision.pk:
            decision.delete()
    for decision in decisions:
        decision.meeting, decision.unit = meeting, meeting.unit
        decision.done_at = (decision.done_at or timezone.now()) if decision.done else None
        decision.full_clean()
        decision.save()
    log_action(actor=by, action="planning.meeting_created" if creating else "planning.meeting_updated",
               summary=f"{'ثبت' if creating else 'ویرایش'} جلسه «{meeting.title}» با {to_persian_digits(len(decisions))} مصوبه",
               target=meeting, data={"present": len(present), "absent": len(absent)})
    return meeting


@transaction.atomic
def decision_set_done(*, decision: Decision, done: bool, by) -> Decision:
    access_for(by).require(decision.unit, OWN_UNIT)
    decision.done = done
    decision.done_at = timezone.now() if done else None
    decision.save(update_fields=["done", "done_at"])
    log_action(actor=by, action="planning.decision_done" if done else "planning.decision_reopened",
               summary=f"مصوبه «{decision.text[:80]}» {'انجام شد' if done else 'دوباره باز شد'}",
               target=decision.meeting, unit=decision.unit)
    return decision


# --- Trainings ----------------------------------------------------------------------------------

@transaction.atomic
def training_save(*, training: Training, by) -> Training:
    access_for(by).require(training.unit, OWN_UNIT)
    creating = training.pk is None
    if creating:
        training.created_by = by
    training.full_clean()
    training.save()
    log_action(actor=by, action="planning.training_created" if creating else "planning.training_updated",
               summary=f"{'ثبت' if creating else 'ویرایش'} آموزش «{training.title}» برای {training.person.full_name}",
               target=training, data={"hours": str(training.hours)})
    return training


SETTINGS_FIELDS = ["yearly_training_hours", "report_due_day", "reminder_days_before"]


@transaction.atomic
def settings_update(*, by, **fields) -> PlanningSettings:
    access_for(by).require_hq()
    current = PlanningSettings.load()
    before = snapshot(current, SETTINGS_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save(update_fields=list(fields))
    log_action(actor=by, action="planning.settings_updated", summary="تغییر تنظیمات برنامه‌ریزی و گزارش ماهانه",
               target=current, data={"changes": changes(current, SETTINGS_FIELDS, before)})
    return current


# --- Electronic PR ------------------------------------------------------------------------------

@transaction.atomic
def channel_save(*, channel: Channel, by) -> Channel:
    access_for(by).require(channel.unit, OWN_UNIT)
    creating = channel.pk is None
    channel.full_clean()
    channel.save()
    log_action(actor=by, action="planning.channel_created" if creating else "planning.channel_updated",
               summary=f"{'ثبت' if creating else 'ویرایش'} کانال «{channel.name}»", target=channel)
    return channel


@transaction.atomic
def figure_record(*, channel: Channel, year: int, month: int, posts: int, members: int, views: int,
                  by) -> ChannelFigure:
    """One month's figures of a channel; recording the same month again corrects it."""
    access_for(by).require(channel.unit, OWN_UNIT)
    figure = ChannelFigure.objects.filter(channel=channel, year=year, month=month).first() \
        or ChannelFigure(channel=channel, year=year, month=month)
    figure.posts, figure.members, figure.views = posts, members, views
    figure.full_clean()
    figure.save()
    log_action(actor=by, action="planning.figures_recorded",
               summary=to_persian_digits(f"آمار {figure.period_label} کانال «{channel.name}»: {posts} مطلب، {members} عضو، {views} بازدید"),
               target=channel)
    return figure


# --- Monthly report -----------------------------------------------------------------------------

REPORT_FIELDS = ["narrative", "problems", "proposals"]


@transaction.atomic
def report_start(*, unit: Unit, year: int, month: int, by) -> MonthlyReport:
    """The unit's report of the month, created and compiled the first time."""
    access_for(by).require(unit, OWN_UNIT)
    report, created = MonthlyReport.objects.get_or_create(unit=unit, year=year, month=month,
                                                          defaults={"created_by": by})
    if created:
        report.full_clean()
        report.sections = compile_sections(unit, year, month)
        report.compiled_at = timezone.now()
        report.save(update_fields=["sections", "compiled_at"])
        log_action(actor=by, action="planning.report_created", summary=f"ساخت گزارش عملکرد {report.period_label}",
                   target=report)
    return report


def _locked_report(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)


@transaction.atomic
def report_update(*, report: MonthlyReport, by, **fields) -> MonthlyReport:
    access_for(by).require(report.unit, OWN_UNIT)
    report = _locked_report(report)
    _require_editable(report, "گزارش فرستاده یا تأییدشده را نمی‌توان ویرایش کرد.")
    before = snapshot(report, REPORT_FIELDS)
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    report.save(update_fields=list(fields))
    log_action(actor=by, action="planning.report_updated", summary=f"ویرایش متن گزارش {report.period_label}",
               target=report, data={"changes": changes(report, REPORT_FIELDS, before)})
    return report


@transaction.atomic
def report_compile(*, report: MonthlyReport, by) -> MonthlyReport:
    access_for(by).require(report.unit, OWN_UNIT)
    report = _locked_report(report)
    _require_editable(report, "ارقام گزارش فرستاده‌شده ثابت است و دوباره گردآوری نمی‌شود.")
    report.sections = compile_sections(report.unit, report.year, report.month)
    report.compiled_at = timezone.now()
    report.save(update_fields=["sections", "compiled_at"])
    log_action(actor=by, action="planning.report_compiled", summary=f"گردآوری دوباره گزارش {report.period_label}",
               target=report)
    return report


REPORT_MOVE_ERRORS = {
    ReportState.MANAGER_APPROVED: "این گزارش اکنون در وضعیتی نیست که رئیس اداره تأییدش کند.",
    ReportState.SUBMITTED: "این گزارش پیش از این فرستاده شده است یا هنوز تأیید رئیس اداره را ندارد.",
    ReportState.ACCEPTED: "فقط گزارش فرستاده‌شده را می‌توان پذیرفت.",
    ReportState.RETURNED: "فقط گزارش فرستاده‌شده را می‌توان برگرداند.",
    ReportState.DRAFT: "فقط گزارشی که رئیس اداره تأیید کرده و هنوز فرستاده نشده به پیش‌نویس برمی‌گردد.",
}


def _move_report(report: MonthlyReport, to: str) -> None:
    if to not in REPORT_TRANSITIONS[report.state]:
        if report.state == ReportState.ACCEPTED:
            raise ValidationError("این گزارش را اداره کل پذیرفته است و دیگر تغییر نمی‌کند.")
        if to == ReportState.SUBMITTED and report.state == ReportState.SUBMITTED:
            raise ValidationError("این گزارش پیش‌تر فرستاده شده است؛ دوباره فرستاده نمی‌شود.")
        raise ValidationError(REPORT_MOVE_ERRORS.get(to, "این تغییر وضعیت ممکن نیست."))
    report.state = to


@transaction.atomic
def report_approve(*, report: MonthlyReport, by) -> MonthlyReport:
    access_for(by).require(report.unit, {Role.UNIT_MANAGER})
    report = _locked_report(report)
    _move_report(report, ReportState.MANAGER_APPROVED)
    report.approved_by = by
    report.save(update_fields=["state", "approved_by"])
    log_action(actor=by, action="planning.report_approved", summary=f"تأیید گزارش {report.period_label} به دست رئیس اداره",
               target=report)
    url = reverse("planning:report_detail", args=[report.pk])
    for user in _users_with([report.unit], {Role.PR_OFFICER}):
        notify(user=user, title=f"رئیس اداره گزارش {report.period_label} را تأیید کرد؛ آن را بفرستید.", url=url)
    return report


@transaction.atomic
def report_reopen(*, report: MonthlyReport, by) -> MonthlyReport:
    """Back to draft after the manager's approval, to change the text; it needs approving again."""
    access_for(by).require(report.unit, OWN_UNIT)
    report = _locked_report(report)
    _move_report(report, ReportState.DRAFT)
    report.approved_by = None
    report.save(update_fields=["state", "approved_by"])
    log_action(actor=by, action="planning.report_reopened", summary=f"بازگرداندن گزارش {report.period_label} به پیش‌نویس",
               target=report)
    return report


@transaction.atomic
def report_submit(*, report: MonthlyReport, by) -> MonthlyReport:
    """Send to HQ, freezing the compiled figures: later edits of the records do not change them."""
    access_for(by).require(report.unit, OWN_UNIT)
    report = _locked_report(report)
    _move_report(report, ReportState.SUBMITTED)
    report.sections = compile_sections(report.unit, report.year, report.month)
    report.compiled_at = report.submitted_at = timezone.now()
    report.save(update_fields=["state", "sections", "compiled_at", "submitted_at"])
    late = report.submitted_at.date() > report.due_date()
    log_action(actor=by, action="planning.report_submitted",
               summary=f"ارسال گزارش {report.period_label} به اداره کل" + (" (پس از مهلت)" if late else ""),
               target=report, data={"late": late})
    url = reverse("planning:report_detail", args=[report.pk])
    for user in _hq_users(report.unit):
        notify(user=user, title=f"گزارش {report.period_label} {report.unit.name} رسید", url=url,
               key=f"planning.report_submitted:{report.pk}:{report.submitted_at.timestamp():.3f}:{user.pk}")
    return report


@transaction.atomic
def report_review(*, report: MonthlyReport, accept: bool, comment: str = "", by) -> MonthlyReport:
    access_for(by).require(report.unit, HQ_ROLES)
    report = _locked_report(report)
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError("برای برگرداندن گزارش، نظر خود را بنویسید.")
    _move_report(report, ReportState.ACCEPTED if accept else ReportState.RETURNED)
    report.hq_comment = comment
    report.reviewed_at = timezone.now()
    report.save(update_fields=["state", "hq_comment", "reviewed_at"])
    log_action(actor=by, action=f"planning.report_{report.state}",
               summary=("پذیرش" if accept else "برگرداندن") + f" گزارش {report.period_label}"
               + (f": {comment}" if comment else ""), target=report, data={"comment": comment})
    url = reverse("planning:report_detail", args=[report.pk])
    for user in _users_with([report.unit], OWN_UNIT):
        notify(user=user, title=f"گزارش {report.period_label} {'پذیرفته شد' if accept else 'برگشت خورد'}",
               body=comment, url=url,
               key=f"planning.report_{report.state}:{report.pk}:{report.reviewed_at.timestamp():.3f}:{user.pk}")
    return report


# --- Archive ------------------------------------------------------------------------------------

ARCHIVE_NOUNS = {Meeting: "جلسه", Training: "آموزش", Channel: "کانال"}


@transaction.atomic
def archive_set(*, record: Meeting | Training | Channel, archived: bool, by):
    """Hide a meeting, training or channel from lists, counts and reports (or bring it back).

    Nothing is deleted: HQ's frozen reports and the audit trail keep referring to it."""
    access_for(by).require(record.unit, OWN_UNIT)
    model = type(record)
    record = model.objects.select_for_update().select_related("unit").get(pk=record.pk)
    noun = ARCHIVE_NOUNS[model]
    if record.is_archived == archived:
        raise ValidationError(f"این {noun} پیش‌تر {'بایگانی شده است' if archived else 'از بایگانی درآمده است'}.")
    record.is_archived = archived
    record.archived_at = timezone.now() if archived else None
    record.save(update_fields=["is_archived", "archived_at"])
    name = getattr(record, "title", None) or record.name
    log_action(actor=by, action=f"planning.{model._meta.model_name}_{'archived' if archived else 'restored'}",
               summary=f"{'بایگانی' if archived else 'بازگرداندن از بایگانی'} {noun} «{name}»", target=record,
               unit=record.unit)
    return record
