import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ravabet.lib import jalali
from ravabet.offices.models import Membership, Person
from ravabet.offices.roles import Role
from ravabet.visits import services
from ravabet.visits.models import PlaceKind, State, Visit, step_for
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
    owner = owner or Person.objects.filter(unit=visit.unit).first()
    return services.action_add(visit=visit, by=by or officer_of(visit.unit), title=title, owner=owner,
                               due_on=jalali.today() + dt.timedelta(days=days))


def jpeg(name="site.jpg", size=(640, 480)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
