"""Writes of the planning part that are not workflow steps: each checks permission, validates,
saves and is logged. The plan's and the monthly report's state changes are declared on their
models and made with `ravabet.workflow.engine.move`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.services import changes, log_action, snapshot
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.offices.access import access_for
from ravabet.offices.models import Unit
from ravabet.offices.roles import UNIT_ROLES, WORK_ROLES
from ravabet.outbox.services import notify, queue_sms

from .models import (
    Attendance,
    Channel,
    ChannelFigure,
    Decision,
    ItemMeasure,
    Meeting,
    MonthlyReport,
    Plan,
    PlanItem,
    PlanItemLink,
    PlanningSettings,
    Training,
)
from .selectors import compile_sections, store_summary


def _require_editable(record, message: str) -> None:
    if not record.is_editable:
        raise ValidationError(message)


# --- Plans --------------------------------------------------------------------------------------

@transaction.atomic
def plan_save(*, plan: Plan, items: list, removed: list = (), by) -> Plan:
    """Create or edit a plan with its items; items not in `items` but in `removed` are deleted. A monthly
    plan is filed under the unit's yearly plan of its year, and a new yearly plan gathers the months
    already planned (A1: the year broken into monthly plans). Raises ValidationError."""
    access_for(by).require(plan.unit, UNIT_ROLES)
    creating = plan.pk is None
    if not creating:
        current = Plan.objects.select_for_update().get(pk=plan.pk)
        _require_editable(current, "برنامه فرستاده یا تأیید شده را نمی‌توان ویرایش کرد.")
    else:
        plan.created_by = by
    plan.yearly_plan = Plan.objects.filter(unit=plan.unit_id, year=plan.year, month__isnull=True).first() \
        if plan.month else None
    plan.full_clean()
    plan.save()
    if not plan.month:
        Plan.objects.filter(unit=plan.unit_id, year=plan.year, month__isnull=False).update(yearly_plan=plan)
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


@transaction.atomic
def plan_item_links_set(*, item: PlanItem, chosen: list[str], by) -> list[PlanItemLink]:
    """Make the records linked to a plan item measured by linked records (A1) exactly `chosen`: keys
    "content_type_id:object_id" out of selectors.link_candidates(item) (anything else is refused).
    Allowed in every state of the plan: linking reports progress, it does not change the plan.
    Returns the item's links; raises ValidationError."""
    from .selectors import link_candidates

    access_for(by).require(item.plan.unit, UNIT_ROLES)
    if item.measure != ItemMeasure.RECORDS:
        raise ValidationError("پیشرفت این بند را شاخص ارزیابی می‌شمارد؛ پیوند سابقه برای آن نیست.")
    candidates = {candidate.key: candidate for candidate in link_candidates(item)}
    unknown = [key for key in chosen if key not in candidates]
    if unknown:
        raise ValidationError("سابقه‌ای برگزیده شده که از بندها و دوره این برنامه نیست.")
    current = {f"{link.content_type_id}:{link.object_id}": link for link in item.links.select_for_update()}
    removed = [link for key, link in current.items() if key not in chosen]
    added = [candidates[key] for key in dict.fromkeys(chosen) if key not in current]
    PlanItemLink.objects.filter(pk__in=[link.pk for link in removed]).delete()
    PlanItemLink.objects.bulk_create([
        PlanItemLink(item=item, content_type_id=c.content_type_id, object_id=c.object_id, code=c.code,
                     label=c.label, url=c.url, linked_by=by) for c in added])
    store_summary(item.plan)
    log_action(actor=by, action="planning.plan_item_linked", target=item.plan, unit=item.plan.unit,
               summary=f"سوابق بند «{item.title[:80]}»: {to_persian_digits(len(added))} افزوده، "
                       f"{to_persian_digits(len(removed))} برداشته",
               data={"item": item.pk, "added": [c.label for c in added], "removed": [link.label for link in removed]})
    return list(item.links.all())


# --- Meetings -----------------------------------------------------------------------------------

@transaction.atomic
def meeting_save(*, meeting: Meeting, present: list, absent: list, decisions: list, removed: list = (),
                 guests: list = (), removed_guests: list = (), by) -> Meeting:
    """Create or edit a meeting with its attendance (the unit's people present or absent), its outside
    guests (A3) and its decisions; a decision's new owner is told. Raises ValidationError."""
    access_for(by).require(meeting.unit, UNIT_ROLES)
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
    for guest in removed_guests:
        if guest.pk:
            guest.delete()
    for guest in guests:
        guest.meeting = meeting
        guest.full_clean()
        guest.save()
    for decision in removed:
        if decision.pk:
            decision.delete()
    owners_before = dict(Decision.objects.filter(pk__in=[d.pk for d in decisions if d.pk])
                         .values_list("pk", "owner_id"))
    for decision in decisions:
        decision.meeting, decision.unit = meeting, meeting.unit
        decision.done_at = (decision.done_at or timezone.now()) if decision.done else None
        decision.full_clean()
        decision.save()
        if decision.owner_id and owners_before.get(decision.pk) != decision.owner_id:
            _tell_decision_owner(decision, by)
    log_action(actor=by, action="planning.meeting_created" if creating else "planning.meeting_updated",
               summary=f"{'ثبت' if creating else 'ویرایش'} جلسه «{meeting.title}» با {to_persian_digits(len(decisions))} مصوبه",
               target=meeting, data={"present": len(present), "absent": len(absent), "guests": len(guests)})
    return meeting


@transaction.atomic
def meeting_invite(*, meeting: Meeting, by) -> int:
    """Send the invitation with the agenda before the meeting (A3/F6): an in-app notice to every
    attendee with an account, an SMS through the outbox to attendees without one and to the outside
    guests with a mobile. Sending again (a changed time or agenda) reaches everyone again; the same
    sending twice adds nothing. Returns the number of people reached; raises ValidationError once the
    meeting has begun or when it has no agenda or nobody to invite."""
    access_for(by).require(meeting.unit, UNIT_ROLES)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    if meeting.starts_at <= timezone.now():
        raise ValidationError("جلسه آغاز شده است؛ دعوت‌نامه پیش از جلسه فرستاده می‌شود.")
    if not meeting.agenda.strip():
        raise ValidationError("دستور جلسه را بنویسید؛ دعوت‌نامه با دستور جلسه فرستاده می‌شود.")
    people = [a.person for a in meeting.attendances.select_related("person__user")]
    guests = [guest for guest in meeting.guests.all() if guest.mobile]
    if not people and not guests:
        raise ValidationError("شرکت‌کننده‌ای برای دعوت ثبت نشده است؛ حاضران یا مهمانان جلسه را بیفزایید.")
    when = f"{jalali.format_datetime(meeting.starts_at)}، {meeting.place}"
    body = f"دعوت به {meeting.get_kind_display()} «{meeting.title}»\nزمان و محل: {when}\nدستور جلسه:\n{meeting.agenda}"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    url = reverse("planning:meeting_view", args=[meeting.pk])
    reached = 0
    for person in people:
        key = f"planning.meeting_invitation:{meeting.pk}:{stamp}:person:{person.pk}"
        user = person.user if person.user_id and person.user.is_active else None
        if user is not None:
            notify(user=user, title=f"دعوت به جلسه «{meeting.title[:80]}»", body=body, url=url, key=key)
        elif person.mobile:
            queue_sms(to=person.mobile, body=body, key=key, unit=meeting.unit, source="planning.meeting_invitation")
        else:
            continue
        reached += 1
    for guest in guests:
        queue_sms(to=guest.mobile, body=f"{guest.full_name} گرامی، {body}", unit=meeting.unit,
                  key=f"planning.meeting_invitation:{meeting.pk}:{stamp}:guest:{guest.pk}",
                  source="planning.meeting_invitation")
        reached += 1
    meeting.invited_at = timezone.now()
    meeting.save(update_fields=["invited_at"])
    log_action(actor=by, action="planning.meeting_invited", target=meeting,
               summary=f"ارسال دعوت‌نامه و دستور جلسه «{meeting.title}» برای {to_persian_digits(reached)} نفر",
               data={"reached": reached})
    return reached


@transaction.atomic
def meeting_sign_minutes(*, meeting: Meeting, upload, by) -> Meeting:
    """Keep the signed minutes (scanned or photographed, already through the upload pipeline) of a
    meeting (A3/F6); a new upload replaces the earlier one, the log keeps both names."""
    access_for(by).require(meeting.unit, UNIT_ROLES)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    replaced = meeting.signed_minutes.name if meeting.signed_minutes else ""
    meeting.signed_minutes = upload
    meeting.signed_minutes_at = timezone.now()
    meeting.save(update_fields=["signed_minutes", "signed_minutes_at"])
    log_action(actor=by, action="planning.meeting_minutes_signed", target=meeting,
               summary=f"بارگذاری صورت‌جلسه امضاشده «{meeting.title}»",
               data={"file": meeting.signed_minutes.name, "replaced": replaced,
                     "original_name": getattr(upload, "original_name", "")})
    return meeting


def _tell_decision_owner(decision: Decision, by) -> None:
    """An in-app notice to the person a meeting decision was just given to (recorded with an owner,
    or its owner changed), unless they gave it themselves or it is already done (F1/F6: decisions
    are followed up by the person responsible). The link is the meeting when they may open it."""
    user = decision.owner.user if decision.owner else None
    if user is None or not user.is_active or user.pk == getattr(by, "pk", None) or decision.done:
        return
    meeting = decision.meeting
    url = reverse("planning:meeting_detail", args=[meeting.pk]) \
        if access_for(user).has_role(meeting.unit, WORK_ROLES) else reverse("planning:mine")
    notify(user=user, title=f"مصوبه جلسه «{meeting.title[:60]}» به شما سپرده شد",
           body=f"{decision.text}\nمهلت: {jalali.format_date(decision.due_date)}", url=url)


@transaction.atomic
def decision_set_done(*, decision: Decision, done: bool, by) -> Decision:
    access_for(by).require(decision.unit, UNIT_ROLES)
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
    access_for(by).require(training.unit, UNIT_ROLES)
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
    access_for(by).require(channel.unit, UNIT_ROLES)
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
    access_for(by).require(channel.unit, UNIT_ROLES)
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
    access_for(by).require(unit, UNIT_ROLES)
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
    access_for(by).require(report.unit, UNIT_ROLES)
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
    access_for(by).require(report.unit, UNIT_ROLES)
    report = _locked_report(report)
    _require_editable(report, "ارقام گزارش فرستاده‌شده ثابت است و دوباره گردآوری نمی‌شود.")
    report.sections = compile_sections(report.unit, report.year, report.month)
    report.compiled_at = timezone.now()
    report.save(update_fields=["sections", "compiled_at"])
    log_action(actor=by, action="planning.report_compiled", summary=f"گردآوری دوباره گزارش {report.period_label}",
               target=report)
    return report


# --- Archive ------------------------------------------------------------------------------------

ARCHIVE_NOUNS = {Meeting: "جلسه", Training: "آموزش", Channel: "کانال"}


@transaction.atomic
def archive_set(*, record: Meeting | Training | Channel, archived: bool, by):
    """Hide a meeting, training or channel from lists, counts and reports (or bring it back).

    Nothing is deleted: HQ's frozen reports and the audit trail keep referring to it."""
    access_for(by).require(record.unit, UNIT_ROLES)
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
