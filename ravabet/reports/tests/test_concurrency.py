"""HQ's head and expert answer the same report at the same moment (PostgreSQL): the row lock lets one
through; the other re-reads the new state and gets a Persian refusal; one log entry, one notice."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.outbox.models import Notification
from ravabet.reports.models import State, UnitReport
from ravabet.workflow.engine import TransitionRefused, move

from .factories import make_report

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def _race(*calls):
    """Run each (step, user, values) at the same moment; {step+user: "done" or the Persian refusal}."""
    start = threading.Barrier(len(calls))
    outcomes = {}

    def run(name, by, values):
        try:
            start.wait()
            move(UnitReport.objects.get(pk=values.pop("pk")), name, by=by, **values)
            outcomes[f"{name}:{by.username}"] = "done"
        except TransitionRefused as refusal:
            outcomes[f"{name}:{by.username}"] = str(refusal)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_hq_people_acknowledging_at_once_give_one_answer_one_log_one_notice(world):
    report = make_report(world)
    outcomes = _race(("acknowledge", world.hq_head, {"pk": report.pk, "comment": "دیده شد (رئیس)"}),
                     ("acknowledge", world.hq_expert, {"pk": report.pk, "comment": "دیده شد (کارشناس)"}))
    assert sorted(outcomes.values())[0] == "done" and "هم‌اکنون" in sorted(outcomes.values())[1], outcomes
    report.refresh_from_db()
    assert report.state == State.ACKNOWLEDGED
    assert ActionLog.objects.filter(action="reports.acknowledged").count() == 1
    assert Notification.objects.filter(user=world.officer, title__contains="دیده شد").count() == 1


def test_an_act_racing_a_close_of_the_seen_report_lets_exactly_one_through(world):
    report = make_report(world)
    move(report, "acknowledge", by=world.hq_expert)
    Notification.objects.all().delete()
    outcomes = _race(("act", world.hq_head, {"pk": report.pk, "followup_by": world.hq_expert,
                                              "followup_due": timezone.localdate() + dt.timedelta(days=3)}),
                     ("archive", world.hq_expert, {"pk": report.pk, "closing_note": "نیازی نیست"}))
    winners = [key for key, outcome in outcomes.items() if outcome == "done"]
    assert len(winners) == 1, outcomes
    report.refresh_from_db()
    assert report.state == (State.ACTION if winners == ["act:hq_head"] else State.CLOSED)
    assert ActionLog.objects.filter(action__in=["reports.action", "reports.closed"]).count() == 1
    # The unit hears only of what happened.
    titles = list(Notification.objects.filter(user=world.officer).values_list("title", flat=True))
    assert len(titles) == 1 and ("در دست اقدام" in titles[0]) == (winners == ["act:hq_head"])
