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
"""

import hashlib
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

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
        hit = cache.get(key)
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
