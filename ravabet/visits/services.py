"""Every change to a visit goes through here: checked, atomic, logged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.text import search_key
from ravabet.lib.uploads import check_upload
from ravabet.offices.access import access_for
from ravabet.offices.models import Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES
from ravabet.outbox.services import notify

from .models import TRANSITIONS, ActionState, FollowUp, Photo, State, Visit

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 20


def can_manage(access, unit: Unit) -> bool:
    """A county's officer and manager run its visits; HQ runs HQ's own."""
    return access.has_role(unit, UNIT_ROLES) or (unit.is_hq and access.has_role(unit, HQ_ROLES))


def can_close_action(access, action: FollowUp) -> bool:
    """The person who owes the action reports it done, as do the unit's PR people."""
    return can_manage(access, action.unit) or (action.owner.user_id is not None
                                               and action.owner.user_id == access.user.pk)


def _require(user, unit: Unit) -> None:
    if not can_manage(access_for(user), unit):
        raise PermissionDenied("فقط مسئول روابط عمومی و رئیس همین واحد بازدیدها را ثبت می‌کنند.")


def _check_team(visit: Visit, team) -> None:
    if any(person.unit_id != visit.unit_id for person in team):
        raise ValidationError({"team": "همراهان باید از کارکنان همین واحد باشند."})


def _key(visit: Visit) -> str:
    return search_key(f"{visit.place} {visit.address} {visit.purpose}")[:500]


def _tell_team(visit: Visit, team) -> None:
    url = reverse("visits:detail", args=[visit.pk])
    for person in team:
        if person.user_id:
            notify(user=person.user, title=f"بازدید از «{visit.place}» در {jalali.format_date(visit.planned_on)}",
                   body=visit.purpose[:300], url=url, key=f"visits:team:{visit.pk}:{person.pk}:{visit.planned_on}")


@transaction.atomic
def visit_plan(*, unit: Unit, by, place: str, place_kind: str, address: str, purpose: str, planned_on,
               team=()) -> Visit:
    _require(by, unit)
    visit = Visit(unit=unit, created_by=by, place=place, place_kind=place_kind, address=address, purpose=purpose,
                  planned_on=planned_on)
    _check_team(visit, team)
    visit.search_key = _key(visit)
    visit.full_clean(exclude=["created_by"])
    visit.save()
    visit.team.set(team)
    _tell_team(visit, team)
    log_action(actor=by, action="visits.planned",
               summary=f"بازدید از «{place}» برای {jalali.format_date(planned_on)} برنامه‌ریزی شد.", target=visit,
               unit=unit)
    return visit


@transaction.atomic
def visit_update(*, visit: Visit, by, team=None, **fields) -> Visit:
    _require(by, visit.unit)
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
        _tell_team(visit, [person for person in team if person.pk not in before])
    log_action(actor=by, action="visits.updated", summary="برنامه بازدید ویرایش شد.", target=visit, unit=visit.unit)
    return visit


def _move(visit: Visit, to: str) -> None:
    if to not in TRANSITIONS.get(visit.state, set()):
        raise ValidationError(f"بازدید «{visit.get_state_display()}» را نمی‌توان به این وضعیت برد.")


@transaction.atomic
def visit_record(*, visit: Visit, by, done_on, findings: str) -> Visit:
    """The visit took place: its date and findings."""
    _require(by, visit.unit)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _move(visit, State.DONE)
    if done_on > jalali.today():
        raise ValidationError({"done_on": "تاریخ انجام نمی‌تواند در آینده باشد."})
    if not findings.strip():
        raise ValidationError({"findings": "یافته‌های بازدید را بنویسید."})
    visit.state, visit.done_on, visit.findings = State.DONE, done_on, findings
    visit.save(update_fields=["state", "done_on", "findings"])
    log_action(actor=by, action="visits.done", summary=f"بازدید در {jalali.format_date(done_on)} انجام شد.",
               target=visit, unit=visit.unit)
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, by, reason: str = "") -> Visit:
    _require(by, visit.unit)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _move(visit, State.CANCELLED)
    visit.state = State.CANCELLED
    visit.save(update_fields=["state"])
    log_action(actor=by, action="visits.cancelled", summary=f"بازدید لغو شد. {reason}".strip(), target=visit,
               unit=visit.unit)
    return visit


@transaction.atomic
def visit_replan(*, visit: Visit, by, planned_on) -> Visit:
    _require(by, visit.unit)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _move(visit, State.PLANNED)
    visit.state, visit.planned_on = State.PLANNED, planned_on
    visit.save(update_fields=["state", "planned_on"])
    log_action(actor=by, action="visits.replanned",
               summary=f"بازدید دوباره برای {jalali.format_date(planned_on)} برنامه‌ریزی شد.", target=visit,
               unit=visit.unit)
    return visit


@transaction.atomic
def photo_add(*, visit: Visit, by, upload, caption: str = "") -> Photo:
    _require(by, visit.unit)
    if visit.photos.count() >= MAX_PHOTOS:
        raise ValidationError(f"هر بازدید حداکثر {MAX_PHOTOS} عکس دارد.")
    content_type = check_upload(upload, allowed=PHOTO_TYPES, max_bytes=PHOTO_MAX_BYTES)
    photo = Photo(visit=visit, uploaded_by=by, caption=caption, content_type=content_type)
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[content_type]
    photo.file.save(f"visit-{visit.pk}.{extension}", upload, save=False)
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
    action = FollowUp(visit=visit, unit=visit.unit, title=title, owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    if owner.user_id:
        notify(user=owner.user, title=f"اقدام پیگیری بازدید «{visit.place}»: {title}",
               body=f"مهلت: {jalali.format_date(due_on)}", url=reverse("visits:detail", args=[visit.pk]),
               key=f"visits:action:{action.pk}")
    log_action(actor=by, action="visits.action_added",
               summary=f"اقدام «{title}» به {owner.full_name} تا {jalali.format_date(due_on)} سپرده شد.",
               target=visit, unit=visit.unit)
    return action


@transaction.atomic
def action_done(*, action: FollowUp, by, note: str = "") -> FollowUp:
    if not can_close_action(access_for(by), action):
        raise PermissionDenied("فقط مسئول اقدام، مسئول روابط عمومی و رئیس همین واحد اقدام را بسته می‌کنند.")
    action = FollowUp.objects.select_for_update().get(pk=action.pk)
    if action.state == ActionState.DONE:
        raise ValidationError("این اقدام پیش‌تر انجام‌شده ثبت شده است.")
    action.state, action.done_on, action.done_note = ActionState.DONE, jalali.today(), note
    action.save(update_fields=["state", "done_on", "done_note"])
    log_action(actor=by, action="visits.action_done", summary=f"اقدام «{action.title}» انجام شد.",
               target=action.visit, unit=action.unit)
    return action


def remind_overdue_actions(*, today=None, limit: int = 1000) -> int:
    """Tell each owner once a day about their follow-up actions past the due date."""
    today = today or jalali.today()
    told = 0
    for action in FollowUp.objects.filter(state=ActionState.OPEN, due_on__lt=today,
                                          owner__user__isnull=False).select_related(
            "owner__user", "visit").order_by("due_on", "pk")[:limit]:
        notice = notify(user=action.owner.user, title=f"مهلت اقدام «{action.title}» گذشته است",
                        body=f"بازدید «{action.visit.place}»؛ مهلت {jalali.format_date(action.due_on)}",
                        url=reverse("visits:detail", args=[action.visit_id]),
                        key=f"visits:overdue:{action.pk}:{today}")
        told += notice is not None
    return told
