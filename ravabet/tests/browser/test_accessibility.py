"""Accessibility of the public pages and the main pages of each role (issue 18, point 6): axe-core (WCAG 2.1 A
and AA rules, vendored for the tests under ravabet/tests/browser/vendor/axe-core) finds no violation, with a
few records on the lists so their rows are checked too."""

import pytest

from ravabet.testing import MAIN_PAGES, axe_violations, browser_login, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC, OFFICER, HQ = MAIN_PAGES["anon"], MAIN_PAGES["officer"], MAIN_PAGES["hq_head"]


def test_public_and_main_staff_pages_have_no_axe_violations(browser, live_server, screenshots):
    from ravabet.complaints.tests.factories import make_case
    from ravabet.news.tests.helpers import make_news
    from ravabet.testing import build_world

    world = build_world()
    make_news(world)
    make_case(world.county_a)
    found = {}
    for actor, urls in (("anon", PUBLIC), ("officer", OFFICER), ("hq_head", HQ)):
        context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", viewport={"width": 1280, "height": 900},
                                      base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if actor != "anon":
            browser_login(page, actor)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, (actor, url, response.status)
            violations = axe_violations(page)
            if violations:
                found[f"{actor} {url}"] = format_violations(violations)
        if actor == "hq_head":
            page.goto("/news/desk/")
            page.screenshot(path=str(screenshots / "a11y-news-desk.png"))
        context.close()
    assert not found, "\n".join(f"== {where}\n{text}" for where, text in found.items())
