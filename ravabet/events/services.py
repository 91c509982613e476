"""Writes of the events part that are not workflow steps: events and their run-sheet, guests, invitations,
answers and check-in, and protocol supplies. Each checks the person's role in the event's unit and is
logged once. Holding, cancelling and re-planning an event are steps of `Event` (workflow.engine.move)."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits as fa
from ravabet.offices.access import access_for
from ravabet.offices.models import Person, Unit
from ravabet.offices.roles import WORK_ROLES
from ravabet.outbox.services import notify, queue_sms

from .models import (
    Event,
    EventState,
    Guest,
    OutsidePerson,
    Rsvp,
    RunSheetItem,
    RunSheetKind,
    SupplyItem,
    SupplyLoan,
)


def _require_planned(event: Event) -> None:
    """Details, the run-sheet and the guest list change only while the event is planned (F2, F5)."""
    if event.state != EventState.PLANNED:
        raise ValidationError(f"این مراسم «{event.get_state_display()}» است و دیگر تغییر نمی‌کند.")


# F2: events and run-sheet ----------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, unit: Unit, by, **fields) -> Event:
    """A new planned event of `unit` with the twelve empty rows of its run-sheet (F2). Work roles of the
    unit (HQ roles reach every county). Raises PermissionDenied or ValidationError (Persian)."""
    access_for(by).require(unit, WORK_ROLES)
    event = Event(unit=unit, created_by=by, **fields)
    event.full_clean()
    event.save()
    RunSheetItem.objects.bulk_create([RunSheetItem(event=event, kind=kind, order=n)
                                      for n, kind in enumerate(RunSheetKind.values, start=1)])
    log_action(actor=by, action="events.event_created", summary=f"ثبت {event.get_kind_display()} «{event.title}»",
               target=event, unit=unit)
    return event


EVENT_FIELDS = ["kind", "title", "venue", "starts_at", "description", "occasion"]


@transaction.atomic
def event_update(*, event: Event, by, **fields) -> Event:
    """Change the details of a planned event (F2); a held or cancelled one stays as it was."""
    access_for(by).require(event.unit, WORK_ROLES)
    _require_planned(event)
    before = (event.starts_at, event.venue)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save(update_fields=list(fields))
    log_action(actor=by, action="events.event_updated", summary="ویرایش مشخصات مراسم", target=event,
               unit=event.unit)
    if (event.starts_at, event.venue) != before:
        # F5: invited guests hear of a new time or place by SMS, once per change.
        when = jalali.format_datetime(timezone.localtime(event.starts_at))
        for guest in event.guests.filter(invited_at__isnull=False).exclude(mobile=""):
            queue_sms(to=guest.mobile, unit=event.unit, source="events.moved",
                      key=f"events.moved.{event.pk}.{guest.pk}.{event.starts_at:%Y%m%d%H%M}."
                          f"{hashlib.sha1(event.venue.encode()).hexdigest()[:8]}",
                      body=f"{guest.name} گرامی، «{event.title}» در {event.venue}، {when} برگزار می‌شود.")
    return event


# How far before a ceremony its coordination meeting and news item are looked for.
RECORD_WINDOW = dt.timedelta(days=120)


def _require_open_record(event: Event) -> None:
    """A ceremony's record (meeting, photos, news) is completed while planned and after it is held."""
    if event.state == EventState.CANCELLED:
        raise ValidationError(f"«{event.title}» لغو شده است؛ پرونده آن دیگر تغییر نمی‌کند.")


def coordination_meetings(event: Event):
    """The F1 coordination meetings that may be this event's: of its unit or of a unit above it (HQ's
    meeting a county attended), held within 120 days either side of the event, and the one already linked,
    newest first (planning.Meeting queryset). Bounded on both sides: an event of years ago offered every
    meeting since (thousands of options at a province's five years)."""
    from ravabet.offices.access import units_above
    from ravabet.planning.models import Meeting, MeetingKind

    near = Meeting.objects.filter(kind=MeetingKind.COORDINATION, unit__in=units_above(event.unit), is_archived=False,
                                  starts_at__gte=event.starts_at - RECORD_WINDOW,
                                  starts_at__lte=event.starts_at + RECORD_WINDOW)
    return _with_linked(near, event.meeting_id).order_by("-starts_at", "-pk")


def _with_linked(near, linked_id: int | None):
    """`near` (a queryset) and the record `linked_id` of the same model: by their ids, so each is read
    through its own index (an OR of the two scanned the whole news table on SQLite)."""
    if linked_id is None:
        return near
    return near.model.objects.filter(pk__in=[*near.values_list("pk", flat=True), linked_id])


def news_of_unit(event: Event):
    """The event unit's news items that may be the ceremony's news: dated (news_date) within 120 days either
    side of the event's day, and the one already linked, newest first (news.News queryset)."""
    from django.utils import timezone

    from ravabet.news.models import News

    day = timezone.localtime(event.starts_at).date()
    near = News.objects.filter(unit=event.unit_id, news_date__gte=day - RECORD_WINDOW, news_date__lte=day + RECORD_WINDOW)
    return _with_linked(near, event.news_id).order_by("-news_date", "-pk")


@transaction.atomic
def event_link(*, event: Event, by, meeting=None, news=None) -> Event:
    """Tie the ceremony to its coordination meeting (F1, planning.Meeting of its unit or a unit above)
    and to the news item it resulted in (news.News of its unit); None unlinks. Work roles of the event's
    unit; not for a cancelled event. Raises PermissionDenied or ValidationError (Persian, per field)."""
    access_for(by).require(event.unit, WORK_ROLES)
    event = Event.objects.select_for_update().select_related("unit").get(pk=event.pk)
    _require_open_record(event)
    if meeting is not None and not coordination_meetings(event).filter(pk=meeting.pk).exists():
        raise ValidationError({"meeting": "این جلسه، جلسه هماهنگی این اداره یا اداره کل نیست."})
    if news is not None and news.unit_id != event.unit_id:
        raise ValidationError({"news": "خبر باید از همین اداره باشد."})
    before = {"meeting": event.meeting_id, "news": event.news_id}
    event.meeting, event.news = meeting, news
    event.save(update_fields=["meeting", "news"])
    log_action(actor=by, action="events.event_linked", summary="جلسه هماهنگی و خبر مراسم تعیین شد",
               target=event, unit=event.unit,
               data={"before": before, "after": {"meeting": event.meeting_id, "news": event.news_id}})
    return event


def event_add_photos(*, event: Event, by, uploads=(), library_photos=()) -> tuple[list, list[str]]:
    """Add photos to the ceremony's record through the unit's photo library: `uploads` are checked by
    the F3 rules (resolution, landscape, near-duplicates, single-person shots), `library_photos` reused
    from the unit's library (others' photos skipped). Not for a cancelled event. Returns (photos added,
    one Persian message per refused file); raises PermissionDenied or ValidationError."""
    from ravabet.photos.services import photo_discard_files, photos_upload_many

    stored = []
    try:
        with transaction.atomic():
            access_for(by).require(event.unit, WORK_ROLES)
            event = Event.objects.select_for_update().get(pk=event.pk)
            _require_open_record(event)
            have = set(event.photos.values_list("pk", flat=True))
            chosen = [p for p in dict.fromkeys(library_photos) if p.unit_id == event.unit_id and p.pk not in have]
            stored, errors = photos_upload_many(uploads=uploads, unit=event.unit, by=by)
            added = chosen + stored
            if added:
                event.photos.add(*added)
                log_action(actor=by, action="events.photos_added", target=event, unit=event.unit,
                           summary=f"افزودن {fa(len(added))} عکس به پرونده مراسم",
                           data={"photos": [p.pk for p in added]})
    except BaseException:
        photo_discard_files(stored)
        raise
    return added, errors


@transaction.atomic
def event_remove_photo(*, event: Event, by, photo_id: int) -> None:
    """Take a photo off the ceremony's record (it stays in the unit's library)."""
    access_for(by).require(event.unit, WORK_ROLES)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_open_record(event)
    event.photos.remove(photo_id)
    log_action(actor=by, action="events.photo_removed", summary="برداشتن عکس از پرونده مراسم", target=event,
               unit=event.unit, data={"photo": photo_id})


def helper_units(event: Event) -> list[Unit]:
    """Counties that may be given a part of an HQ event's run-sheet (F2): the units under HQ; none for a
    county's own event."""
    if not event.unit.is_hq:
        return []
    return list(Unit.objects.filter(path__startswith=event.unit.path).exclude(pk=event.unit_id).order_by("name"))


def _tell_helper_unit(event: Event, item: RunSheetItem) -> None:
    """The county's PR people hear that HQ gave them a part of its ceremony (F2), once per county."""
    from django.contrib.auth import get_user_model

    from ravabet.occasions.models import UNIT_PR

    users = get_user_model().objects.filter(memberships__unit=item.helper_unit_id, memberships__role__in=UNIT_PR,
                                            is_active=True).distinct()
    for user in users:
        notify(user=user, title=f"اداره کل «{item.get_kind_display()}» در {event.title} را به شما سپرد",
               url=f"{reverse('events:my_roles')}#item-{item.pk}",
               key=f"events.runsheet_unit.{item.pk}.{item.helper_unit_id}.{user.pk}")


@transaction.atomic
def runsheet_update(*, item: RunSheetItem, by, person: Person | None, state: str, note: str = "") -> RunSheetItem:
    """Give a run-sheet row its responsible person (of the event's unit), state and note; a newly named
    person with an account is told (F2)."""
    event = item.event
    access_for(by).require(event.unit, WORK_ROLES)
    _require_planned(event)
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
               url=f"{reverse('events:my_roles')}#item-{item.pk}", key=f"events.runsheet.{item.pk}.{person.pk}")
    return item


RUNSHEET_FIELDS = ("person", "outside", "outside_person", "helper_unit", "state", "note", "order", "start_time",
                   "duration")


@transaction.atomic
def runsheet_save(*, event: Event, by, rows: dict[int, dict]) -> int:
    """Save every row of the event's run-sheet at once (F2: one form, all rows together): `rows` maps a
    row id to its values (RUNSHEET_FIELDS; `person` a Person of the event's unit or None, `outside` an
    OutsidePerson of the unit's directory or None, `outside_person` a new name typed for someone outside the
    office — kept as typed and added to the directory (or matched to the directory's entry of that name),
    `helper_unit` a county under HQ given the part of an HQ event, `start_time` a time, `duration` minutes).
    Either every
    row is saved or none: raises ValidationError({"<row id>-<field>": Persian message}) or PermissionDenied.
    A newly named staff member with an account, and a newly given county's PR people, are told once.
    Returns how many rows changed."""
    access_for(by).require(event.unit, WORK_ROLES)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_planned(event)
    items = {item.pk: item for item in event.items.select_related("person", "helper_unit", "outside")}
    allowed_helpers = {unit.pk for unit in helper_units(event)} if any(
        values.get("helper_unit") for values in rows.values()) else set()
    errors, changed, told, units_told, added = {}, [], [], [], {}
    for pk, values in rows.items():
        item = items.get(pk)
        if item is None:
            continue
        person = values.get("person")
        if person is not None and person.unit_id != event.unit_id:
            errors[f"{pk}-person"] = "مسئول باید از کارکنان همین اداره باشد."
            continue
        outside = values.get("outside")
        if outside is not None and outside.unit_id != event.unit_id:
            errors[f"{pk}-outside"] = "شخص بیرونی باید از فهرست همین اداره باشد."
            continue
        typed = (values.get("outside_person") or "").strip()
        if outside is not None and typed:
            errors[f"{pk}-outside_person"] = "یا شخصی از فهرست برگزینید یا نام تازه بنویسید، نه هر دو."
            continue
        helper = values.get("helper_unit")
        if helper is not None and helper.pk not in allowed_helpers:
            errors[f"{pk}-helper_unit"] = "تنها در مراسم اداره کل می‌توان بخشی را به شهرستانی زیر آن سپرد."
            continue
        before = {name: getattr(item, name) for name in RUNSHEET_FIELDS}
        for name in RUNSHEET_FIELDS:
            if name in values:
                setattr(item, name, values[name])
        if outside is not None:
            item.outside_person = ""
        elif typed and "outside" in values:
            # A new name: to the unit's directory, or to its entry of the same name (spacing forgiven).
            item.outside = _outsider(event, typed, role=item.get_kind_display(), added=added)
        elif "outside" in values:
            item.outside = None
        if item.person and (item.outside or item.outside_person):
            field = "outside" if outside is not None else "outside_person"
            errors[f"{pk}-{field}"] = "یا کارمند اداره را برگزینید یا شخص بیرونی را، نه هر دو."
            continue
        if {name: getattr(item, name) for name in RUNSHEET_FIELDS} != before:
            changed.append(item)
            if item.person and item.person.user_id and item.person.user_id != by.pk and before["person"] != item.person:
                told.append(item)
            if item.helper_unit_id and item.helper_unit_id != getattr(before["helper_unit"], "pk", None):
                units_told.append(item)
    if errors:
        raise ValidationError(errors)
    for outsider in added.values():
        if outsider.pk is None:
            outsider.save()
            log_action(actor=by, action="events.outside_person_added", target=outsider, unit=event.unit,
                       summary=f"«{outsider.full_name}» به فهرست اشخاص بیرونی افزوده شد")
    for item in changed:
        item.outside = item.outside  # takes the id of a directory entry saved just now
    RunSheetItem.objects.bulk_update(changed, list(RUNSHEET_FIELDS)) if changed else None
    if changed:
        log_action(actor=by, action="events.runsheet_saved", target=event, unit=event.unit,
                   summary=f"برنامه اجرایی ذخیره شد ({fa(len(changed))} بند)",
                   data={"items": [item.kind for item in changed]})
    for item in told:
        notify(user=item.person.user, title=f"مسئولیت «{item.get_kind_display()}» در {event.title}",
               url=f"{reverse('events:my_roles')}#item-{item.pk}", key=f"events.runsheet.{item.pk}.{item.person_id}")
    for item in units_told:
        _tell_helper_unit(event, item)
    return len(changed)


def announcement_draft(event: Event) -> dict:
    """The prefilled announcement a ceremony makes of itself (B6, issue 15 §2, issue 16 §6): {"kind",
    "title", "body", "occasion", "occasion_ref"} — the body holds the date and time (Jalali, Persian digits),
    the place and the timed programme (the run-sheet rows that are needed, in order, with their start time
    and who does them). Reads only; messaging's announcement form shows it for the sender to check and send."""
    from ravabet.lib.digits import to_persian_digits

    lines = [f"زمان: {jalali.format_datetime(event.starts_at)}", f"محل: {event.venue}"]
    programme = []
    for row in event.items.exclude(state="not_needed").select_related("person", "helper_unit", "outside"):
        if not (row.start_time or row.responsible):
            continue
        when = to_persian_digits(row.start_time.strftime("%H:%M")) + " " if row.start_time else ""
        who = f" — {row.responsible}" if row.responsible else ""
        programme.append(f"{when}{row.get_kind_display()}{who}")
    if programme:
        lines += ["برنامه:", *programme]
    title = f"{event.get_kind_display()}: {event.title}"[:150]
    return {"kind": "ceremony_programme", "title": title, "body": "\n".join(lines),
            "occasion": title, "occasion_ref": event.occasion_id}


def outside_person_save(*, unit: Unit, by, full_name: str, role: str = "", mobile: str = "",
                        person: OutsidePerson | None = None) -> OutsidePerson:
    """Add `full_name` (kept as typed) to the unit's directory of outside people, or change `person`, an
    entry of it (issue 15 §5). Raises PermissionDenied without a work role in `unit`, ValidationError
    ({"full_name": ...} in Persian) when the unit's directory already holds that name (spacing, ZWNJ and
    Arabic letters forgiven) or for a bad mobile. Returns the saved entry."""
    from ravabet.lib.text import search_key

    access_for(by).require(unit, WORK_ROLES)
    key = search_key(full_name)
    others = OutsidePerson.objects.filter(unit=unit).exclude(pk=getattr(person, "pk", None))
    if any(search_key(name) == key for name in others.values_list("full_name", flat=True)):
        raise ValidationError({"full_name": "این نام در فهرست اشخاص بیرونی همین اداره هست."})
    person = person or OutsidePerson(unit=unit)
    created = person.pk is None
    person.full_name, person.role, person.mobile = full_name, role, mobile
    person.full_clean()
    person.save()
    log_action(actor=by, action="events.outside_person_added" if created else "events.outside_person_changed",
               target=person, unit=unit, summary=f"«{full_name}» در فهرست اشخاص بیرونی")
    return person


def _outsider(event: Event, name: str, *, role: str, added: dict) -> OutsidePerson:
    """The unit's directory entry named `name` (spacing, ZWNJ and Arabic letters forgiven), or a new unsaved
    one (runsheet_save saves it once every row is valid); `added` holds those found or made in this save."""
    from ravabet.lib.text import search_key

    key = search_key(name)
    if key in added:
        return added[key]
    for outsider in OutsidePerson.objects.filter(unit=event.unit_id):
        if search_key(outsider.full_name) == key:
            added[key] = outsider
            return outsider
    added[key] = OutsidePerson(unit=event.unit, full_name=name, role=role)
    return added[key]


# F5: guests and invitations --------------------------------------------------------------------------------


def _same_guest(event: Event, name: str, mobile: str, exclude: int | None = None) -> Guest | None:
    """The guest of `event` who is the same person: the same mobile, or — when there is no mobile — the
    same name (spacing, ZWNJ and Arabic letters forgiven). F5: one guest, one invitation, counted once."""
    from ravabet.lib.text import search_key

    guests = event.guests.exclude(pk=exclude) if exclude else event.guests.all()
    if mobile:
        return guests.filter(mobile=mobile).first()
    key = search_key(name)
    return next((g for g in guests.filter(mobile="") if search_key(g.name) == key), None)


@transaction.atomic
def guest_add(*, event: Event, by, name: str, title: str = "", mobile: str = "") -> Guest:
    """Add a guest to a planned event's list (F5); the guest gets a random token for the card and RSVP.
    One guest per mobile (or per name when there is no mobile) per event: the event row is locked, so a
    double submit adds one. Raises PermissionDenied or ValidationError (Persian, on the field)."""
    access_for(by).require(event.unit, WORK_ROLES)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_planned(event)
    if same := _same_guest(event, name, mobile):
        field = "mobile" if mobile else "name"
        raise ValidationError({field: f"«{same.name}» با همین {'شماره همراه' if mobile else 'نام'} در فهرست هست."})
    guest = Guest(event=event, name=name, title=title, mobile=mobile)
    guest.full_clean()
    guest.save()
    log_action(actor=by, action="events.guest_added", summary=f"مهمان «{name}» به فهرست افزوده شد", target=event,
               unit=event.unit)
    return guest


@transaction.atomic
def guest_update(*, guest: Guest, by, name: str, title: str = "", mobile: str = "") -> Guest:
    """Correct a guest's name, title or mobile while the event is planned (F5). A changed mobile of a
    guest already invited by SMS is invited again by the next «ارسال پیامک دعوت». Same rules and errors as
    `guest_add`."""
    event = guest.event
    access_for(by).require(event.unit, WORK_ROLES)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_planned(event)
    if same := _same_guest(event, name, mobile, exclude=guest.pk):
        field = "mobile" if mobile else "name"
        raise ValidationError({field: f"«{same.name}» با همین {'شماره همراه' if mobile else 'نام'} در فهرست هست."})
    if mobile != guest.mobile and guest.invited_via == "sms":
        guest.invited_at, guest.invited_via = None, ""
    guest.name, guest.title, guest.mobile = name, title, mobile
    guest.full_clean()
    guest.save()
    log_action(actor=by, action="events.guest_updated", summary=f"ویرایش مهمان «{name}»", target=event,
               unit=event.unit)
    return guest


@transaction.atomic
def guest_delete(*, guest: Guest, by) -> None:
    """Remove a guest from a planned event's list (F5); a guest already checked in stays (they came)."""
    event = guest.event
    access_for(by).require(event.unit, WORK_ROLES)
    _require_planned(event)
    if guest.checked_in_at:
        raise ValidationError("مهمانی که وارد شده از فهرست حذف نمی‌شود.")
    log_action(actor=by, action="events.guest_deleted", summary=f"حذف مهمان «{guest.name}»", target=event,
               unit=event.unit)
    guest.delete()


def card_printed(*, guest: Guest, by) -> None:
    """A printed invitation card marks a guest not yet invited as invited (by card), once (F5)."""
    access_for(by).require(guest.event.unit, WORK_ROLES)
    if Guest.objects.filter(pk=guest.pk, invited_at__isnull=True).update(invited_at=timezone.now(), invited_via="card"):
        log_action(actor=by, action="events.card_printed", summary=f"کارت دعوت چاپی برای «{guest.name}»",
                   target=guest.event, unit=guest.event.unit)


def rsvp_url(guest: Guest, request=None) -> str:
    """The guest's public answer page, absolute when `request` is given."""
    path = reverse("events:rsvp", args=[guest.token])
    return request.build_absolute_uri(path) if request is not None else path


@transaction.atomic
def invitations_send(*, event: Event, by, base_url: str = "") -> int:
    """Queue one SMS per guest with a mobile who has not been invited yet; the key stops any double send.
    The answer link in it is absolute on settings.SITE_URL, never on the host a request came through
    (issue 17 §4); `base_url` is no longer read (callers may still pass it). Returns how many were queued."""
    access_for(by).require(event.unit, WORK_ROLES)
    _require_planned(event)
    when = jalali.format_datetime(timezone.localtime(event.starts_at))
    guests = list(event.guests.filter(invited_at__isnull=True).exclude(mobile=""))
    now = timezone.now()
    for guest in guests:
        link = settings.SITE_URL + reverse("events:rsvp", args=[guest.token])
        queue_sms(to=guest.mobile, key=f"events.invite.{guest.pk}", unit=event.unit, source="events",
                  body=f"{guest.name} گرامی، از شما برای حضور در «{event.title}» در {event.venue}، {when} "
                       f"دعوت می‌شود. پاسخ: {link}")
    Guest.objects.filter(pk__in=[g.pk for g in guests]).update(invited_at=now, invited_via="sms")
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


@dataclass(frozen=True)
class CheckIn:
    """A guest let in at the door, with a Persian warning for the doorkeeper when there is one."""

    guest: Guest
    warning: str = ""


def guests_named(event: Event, query: str, limit: int = 20) -> list[Guest]:
    """Guests of `event` whose name, title or mobile contains `query` (spacing, ZWNJ, Arabic letters and
    digits forgiven), for check-in at the door by name (F5): at most `limit`, not yet checked in first."""
    from ravabet.lib.digits import to_latin_digits
    from ravabet.lib.text import search_key

    key, digits = search_key(query), to_latin_digits(query).strip()
    if not key:
        return []
    found = [g for g in event.guests.order_by("checked_in_at", "name")
             if key in search_key(f"{g.name} {g.title}") or (digits.isdigit() and len(digits) >= 4
                                                                and digits in g.mobile)]
    return found[:limit]


@transaction.atomic
def guest_check_in(*, event: Event, by, token: str) -> CheckIn:
    """Let in the guest whose card (its scanned link or token) is given, once (F5).

    Refused (ValidationError, Persian) for a cancelled event, a card of another event and a second
    check-in; a guest who declined the invitation is let in with a warning (issue 9).
    """
    access_for(by).require(event.unit, WORK_ROLES)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state == EventState.CANCELLED:
        raise ValidationError(f"«{event.title}» لغو شده است؛ ورود مهمان ثبت نمی‌شود.")
    token = (token or "").strip().rstrip("/").rsplit("/", 1)[-1]
    guest = Guest.objects.select_for_update().filter(event=event, token=token).first()
    if guest is None:
        raise ValidationError({"token": "این کارت دعوت برای این مراسم نیست."})
    if guest.checked_in_at:
        raise ValidationError({"token": f"ورود {guest.name} پیش‌تر ثبت شده است."})
    guest.checked_in_at = timezone.now()
    guest.save(update_fields=["checked_in_at"])
    warning = ""
    if guest.rsvp == Rsvp.DECLINED:
        warning = f"{guest.name} پاسخ داده بود که نمی‌آید؛ ورودش ثبت شد، جای نشستن او را بررسی کنید."
    log_action(actor=by, action="events.checked_in", summary=f"ورود {guest.name}" + (" (پاسخ: نمی‌آید)" if warning else ""),
               target=event, unit=event.unit)
    return CheckIn(guest=guest, warning=warning)


def attendance_figures(event: Event) -> dict:
    """Invited, answered and checked-in guests of the event; `expected` and `present` count companions.
    One grouped query (at most six rows: answer × checked in or not), however many guests."""
    figures = dict.fromkeys(("invited", "accepted", "declined", "pending", "expected", "checked_in", "present"), 0)
    groups = event.guests.order_by().values_list("rsvp", Q(checked_in_at__isnull=False)).annotate(
        n=Count("pk"), c=Sum("companions", default=0))
    for rsvp, came, count, companions in groups:
        figures["invited"] += count
        figures[{Rsvp.ACCEPTED: "accepted", Rsvp.DECLINED: "declined"}.get(rsvp, "pending")] += count
        if rsvp == Rsvp.ACCEPTED:
            figures["expected"] += count + companions
        if came:
            figures["checked_in"] += count
            figures["present"] += count + companions
    return figures


# F4: supplies ---------------------------------------------------------------------------------------------


def on_loan(item: SupplyItem) -> int:
    """How many of `item` are lent and not back yet."""
    return item.loans.filter(returned_at__isnull=True).aggregate(n=Sum("quantity"))["n"] or 0


@transaction.atomic
def supply_save(*, unit: Unit, by, item: SupplyItem | None = None, **fields) -> SupplyItem:
    """Add (`item=None`) or change a protocol supply of `unit` (F4); one name per unit."""
    access_for(by).require(unit, WORK_ROLES)
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
    """Lend `quantity` of what is in store, to an event of the same unit or none (F4)."""
    item = SupplyItem.objects.select_for_update().get(pk=item.pk)
    access_for(by).require(item.unit, WORK_ROLES)
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
    """Record a loan back in store, once (F4)."""
    loan = SupplyLoan.objects.select_for_update().select_related("item").get(pk=loan.pk)
    access_for(by).require(loan.item.unit_id, WORK_ROLES)
    if loan.returned_at:
        raise ValidationError("این امانت پیش‌تر برگشته است.")
    loan.returned_at = timezone.now()
    loan.save(update_fields=["returned_at"])
    log_action(actor=by, action="events.supply_returned", summary=f"بازگشت {fa(loan.quantity)} «{loan.item.name}»",
               target=loan.item, unit=loan.item.unit)
    return loan
