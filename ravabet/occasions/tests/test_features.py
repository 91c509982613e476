"""Indicators (E1-E3), home-page entries, the monthly report section and demo data of the occasions part."""

import datetime as dt
import json

import pytest

from ravabet.compliance.registry import FEATURES, INDICATORS, REPORT_SECTIONS, REVIEW_PROVIDERS, TODO_PROVIDERS
from ravabet.lib import jalali
from ravabet.occasions.features import occasions_review, occasions_todo
from ravabet.occasions.models import Activity, ActivityKind, Occasion, OccasionContent
from ravabet.offices.access import Access
from ravabet.workflow.engine import move

from .factories import make_activity, make_content, make_occasion

pytestmark = pytest.mark.django_db


def _count(code, unit, start, end):
    return sum(i.count(unit, start, end) for i in INDICATORS[code] if i.count.__module__ == "ravabet.occasions.features")


def test_every_item_served_has_a_feature_and_an_indicator():
    for code in ("E1", "E2", "E3"):
        assert any(code in f.items for f in FEATURES.values() if f.key.startswith("occasions."))
        assert any(i.count.__module__ == "ravabet.occasions.features" for i in INDICATORS[code])
    assert occasions_todo in TODO_PROVIDERS and occasions_review in REVIEW_PROVIDERS


def test_indicators_count_the_units_participation_and_content_in_the_month(world):
    unit, today = world.county_a, jalali.today()
    start, end = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    make_activity(unit, ActivityKind.MARCH)
    make_activity(unit, ActivityKind.ETHICS)
    move(make_content(unit), "send", by=world.officer)
    assert {code: _count(code, unit, start, end) for code in ("E1", "E2", "E3")} == {"E1": 1, "E2": 1, "E3": 1}
    assert _count("E3", world.county_b, start, end) == 0


def test_the_report_section_lists_the_months_occasions_as_plain_json(world):
    make_occasion(title="روز بسیج", days=0)
    make_activity(world.county_a)
    today = jalali.today()
    section = REPORT_SECTIONS["occasions"].build(world.county_a, today - dt.timedelta(days=10),
                                                 today + dt.timedelta(days=10))
    json.dumps(section)
    assert dict(section["counts"])["شرکت در مراسم و راهپیمایی"] == 1
    assert any("روز بسیج" in line for line in section["highlights"])


def test_home_shows_the_weeks_occasions_and_hq_sees_content_sent(world):
    make_occasion(days=3)
    move(make_content(world.county_a), "send", by=world.officer)
    todo = occasions_todo(Access(world.officer), world.county_a)
    assert [e.title for e in todo] == ["مناسبت هفته پیش رو"]
    assert occasions_todo(Access(world.staff), world.county_a) == []
    assert [e.count for e in occasions_review(Access(world.hq_head))] == [1]
    assert occasions_review(Access(world.officer)) == []


def test_the_demo_has_the_calendar_participation_and_sent_content_and_a_second_run_adds_nothing():
    from ravabet.occasions.demo import seed_demo
    from ravabet.offices.demo import seed_platform

    seed_demo(seed_platform())
    counts = {model: model.objects.count() for model in (Occasion, Activity, OccasionContent)}
    assert all(counts.values()), counts
    assert Occasion.objects.filter(lunar=True).exists() and OccasionContent.objects.filter(state="sent").exists()
    seed_demo(seed_platform())
    assert {model: model.objects.count() for model in counts} == counts


def test_bench_data_is_loaded_once():
    from ravabet.occasions.demo import seed_bench
    from ravabet.offices.demo import seed_bench_platform

    ctx = seed_bench_platform(units=2, staff_per_unit=3)
    ctx.years = 1
    seed_bench(ctx)
    counts = (Activity.objects.count(), OccasionContent.objects.count())
    assert counts == (2 * 12, 2 * 12)
    seed_bench(ctx)
    assert (Activity.objects.count(), OccasionContent.objects.count()) == counts
