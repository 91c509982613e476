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


# The statistics that choose how a page is read (selectors.search_statistics): none unless a test gives some, so
# that the plain order (window, key words, word index over every item) is what the tests above see.
@pytest.fixture(autouse=True)
def _no_statistics(monkeypatch):
    monkeypatch.setattr(selectors, "search_statistics", lambda: selectors.NO_STATISTICS)


def statistics_of(items, shares: dict, floor: float = 0.05, published: float | None = None):
    """SearchStatistics as ANALYZE would give them for `items` (newest first): `shares` of the key words, a
    published_at histogram of 10 steps over the items, as many published items as there are (or `published`)."""
    dates = sorted(news.published_at for news in items)
    bounds = [dates[min(n * 4, len(dates) - 1)] for n in range(11)]
    return selectors.SearchStatistics(shares, floor, float(published or len(dates)), bounds)


def test_the_newest_bound_is_read_from_the_histogram_between_its_steps(items):
    statistics = statistics_of(items, {"جاده": 1.0})
    dates = sorted(news.published_at for news in items)
    assert statistics.newest(4) == dates[36]  # one step of 4 items below the newest bound
    assert dates[37] < statistics.newest(2) < dates[39]  # half a step
    assert statistics.newest(10) is None  # a quarter of the items or more: no bound
    assert selectors.NO_STATISTICS.newest(1) is None
    assert statistics.share(["جاده", "ناپیدا"]) == 1.0 and statistics.share(None) == 1.0
    assert statistics.share(["ناپیدا"]) == 0.05  # a word not among the most common: at most the floor


@pytest.mark.skipif(not POSTGRESQL, reason="the statistics choose a path on PostgreSQL only")
@pytest.mark.parametrize("shares", [{"جاده": 1.0}, {"جاده": 1.0, "همراه": 0.34, "تونل": 0.13},
                                    {"جاده": 0.01, "همراه": 0.01, "تونل": 0.01}, {"پل": 0.9, "پلاک": 0.9}])
@pytest.mark.parametrize("q,number", [("جاده", 1), ("جاده", 3), ("همراه", 2), ("تونل", 1), ("تونل", 2), ("پل", 1),
                                      ("جاده تونل", 1), ("ناپیدا", 1), ("اده ونل", 1), ("پل همراه", 1),
                                      ("همراه تونل", 1)])
def test_whichever_path_the_statistics_choose_every_page_is_the_full_querys(items, monkeypatch, shares, q, number):
    """Right or wrong, the statistics only choose the order of the reads: window first or not, the newest items'
    range (too narrow: widened), which words get an index condition."""
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 6)
    monkeypatch.setattr(selectors, "FEW_ITEMS", 0)
    monkeypatch.setattr(selectors, "search_statistics", lambda: statistics_of(items, shares, floor=0.02))
    assert page({"q": q}, number) == expected({"q": q}, number)
    assert page({"q": q, "unit": "county-a"}, number) == expected({"q": q, "unit": "county-a"}, number)


@pytest.mark.skipif(not POSTGRESQL, reason="the statistics choose a path on PostgreSQL only")
def test_rare_words_skip_the_window_and_are_read_among_the_newest_items_first(items, monkeypatch):
    items = list(items)
    monkeypatch.setattr(selectors, "FEW_ITEMS", 0)
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 20)
    # Ten times the items, so that the newest 15 (three pages' worth of «مراه ونل» if every item had it) are
    # fewer than a quarter and get a bound.
    monkeypatch.setattr(selectors, "search_statistics",
                        lambda: statistics_of(items, {"جاده": 1.0, "همراه": 1.0, "تونل": 1.0}, published=400))
    with CaptureQueriesContext(connection) as frequent:
        assert page({"q": "جاده"}, 1) == [n.pk for n in items[:4]]
    assert len(frequent) == 1 and "LIMIT 20" in frequent[0]["sql"]  # the window alone, no key words read
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 6)
    with CaptureQueriesContext(connection) as rare:
        assert page({"q": "مراه ونل"}, 1) == [items[36].pk, items[39].pk]
    # Neither word is a key word itself, so nothing says the window holds the page: the key words first, then
    # the items published since a bound (the latest 30-day periods of the word index by period, news 0011), which
    # hold none: widened to every item (the word index of news 0010).
    sqls = [q["sql"] for q in rare]
    assert len(sqls) == 3 and "FROM news_search_word" in sqls[0] and not any("LIMIT 6" in sql for sql in sqls)
    assert "news_search_word_periods(" in sqls[1]
    assert '"published_at" >=' not in sqls[2] and "string_to_array(search_key, ' ') &&" in sqls[2]


@pytest.mark.skipif(not POSTGRESQL, reason="pg_stats exists on PostgreSQL only")
def test_the_statistics_are_those_of_analyze_and_kept_for_a_while(items, monkeypatch):
    monkeypatch.undo()  # the real search_statistics
    monkeypatch.setattr(selectors, "_statistics", {})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_news")
    statistics = selectors.search_statistics()
    assert statistics.shares["جاده"] == 1.0 and 0 < statistics.shares["همراه"] < 1
    assert statistics.published == 40 and statistics.bounds[-1] == items[0].published_at
    with CaptureQueriesContext(connection) as again:
        assert selectors.search_statistics() is statistics
    assert len(again) == 0


def test_the_word_period_terms_run_from_the_bounds_period_to_the_one_after_now_and_stay_few():
    period = selectors.PERIOD_SECONDS
    now = dt.datetime.fromtimestamp(700 * period + 5, tz=dt.UTC)
    bound = dt.datetime.fromtimestamp(698 * period - 1, tz=dt.UTC)  # the last second of period 697
    assert selectors.word_period_terms(["پل", "پلاک"], bound, now) == [
        "پل@697", "پل@698", "پل@699", "پل@700", "پل@701", "پلاک@697", "پلاک@698", "پلاک@699", "پلاک@700", "پلاک@701"]
    assert selectors.word_period_terms(["پل"], now + dt.timedelta(days=90), now) == ["پل@701"]  # never past now's
    assert selectors.word_period_terms(["پل"] * 81, bound, now) is None  # 405 terms: 400 at most
    assert len(selectors.word_period_terms(["پل"] * 80, now, now)) == 160


@pytest.fixture
def spread(world):
    """30 published items 11 days apart (about 11 thirty-day periods), newest first by index: «جاده» in every
    one, «تونل» in every fourth."""
    now = timezone.now()
    News.objects.bulk_create(
        News(unit=world.county_a, author=world.officer, title=f"جاده {'تونل' if n % 4 == 0 else 'خبر'} {n}",
             body="<p>متن</p>", news_date=dt.date(2026, 11, 20), state=NewsState.PUBLISHED,
             search_key=f"جاده {'تونل' if n % 4 == 0 else 'خبر'} {n}", sent_on=dt.date(2026, 11, 20),
             published_at=now - dt.timedelta(days=11 * n)) for n in range(30))
    return News.objects.order_by("-published_at", "-pk")


@pytest.mark.skipif(not POSTGRESQL, reason="the word index by period exists on PostgreSQL only (news 0011)")
@pytest.mark.parametrize("terms_limit", [0, 400])
@pytest.mark.parametrize("number", [1, 2, 3])
def test_the_newest_items_are_read_through_the_word_index_by_period_and_the_page_is_the_full_querys(
        spread, monkeypatch, terms_limit, number):
    """Among the newest items a rare word's entries are read from the latest periods only (news 0011), with no date
    condition beside them (the periods bound the items); with too many terms (limit 0) the word index and the date
    condition. Either way, widened as needed, every page is the full query's."""
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 8)
    monkeypatch.setattr(selectors, "FEW_ITEMS", 0)
    monkeypatch.setattr(selectors, "PERIOD_TERMS_LIMIT", terms_limit)
    # As if there were 1,000 items: the newest few dozen (three pages of «تونل» at its share) get a bound.
    monkeypatch.setattr(selectors, "search_statistics",
                        lambda: statistics_of(spread, {"جاده": 1.0, "تونل": 0.25}, published=1000))
    with CaptureQueriesContext(connection) as queries:
        assert page({"q": "جاده تونل"}, number, per_page=2) == expected({"q": "جاده تونل"}, number, per_page=2)
    ranged = [q["sql"] for q in queries if "MATERIALIZED" in q["sql"]][0]
    if terms_limit:
        assert "news_search_word_periods" in ranged and '"published_at" >=' not in ranged
    else:
        assert "news_search_word_periods" not in ranged and '"published_at" >=' in ranged
    with connection.cursor() as cursor:  # the index's elements are the Python side's terms
        cursor.execute("SELECT news_search_word_periods(search_key, published_at) FROM news_news WHERE id = %s",
                       [spread[0].pk])
        elements = cursor.fetchone()[0]
    period = int(spread[0].published_at.timestamp() // selectors.PERIOD_SECONDS)
    assert sorted(elements) == sorted(f"{word}@{period}" for word in spread[0].search_key.split())
