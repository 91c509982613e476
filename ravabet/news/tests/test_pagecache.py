"""The public newsroom served from the server cache (issue 11 §5): fewer queries on a hit, refreshed by
publish, edit and unpublish, and a cached page carries no cookie or token of the visitor who filled it."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from ravabet.news import services
from ravabet.workflow.engine import move

from .helpers import submitted

LIST = reverse("news:public_list")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _get(client, path, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    return response, len(captured.captured_queries)


def test_a_repeated_anonymous_visit_is_served_from_the_cache_without_a_query(world, client_for):
    news = submitted(world, title="افتتاح پل کوشک")
    move(news, "publish", by=world.hq_expert)
    client = client_for("anon")
    first, misses = _get(client, LIST)
    second, hits = _get(client, LIST)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content and "افتتاح پل کوشک" in second.content.decode()
    # The newest change (the cache key) was read by the miss and is kept by the worker for STAMP_AGE seconds.
    assert hits == 0 < misses
    detail = reverse("news:public_detail", args=[news.pk])
    _get(client, detail)
    again, detail_hits = _get(client, detail)
    assert again.status_code == 200 and detail_hits == 0
    feed = reverse("news:feed_rss")
    _get(client, feed)
    rss, feed_hits = _get(client, feed)
    assert "افتتاح پل کوشک" in rss.content.decode() and feed_hits == 0
    assert "max-age=300" in rss["Cache-Control"]


def test_a_miss_reads_the_newest_change_once_for_the_middleware_and_the_view(world, client_for):
    """The middleware's stamp is the view's Last-Modified and server cache key too: one MAX a request (when the
    worker's kept one is too old)."""
    from ravabet.news.pagecache import forget_newest_change

    news = submitted(world, title="افتتاح پل کوشک")
    move(news, "publish", by=world.hq_expert)
    news.refresh_from_db()
    for path in (LIST, LIST + "?q=پل", reverse("news:feed_rss")):
        forget_newest_change()
        with CaptureQueriesContext(connection) as captured:
            response = client_for("anon").get(path)
        stamps = [q["sql"] for q in captured.captured_queries if "MAX(" in q["sql"].upper()]
        assert response.status_code == 200 and len(stamps) == 1, (path, stamps)
    assert client_for("anon").get(LIST)["Last-Modified"] == http_date(news.updated_at.timestamp())


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_a_change_saved_in_this_worker_shows_at_once_and_one_from_another_worker_within_the_stamp_age(
        world, client_for, monkeypatch):
    """The worker keeps the newest change for STAMP_AGE seconds: a save through the ORM here (post_save) drops it;
    a change it cannot see (another worker's: an UPDATE without signals stands for it) shows once that age is
    past, never later."""
    from ravabet.news import pagecache
    from ravabet.news.models import News

    clock = _Clock()
    monkeypatch.setattr(pagecache, "time", clock)
    news = submitted(world, title="افتتاح پل کوشک")
    move(news, "publish", by=world.hq_expert)
    client = client_for("anon")
    assert "افتتاح پل کوشک" in client.get(LIST).content.decode()
    news.refresh_from_db()
    news.title = "افتتاح پل کوشک در روز جمعه"
    news.save()  # this worker: seen by the next request
    assert "در روز جمعه" in client.get(LIST).content.decode()
    News.objects.filter(pk=news.pk).update(title="بازگشایی پل کوشک", updated_at=news.updated_at.replace(year=2099))
    clock.now += pagecache.STAMP_AGE / 2
    assert "در روز جمعه" in client.get(LIST).content.decode()  # still this worker's kept stamp
    clock.now += pagecache.STAMP_AGE / 2
    assert "بازگشایی پل کوشک" in client.get(LIST).content.decode()


def test_a_cookieless_miss_looks_the_page_up_once(world, client_for, monkeypatch):
    """The middleware's miss is not looked up again by the view's own copy (one cache read a search page);
    both copies are still stored, so a visitor with a session cookie is answered from the view's."""
    from ravabet.news import pagecache

    news = submitted(world, title="افتتاح پل کوشک")
    move(news, "publish", by=world.hq_expert)
    reads = []
    real_get = pagecache.cache.get
    def get(key, *args, **kwargs):
        if key.startswith((pagecache.PREFIX, pagecache.RESPONSE_PREFIX)):
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(pagecache.cache, "get", get)
    assert client_for("anon").get(LIST + "?q=پل").status_code == 200
    assert [key.split(":")[1] for key in reads] == ["public-response"]
    reads.clear()
    visitor = client_for("anon")
    visitor.cookies["sessionid"] = "not-signed-in"
    assert "کوشک" in visitor.get(LIST + "?q=پل").content.decode()
    assert [key.split(":")[1] for key in reads] == ["public"]  # the view's copy, stored by the first visit


def test_publish_edit_and_unpublish_refresh_the_cached_pages(world, client_for):
    client = client_for("anon")
    news = submitted(world, title="افتتاح پل کوشک")
    assert "افتتاح پل کوشک" not in client.get(LIST).content.decode()
    move(news, "publish", by=world.hq_expert)
    assert "افتتاح پل کوشک" in client.get(LIST).content.decode()
    detail = reverse("news:public_detail", args=[news.pk])
    assert "افتتاح پل کوشک" in client.get(detail).content.decode()
    news.refresh_from_db()
    services.news_update(news=news, by=world.hq_expert, title="افتتاح پل کوشک مرودشت")
    assert "افتتاح پل کوشک مرودشت" in client.get(LIST).content.decode()
    assert "افتتاح پل کوشک مرودشت" in client.get(detail).content.decode()
    assert "افتتاح پل کوشک مرودشت" in client.get(reverse("news:feed_atom")).content.decode()
    news.refresh_from_db()
    move(news, "unpublish", by=world.hq_expert)
    assert "افتتاح پل کوشک" not in client.get(LIST).content.decode()
    assert client.get(detail).status_code == 404
    assert "افتتاح پل کوشک" not in client.get(reverse("news:feed_atom")).content.decode()


def test_a_cached_page_sets_no_cookie_and_carries_no_visitors_csrf_secret(world, client_for):
    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    visitor = client_for("anon")
    visitor.cookies["csrftoken"] = "A" * 32
    filled = visitor.get(LIST)  # a miss: rendered for this visitor
    assert not filled.cookies and "Set-Cookie" not in filled
    other = client_for("anon")
    served = other.get(LIST)  # a hit
    assert served.content == filled.content
    assert not served.cookies and "Set-Cookie" not in served
    tokens = re.findall(r'"X-CSRFToken": "([^"]+)"|name="csrfmiddlewaretoken" value="([^"]+)"', filled.content.decode())
    for token in (t for pair in tokens for t in pair if t):
        assert _unmask_cipher_token(token) != "A" * 32
    assert "public" in served["Cache-Control"] and "Last-Modified" in served


def test_signed_in_people_never_get_the_shared_copy(world, client_for):
    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    client_for("anon").get(LIST)
    page = client_for("hq_expert").get(LIST)
    assert "private" in page["Cache-Control"]
    assert "خروج" in page.content.decode()


def test_a_cookieless_hit_is_answered_before_sessions_and_users_with_the_same_headers(world, client_for):
    """PublicNewsroomMiddleware: the second visitor's copy comes back without the session, authentication
    or CSRF middleware running, with the headers (cache, content policy, frame) the whole stack gave the first."""
    from unittest import mock

    from django.contrib.sessions.middleware import SessionMiddleware

    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    detail = reverse("news:public_detail", args=[news.pk])
    for path in (LIST, detail, reverse("news:feed_atom")):
        filled = client_for("anon").get(path)
        with mock.patch.object(SessionMiddleware, "process_request", side_effect=AssertionError("not early")):
            served, queries = _get(client_for("anon"), path)
        # queries == 0: the newest change is the one the worker kept from filling the page
        assert served.status_code == 200 and served.content == filled.content and queries == 0
        for header in ("Content-Type", "Cache-Control", "Last-Modified", "Content-Security-Policy",
                       "X-Frame-Options"):
            assert served.get(header) == filled.get(header), (path, header)
        assert not served.cookies


def test_visitors_with_a_session_or_a_conditional_request_go_through_the_whole_stack(world, client_for):
    from unittest import mock

    from django.contrib.sessions.middleware import SessionMiddleware

    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    filled = client_for("anon").get(LIST)
    with_session = client_for("anon")
    with_session.cookies["sessionid"] = "no-such-session"
    with mock.patch.object(SessionMiddleware, "process_request", autospec=True,
                           side_effect=SessionMiddleware.process_request) as sessions:
        page = with_session.get(LIST)
        assert sessions.call_count == 1  # the session (and a message waiting in it) is looked at
        client_for("anon").get(LIST)
        assert sessions.call_count == 1  # a cookie-less visitor's copy did not look
    assert page.status_code == 200 and page.content == filled.content
    unchanged = client_for("anon").get(LIST, HTTP_IF_MODIFIED_SINCE=filled["Last-Modified"])
    assert unchanged.status_code == 304
    move(news, "unpublish", by=world.hq_expert)
    assert client_for("anon").get(reverse("news:public_detail", args=[news.pk])).status_code == 404


def test_the_unit_filter_is_read_once_and_again_after_a_unit_changes(world, client_for):
    """selectors.public_units: the newsroom's unit list comes from the cache until a unit is saved."""
    client = client_for("anon")
    first = client.get(LIST, {"q": "یک"})
    assert world.county_a.name in first.content.decode()
    with CaptureQueriesContext(connection) as captured:
        second = client.get(LIST, {"q": "دو"})  # another page: a miss of the page cache
    assert second.status_code == 200 and world.county_a.name in second.content.decode()
    assert not [q for q in captured.captured_queries if 'FROM "offices_unit"' in q["sql"]]
    world.county_a.name = 'اداره شهرستان تازه <i>"&'
    world.county_a.save()
    page = client.get(LIST, {"q": "سه", "unit": world.county_a.code}).content.decode()
    assert f'<option value="{world.county_a.code}" selected>اداره شهرستان تازه &lt;i&gt;&quot;&amp;</option>' in page
    assert "تازه <i>" not in page
    world.county_a.is_active = False
    world.county_a.save()
    assert "اداره شهرستان تازه" not in client.get(LIST, {"q": "چهار"}).content.decode()
