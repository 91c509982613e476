"""Staff list endpoints run a fixed number of queries whatever the page holds (issue 18, point 1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ravabet.complaints.tests.factories import make_case
from ravabet.hqtasks.tests.factories import make_assignment
from ravabet.news.tests.helpers import make_news

from .helpers import token_client


def _news(world, n):
    for i in range(n):
        make_news(world, photos=0, title=f"خبر {i}")


def _cases(world, n):
    for _ in range(n):
        make_case(world.county_a)


def _tasks(world, n):
    for _ in range(n):
        make_assignment(world.county_a)


@pytest.mark.parametrize(("url", "make"), [("/api/v1/staff/news", _news), ("/api/v1/staff/complaints", _cases),
                                           ("/api/v1/staff/hqtasks", _tasks)])
@pytest.mark.parametrize("actor", ["hq_expert", "officer"])
def test_staff_lists_run_the_same_queries_for_1_and_15_rows(world, url, make, actor, django_assert_num_queries):
    api = token_client(getattr(world, actor))
    make(world, 1)
    api.get(url)  # the token's last-used mark is written once a minute: not in the measured requests
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).json()["count"] == 1
    make(world, 14)
    with django_assert_num_queries(len(few)):
        answer = api.get(url, {"page_size": 15}).json()
    assert answer["count"] == 15 and len(answer["items"]) == 15
    assert len(few) <= 9  # the complaints scope adds one indexed look-up for cases referred from outside


def test_a_jalali_date_filter_with_persian_digits_narrows_staff_news(world):
    from ravabet.lib import jalali

    news = make_news(world, photos=0)
    api = token_client(world.officer)
    day = jalali.format_date(news.news_date)  # Persian digits
    assert api.get("/api/v1/staff/news", {"date_from": day, "date_to": day}).json()["count"] == 1
    assert api.get("/api/v1/staff/news", {"date_to": "1300/01/01"}).json()["count"] == 0
    wrong = api.get("/api/v1/staff/news", {"date_from": "دیروز"})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "date_from"
