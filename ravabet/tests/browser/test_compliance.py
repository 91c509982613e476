"""HQ's evaluation in Chromium (issue 10): the head of HQ PR opens the heat map, drills into a cell
and reaches the evidence; on a phone the ranking is a list with expandable rows."""

import datetime as dt

import pytest
from django.utils import timezone

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hq_opens_the_heat_map_drills_into_a_cell_and_reaches_the_evidence(world, page, screenshots):
    from ravabet.planning.models import MeetingKind
    from ravabet.planning.tests.factories import make_meeting

    meeting = make_meeting(world.county_a, kind=MeetingKind.COORDINATION,
                           when=timezone.now() - dt.timedelta(minutes=10))
    browser_login(page, "hq_head")
    page.goto("/instruction/scorecard/")
    page.wait_for_selector("#heat-map")
    page.screenshot(path=str(screenshots / "compliance-1-evaluation.png"), full_page=True)
    assert page.locator("#ranking tbody tr").first.inner_text().startswith("۱")
    cell = page.locator('[data-cell="county-a-F1"]')
    assert cell.inner_text() == "۱۰۰" and "۱۰۰٪" in cell.get_attribute("title")
    cell.click()
    page.wait_for_selector("#evidence")
    page.screenshot(path=str(screenshots / "compliance-2-cell.png"), full_page=True)
    page.get_by_role("link", name=meeting.title).click()
    page.wait_for_load_state()
    assert f"/{meeting.pk}/" in page.url


def test_on_a_phone_the_ranking_is_a_list_with_expandable_rows(world, page, screenshots):
    browser_login(page, "hq_head")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/instruction/scorecard/")
    assert not page.locator("#heat-map").is_visible()
    first = page.locator("#rank-list details").first
    first.locator("summary").click()
    first.locator("li").nth(35).wait_for()  # the unit's 36 items, fetched when it is opened
    assert first.locator("li").count() == 36
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    page.screenshot(path=str(screenshots / "compliance-3-phone.png"), full_page=True)
