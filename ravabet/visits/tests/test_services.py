import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification
from ravabet.visits import services
from ravabet.visits.models import TRANSITIONS, ActionState, PlaceKind, State, Visit

from .factories import jpeg, make_action, make_visit

pytestmark = pytest.mark.django_db


def test_each_allowed_transition_works_and_the_others_are_refused(world):
    today = jalali.today()
    moves = {
        State.DONE: lambda v: services.visit_record(visit=v, by=world.officer, done_on=today, findings="یافته"),
        State.CANCELLED: lambda v: services.visit_cancel(visit=v, by=world.officer),
        State.PLANNED: lambda v: services.visit_replan(visit=v, by=world.officer, planned_on=today),
    }
    for source, targets in TRANSITIONS.items():
        for target, move in moves.items():
            visit = make_visit(world.county_a)
            Visit.objects.filter(pk=visit.pk).update(state=source)
            visit.refresh_from_db()
            if target in targets:
                assert move(visit).state == target
            else:
                with pytest.raises(ValidationError):
                    move(visit)


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
        services.visit_record(visit=visit, by=world.officer, done_on=jalali.today() + dt.timedelta(days=1),
                              findings="x")
    assert "done_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.visit_record(visit=visit, by=world.officer, done_on=jalali.today(), findings="  ")
    assert "findings" in error.value.message_dict


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
    done = services.action_done(action=action, by=world.officer, note="نصب شد")
    assert done.state == ActionState.DONE and done.done_on == jalali.today()
    with pytest.raises(ValidationError):
        services.action_done(action=done, by=world.officer)
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
    services.action_add(visit=visit, by=world.officer, title="آب‌پاشی", owner=staff,
                        due_on=jalali.today() - dt.timedelta(days=1))
    services.remind_overdue_actions()
    services.remind_overdue_actions()
    assert Notification.objects.filter(user=world.staff, title__contains="مهلت اقدام").count() == 1
