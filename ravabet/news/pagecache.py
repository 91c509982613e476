"""Server-side cache of the public newsroom (issue 11 §5).

Anonymous GETs of the public news list, a published item's page and the RSS/Atom feeds are kept in
Django's cache (`settings.CACHES["default"]`: Redis when REDIS_URL is set, local memory otherwise) under a
key made of the path with its query string and the newest `News.updated_at` the page depends on. Every
publish, edit, unpublish or photo-caption change updates `updated_at` (auto_now, or the receiver's
update), so the next request misses and renders afresh in every worker — nothing to invalidate by hand;
the entry also expires after the page's max-age.

A cached page must carry nothing of the visitor who filled it (a visitor with a message waiting is served
uncached): it is rendered without the visitor's CSRF
cookie, the fresh token is never sent as a cookie (the anonymous newsroom posts nothing), and a hit is a
new response holding only the body and its type — no Set-Cookie.

`PublicNewsroomMiddleware` keeps the whole answer (headers included) of such a page and replays it to
cookie-less visitors before sessions, users and CSRF are looked at (see its docstring).
"""

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import get_max_age

PREFIX = "news:public:"


def cache_key(request: HttpRequest, stamp) -> str:
    """The cache key (str) of `request`'s full path for the content version `stamp` (a datetime or None)."""
    raw = f"{request.get_full_path()}|{stamp.isoformat() if stamp else ''}"
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def remember_stamp(last_modified: Callable) -> Callable:
    """Wrap a `condition(last_modified_func=…)` function so its result (the page's newest change) is kept on
    the request for `server_cached`, which then needs no second query."""
    def inner(request, *args, **kwargs):
        request.news_stamp = last_modified(request, *args, **kwargs)
        return request.news_stamp

    return inner


def server_cached(view: Callable, last_modified: Callable, *, timeout: int) -> Callable:
    """`view` served from the cache for anonymous GET/HEAD requests; a 200 response is stored for
    `timeout` seconds under `cache_key(request, last_modified(...))`. Signed-in people always get the view."""
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated or len(get_messages(request)):
            return view(request, *args, **kwargs)  # a visitor's own page (or a message meant for them only)
        stamp = getattr(request, "news_stamp", None)
        if stamp is None:
            stamp = last_modified(request, *args, **kwargs)
        key = cache_key(request, stamp)
        # PublicNewsroomMiddleware just missed its copy of this page: this one, filled at the same time, is
        # almost surely missing too, and a lookup would cost a cache round trip on every search.
        hit = None if getattr(request, "newsroom_missed", False) else cache.get(key)
        if hit is not None:
            content_type, body = hit
            return HttpResponse(body, content_type=content_type)
        # Render with a throw-away CSRF secret, never the visitor's, and do not send it as a cookie.
        request.META.pop("CSRF_COOKIE", None)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response["Content-Type"], response.content), timeout)
        return response

    wrapper.__name__ = getattr(view, "__name__", "cached_view")
    wrapper.__doc__ = getattr(view, "__doc__", None)
    return wrapper


RESPONSE_PREFIX = "news:public-response:"


def stamp_sql() -> str:
    """SELECT of the newest News.updated_at (one row, one column; the `updated_at` index's last entry)."""
    from .models import News  # the app registry is ready by the first request

    quote = connection.ops.quote_name
    return f"SELECT MAX({quote('updated_at')}) FROM {quote(News._meta.db_table)}"


# How long (seconds) a worker keeps the newest change it read before it reads it again. A change made in another
# worker reaches this worker's newsroom at most this late; the pages say `Cache-Control: public, max-age` of 2 to
# 5 minutes, so a browser or proxy may keep them far longer anyway. A change saved in this worker is seen at once
# (forget_newest_change). On PostgreSQL the read is a network round trip that cost a cached page a third of its
# speed (issue 11 §5: the newsroom at 0.31-0.42× the plain page, 0.5× asked).
STAMP_AGE = 2.0
_stamp: dict = {}


def newest_change():
    """The newest `News.updated_at` of all news (an aware datetime; None when there is no news), read with one
    raw query (the ORM's query building would cost as much as the rest of a cached page) at most once every
    STAMP_AGE seconds per worker."""
    now = time.monotonic()
    if _stamp and now - _stamp["read_at"] < STAMP_AGE:
        return _stamp["value"]
    with connection.cursor() as cursor:
        cursor.execute(stamp_sql())
        value = cursor.fetchone()[0]
    convert = getattr(connection.ops, "convert_datetimefield_value", None)  # SQLite returns text
    value = convert(value, None, connection) if convert is not None and value is not None else value
    _stamp.update(read_at=now, value=value)
    return value


def forget_newest_change(*args, **kwargs) -> None:
    """Drop this worker's kept newest change, so the next newsroom request reads it again. Connected to every save
    and delete of a news item (apps.NewsConfig.ready) and called after bulk updates of `updated_at`; takes and
    ignores a signal's arguments."""
    _stamp.clear()


class PublicNewsroomMiddleware:
    """Answers a cookie-less visitor's GET of the public newsroom (list, item pages, feeds) from the cache
    before the rest of the middleware runs (sessions, users, CSRF, messages, content policy: about half the
    cost of a cached page; issue 11 §5, newsroom ≥ 0.5× a plain page).

    Placed right after WhiteNoise. A request carrying a session cookie (a signed-in person, or a visitor with
    a message waiting) or a conditional header (If-Modified-Since / If-None-Match, answered 304 by the view)
    goes through the whole stack as before. Otherwise the key is the full path and the newest
    `News.updated_at` of all news (one indexed MAX, the same stamp the list and the feeds key on; any
    publish, edit or unpublish changes it), kept on the request as `newsroom_stamp` so that a miss's view reads
    no second one (`views.public_last_modified`); a hit replays the status, headers and body that the whole stack
    produced for an earlier visitor, which `server_cached` guarantees carry no cookie or visitor data; a miss
    runs the stack and keeps a 200 marked `Cache-Control: public` with no Set-Cookie for its max-age."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.prefix is None:
            self.prefix = reverse("news:public_list")
        if (request.method != "GET" or not request.path.startswith(self.prefix)
                or settings.SESSION_COOKIE_NAME in request.COOKIES
                or "HTTP_IF_MODIFIED_SINCE" in request.META or "HTTP_IF_NONE_MATCH" in request.META):
            return self.get_response(request)
        stamp = newest_change()
        # The view's Last-Modified and its server cache key on the same stamp: read once a request.
        request.newsroom_stamp = stamp
        raw = f"{request.get_full_path()}|{stamp}"
        key = RESPONSE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
        hit = cache.get(key)
        if hit is not None:
            headers, body = hit
            response = HttpResponse(body)
            for name, value in headers:
                response[name] = value
            return response
        request.newsroom_missed = True
        response = self.get_response(request)
        max_age = get_max_age(response)
        if (response.status_code == 200 and not response.streaming and not response.cookies and max_age
                and "public" in response.get("Cache-Control", "")):
            cache.set(key, (list(response.items()), response.content), max_age)
        return response
