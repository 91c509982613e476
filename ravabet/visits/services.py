"""Every change to a visit that is not a workflow step goes through here: checked, atomic, logged.
State changes of visits and follow-up actions are the declared steps in models.py, made with
`ravabet.workflow.engine.move` (the generic step view, or the record/replan pages)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.text import search_key
from ravabet.lib.uploads import clean_upload
from ravabet.offices.access import access_for
from ravabet.offices.models import Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES
from ravabet.outbox.services import notify, queue_sms
from ravabet.workflow.declare import Notice
from ravabet.workflow.engine import tell

from .evidence import read_metadata
from .models import ASSIGNED, ActionState, FollowUp, Photo, Place, PlaceKind, State, Visit

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 20


def can_manage(access, unit: Unit) -> bool:
    """True when the person behind `access` plans and edits visits of `unit` (D6): the unit's manager or
    PR officer, or HQ's PR people when `unit` is HQ itself (HQ only reads a county's visits)."""
    return access.has_role(unit, UNIT_ROLES) or (unit.is_hq and access.has_role(unit, HQ_ROLES))


def _require(user, unit: Unit) -> None:
    if not can_manage(access_for(user), unit):
        raise PermissionDenied("فقط مسئول روابط عمومی و رئیس همین واحد بازدیدها را ثبت می‌کنند.")


def _check_team(visit: Visit, team) -> None:
    if any(person.unit_id != visit.unit_id for person in team):
        raise ValidationError({"team": "همراهان باید از کارکنان همین واحد باشند."})


def _key(visit: Visit) -> str:
    return search_key(f"{visit.place} {visit.address} {visit.purpose}")[:500]


def _tell_team(visit: Visit, team, by) -> None:
    """Tell the companions in `team` (those with an account) that they go on the visit."""
    people = [person.user for person in team if person.user_id]
    tell(visit, [Notice(lambda visit, by: people, "بازدید از «{obj.place:.80}» در {obj.planned_on_fa}",
                        body="{obj.purpose:.300}")],
         by=by, key=f"visits:team:{visit.pk}:{visit.planned_on}", source="visits.planned")


# --- The register of places (issue 17, point 5) ------------------------------------------------------------

@transaction.atomic
def place_save(*, unit: Unit, by, place: Place | None = None, **fields) -> Place:
    """Create (place=None) or change a place `unit` covers: name, kind, address, optional map point
    (latitude and longitude together, decimal degrees) and the expected visit frequency in days (1-730).
    Raises ValidationError on the field at fault, PermissionDenied for a non-manager."""
    _require(by, unit)
    place = place or Place(unit=unit)
    for name, value in fields.items():
        setattr(place, name, value)
    if (place.latitude is None) != (place.longitude is None):
        raise ValidationError({"longitude": "نقطه‌ی نقشه هر دو عدد عرض و طول را می‌خواهد، یا هیچ‌کدام."})
    if not 1 <= (place.every_days or 0) <= 730:
        raise ValidationError({"every_days": "بسامد بازدید میان ۱ تا ۷۳۰ روز است."})
    if Place.objects.filter(unit=unit, name=place.name).exclude(pk=place.pk).exists():
        raise ValidationError({"name": "محلی با همین نام در فهرست این واحد هست."})
    place.full_clean()
    created = place.pk is None
    place.save()
    log_action(actor=by, action="visits.place_saved",
               summary=f"محل «{place.name}» {'به فهرست محل‌ها افزوده' if created else 'ویرایش'} شد.", target=place,
               unit=unit)
    return place


def place_rows(places, today=None) -> list[dict]:
    """Each place of `places` (a Place queryset) with its visits: {'place', 'done' (count), 'last' (the
    last done date), 'next' (the next planned date), 'due_on' (last + every_days, or None when never
    visited), 'never', 'due' (never visited, or due_on reached, with nothing planned), 'late_days'}.
    Two queries."""
    today = today or jalali.today()
    places = list(places.annotate(
        done=Count("visits", filter=Q(visits__state=State.DONE)),
        last=Max("visits__done_on", filter=Q(visits__state=State.DONE)),
        next=Min("visits__planned_on", filter=Q(visits__state=State.PLANNED, visits__planned_on__gte=today)),
    ).select_related("unit"))
    rows = []
    for place in places:
        due_on = place.last + dt.timedelta(days=place.every_days) if place.last else None
        due = place.next is None and (due_on is None or due_on <= today)
        rows.append({"place": place, "done": place.done, "last": place.last, "next": place.next, "due_on": due_on,
                     "never": place.last is None, "due": due,
                     "late_days": (today - due_on).days if due_on and due_on < today else 0})
    return rows


def due_places(unit: Unit, today=None) -> list[dict]:
    """The active places of `unit` due for a visit (see place_rows), never visited first, then the most late."""
    rows = [row for row in place_rows(Place.objects.filter(unit=unit, is_active=True), today) if row["due"]]
    return sorted(rows, key=lambda row: (not row["never"], -row["late_days"], row["place"].name))


@transaction.atomic
def visit_plan(*, unit: Unit, by, place: str = "", place_kind: str = "", address: str = "", purpose: str,
               planned_on, team=(), site: Place | None = None) -> Visit:
    """Plan a visit of `unit`; with `site` (a registered place of the unit) its name, kind and address are
    taken from the register when not typed. Raises ValidationError, PermissionDenied."""
    _require(by, unit)
    if site is not None:
        if site.unit_id != unit.pk:
            raise ValidationError({"site": "این محل در فهرست محل‌های این واحد نیست."})
        place, place_kind, address = place or site.name, place_kind or site.kind, address or site.address
    if not place:
        raise ValidationError({"place": "محل بازدید را از فهرست برگزینید یا بنویسید."})
    visit = Visit(unit=unit, created_by=by, place=place, place_kind=place_kind or PlaceKind.OTHER, address=address,
                  purpose=purpose, planned_on=planned_on, site=site)
    _check_team(visit, team)
    visit.search_key = _key(visit)
    visit.full_clean(exclude=["created_by"])
    visit.save()
    visit.team.set(team)
    _tell_team(visit, team, by)
    log_action(actor=by, action="visits.planned",
               summary=f"بازدید از «{place}» برای {jalali.format_date(planned_on)} برنامه‌ریزی شد.", target=visit,
               unit=unit)
    return visit


@transaction.atomic
def visit_update(*, visit: Visit, by, team=None, **fields) -> Visit:
    _require(by, visit.unit)
    site = fields.get("site")
    if site is not None and site.unit_id != visit.unit_id:
        raise ValidationError({"site": "این محل در فهرست محل‌های این واحد نیست."})
    if "place" in fields and not fields["place"]:
        if site is None:
            raise ValidationError({"place": "محل بازدید را از فهرست برگزینید یا بنویسید."})
        fields["place"] = site.name
    if visit.state != State.PLANNED:
        raise ValidationError("فقط بازدید برنامه‌ریزی‌شده ویرایش می‌شود.")
    for name, value in fields.items():
        setattr(visit, name, value)
    if team is not None:
        _check_team(visit, team)
    visit.search_key = _key(visit)
    visit.full_clean(exclude=["created_by"])
    visit.save(update_fields=[*fields, "search_key"])
    if team is not None:
        before = set(visit.team.values_list("pk", flat=True))
        visit.team.set(team)
        _tell_team(visit, [person for person in team if person.pk not in before], by)
    log_action(actor=by, action="visits.updated", summary="برنامه بازدید ویرایش شد.", target=visit, unit=visit.unit)
    return visit


@transaction.atomic
def photo_add(*, visit: Visit, by, upload, caption: str = "") -> Photo:
    _require(by, visit.unit)
    if visit.photos.count() >= MAX_PHOTOS:
        raise ValidationError(f"هر بازدید حداکثر {MAX_PHOTOS} عکس دارد.")
    # Where and when the camera says it was taken, read before the pipeline strips the metadata (issue 17).
    taken_at, latitude, longitude = read_metadata(upload)
    # The one upload pipeline (issue 13 §2): type from content, full decode, a phone's HEIC as JPEG, turned
    # upright, every metadata block (GPS included) dropped, downscaled, a random name with its extension.
    content_type = clean_upload(upload, allowed=PHOTO_TYPES, max_bytes=PHOTO_MAX_BYTES)
    photo = Photo(visit=visit, uploaded_by=by, caption=caption, content_type=content_type, taken_at=taken_at,
                  latitude=latitude, longitude=longitude)
    photo.file.save(upload.name, upload, save=False)
    photo.save()
    log_action(actor=by, action="visits.photo_added", summary="عکس بازدید افزوده شد.", target=visit, unit=visit.unit)
    return photo


@transaction.atomic
def action_add(*, visit: Visit, by, title: str, owner, due_on) -> FollowUp:
    _require(by, visit.unit)
    if visit.state == State.CANCELLED:
        raise ValidationError("برای بازدید لغوشده اقدام پیگیری ثبت نمی‌شود.")
    if owner.unit_id != visit.unit_id:
        raise ValidationError({"owner": "مسئول اقدام باید از کارکنان همین واحد باشد."})
    if due_on < jalali.today():
        raise ValidationError({"due_on": "مهلت نمی‌تواند گذشته باشد؛ امروز یا روزی پس از آن را بنویسید."})
    action = FollowUp(visit=visit, unit=visit.unit, title=title, owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    tell(action, [ASSIGNED], by=by, key=f"visits:action:{action.pk}", source="visits.action_added")
    if _without_account(owner) and owner.mobile and not owner.sms_opt_out:
        # An owner without an account sees no notice: an SMS through the outbox tells them (issue 17).
        queue_sms(to=owner.mobile, key=f"visits:action-sms:{action.pk}", unit=visit.unit, source="visits",
                  body=f"{owner.full_name} گرامی، اقدام پیگیری بازدید «{visit.place[:60]}» به شما سپرده شد: "
                       f"{title[:120]} — مهلت {jalali.format_date(due_on)}. {visit.unit.name}")
    log_action(actor=by, action="visits.action_added",
               summary=f"اقدام «{title}» به {owner.full_name} تا {jalali.format_date(due_on)} سپرده شد.",
               target=visit, unit=visit.unit)
    return action


def _without_account(person) -> bool:
    """True when `person` (offices.Person) reads no in-app notice: no account, or a disabled one."""
    return person.user_id is None or not person.user.is_active


def remind_overdue_actions(*, today=None, limit: int = 1000) -> int:
    """Tell each owner about their open follow-up actions past the due date (`today`: a Gregorian date,
    today by default): an owner with an account in the app once a day; one without an account (issue 17
    §6) by one SMS through the outbox per due date, unless they opted out of SMS. Returns how many were
    told."""
    today = today or jalali.today()
    told = 0
    for action in FollowUp.objects.filter(state=ActionState.OPEN, due_on__lt=today).select_related(
            "owner__user", "visit__unit").order_by("due_on", "pk")[:limit]:
        owner = action.owner
        if _without_account(owner):
            if owner.mobile and not owner.sms_opt_out:
                told += 1
                queue_sms(to=owner.mobile, key=f"visits:overdue-sms:{action.pk}:{action.due_on}",
                          unit=action.visit.unit, source="visits",
                          body=f"{owner.full_name} گرامی، مهلت اقدام «{action.title[:120]}» (بازدید "
                               f"«{action.visit.place[:60]}») {jalali.format_date(action.due_on)} بود و "
                               f"هنوز انجام‌شده ثبت نشده است. {action.visit.unit.name}")
            continue
        notice = notify(user=owner.user, title=f"مهلت اقدام «{action.title}» گذشته است",
                        body=f"بازدید «{action.visit.place}»؛ مهلت {jalali.format_date(action.due_on)}",
                        url=reverse("visits:detail", args=[action.visit_id]),  # in-app: relative
                        key=f"visits:overdue:{action.pk}:{today}")
        told += notice is not None
    return told
