"""Issue 11 §1 in complaints: "answered in time" and "closed without an answer after the deadline" are
stamped by the workflow (answered_in_time, closed_late), so figures, HQ's late list and the D2 indicator
compare columns instead of casting a datetime to a date on every row; existing rows get the stamps from
a data migration."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ravabet.complaints.models import Case, State
from ravabet.lib import jalali
from ravabet.workflow.engine import move

from .factories import make_case

# A datetime column's local date: django_datetime_cast_date(...) on SQLite, (col AT TIME ZONE '...')::date on
# PostgreSQL (where a plain date parameter is also written '2026-12-01'::date, which is no cast of a row).
CASTS = ("cast_date", "AT TIME ZONE")


def _late(case, days: int = 3) -> Case:
    Case.objects.filter(pk=case.pk).update(deadline=jalali.today() - dt.timedelta(days=days))
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_closing_without_an_answer_after_the_deadline_is_stamped_late_and_a_reopen_clears_it(world):
    late = move(_late(make_case(world.county_a)), "close_unanswered", by=world.officer, close_reason="تکراری")
    in_time = move(make_case(world.county_a), "close_unanswered", by=world.officer, close_reason="تکراری")
    assert late.closed_late is True and in_time.closed_late is False
    reopened = move(late, "reopen", by=None, objection="تکراری نیست.")
    assert reopened.state == State.REOPENED and reopened.closed_late is None


@pytest.mark.django_db
def test_hq_late_list_figures_and_the_d2_indicator_read_the_stamps_without_a_date_cast(client_for, world):
    from ravabet.compliance.measures import MEASURES, evidence_queryset, measure

    late = move(_late(make_case(world.county_a)), "close_unanswered", by=world.officer, close_reason="تکراری")
    move(make_case(world.county_a, subject="تابلو افتاده"), "close_unanswered", by=world.officer, close_reason="رفع شد")
    answered = make_case(world.county_a, subject="چراغ خاموش")
    Case.objects.filter(pk=answered.pk).update(deadline=jalali.today())  # due today: in the indicator's period
    move(answered, "answer", by=world.officer, answer="روشن شد.")
    client = client_for("hq_expert")
    with CaptureQueriesContext(connection) as queries:
        overdue = client.get(reverse("complaints:hq_overdue"))
        figures = client.get(reverse("complaints:figures")).context["figures"]
    assert [case.pk for case in overdue.context["page_obj"]] == [late.pk]
    assert figures["overdue"] == 1 and figures["in_time_percent"] == 33  # 1 in time of 3 due
    today = jalali.today()
    d2 = MEASURES["D2"]
    found = measure(d2, today - dt.timedelta(days=30), today, [world.county_a.pk])[world.county_a.pk]
    assert found.good_ids == [answered.pk] and sorted(found.ids) == sorted([late.pk, answered.pk])
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    sql += str(evidence_queryset(d2, today - dt.timedelta(days=30), today, [world.county_a.pk]).query)
    assert not [cast for cast in CASTS if cast.lower() in sql.lower()]


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_stamps_existing_answers_and_late_closures(world):
    executor = MigrationExecutor(connection)
    executor.migrate([("complaints", "0004_search_key_trigram_index")])
    old = executor.loader.project_state([("complaints", "0004_search_key_trigram_index")]).apps
    OldCase = old.get_model("complaints", "Case")  # noqa: N806
    deadline = dt.date(2026, 3, 10)
    # 23:30 UTC on the deadline is already the next day in Tehran: late, which a UTC date would miss.
    after = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)
    before = dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC)
    common = {"unit_id": world.county_a.pk, "subject": "چاله", "text": "متن", "deadline": deadline}
    closed_late = OldCase.objects.create(tracking_code="200000000001", state="closed_unanswered", closed_at=after,
                                         **common)
    closed_early = OldCase.objects.create(tracking_code="200000000002", state="closed_unanswered",
                                          closed_at=before, **common)
    answered_late = OldCase.objects.create(tracking_code="200000000003", state="answered", answered_at=after,
                                           **common)
    answered_kept = OldCase.objects.create(tracking_code="200000000004", state="answered", answered_at=after,
                                           answered_in_time=True, **common)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        stamps = dict(Case.objects.filter(pk__in=[closed_late.pk, closed_early.pk]).values_list("pk", "closed_late"))
        assert stamps == {closed_late.pk: True, closed_early.pk: False}
        assert Case.objects.get(pk=answered_late.pk).answered_in_time is False
        assert Case.objects.get(pk=answered_kept.pk).answered_in_time is True  # a stamp already there stays
        assert timezone.localdate(after) > deadline
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
