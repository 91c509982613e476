"""Races on PostgreSQL: one visit recorded while it is cancelled, one follow-up action closed twice."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from ravabet.audit.models import ActionLog
from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification
from ravabet.visits.models import ActionState, FollowUp, State, Visit
from ravabet.workflow.engine import TransitionRefused, move

from .factories import make_action, make_visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def _race(model, pk, moves):
    barrier = threading.Barrier(len(moves))

    def attempt(args) -> str:
        name, user, values = args
        try:
            barrier.wait()
            move(model.objects.get(pk=pk), name, by=user, **values)
            return name
        except TransitionRefused as refusal:
            assert "هم‌اکنون" in str(refusal) or "در وضعیت" in str(refusal)
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(moves)) as pool:
        return list(pool.map(attempt, moves))


def test_recording_a_visit_racing_its_cancel_lets_exactly_one_through_and_tells_only_its_people(world):
    visit = make_visit(world.county_a, days=0)
    visit.team.set([Person.objects.get(user=world.staff)])
    results = _race(Visit, visit.pk, [
        ("record", world.officer, {"done_on": jalali.today(), "findings": "گرد و خاک زیاد است."}),
        ("cancel", world.manager, {"cancel_reason": "باران شدید"})])
    winners = [result for result in results if result != "refused"]
    assert len(winners) == 1 and results.count("refused") == 1
    visit.refresh_from_db()
    assert visit.state == {"record": State.DONE, "cancel": State.CANCELLED}[winners[0]]
    assert ActionLog.objects.filter(action__in=["visits.done", "visits.cancelled"]).count() == 1
    cancelled_notices = Notification.objects.filter(user=world.staff, title__contains="لغو شد").count()
    assert cancelled_notices == (1 if winners[0] == "cancel" else 0)


def test_an_action_closed_by_its_owner_and_the_officer_at_once_is_done_once(world):
    owner = Person.objects.get(user=world.staff)
    action = make_action(make_visit(world.county_a, days=0, done=True), owner=owner)
    results = _race(FollowUp, action.pk, [("done_by_owner", world.staff, {"done_note": "نصب شد"}),
                                          ("done", world.officer, {"done_note": "دیدم نصب شده"})])
    assert sorted(results) in (["done_by_owner", "refused"], ["done", "refused"])
    action.refresh_from_db()
    assert action.state == ActionState.DONE
    assert ActionLog.objects.filter(action="visits.action_done").count() == 1
