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


def test_an_acknowledge_racing_an_act_lets_exactly_one_through(world):
    report = make_report(world)
    start = threading.Barrier(2)
    outcomes = {}

    def run(name, by, **values):
        try:
            start.wait()
            move(UnitReport.objects.get(pk=report.pk), name, by=by, **values)
            outcomes[name] = "done"
        except TransitionRefused as refusal:
            outcomes[name] = str(refusal)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=("acknowledge", world.hq_expert)),
               threading.Thread(target=run, args=("act", world.hq_head),
                                kwargs={"followup_by": world.hq_expert,
                                        "followup_due": timezone.localdate() + dt.timedelta(days=3)})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, outcome in outcomes.items() if outcome == "done"]
    assert len(winners) == 1, outcomes
    loser = "act" if winners == ["acknowledge"] else "acknowledge"
    assert "در وضعیت" in outcomes[loser] or "هم‌اکنون" in outcomes[loser]
    report.refresh_from_db()
    assert report.state == (State.ACKNOWLEDGED if winners == ["acknowledge"] else State.ACTION)
    assert ActionLog.objects.filter(action__in=["reports.acknowledged", "reports.action"]).count() == 1
    # The unit hears only the answer that happened.
    titles = list(Notification.objects.filter(user=world.officer).values_list("title", flat=True))
    assert len(titles) == 1 and ("دیده شد" in titles[0]) == (winners == ["acknowledge"])
