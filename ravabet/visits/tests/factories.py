import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ravabet.lib import jalali
from ravabet.offices.models import Membership, Person
from ravabet.offices.roles import Role
from ravabet.visits import services
from ravabet.visits.models import FollowUp, PlaceKind, State, Visit, step_for
from ravabet.workflow.engine import move


def officer_of(unit):
    return Membership.objects.filter(unit=unit, role=Role.PR_OFFICER).select_related("user").first().user


def make_visit(unit, *, days=3, place="کارگاه جاده خیرآباد", done=False, state=State.PLANNED, by=None) -> Visit:
    """A visit of `unit` planned `days` from today with the unit's first person on the team, moved by the
    workflow's own steps to `state` (`done=True` is state "done"). `by` defaults to the unit's PR officer;
    for HQ's own visit give an HQ user."""
    by = by or officer_of(unit)
    state = State.DONE if done else state
    planned_on = jalali.today() + dt.timedelta(days=days)
    visit = services.visit_plan(unit=unit, by=by, place=place, place_kind=PlaceKind.SITE, address="کیلومتر ۱۲",
                                purpose="بررسی پیشرفت کار", planned_on=planned_on,
                                team=list(Person.objects.filter(unit=unit)[:1]))
    if state == State.DONE:
        move(visit, step_for(visit, "record"), by=by, done_on=min(planned_on, jalali.today()),
             findings="تابلو هشدار کم است.")
    elif state == State.CANCELLED:
        move(visit, step_for(visit, "cancel"), by=by, cancel_reason="باران شدید")
    return visit


def make_action(visit, *, days=5, title="نصب تابلو هشدار", owner=None, by=None):
    """An action due `days` from today. A due date in the past cannot be given (issue 17), so an overdue
    action is given today and its due date moved back, as if it had been given days ago."""
    owner = owner or Person.objects.filter(unit=visit.unit).first()
    action = services.action_add(visit=visit, by=by or officer_of(visit.unit), title=title, owner=owner,
                                 due_on=jalali.today() + dt.timedelta(days=max(days, 0)))
    if days < 0:
        FollowUp.objects.filter(pk=action.pk).update(due_on=jalali.today() + dt.timedelta(days=days))
        action.refresh_from_db()
    return action


def jpeg(name="site.jpg", size=(640, 480)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
