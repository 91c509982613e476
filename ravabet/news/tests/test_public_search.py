"""The public news search's pages (issue 18 §5, selectors.PublicSearchPaginator): on PostgreSQL a page is read
first among the newest items in date order and, when they do not hold it, from the full query; either way the
page is exactly the full query's page. On SQLite the full query is read at once."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ravabet.lib.paging import OpenEndedPaginator
from ravabet.news import selectors
from ravabet.news.models import News, NewsState
from ravabet.news.selectors import PublicSearchPaginator, public_news

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def items(world):
    """40 published items a minute apart, newest first by index: «جاده» in every one, «همراه» in every
    third, «تونل» only in the 5 oldest, «پل» (inside «پلاک» too) in two; all in county A but the even ones."""
    now = timezone.now()
    rows = []
    for n in range(40):
        words = ["جاده", f"خبر{n}"]
        if n % 3 == 0:
            words.append("همراه")
        if n >= 35:
            words.append("تونل")
        if n in (4, 30):
            words.append("پلاک" if n == 4 else "پل")
        rows.append(News(unit=world.county_a if n % 2 else world.county_b, author=world.officer,
                         title=" ".join(words), body="<p>متن</p>", news_date=dt.date(2026, 11, 20),
                         state=NewsState.PUBLISHED, search_key=" ".join(words), sent_on=dt.date(2026, 11, 20),
                         published_at=now - dt.timedelta(minutes=n)))
    News.objects.bulk_create(rows)
    return News.objects.order_by("-published_at", "-pk")


def page(params, number, per_page=4):
    return [news.pk for news in PublicSearchPaginator(params, per_page).get_page(number)]


def expected(params, number, per_page=4):
    """The page as the plain OpenEndedPaginator reads it from the full query (a page past the end: the last)."""
    return [news.pk for news in OpenEndedPaginator(public_news(params), per_page).get_page(number)]


@pytest.mark.parametrize("limit", [0, 1, 100])
@pytest.mark.parametrize("window", [6, 4000])
@pytest.mark.parametrize("q,number", [("جاده", 1), ("جاده", 3), ("راه", 1), ("همراه", 2), ("تونل", 1),
                                      ("تونل", 2), ("پل", 1), ("جاده تونل", 1), ("ناپیدا", 1), ("100%", 1),
                                      ("اده ونل", 1), ("پل همراه", 1)])
def test_every_page_is_the_full_querys_page_in_or_past_the_newest_window(items, monkeypatch, window, limit, q,
                                                                         number):
    """Window 6: most pages are not in the window and go to the word index (PostgreSQL); key-word limit 0: no
    word has an index condition (the full query), 1: «پل» (inside «پلاک» too) has none, the other word has."""
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", window)
    monkeypatch.setattr(selectors, "KEY_WORDS_LIMIT", limit)
    assert page({"q": q}, number) == expected({"q": q}, number)
    assert page({"q": q, "unit": "county-a"}, number) == expected({"q": q, "unit": "county-a"}, number)


def test_the_words_are_found_as_on_sqlite_inside_longer_words_and_all_of_them(items):
    assert len(list(public_news({"q": "راه"}))) == 14  # inside «همراه»
    assert [n.title for n in public_news({"q": "پل"})] == [items[4].title, items[30].title]
    assert len(list(public_news({"q": "جاده تونل"}))) == 5
    assert list(public_news({"q": "٪"})) == []


@pytest.mark.skipif(not POSTGRESQL, reason="the window is read on PostgreSQL only")
def test_a_frequent_word_is_read_in_the_window_and_a_rare_one_through_the_word_index(items, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 10)
    newest, oldest = [n.pk for n in items[:4]], [n.pk for n in items[35:39]]
    with CaptureQueriesContext(connection) as frequent:
        assert page({"q": "جاده"}, 1) == newest
    # One query: the page's ids among the 10 newest in a subquery, the rows joined by id.
    assert len(frequent) == 1 and "LIMIT 10" in frequent[0]["sql"] and "strpos" in frequent[0]["sql"]
    with CaptureQueriesContext(connection) as rare:
        assert page({"q": "تونل"}, 1) == oldest
    # The window, then the key words containing «تونل», then the page through the word index.
    assert len(rare) == 3 and "LIMIT 10" in rare[0]["sql"] and "news_search_word" in rare[1]["sql"]
    assert "string_to_array" in rare[2]["sql"] and "LIMIT 10" not in rare[2]["sql"]


@pytest.mark.skipif(not POSTGRESQL, reason="the word index exists on PostgreSQL only (news 0010)")
def test_the_word_index_knows_every_key_word_as_items_are_added_and_changed(items):
    found = selectors.key_words_containing(["پل", "ونل", "ناپیدا", "100%"])
    assert [set(keys) for keys in found] == [{"پل", "پلاک"}, {"تونل"}, set(), set()]
    News.objects.filter(pk=items[0].pk).update(search_key="ناپیدا جاده 100%")  # through the trigger
    assert selectors.key_words_containing(["ناپیدا", "0%", "_"]) == [["ناپیدا"], ["100%"], []]
    assert page({"q": "ناپید"}, 1) == [items[0].pk]
    assert page({"q": "ناپیدا تونل"}, 1) == []  # every word is known, no item has both


@pytest.mark.skipif(not POSTGRESQL, reason="the word index exists on PostgreSQL only (news 0010)")
def test_a_rare_pair_of_words_is_read_through_the_word_index_and_a_word_in_no_key_reads_no_item(items,
                                                                                               monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 6)
    with CaptureQueriesContext(connection) as rare:
        assert page({"q": "جاده تونل"}, 1) == [n.pk for n in items[35:39]]
    plans = [q["sql"] for q in rare]
    assert any("MATERIALIZED" in sql and "string_to_array" in sql for sql in plans)
    assert not any("LIKE" in sql for sql in plans if "news_search_word" not in sql)  # no trigram, no scan
    with CaptureQueriesContext(connection) as none:
        assert page({"q": "جاده ناپیدا"}, 1) == []
    assert not any("string_to_array" in q["sql"] for q in none)


@pytest.mark.parametrize("window", [6, 4000])
def test_the_date_range_and_the_unit_narrow_both_ways_to_a_page(items, monkeypatch, window):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", window)
    day = dt.date(2026, 11, 20)
    News.objects.filter(pk__in=[n.pk for n in items[36:40]]).update(news_date=day - dt.timedelta(days=3))
    for since, until in ((day, None), (None, day - dt.timedelta(days=1)), (day, day)):
        for params in ({"q": "تونل"}, {"q": "جاده همراه", "unit": "county-a"}):
            got = [n.pk for n in PublicSearchPaginator(params, 4, since=since, until=until).read(1)]
            full = [n.pk for n in public_news(params, since, until)[:5]]
            assert got == full and full == [n.pk for n in public_news(params).filter(
                **({"news_date__gte": since} if since else {}), **({"news_date__lte": until} if until else {}))[:5]]


def test_the_search_page_keeps_its_query_count_and_bad_parameters_stay_harmless(items, client_for):
    client = client_for("anon")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/public/news/", {"q": "جاده", "page": "۲"})
    assert response.status_code == 200 and "صفحه ۲" in response.content.decode()
    assert len(queries) <= 5
    for params in ({"q": "\x00"}, {"q": "جاده\x00", "page": "x\x00"}, {"q": "%_\\", "page": "-3"},
                   {"q": "جاده", "page": "999999999999999999999"}, {"q": "جاده", "unit": "\x00"}):
        assert client.get("/public/news/", params).status_code == 200
