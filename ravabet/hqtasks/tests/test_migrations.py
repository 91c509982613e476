"""The data migration of issue 10 (b): assignments already reported done get `done_on_time` from the local day
of `done_at` against the task's due date."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("hqtasks", "0001_initial")]
AFTER = [("hqtasks", "0002_assignment_done_on_time")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_done_assignments_get_done_on_time_from_the_local_day_they_were_done(world):
    from ravabet.hqtasks.models import Assignment

    old = _migrate(BEFORE)
    OldTask, OldAssignment = old.get_model("hqtasks", "Task"), old.get_model("hqtasks", "Assignment")  # noqa: N806
    due = dt.date(2026, 11, 10)
    task = OldTask.objects.create(title="بنر", description="نصب بنر", due_date=due)
    tehran = timezone.get_current_timezone()
    # 23:30 Tehran on the due day is 20:00 UTC of the same day; 00:30 Tehran the next day is still the 10th in UTC.
    in_time = OldAssignment.objects.create(task=task, unit_id=world.county_a.pk, state="accepted",
                                           done_at=dt.datetime(2026, 11, 10, 23, 30, tzinfo=tehran))
    next_day = OldAssignment.objects.create(task=task, unit_id=world.county_b.pk, state="accepted",
                                            done_at=dt.datetime(2026, 11, 11, 0, 30, tzinfo=tehran))
    other = OldTask.objects.create(title="گزارش", description="گزارش", due_date=due)
    never = OldAssignment.objects.create(task=other, unit_id=world.county_a.pk, state="open")
    try:
        _migrate(AFTER)
        flags = dict(Assignment.objects.values_list("pk", "done_on_time"))
        assert flags == {in_time.pk: True, next_day.pk: False, never.pk: False}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
