"""Indicator, home-page entries, monthly report section and demo data of the HQ tasks part."""

import datetime as dt
import json

import pytest

from ravabet.compliance.registry import FEATURES, INDICATORS, REPORT_SECTIONS, REVIEW_PROVIDERS, TODO_PROVIDERS
from ravabet.hqtasks import services
from ravabet.hqtasks.features import hqtasks_review, hqtasks_todo
from ravabet.hqtasks.models import Assignment, AssignmentState, Task
from ravabet.lib import jalali
from ravabet.offices.access import Access
from ravabet.workflow.engine import move

from .factories import make_assignment

pytestmark = pytest.mark.django_db


def test_f7_has_features_an_indicator_and_home_entries():
    assert any("F7" in f.items for f in FEATURES.values() if f.key.startswith("hqtasks."))
    assert FEATURES["hqtasks.create"].roles == {"hq_head"}
    assert any(i.count.__module__ == "ravabet.hqtasks.features" for i in INDICATORS["F7"])
    assert hqtasks_todo in TODO_PROVIDERS and hqtasks_review in REVIEW_PROVIDERS


def test_the_indicator_counts_accepted_tasks_of_the_unit_in_the_month(world):
    today = jalali.today()
    assignment = make_assignment(world.county_a)
    services.assignment_submit(assignment=assignment, by=world.officer, evidence="x")
    move(assignment, "accept", by=world.hq_head)
    count = [i for i in INDICATORS["F7"] if i.count.__module__ == "ravabet.hqtasks.features"][0].count
    assert count(world.county_a, today - dt.timedelta(days=1), today + dt.timedelta(days=1)) == 1
    assert count(world.county_b, today - dt.timedelta(days=1), today + dt.timedelta(days=1)) == 0


def test_the_report_section_counts_the_months_tasks_as_plain_json(world):
    make_assignment(world.county_a)
    today = jalali.today()
    section = REPORT_SECTIONS["hqtasks"].build(world.county_a, today - dt.timedelta(days=10),
                                               today + dt.timedelta(days=10))
    json.dumps(section)
    assert dict(section["counts"])["مأموریت‌های اداره کل با مهلت در این ماه"] == 1


def test_the_officer_home_shows_overdue_tasks_and_hq_home_shows_work_waiting_for_review(world):
    late = make_assignment(world.county_a)
    Task.objects.filter(pk=late.task_id).update(due_date=dt.date(2020, 1, 1))
    waiting = make_assignment(world.county_a, title="دیگری")
    services.assignment_submit(assignment=waiting, by=world.officer, evidence="x")
    todo = {e.title: e for e in hqtasks_todo(Access(world.officer), world.county_a)}
    assert todo["مأموریت اداره کل گذشته از مهلت"].level == "danger"
    review = {e.title: e.count for e in hqtasks_review(Access(world.hq_head))}
    assert review["گزارش انجام مأموریت در انتظار بررسی"] == 1 and review["مأموریت واحدها گذشته از مهلت"] == 1
    assert hqtasks_todo(Access(world.staff), world.county_a) == []


def test_the_demo_shows_every_task_state_and_a_second_run_adds_nothing():
    from ravabet.hqtasks.demo import seed_demo
    from ravabet.offices.demo import seed_platform

    seed_demo(seed_platform())
    count = Assignment.objects.count()
    assert set(Assignment.objects.values_list("state", flat=True)) == set(AssignmentState.values)
    seed_demo(seed_platform())
    assert Assignment.objects.count() == count


def test_bench_data_is_loaded_once():
    from ravabet.hqtasks.demo import seed_bench
    from ravabet.offices.demo import seed_bench_platform

    ctx = seed_bench_platform(units=2, staff_per_unit=3)
    ctx.years = 1
    seed_bench(ctx)
    assert Assignment.objects.count() == 2 * 52
    seed_bench(ctx)
    assert Assignment.objects.count() == 2 * 52


def test_f7_scores_the_share_of_due_tasks_done_by_their_due_date_from_the_flag_the_step_keeps(world):
    """Issue 10 §1 (F7): an accepted task counts as good only when the unit reported it done on or before the
    due date; the `submit` step stores that as `done_on_time`, so the measure reads a column (no date cast)."""
    from ravabet.compliance.measures import MEASURES, evidence_queryset, measure

    today = jalali.today()
    on_time = make_assignment(world.county_a, days=0)  # due today, done today
    late = make_assignment(world.county_a, title="گزارش دیرهنگام", days=5)
    Task.objects.filter(pk=late.task_id).update(due_date=today - dt.timedelta(days=2))
    for assignment in (on_time, late):
        services.assignment_submit(assignment=assignment, by=world.officer, evidence="انجام شد")
        move(assignment, "accept", by=world.hq_head)
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert on_time.done_on_time and not late.done_on_time
    f7 = MEASURES["F7"]
    found = measure(f7, today - dt.timedelta(days=10), today, [world.county_a.pk])[world.county_a.pk]
    assert sorted(found.ids) == sorted([on_time.pk, late.pk]) and found.good_ids == [on_time.pk]
    sql = str(evidence_queryset(f7, today - dt.timedelta(days=10), today, [world.county_a.pk]).query)
    assert "django_datetime_cast_date" not in sql and "::date" not in sql and "AT TIME ZONE" not in sql.upper()


def test_a_task_returned_and_done_again_after_its_due_date_is_late(world):
    assignment = make_assignment(world.county_a, days=0)
    services.assignment_submit(assignment=assignment, by=world.officer, evidence="انجام شد")
    move(assignment, "send_back", by=world.hq_head, review_comment="ناقص است")
    Task.objects.filter(pk=assignment.task_id).update(due_date=jalali.today() - dt.timedelta(days=1))
    services.assignment_submit(assignment=assignment, by=world.officer, evidence="کامل شد")
    assignment.refresh_from_db()
    assert not assignment.done_on_time
