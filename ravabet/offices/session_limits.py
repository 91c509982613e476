"""Staff sessions end after a stretch without activity and after a maximum length in all, and a signed-in
person's pages are not kept by the browser.

Defaults: 30 minutes idle (SESSION_IDLE_MINUTES) and 12 hours in all (SESSION_MAX_HOURS).
Source: issue 13 (OWASP ASVS level 2, V3.3 session timeout), point 4; ASVS V8.2.1 (anti-caching headers on
pages with sensitive data)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

STARTED_KEY = "_ravabet_session_started"
SEEN_KEY = "_ravabet_session_seen"
# Writing the session on every request costs a query; a minute of slack in the idle limit does not matter.
TOUCH_EVERY_SECONDS = 60


@receiver(user_logged_in)
def mark_session_start(sender, request, user, **kwargs):
    """The clock of both limits starts at login (saved with the login's own session write)."""
    if request is not None and hasattr(request, "session"):
        request.session[STARTED_KEY] = request.session[SEEN_KEY] = int(time.time())


class SessionLimitsMiddleware:
    """Logs a user out (with a Persian message) when the session was idle or open too long."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(STARTED_KEY)
            seen = session.get(SEEN_KEY)
            if started is None:
                session[STARTED_KEY] = session[SEEN_KEY] = now
            elif (now - started > settings.RAVABET_SESSION_MAX_SECONDS
                  or now - (seen or started) > settings.RAVABET_SESSION_IDLE_SECONDS):
                logout(request)
                messages.info(request, "نشست شما به دلیل بی‌کاری یا طولانی شدن به پایان رسید؛ دوباره وارد شوید.")
                return redirect(f"{reverse('login')}?next={request.path}")
            elif now - (seen or 0) >= TOUCH_EVERY_SECONDS:
                session[SEEN_KEY] = now
        response = self.get_response(request)
        if (request.user.is_authenticated and not response.has_header("Cache-Control")
                and response.get("Content-Type", "").startswith("text/html")):
            # The browser's Back button would otherwise show a list as it was before the person acted on it
            # (a case still «received» after it was answered), and a shared computer would keep the pages.
            add_never_cache_headers(response)
        return response
