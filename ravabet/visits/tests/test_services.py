import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification
from ravabet.visits import services
from ravabet.visits.models import ActionState, FollowUp, PlaceKind, State, Visit
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move, steps_of

from .factories import jpeg, make_action, make_visit

pytestmark = pytest.mark.django_db


def test_each_declared_step_moves_the_visit_and_the_others_are_refused(world):
    today = jalali.today()
    values = {"record": {"done_on": today, "findings": "یافته"}, "cancel": {}, "replan": {"planned_on": today}}
    declared = {name: spec for name, spec in steps_of(Visit).items() if not name.endswith("_hq")}
    assert {name: (spec.sources, spec.target) for name, spec in declared.items()} == {
        "record": ((State.PLANNED,), State.DONE), "cancel": ((State.PLANNED,), State.CANCELLED),
        "replan": ((State.CANCELLED,), State.PLANNED)}
    for source in State.values:
        for name, spec in declared.items():
            visit = make_visit(world.county_a)
            Visit.objects.filter(pk=visit.pk).update(state=source)
            visit.refresh_from_db()
            if source in spec.sources:
                assert move(visit, name, by=world.officer, **values[name]).state == spec.target
            else:
                with pytest.raises(TransitionRefused):
                    move(visit, name, by=world.officer, **values[name])
                visit.refresh_from_db()
                assert visit.state == source


def test_a_done_visit_cannot_be_cancelled_or_recorded_again(world):
    visit = make_visit(world.county_a, done=True, days=0)
    for name, values in (("cancel", {}), ("record", {"done_on": jalali.today(), "findings": "دوباره"})):
        with pytest.raises(TransitionRefused, match="انجام‌شده"):
            move(visit, name, by=world.officer, **values)
    visit.refresh_from_db()
    assert visit.findings == "تابلو هشدار کم است."


def test_cancelling_keeps_the_reason_tells_the_team_and_replanning_clears_it(world):
    visit = make_visit(world.county_a)
    staff = Person.objects.get(user=world.staff)
    visit.team.set([staff])
    move(visit, "cancel", by=world.officer, cancel_reason="باران شدید")
    assert visit.cancel_reason == "باران شدید"
    assert Notification.objects.filter(user=world.staff, title__contains="لغو شد").count() == 1
    later = jalali.today() + dt.timedelta(days=9)
    move(visit, "replan", by=world.officer, planned_on=jalali.format_date(later))
    visit.refresh_from_db()
    assert (visit.state, visit.planned_on, visit.cancel_reason) == (State.PLANNED, later, "")
    assert Notification.objects.filter(user=world.staff, title__contains="دوباره").count() == 1


def test_hq_runs_its_own_visits_but_not_a_countys(world):
    county = make_visit(world.county_a)
    for name in ("cancel", "cancel_hq"):
        with pytest.raises(TransitionRefused):
            move(county, name, by=world.hq_head)
    own = make_visit(world.hq, by=world.hq_expert)
    with pytest.raises(RoleRefused):
        move(own, "cancel", by=world.hq_expert)
    assert move(own, "cancel_hq", by=world.hq_head).state == State.CANCELLED


def test_a_team_member_from_another_county_is_refused(world):
    stranger = Person.objects.filter(unit=world.county_b).first()
    with pytest.raises(ValidationError) as error:
        services.visit_plan(unit=world.county_a, by=world.officer, place="محل", place_kind=PlaceKind.SITE,
                            address="", purpose="هدف", planned_on=jalali.today(), team=[stranger])
    assert "team" in error.value.message_dict


def test_the_team_is_told_of_the_visit(world):
    staff = Person.objects.get(user=world.staff)
    services.visit_plan(unit=world.county_a, by=world.officer, place="محل", place_kind=PlaceKind.SITE, address="",
                        purpose="هدف", planned_on=jalali.today(), team=[staff])
    assert Notification.objects.filter(user=world.staff).count() == 1


def test_staff_and_hq_cannot_plan_a_county_visit(world):
    for user in (world.staff, world.hq_expert, world.outsider):
        with pytest.raises(PermissionDenied):
            services.visit_plan(unit=world.county_a, by=user, place="محل", place_kind=PlaceKind.SITE, address="",
                                purpose="هدف", planned_on=jalali.today())


def test_a_done_date_in_the_future_and_empty_findings_are_refused(world):
    visit = make_visit(world.county_a)
    with pytest.raises(ValidationError) as error:
        move(visit, "record", by=world.officer, done_on=jalali.today() + dt.timedelta(days=1), findings="x")
    assert "done_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        move(visit, "record", by=world.officer, done_on=jalali.today(), findings="  ")
    assert "findings" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        move(visit, "record", by=world.officer, done_on="1405/13/40", findings="x")
    assert "done_on" in error.value.message_dict
    visit.refresh_from_db()
    assert visit.state == State.PLANNED and visit.findings == ""


def test_a_photo_is_checked_by_content_and_stored_privately(world):
    visit = make_visit(world.county_a, done=True)
    photo = services.photo_add(visit=visit, by=world.officer, upload=jpeg(), caption="کارگاه")
    assert photo.content_type == "image/jpeg" and photo.file.storage.exists(photo.file.name)
    with pytest.raises(ValidationError, match="JPEG"):
        services.photo_add(visit=visit, by=world.officer,
                           upload=SimpleUploadedFile("fake.jpg", b"not an image", content_type="image/jpeg"))


def test_an_action_is_given_to_a_unit_person_who_is_told_and_closed_once(world):
    visit = make_visit(world.county_a, done=True)
    staff = Person.objects.get(user=world.staff)
    action = services.action_add(visit=visit, by=world.officer, title="نصب تابلو", owner=staff,
                                 due_on=jalali.today())
    assert Notification.objects.filter(user=world.staff, title__contains="نصب تابلو").exists()
    done = move(action, "done", by=world.officer, done_note="نصب شد")
    assert done.state == ActionState.DONE and done.done_on == jalali.today() and done.done_note == "نصب شد"
    assert Notification.objects.filter(user=world.staff, title__contains="انجام‌شده ثبت شد").count() == 1
    with pytest.raises(TransitionRefused):
        move(done, "done", by=world.officer)
    stranger = Person.objects.filter(unit=world.county_b).first()
    with pytest.raises(ValidationError):
        services.action_add(visit=visit, by=world.officer, title="x", owner=stranger, due_on=jalali.today())


def test_late_flags_follow_the_dates(world):
    late_visit = make_visit(world.county_a, days=-2)
    assert late_visit.is_late and not make_visit(world.county_a, days=1).is_late
    action = make_action(make_visit(world.county_a, done=True, days=-1), days=-1)
    assert action.is_late


def test_owners_of_overdue_actions_are_reminded_once_a_day(world):
    visit = make_visit(world.county_a, done=True, days=-3)
    staff = Person.objects.get(user=world.staff)
    make_action(visit, title="آب‌پاشی", owner=staff, days=-1)
    services.remind_overdue_actions()
    services.remind_overdue_actions()
    assert Notification.objects.filter(user=world.staff, title__contains="مهلت اقدام").count() == 1


def test_the_owner_closes_their_own_action_and_the_visits_planner_is_told(world):
    visit = make_visit(world.county_a, done=True, days=0)
    mine = make_action(visit, owner=Person.objects.get(user=world.staff), title="عکس تابلو")
    others = make_action(visit, owner=Person.objects.get(user=world.manager), title="نامه به دهیاری")
    with pytest.raises(RoleRefused):
        move(others, "done_by_owner", by=world.staff)
    with pytest.raises(RoleRefused):
        move(mine, "done", by=world.staff)
    move(mine, "done_by_owner", by=world.staff, done_note="فرستادم")
    assert FollowUp.objects.get(pk=mine.pk).state == ActionState.DONE
    assert FollowUp.objects.get(pk=others.pk).state == ActionState.OPEN
    assert Notification.objects.filter(user=world.officer, title__contains="عکس تابلو").count() == 1
