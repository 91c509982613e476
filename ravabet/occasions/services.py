"""Writes of the occasions part that are not workflow steps: the calendar (HQ), participation records and
new occasion content (the unit), and the scheduled reminders. Sending content to HQ and HQ's review are
steps of `OccasionContent` made through `workflow.engine.move`."""

import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits as fa
from ravabet.offices.access import access_for
from ravabet.offices.models import Unit
from ravabet.offices.roles import Role
from ravabet.outbox.services import notify

from .models import E2_KINDS, UNIT_PR, Activity, CultureTarget, Occasion, OccasionContent, OfficialHoliday

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}


@transaction.atomic
def occasion_save(*, by, occasion: Occasion | None = None, **fields) -> Occasion:
    """Add (`occasion=None`) or change an occasion of the calendar; HQ roles only (E1-E3: HQ keeps the
    calendar, lunar dates included). A changed date is reminded again. Raises PermissionDenied or
    ValidationError (Persian)."""
    access_for(by).require_hq()
    created = occasion is None
    occasion = occasion or Occasion()
    moved = bool("date" in fields and occasion.pk and fields["date"] != occasion.date)
    shift = fields["date"] - occasion.date if moved else dt.timedelta(0)
    if moved:
        occasion.reminded_at = None  # a moved date gets its reminder again
    for name, value in fields.items():
        setattr(occasion, name, value)
    occasion.estimated = False  # HQ saved the date: it is HQ's, no longer an estimate
    occasion.full_clean()
    occasion.save()
    if occasion.holiday_id:
        # The occasion is an official holiday: HQ moving or confirming it moves the working-day calendar too.
        holiday = OfficialHoliday.objects.select_for_update().get(pk=occasion.holiday_id)
        _holiday_move(holiday, by=by, date=holiday.date + shift, title=holiday.title, skip=occasion.pk)
    log_action(actor=by, action="occasions.occasion_saved",
               summary=f"{'ثبت' if created else 'ویرایش'} مناسبت «{occasion.title}» در {jalali.format_date(occasion.date)}",
               target=occasion)
    return occasion


@transaction.atomic
def occasions_seed(*, by, year: int) -> int:
    """Add the official occasions of the Jalali `year` that are missing (HQ roles only); returns how many."""
    from .calendar import seed_year

    access_for(by).require_hq()
    added = seed_year(year)
    log_action(actor=by, action="occasions.seeded", summary=f"افزودن {fa(added)} مناسبت تقویم سال {fa(year)}",
               data={"year": year})
    return added


def _holiday_move(holiday: OfficialHoliday, *, by, date: dt.date, title: str, skip: int | None = None) -> None:
    shift = date - holiday.date
    if shift:
        # Its bridge day («تعطیل به مناسبت عید سعید فطر» the day after) moves with it.
        OfficialHoliday.objects.filter(title=f"تعطیل به مناسبت {holiday.title}", date__gt=holiday.date,
                                       date__lte=holiday.date + dt.timedelta(days=3)).update(
            date=models.F("date") + shift, estimated=False, confirmed_by=by, confirmed_at=timezone.now())
        for occasion in holiday.occasions.exclude(pk=skip):
            Occasion.objects.filter(pk=occasion.pk).update(date=occasion.date + shift, estimated=False,
                                                             reminded_at=None)
    else:
        holiday.occasions.exclude(pk=skip).update(estimated=False)
    holiday.date, holiday.title = date, title
    holiday.estimated, holiday.confirmed_by, holiday.confirmed_at = False, by, timezone.now()
    holiday.full_clean()
    holiday.save()


@transaction.atomic
def holiday_save(*, by, holiday: OfficialHoliday | None = None, date: dt.date, title: str) -> OfficialHoliday:
    """Add (`holiday=None`), confirm or move an official holiday in HQ's table (HQ roles only). Saving
    confirms it (no longer estimated); a moved holiday moves its bridge day and its calendar occasions, and
    every deadline counted in working days from then on (lib.workdays reads this table). Raises
    PermissionDenied, or ValidationError (Persian) for a second holiday of the same title on that day."""
    access_for(by).require_hq()
    created = holiday is None
    if created:
        holiday = OfficialHoliday(date=date, title=title)
    elif OfficialHoliday.objects.filter(title=title, date=date).exclude(pk=holiday.pk).exists():
        raise ValidationError({"date": "این تعطیل در این روز ثبت شده است."})
    if created:
        holiday.estimated, holiday.confirmed_by, holiday.confirmed_at = False, by, timezone.now()
        holiday.source = "اداره کل"
        holiday.full_clean()
        holiday.save()
    else:
        old = holiday.date
        _holiday_move(holiday, by=by, date=date, title=title)
        if old != date:
            log_action(actor=by, action="occasions.holiday_moved", target=holiday,
                       summary=f"جابه‌جایی تعطیل «{title}» از {jalali.format_date(old)} به {jalali.format_date(date)}")
            return holiday
    log_action(actor=by, action="occasions.holiday_saved", target=holiday,
               summary=f"{'ثبت' if created else 'تأیید'} تعطیل «{title}» در {jalali.format_date(date)}")
    return holiday


@transaction.atomic
def holiday_delete(*, by, holiday: OfficialHoliday) -> None:
    """Remove a day from HQ's official holidays (HQ roles only): it becomes a working day."""
    access_for(by).require_hq()
    log_action(actor=by, action="occasions.holiday_deleted", target=holiday,
               summary=f"حذف تعطیل «{holiday.title}» در {jalali.format_date(holiday.date)}")
    holiday.delete()


def remind_occasions(today: dt.date | None = None) -> int:
    """Tell every active unit's PR officers about each occasion `remind_days` ahead, once per occasion
    date (E1-E3: prepare the programme, ceremony and content in time). Returns how many occasions."""
    today = today or jalali.today()
    due = [o for o in Occasion.objects.filter(reminded_at__isnull=True, date__gte=today,
                                               date__lte=today + dt.timedelta(days=60))
           if o.date - dt.timedelta(days=o.remind_days) <= today]
    if not due:
        return 0
    people = list(get_user_model().objects.filter(
        memberships__role=Role.PR_OFFICER, memberships__unit__in=Unit.objects.filter(is_active=True),
        is_active=True).distinct())
    for occasion in due:
        for user in people:
            notify(user=user, title=f"مناسبت پیش رو: {occasion.title} ({jalali.format_date(occasion.date)})",
                   body="برنامه، مراسم و محتوای این مناسبت را آماده کنید و برای اداره کل بفرستید.",
                   url=occasion.get_absolute_url(),
                   key=f"events.occasion.{occasion.pk}.{occasion.date.isoformat()}.{user.pk}")
        Occasion.objects.filter(pk=occasion.pk).update(reminded_at=timezone.now())
    return len(due)


def activity_create(*, unit: Unit, by, evidence=None, photos=(), **fields) -> Activity:
    """Record the unit's participation in a ceremony or march, or a cultural programme (E1, E2), done on
    or before today. The unit's manager or PR officer only. An E2 programme (culture, ethics) needs its
    `format`; `evidence` is an upload checked by the form (`checked_type` set), `photos` uploads go into the
    unit's photo library with the F3 rules. Returns the activity, its `photo_errors` one Persian message per
    refused photo (the others are kept); raises PermissionDenied or ValidationError (Persian, per field)."""
    from ravabet.photos.services import photo_discard_files, photos_upload_many

    stored: list = []
    try:
        with transaction.atomic():
            access_for(by).require(unit, UNIT_PR)
            activity = Activity(unit=unit, created_by=by, **fields)
            activity.full_clean(exclude=["evidence"])
            if activity.date > jalali.today():
                raise ValidationError({"date": "مشارکتی که هنوز انجام نشده ثبت نمی‌شود."})
            if activity.kind in E2_KINDS and not activity.format:
                raise ValidationError({"format": "قالب برنامه فرهنگی را برگزینید (نشست، بولتن، پوستر، مسابقه...)."})
            if evidence:
                activity.evidence_type = getattr(evidence, "checked_type", "") or evidence.content_type
                activity.evidence.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(activity.evidence_type, '')}", evidence,
                                       save=False)
            activity.save()
            stored, activity.photo_errors = photos_upload_many(uploads=photos, unit=unit, by=by)
            activity.photos.add(*stored)
            log_action(actor=by, action="occasions.activity_recorded",
                       summary=f"{activity.get_kind_display()}: {activity.title}", target=activity, unit=unit,
                       data={"format": activity.format, "evidence": bool(evidence), "photos": len(stored)})
    except BaseException:
        photo_discard_files(stored)
        raise
    return activity


@transaction.atomic
def culture_targets_set(*, by, year: int, targets: dict[tuple[int, str], int | None]) -> int:
    """HQ sets the yearly E2 targets: `targets` maps (unit id, kind: culture | ethics) to the number of
    programmes for Jalali `year`; None removes the target. HQ roles only, units under HQ only. Returns how
    many targets changed. Raises PermissionDenied."""
    access = access_for(by)
    access.require_hq()
    allowed = {unit.pk for unit in access.filter_units()}
    current = {(t.unit_id, t.kind): t for t in CultureTarget.objects.select_for_update().filter(
        year=year, unit__in=allowed)}
    changed = 0
    for (unit_id, kind), value in targets.items():
        if unit_id not in allowed or kind not in E2_KINDS:
            continue
        row = current.get((unit_id, kind))
        if value is None:
            if row is not None:
                row.delete()
                changed += 1
        elif row is None:
            CultureTarget.objects.create(unit_id=unit_id, year=year, kind=kind, target=value, set_by=by)
            changed += 1
        elif row.target != value:
            row.target, row.set_by = value, by
            row.save(update_fields=["target", "set_by", "updated_at"])
            changed += 1
    if changed:
        log_action(actor=by, action="occasions.culture_targets_set", unit=None,
                   summary=f"هدف‌های سالانه برنامه‌های فرهنگی {fa(year)} تعیین شد ({fa(changed)} مورد)",
                   data={"year": year, "targets": {f"{u}-{k}": v for (u, k), v in targets.items()}})
    return changed


@transaction.atomic
def content_create(*, unit: Unit, by, occasion: Occasion, title: str, text: str, file=None) -> OccasionContent:
    """A draft of occasion content (E3) by the unit's manager or PR officer, with an optional checked
    upload (`file.checked_type` set by the form) stored under a name of our own."""
    access_for(by).require(unit, UNIT_PR)
    content = OccasionContent(unit=unit, occasion=occasion, title=title, text=text, created_by=by)
    content.full_clean(exclude=["file"])
    if file:
        kind = getattr(file, "checked_type", "") or file.content_type
        # Our own file name: what the user called the file never reaches the file system.
        content.file.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", file, save=False)
        content.file_type = kind
    content.save()
    log_action(actor=by, action="occasions.content_created", summary=f"تهیه محتوای «{title}» برای {occasion.title}",
               target=content, unit=unit)
    return content


@transaction.atomic
def content_update(*, content: OccasionContent, by, occasion: Occasion, title: str, text: str,
                   file=None) -> OccasionContent:
    """Change occasion content (E3) while it is a draft or HQ has returned it; the unit's manager or PR
    officer only. A new upload replaces the attachment. Raises PermissionDenied, or ValidationError
    (Persian) once it is sent (the row is locked, so an edit racing the send loses)."""
    access_for(by).require(content.unit, UNIT_PR)
    fresh = OccasionContent.objects.select_for_update().get(pk=content.pk)
    if not fresh.editable:
        raise ValidationError({"title": "این محتوا فرستاده شده و تا اداره کل آن را برنگرداند ویرایش نمی‌شود."})
    before = {"title": fresh.title, "text": fresh.text, "occasion": fresh.occasion_id}
    fresh.occasion, fresh.title, fresh.text = occasion, title, text
    fresh.full_clean(exclude=["file", "created_by"])
    if file:
        kind = getattr(file, "checked_type", "") or file.content_type
        fresh.file.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", file, save=False)
        fresh.file_type = kind
    fresh.save()
    log_action(actor=by, action="occasions.content_edited", summary=f"ویرایش محتوای «{title}»", target=fresh,
               unit=fresh.unit, data={"before": before})
    return fresh
