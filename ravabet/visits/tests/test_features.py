import datetime as dt

import pytest

from ravabet.compliance.registry import INDICATORS, REPORT_SECTIONS
from ravabet.lib import jalali
from ravabet.offices.access import Access
from ravabet.offices.demo import seed_platform
from ravabet.offices.models import Person
from ravabet.visits.demo import seed_demo
from ravabet.visits.features import visits_review, visits_todo
from ravabet.visits.models import ActionState, FollowUp, Photo, State, Visit

from .factories import make_action, make_visit

pytestmark = pytest.mark.django_db


def test_the_d6_indicator_counts_done_visits_of_the_unit(world):
    make_visit(world.county_a, done=True, days=0)
    make_visit(world.county_a, days=2)
    count = next(i for i in INDICATORS["D6"] if i.count.__module__ == "ravabet.visits.features").count
    today = jalali.today()
    assert count(world.county_a, today - dt.timedelta(days=1), today) == 1
    assert count(world.county_b, today - dt.timedelta(days=1), today) == 0


def test_the_monthly_report_section_lists_done_visits_and_late_actions(world):
    visit = make_visit(world.county_a, done=True, days=0)
    make_action(visit, days=-1)
    today = jalali.today()
    data = REPORT_SECTIONS["visits.field"].build(world.county_a, today - dt.timedelta(days=5), today)
    counts = dict(data["counts"])
    assert counts["بازدیدهای انجام‌شده در ماه"] == 1 and counts["اقدام‌های گذشته از مهلت"] == 1
    assert data["table"]["rows"][0][1] == visit.place


def test_home_pages_warn_of_late_visits_and_overdue_actions(world):
    make_visit(world.county_a, days=-2)
    make_action(make_visit(world.county_a, done=True, days=-3), days=-1)
    titles = [e.title for e in visits_todo(Access(world.officer), world.county_a)]
    assert len(titles) == 2
    assert visits_review(Access(world.hq_expert))[0].count == 1
    assert visits_todo(Access(world.staff), world.county_a) == []
    staff = Person.objects.get(user=world.staff)
    make_action(make_visit(world.county_a, done=True, days=-3), days=2, owner=staff)
    assert [e.count for e in visits_todo(Access(world.staff), world.county_a)] == [1]


def test_the_demo_has_visits_in_every_state_and_a_second_run_adds_nothing():
    ctx = seed_platform()
    seed_demo(ctx)
    assert set(Visit.objects.values_list("state", flat=True)) == set(State.values)
    assert FollowUp.objects.filter(state=ActionState.OPEN).exists() and Photo.objects.exists()
    counts = (Visit.objects.count(), FollowUp.objects.count())
    seed_demo(seed_platform())
    assert (Visit.objects.count(), FollowUp.objects.count()) == counts


def test_the_bench_data_loads_and_a_second_run_adds_nothing():
    from ravabet.offices.demo import seed_bench_platform
    from ravabet.visits.demo import seed_bench

    ctx = seed_bench_platform(units=2, staff_per_unit=3)
    ctx.years = 1
    seed_bench(ctx)
    assert Visit.objects.count() == 48 and FollowUp.objects.exists()
    seed_bench(ctx)
    assert Visit.objects.count() == 48
