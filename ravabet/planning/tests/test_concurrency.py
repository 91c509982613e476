"""HQ's expert and head reviewing the same monthly report at the same moment on PostgreSQL: one
decision wins, the other gets a Persian refusal, and the unit hears only the winner's notice."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from ravabet.audit.models import ActionLog
from ravabet.outbox.models import Notification
from ravabet.workflow.engine import move

from ..models import MonthlyReport, ReportState
from .factories import make_report

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def _race(world, moves):
    """Run each (actor, step, values) in its own thread, started together; returns the outcomes."""
    start = threading.Barrier(len(moves))
    outcomes = []

    def run(actor, name, values):
        report = MonthlyReport.objects.get(state=ReportState.SUBMITTED)
        start.wait()
        try:
            move(report, name, by=world.users[actor], **values)
            outcomes.append(("done", name))
        except PermissionDenied as refusal:
            outcomes.append(("refused", str(refusal)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=move_) for move_ in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_an_accept_racing_a_return_leaves_one_decision_and_only_its_notice(world):
    report = make_report(world.county_a, state=ReportState.SUBMITTED)
    outcomes = _race(world, [("hq_head", "accept", {}), ("hq_expert", "send_back", {"comment": "جدول ناقص است"})])
    done = [name for kind, name in outcomes if kind == "done"]
    refused = [text for kind, text in outcomes if kind == "refused"]
    assert len(done) == 1 and len(refused) == 1
    assert "پیش‌تر" in refused[0] or "شدنی نیست" in refused[0]
    report.refresh_from_db()
    winner = done[0]
    assert report.state == (ReportState.ACCEPTED if winner == "accept" else ReportState.RETURNED)
    assert ActionLog.objects.filter(action__in=["planning.report_accepted", "planning.report_returned"]).count() == 1
    titles = list(Notification.objects.filter(user=world.officer).values_list("title", flat=True))
    assert len(titles) == 1 and ("پذیرفته شد" if winner == "accept" else "برگشت خورد") in titles[0]


def test_three_concurrent_accepts_make_one(world):
    make_report(world.county_a, state=ReportState.SUBMITTED)
    outcomes = _race(world, [("hq_head", "accept", {}), ("hq_expert", "accept", {}), ("hq_head", "accept", {})])
    assert sorted(kind for kind, _ in outcomes) == ["done", "refused", "refused"]
    assert ActionLog.objects.filter(action="planning.report_accepted").count() == 1
    assert Notification.objects.filter(user=world.officer).count() == 1
