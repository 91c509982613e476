import os

import pytest

os.environ.setdefault("RAVABET_TESTING", "1")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": tmp_path / "media"}},
                         "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": tmp_path / "private"}}}
    settings.OUTBOX = {**settings.OUTBOX, "CONSOLE_LOG": tmp_path / "outbox.log", "SMS_PER_SECOND": 10_000}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every test starts with an empty cache (the process's local memory): nothing kept by an earlier test
    # (an evaluation board, a rate-limit count) leaks into it, as the tests' rows reuse the same ids.
    from django.core.cache import cache

    from ravabet.lib import stamps
    from ravabet.news.pagecache import forget_newest_change
    from ravabet.offices import kept

    cache.clear()
    forget_newest_change()  # the worker's kept newest news change, like any other kept value
    kept.forget()  # the kept users, roles and units (their stamp would drop them too: this is hygiene)
    stamps.end_request()  # an earlier test's unread streamed response sent no request_finished


class _StoppedClock:
    """The rate limiter's clock in a test: the moment the test started, for the whole test. Its windows are
    fixed (a minute for public complaints), so a test that sends the sixth copy after the window turned
    over would find the limit reset and fail by the clock; tests of the windows themselves pass `now`."""

    def __init__(self):
        import time

        self.started = time.time()

    def time(self) -> float:
        return self.started


@pytest.fixture(autouse=True)
def _rate_limit_clock(monkeypatch):
    from ravabet.lib import ratelimit

    monkeypatch.setattr(ratelimit, "time", _StoppedClock())


@pytest.fixture
def world(db):
    from ravabet.testing import build_world

    return build_world()


@pytest.fixture
def client_for(client, world):
    """client_for("officer") -> a test client logged in as that actor of the world."""
    from django.test import Client

    def make(actor: str) -> Client:
        new = Client()
        if actor != "anon":
            new.force_login(world.users[actor])
        return new

    return make


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                             headless=True, args=BROWSER_ARGS)
        yield browser
        browser.close()


# axe-core (vendored, ravabet/tests/browser/vendor/axe-core) runs on every page a browser test loads, and the
# test fails on a WCAG 2.1 AA violation (issue 18 §6). AXE_EVERY_PAGE=0 turns it off while debugging a test.
AXE_EVERY_PAGE = os.environ.get("AXE_EVERY_PAGE", "1") not in ("", "0")
# Not the API's documentation page: django-ninja's own Swagger UI (English, left to right), not a page of ours.
AXE_ON_LOAD = """window.addEventListener("load", () => setTimeout(async () => {
  if (location.pathname.startsWith("/api/v1/docs")) { return; }
  try {
    const r = await axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]});
    await window.__axeReport(location.pathname + location.search, r.violations.map(v => ({id: v.id, impact: v.impact,
      help: v.help, nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "), summary: n.failureSummary}))})));
  } catch (e) { /* a page left before axe finished */ }
}, 100));"""


@pytest.fixture
def page(browser, live_server, settings):
    # Reduced motion (Bootstrap then drops its colour transitions): axe reads each page at rest, not a button
    # under the pointer half-way through its hover fade.
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", viewport={"width": 1280, "height": 900},
                                  base_url=live_server.url, reduced_motion="reduce")
    found = []
    if AXE_EVERY_PAGE:
        import json

        from ravabet.testing import AXE_TAGS, axe_source

        context.expose_binding("__axeReport", lambda source, url, violations: found.append((url, violations)))
        context.add_init_script(script=axe_source() + "\n" + AXE_ON_LOAD % json.dumps(list(AXE_TAGS)))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    bad = [(url, violations) for url, violations in found if violations]
    if bad:
        from ravabet.testing import format_violations

        pytest.fail("axe-core found violations:\n" + "\n".join(f"== {url}\n{format_violations(v)}" for url, v in bad))


@pytest.fixture
def screenshots():
    """Directory where browser tests save what they saw (var/screenshots)."""
    from pathlib import Path

    path = Path(__file__).parent / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pytest_collection_modifyitems(config, items):
    """Browser tests drive a live server from another thread; on a loaded machine a step can
    time out or meet a locked SQLite table. They get two more tries; every other test gets none."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))
