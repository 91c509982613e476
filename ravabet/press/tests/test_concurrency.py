"""Races on PostgreSQL: two answers to one journalist's phone permit, and a double-clicked approval."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from ravabet.audit.models import ActionLog
from ravabet.outbox.models import Notification
from ravabet.press.models import JournalistVisit, MediaRequest, RequestState
from ravabet.workflow.engine import move

from .factories import make_request, make_visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def _race(calls) -> list[str]:
    """Run the calls at the same moment, each on its own connection; "ok" or the refusal's text."""
    barrier = threading.Barrier(len(calls))

    def run(call) -> str:
        try:
            barrier.wait()
            call()
            return "ok"
        except PermissionDenied as refusal:
            return str(refusal)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_a_permit_racing_a_refusal_one_wins_and_only_its_notice_is_sent(world):
    visit = make_visit(world.county_a)
    head = world.hq_head
    answers = _race([lambda: move(JournalistVisit.objects.get(pk=visit.pk), "permit", by=head),
                     lambda: move(JournalistVisit.objects.get(pk=visit.pk), "refuse", by=head, permit_note="نه")])
    assert answers.count("ok") == 1
    assert any("هم‌اکنون" in answer or "در وضعیت" in answer for answer in answers if answer != "ok")
    visit.refresh_from_db()
    winner = "press.visit_permitted" if visit.state == "permitted" else "press.visit_refused"
    assert ActionLog.objects.filter(action__in=["press.visit_permitted", "press.visit_refused"]).count() == 1
    assert ActionLog.objects.filter(action=winner).count() == 1
    titles = list(Notification.objects.filter(user=world.officer).values_list("title", flat=True))
    assert len(titles) == 1 and titles[0].endswith("داده شد" if visit.state == "permitted" else "داده نشد")


def test_three_approvals_of_one_request_log_and_notify_once(world):
    request = make_request(world.county_a)
    answers = _race([lambda: move(MediaRequest.objects.get(pk=request.pk), "approve", by=world.hq_head)] * 3)
    assert answers.count("ok") == 1
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    assert ActionLog.objects.filter(action="press.request_approved").count() == 1
    assert Notification.objects.filter(user=world.officer, title__contains="مجوز داده شد").count() == 1
