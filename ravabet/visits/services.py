"""Every change to a visit that is not a workflow step goes through here: checked, atomic, logged.
State changes of visits and follow-up actions are the declared steps in models.py, made with
`ravabet.workflow.engine.move` (the generic step view, or the record/replan pages)."""

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
from ravabet.workflow.declare import Notice
from ravabet.workflow.engine import tell

from .models import ASSIGNED, ActionState, FollowUp, Photo, State, Visit

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
    _tell_team(visit, team, by)
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
        _tell_team(visit, [person for person in team if person.pk not in before], by)
    log_action(actor=by, action="visits.updated", summary="برنامه بازدید ویرایش شد.", target=visit, unit=visit.unit)
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
    tell(action, [ASSIGNED], by=by, key=f"visits:action:{action.pk}", source="visits.action_added")
    log_action(actor=by, action="visits.action_added",
               summary=f"اقدام «{title}» به {owner.full_name} تا {jalali.format_date(due_on)} سپرده شد.",
               target=visit, unit=visit.unit)
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
