import datetime as dt

import pytest

from ravabet.compliance.registry import INDICATORS, REPORT_SECTIONS
from ravabet.lib import jalali
from ravabet.offices.demo import seed_platform
from ravabet.surveys.demo import seed_demo
from ravabet.surveys.features import surveys_todo
from ravabet.surveys.models import Audience, Response, State, Survey

from .factories import answer, make_survey

pytestmark = pytest.mark.django_db


def test_the_d5_indicator_counts_reported_surveys(world):
    make_survey(world.county_a, state=State.REPORTED)
    count = next(i for i in INDICATORS["D5"] if i.count.__module__ == "ravabet.surveys.features").count
    today = jalali.today()
    assert count(world.county_a, today - dt.timedelta(days=1), today) == 1
    assert count(world.county_b, today - dt.timedelta(days=1), today) == 0


def test_the_monthly_report_section_lists_the_surveys_run(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey)
    today = jalali.today()
    data = REPORT_SECTIONS["surveys.results"].build(world.county_a, today - dt.timedelta(days=3), today)
    assert data["counts"][0] == ["نظرسنجی‌های اجراشده", 1] and data["table"]["rows"][0][0] == survey.title


def test_the_home_page_reminds_staff_of_an_unanswered_survey(world):
    from ravabet.offices.access import Access

    make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN)
    entries = surveys_todo(Access(world.staff), world.county_a)
    assert [e.count for e in entries] == [1]


def test_the_demo_has_surveys_in_every_state_and_a_second_run_adds_nothing():
    ctx = seed_platform()
    seed_demo(ctx)
    assert set(Survey.objects.values_list("state", flat=True)) == set(State.values)
    counts = (Survey.objects.count(), Response.objects.count())
    seed_demo(seed_platform())
    assert (Survey.objects.count(), Response.objects.count()) == counts


def test_the_bench_data_loads_and_a_second_run_adds_nothing():
    from ravabet.offices.demo import seed_bench_platform
    from ravabet.surveys.demo import seed_bench
    from ravabet.surveys.models import Answer

    ctx = seed_bench_platform(units=2, staff_per_unit=3)
    ctx.years = 1
    seed_bench(ctx)
    assert Survey.objects.count() == 12 and Response.objects.count() == 12 * 40 and Answer.objects.exists()
    seed_bench(ctx)
    assert Survey.objects.count() == 12
