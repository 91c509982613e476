"""HQ's review racing on PostgreSQL: an accept and a return of the same evidence at the same moment."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from ravabet.audit.models import ActionLog
from ravabet.hqtasks.models import Assignment, AssignmentState
from ravabet.outbox.models import Notification
from ravabet.workflow.engine import move

from .factories import make_assignment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def test_an_accept_racing_a_return_lets_one_win_and_only_its_notice_goes_out(world):
    assignment = make_assignment(world.county_a, state=AssignmentState.DONE)
    start = threading.Barrier(2)
    results = {}

    def review(name, user):
        try:
            start.wait()
            move(Assignment.objects.get(pk=assignment.pk), name, by=user, review_comment="عکس‌ها کم است.")
            results[name] = "moved"
        except PermissionDenied as refusal:
            results[name] = str(refusal)
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=("accept", world.hq_head)),
               threading.Thread(target=review, args=("send_back", world.hq_expert))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, result in results.items() if result == "moved"]
    assert len(winners) == 1, results
    loser = "send_back" if winners == ["accept"] else "accept"
    assert "کسی پیش‌تر" in results[loser] or "در وضعیت" in results[loser]
    assignment.refresh_from_db()
    assert assignment.state == (AssignmentState.ACCEPTED if winners == ["accept"] else AssignmentState.RETURNED)
    assert ActionLog.objects.filter(action__in=["hqtasks.assignment_accepted", "hqtasks.assignment_returned"]).count() == 1
    word = "پذیرفته شد" if winners == ["accept"] else "برگشت"
    other = "برگشت" if winners == ["accept"] else "پذیرفته شد"
    assert Notification.objects.filter(user=world.officer, title__contains=word).count() == 1
    assert not Notification.objects.filter(title__contains=other).exists()
