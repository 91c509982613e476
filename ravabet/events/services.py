"""Every change in the events part: each checks permission, moves states through the TRANSITIONS next to
the models, and is logged once."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits as fa
from ravabet.offices.access import access_for
from ravabet.offices.models import Membership, Person, Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES, Role
from ravabet.outbox.services import notify, queue_sms

from .models import (
    ASSIGNMENT_OPEN_STATES,
    Activity,
    Assignment,
    AssignmentState,
    ContentState,
    Event,
    EventState,
    Guest,
    Occasion,
    OccasionContent,
    Rsvp,
    RunSheetItem,
    RunSheetKind,
    SupplyItem,
    SupplyLoan,
    Task,
    check_assignment_transition,
    check_content_transition,
    check_event_transition,
)

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
# People of a unit who run its events and answer HQ's tasks.
HANDLER_ROLES = UNIT_ROLES
# Events and supplies are run by HQ too, and HQ people may help a county with its ceremony.
EVENT_ROLES = WORK_ROLES


def users_with(unit_ids: Iterable[int], roles: Iterable[str]) -> list:
    memberships = Membership.objects.filter(unit_id__in=list(unit_ids), role__in=list(roles)).select_related("user")
    return list({m.user_id: m.user for m in memberships}.values())


def hq_users_over(unit: Unit) -> list:
    return users_with([int(p) for p in unit.path.split("/") if p], HQ_ROLES)


def _save_file(field, upload) -> str:
    kind = getattr(upload, "checked_type", "") or upload.content_type
    # Our own file name: what the user called the file never reaches the file system.
    field.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", upload, save=False)
    return kind


# F7: tasks ------------------------------------------------------------------------------------------------


@transaction.atomic
def task_assign(*, by, title: str, description: str, due_date: dt.date, units: Iterable[Unit]) -> Task:
    access = access_for(by)
    units = list(units)
    if not units:
        raise ValidationError({"units": "دست‌کم یک واحد را برگزینید."})
    for unit in units:
        if not access.has_role(unit, HQ_ROLES) or unit.is_hq:
            raise PermissionDenied("ابلاغ مأموریت فقط از روابط عمومی اداره کل و به واحدهای زیرمجموعه ساخته است.")
    if due_date < jalali.today():
        raise ValidationError({"due_date": "مهلت نمی‌تواند پیش از امروز باشد."})
    task = Task(title=title, description=description, due_date=due_date, created_by=by)
    task.full_clean()
    task.save()
    Assignment.objects.bulk_create([Assignment(task=task, unit=unit) for unit in units])
    log_action(actor=by, action="events.task_assigned", summary=f"ابلاغ مأموریت «{title}» به {fa(len(units))} واحد",
               target=task, data={"units": [u.pk for u in units]})
    for assignment in task.assignments.select_related("unit"):
        url = reverse("events:assignment", args=[assignment.pk])
        for user in users_with([assignment.unit_id], HANDLER_ROLES):
            notify(user=user, title=f"مأموریت تازه از اداره کل: {title}", url=url,
                   body=f"مهلت: {jalali.format_date(due_date)}", key=f"events.assignment.{assignment.pk}.new.{user.pk}")
    return task


def _locked_assignment(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update(of=("self",)).select_related("task", "unit").get(pk=assignment.pk)


@transaction.atomic
def assignment_done(*, assignment: Assignment, by, evidence: str, evidence_file=None) -> Assignment:
    assignment = _locked_assignment(assignment)
    access_for(by).require(assignment.unit, HANDLER_ROLES)
    evidence = (evidence or "").strip()
    if not evidence and not evidence_file and not assignment.evidence_file:
        raise ValidationError({"evidence": "گزارش انجام کار را بنویسید یا پیوستی بفرستید."})
    before = assignment.state
    check_assignment_transition(before, AssignmentState.DONE)
    assignment.state = AssignmentState.DONE
    assignment.evidence = evidence
    if evidence_file:
        assignment.evidence_type = _save_file(assignment.evidence_file, evidence_file)
    assignment.done_at, assignment.done_by = timezone.now(), by
    assignment.save(update_fields=["state", "evidence", "evidence_file", "evidence_type", "done_at", "done_by"])
    log_action(actor=by, action="events.assignment_done", summary="گزارش انجام مأموریت فرستاده شد",
               target=assignment, unit=assignment.unit, data={"state": [before, assignment.state]})
    url = reverse("events:assignment", args=[assignment.pk])
    for user in hq_users_over(assignment.unit):
        notify(user=user, title=f"انجام مأموریت «{assignment.task.title}» در {assignment.unit.name}", url=url,
               key=f"events.assignment.{assignment.pk}.done.{user.pk}.{assignment.done_at.timestamp()}")
    return assignment


@transaction.atomic
def assignment_review(*, assignment: Assignment, by, accept: bool, comment: str = "") -> Assignment:
    assignment = _locked_assignment(assignment)
    access_for(by).require(assignment.unit, HQ_ROLES)
    comment = (comment or "").strip()
    target = AssignmentState.ACCEPTED if accept else AssignmentState.RETURNED
    if not accept and not comment:
        raise ValidationError({"comment": "بنویسید چه چیزی باید تکمیل شود."})
    before = assignment.state
    check_assignment_transition(before, target)
    assignment.state, assignment.review_comment, assignment.reviewed_at = target, comment, timezone.now()
    assignment.save(update_fields=["state", "review_comment", "reviewed_at"])
    verb = "پذیرفته شد" if accept else "برای تکمیل برگشت"
    log_action(actor=by, action=f"events.assignment_{'accepted' if accept else 'returned'}",
               summary=f"مأموریت {verb}" + (f": {comment}" if comment else ""), target=assignment,
               unit=assignment.unit, data={"state": [before, target]})
    url = reverse("events:assignment", args=[assignment.pk])
    for user in users_with([assignment.unit_id], HANDLER_ROLES):
        notify(user=user, title=f"مأموریت «{assignment.task.title}» {verb}", body=comment, url=url,
               key=f"events.assignment.{assignment.pk}.{target}.{user.pk}.{assignment.reviewed_at.timestamp()}")
    return assignment


def remind_overdue_assignments(today: dt.date | None = None) -> int:
    """Once per assignment: tell the unit and HQ that the due date has passed."""
    today = today or jalali.today()
    overdue = Assignment.objects.filter(state__in=ASSIGNMENT_OPEN_STATES, task__due_date__lt=today,
                                        reminded_at__isnull=True).select_related("task", "unit")
    count = 0
    for assignment in overdue:
        url = reverse("events:assignment", args=[assignment.pk])
        for user in users_with([assignment.unit_id], HANDLER_ROLES) + hq_users_over(assignment.unit):
            notify(user=user, title=f"مهلت مأموریت «{assignment.task.title}» گذشته است ({assignment.unit.name})",
                   url=url, key=f"events.assignment.{assignment.pk}.overdue.{user.pk}")
        Assignment.objects.filter(pk=assignment.pk).update(reminded_at=timezone.now())
        count += 1
    return count


# F2: events and run-sheet ----------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, unit: Unit, by, **fields) -> Event:
    access_for(by).require(unit, EVENT_ROLES)
    event = Event(unit=unit, created_by=by, **fields)
    event.full_clean()
    event.save()
    RunSheetItem.objects.bulk_create([RunSheetItem(event=event, kind=kind) for kind in RunSheetKind.values])
    log_action(actor=by, action="events.event_created", summary=f"ثبت {event.get_kind_display()} «{event.title}»",
               target=event, unit=unit)
    return event


EVENT_FIELDS = ["kind", "title", "venue", "starts_at", "description", "occasion"]


@transaction.atomic
def event_update(*, event: Event, by, **fields) -> Event:
    access_for(by).require(event.unit, EVENT_ROLES)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save(update_fields=list(fields))
    log_action(actor=by, action="events.event_updated", summary="ویرایش مشخصات مراسم", target=event,
               unit=event.unit)
    return event


@transaction.atomic
def event_set_state(*, event: Event, by, state: str, attendance: int | None = None) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    access_for(by).require(event.unit, EVENT_ROLES)
    before = event.state
    check_event_transition(before, state)
    event.state = state
    if state == EventState.HELD:
        event.attendance = attendance if attendance is not None else \
            sum(1 + g.companions for g in event.guests.filter(checked_in_at__isnull=False))
    event.save(update_fields=["state", "attendance"])
    log_action(actor=by, action=f"events.event_{state}", summary=f"مراسم «{event.get_state_display()}» شد",
               target=event, unit=event.unit, data={"state": [before, state]})
    return event


@transaction.atomic
def runsheet_update(*, item: RunSheetItem, by, person: Person | None, state: str, note: str = "") -> RunSheetItem:
    event = item.event
    access_for(by).require(event.unit, EVENT_ROLES)
    if person is not None and person.unit_id != event.unit_id:
        raise ValidationError({"person": "مسئول باید از کارکنان همین اداره باشد."})
    before = (item.person_id, item.state)
    item.person, item.state, item.note = person, state, note
    item.full_clean()
    item.save(update_fields=["person", "state", "note"])
    log_action(actor=by, action="events.runsheet_updated",
               summary=f"{item.get_kind_display()}: {item.get_state_display()}"
                       + (f" — {person.full_name}" if person else ""),
               target=event, unit=event.unit, data={"item": item.kind, "before": list(before)})
    if person and person.user_id and person.user_id != by.pk and before[0] != person.pk:
        notify(user=person.user, title=f"مسئولیت «{item.get_kind_display()}» در {event.title}",
               url=reverse("events:detail", args=[event.pk]), key=f"events.runsheet.{item.pk}.{person.pk}")
    return item


# F5: guests and invitations --------------------------------------------------------------------------------


@transaction.atomic
def guest_add(*, event: Event, by, name: str, title: str = "", mobile: str = "") -> Guest:
    access_for(by).require(event.unit, EVENT_ROLES)
    guest = Guest(event=event, name=name, title=title, mobile=mobile)
    guest.full_clean()
    guest.save()
    log_action(actor=by, action="events.guest_added", summary=f"مهمان «{name}» به فهرست افزوده شد", target=event,
               unit=event.unit)
    return guest


def rsvp_url(guest: Guest, request=None) -> str:
    path = reverse("events:rsvp", args=[guest.token])
    return request.build_absolute_uri(path) if request is not None else path


@transaction.atomic
def invitations_send(*, event: Event, by, base_url: str) -> int:
    """Queue one SMS per guest with a mobile who has not been invited yet; the key stops any double send."""
    access_for(by).require(event.unit, EVENT_ROLES)
    if event.state != EventState.PLANNED:
        raise ValidationError("دعوت فقط برای مراسمی که هنوز برگزار نشده فرستاده می‌شود.")
    when = jalali.format_datetime(timezone.localtime(event.starts_at))
    guests = list(event.guests.filter(invited_at__isnull=True).exclude(mobile=""))
    now = timezone.now()
    for guest in guests:
        link = base_url.rstrip("/") + reverse("events:rsvp", args=[guest.token])
        queue_sms(to=guest.mobile, key=f"events.invite.{guest.pk}", unit=event.unit, source="events",
                  body=f"{guest.name} گرامی، از شما برای حضور در «{event.title}» در {event.venue}، {when} "
                       f"دعوت می‌شود. پاسخ: {link}")
    Guest.objects.filter(pk__in=[g.pk for g in guests]).update(invited_at=now)
    if guests:
        log_action(actor=by, action="events.invitations_sent", summary=f"پیامک دعوت برای {fa(len(guests))} مهمان",
                   target=event, unit=event.unit, data={"guests": [g.pk for g in guests]})
    return len(guests)


@transaction.atomic
def guest_respond(*, guest: Guest, accept: bool, companions: int = 0) -> Guest:
    """The guest's own answer on the public page; they may change it until the event starts."""
    guest = Guest.objects.select_for_update().select_related("event").get(pk=guest.pk)
    if guest.event.state != EventState.PLANNED or guest.event.starts_at < timezone.now():
        raise ValidationError("زمان پاسخ به این دعوت گذشته است.")
    guest.rsvp = Rsvp.ACCEPTED if accept else Rsvp.DECLINED
    guest.companions = companions if accept else 0
    guest.responded_at = timezone.now()
    guest.full_clean()
    guest.save(update_fields=["rsvp", "companions", "responded_at"])
    log_action(actor=None, action="events.rsvp", summary=f"{guest.name}: {guest.get_rsvp_display()}"
               + (f" با {fa(guest.companions)} همراه" if guest.companions else ""), target=guest.event,
               unit=guest.event.unit)
    creator = guest.event.created_by
    if creator is not None:
        notify(user=creator, title=f"پاسخ {guest.name} به دعوت «{guest.event.title}»: {guest.get_rsvp_display()}",
               url=reverse("events:detail", args=[guest.event_id]),
               key=f"events.rsvp.{guest.pk}.{guest.responded_at.timestamp()}")
    return guest


@transaction.atomic
def guest_check_in(*, event: Event, by, token: str) -> Guest:
    access_for(by).require(event.unit, EVENT_ROLES)
    token = (token or "").strip().rstrip("/").rsplit("/", 1)[-1]
    guest = Guest.objects.select_for_update().filter(event=event, token=token).first()
    if guest is None:
        raise ValidationError({"token": "این کارت دعوت برای این مراسم نیست."})
    if guest.checked_in_at:
        raise ValidationError({"token": f"ورود {guest.name} پیش‌تر ثبت شده است."})
    guest.checked_in_at = timezone.now()
    guest.save(update_fields=["checked_in_at"])
    log_action(actor=by, action="events.checked_in", summary=f"ورود {guest.name}", target=event, unit=event.unit)
    return guest


def attendance_figures(event: Event) -> dict:
    guests = list(event.guests.all())
    accepted = [g for g in guests if g.rsvp == Rsvp.ACCEPTED]
    return {
        "invited": len(guests),
        "accepted": len(accepted),
        "declined": sum(1 for g in guests if g.rsvp == Rsvp.DECLINED),
        "pending": sum(1 for g in guests if g.rsvp == Rsvp.PENDING),
        "expected": sum(1 + g.companions for g in accepted),
        "checked_in": sum(1 for g in guests if g.checked_in_at),
        "present": sum(1 + g.companions for g in guests if g.checked_in_at),
    }


# F4: supplies ---------------------------------------------------------------------------------------------


def on_loan(item: SupplyItem) -> int:
    return item.loans.filter(returned_at__isnull=True).aggregate(n=Sum("quantity"))["n"] or 0


@transaction.atomic
def supply_save(*, unit: Unit, by, item: SupplyItem | None = None, **fields) -> SupplyItem:
    access_for(by).require(unit, EVENT_ROLES)
    created = item is None
    item = item or SupplyItem(unit=unit)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    log_action(actor=by, action="events.supply_saved",
               summary=f"{'ثبت' if created else 'ویرایش'} «{item.name}»: {fa(item.quantity)} عدد، {item.get_condition_display()}",
               target=item, unit=unit)
    return item


@transaction.atomic
def supply_lend(*, item: SupplyItem, by, quantity: int, event: Event | None = None) -> SupplyLoan:
    item = SupplyItem.objects.select_for_update().get(pk=item.pk)
    access_for(by).require(item.unit, EVENT_ROLES)
    if event is not None and event.unit_id != item.unit_id:
        raise ValidationError({"event": "مراسم باید از همین اداره باشد."})
    available = item.quantity - on_loan(item)
    if quantity < 1 or quantity > available:
        raise ValidationError({"quantity": f"فقط {fa(available)} عدد از «{item.name}» در انبار است."})
    loan = SupplyLoan.objects.create(item=item, event=event, quantity=quantity)
    log_action(actor=by, action="events.supply_lent", summary=f"امانت {fa(quantity)} «{item.name}»"
               + (f" برای {event.title}" if event else ""), target=item, unit=item.unit)
    return loan


@transaction.atomic
def supply_return(*, loan: SupplyLoan, by) -> SupplyLoan:
    loan = SupplyLoan.objects.select_for_update().select_related("item").get(pk=loan.pk)
    access_for(by).require(loan.item.unit_id, EVENT_ROLES)
    if loan.returned_at:
        raise ValidationError("این امانت پیش‌تر برگشته است.")
    loan.returned_at = timezone.now()
    loan.save(update_fields=["returned_at"])
    log_action(actor=by, action="events.supply_returned", summary=f"بازگشت {fa(loan.quantity)} «{loan.item.name}»",
               target=loan.item, unit=loan.item.unit)
    return loan


# E1-E3: occasions -----------------------------------------------------------------------------------------


@transaction.atomic
def occasion_save(*, by, occasion: Occasion | None = None, **fields) -> Occasion:
    access_for(by).require_hq()
    created = occasion is None
    occasion = occasion or Occasion()
    if "date" in fields and occasion.pk and fields["date"] != occasion.date:
        occasion.reminded_at = None  # a moved date gets its reminder again
    for name, value in fields.items():
        setattr(occasion, name, value)
    occasion.full_clean()
    occasion.save()
    log_action(actor=by, action="events.occasion_saved",
               summary=f"{'ثبت' if created else 'ویرایش'} مناسبت «{occasion.title}» در {jalali.format_date(occasion.date)}",
               target=occasion)
    return occasion


@transaction.atomic
def occasions_seed(*, by, year: int) -> int:
    from .calendar import seed_year

    access_for(by).require_hq()
    added = seed_year(year)
    log_action(actor=by, action="events.occasions_seeded", summary=f"افزودن {fa(added)} مناسبت تقویم سال {fa(year)}",
               data={"year": year})
    return added


def remind_occasions(today: dt.date | None = None) -> int:
    """Tell every unit's PR people about each occasion `remind_days` ahead, once per occasion date."""
    today = today or jalali.today()
    due = [o for o in Occasion.objects.filter(reminded_at__isnull=True, date__gte=today,
                                               date__lte=today + dt.timedelta(days=60))
           if o.date - dt.timedelta(days=o.remind_days) <= today]
    if not due:
        return 0
    people = users_with(Unit.objects.filter(is_active=True).values_list("pk", flat=True), {Role.PR_OFFICER})
    for occasion in due:
        url = reverse("events:occasion", args=[occasion.pk])
        for user in people:
            notify(user=user, title=f"مناسبت پیش رو: {occasion.title} ({jalali.format_date(occasion.date)})",
                   body="برنامه، مراسم و محتوای این مناسبت را آماده کنید و برای اداره کل بفرستید.", url=url,
                   key=f"events.occasion.{occasion.pk}.{occasion.date.isoformat()}.{user.pk}")
        Occasion.objects.filter(pk=occasion.pk).update(reminded_at=timezone.now())
    return len(due)


@transaction.atomic
def activity_create(*, unit: Unit, by, **fields) -> Activity:
    access_for(by).require(unit, HANDLER_ROLES)
    activity = Activity(unit=unit, created_by=by, **fields)
    activity.full_clean()
    if activity.date > jalali.today():
        raise ValidationError({"date": "مشارکتی که هنوز انجام نشده ثبت نمی‌شود."})
    activity.save()
    log_action(actor=by, action="events.activity_recorded",
               summary=f"{activity.get_kind_display()}: {activity.title}", target=activity, unit=unit)
    return activity


@transaction.atomic
def content_create(*, unit: Unit, by, occasion: Occasion, title: str, text: str, file=None) -> OccasionContent:
    access_for(by).require(unit, HANDLER_ROLES)
    content = OccasionContent(unit=unit, occasion=occasion, title=title, text=text, created_by=by)
    content.full_clean(exclude=["file"])
    if file:
        content.file_type = _save_file(content.file, file)
    content.save()
    log_action(actor=by, action="events.content_created", summary=f"تهیه محتوای «{title}» برای {occasion.title}",
               target=content, unit=unit)
    return content


@transaction.atomic
def content_send(*, content: OccasionContent, by) -> OccasionContent:
    content = OccasionContent.objects.select_for_update().select_related("unit", "occasion").get(pk=content.pk)
    access_for(by).require(content.unit, HANDLER_ROLES)
    check_content_transition(content.state, ContentState.SENT)
    content.state, content.sent_at = ContentState.SENT, timezone.now()
    content.save(update_fields=["state", "sent_at"])
    log_action(actor=by, action="events.content_sent", summary="محتوای مناسبتی برای اداره کل فرستاده شد",
               target=content, unit=content.unit)
    for user in hq_users_over(content.unit):
        notify(user=user, title=f"محتوای «{content.occasion.title}» از {content.unit.name}",
               url=reverse("events:content", args=[content.pk]), key=f"events.content.{content.pk}.sent.{user.pk}")
    return content


@transaction.atomic
def content_acknowledge(*, content: OccasionContent, by, comment: str = "") -> OccasionContent:
    content = OccasionContent.objects.select_for_update().select_related("unit").get(pk=content.pk)
    access_for(by).require(content.unit, HQ_ROLES)
    check_content_transition(content.state, ContentState.ACKNOWLEDGED)
    content.state, content.acknowledged_at, content.hq_comment = ContentState.ACKNOWLEDGED, timezone.now(), comment
    content.save(update_fields=["state", "acknowledged_at", "hq_comment"])
    log_action(actor=by, action="events.content_acknowledged", summary="اداره کل محتوا را دید"
               + (f": {comment}" if comment else ""), target=content, unit=content.unit)
    for user in users_with([content.unit_id], HANDLER_ROLES):
        notify(user=user, title=f"اداره کل محتوای «{content.title}» را دید", body=comment,
               url=reverse("events:content", args=[content.pk]), key=f"events.content.{content.pk}.ack.{user.pk}")
    return content


def overdue_q(today: dt.date) -> Q:
    return Q(state__in=ASSIGNMENT_OPEN_STATES, task__due_date__lt=today)
