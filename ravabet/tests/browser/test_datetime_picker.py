"""Every date-time box has a picker with hour and minute in Persian digits (issue 18, point 4): picking a day
fills a value the form accepts, the hour and minute lists set the time, and a date box keeps a date-only picker."""

import re

import pytest

from ravabet.testing import axe_violations, browser_login, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_a_press_request_gets_its_day_hour_and_minute_from_the_picker(page, screenshots):
    from ravabet.lib import jalali
    from ravabet.press.models import MediaRequest
    from ravabet.testing import build_world

    build_world()
    today = jalali.to_jalali(jalali.today())
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)  # next month: ahead
    browser_login(page, "officer")
    page.goto("/press/requests/new/")
    page.select_option("#id_kind", "interview")
    page.fill("#id_subject", "گفت‌وگوی رادیویی درباره راه روستایی")
    box = page.locator("#id_proposed_at")
    box.click()
    picker = page.locator("jdp-container")
    picker.wait_for()
    hour, minute = picker.locator(".jdp-time select").nth(1), picker.locator(".jdp-time select").nth(0)
    # Hour and minute lists, in Persian digits.
    assert hour.locator("option").count() == 24 and minute.locator("option").count() == 60
    assert hour.locator("option").nth(14).inner_text() == "۱۴" and minute.locator("option").nth(30).inner_text() == "۳۰"
    # The open picker's lists have names (axe-core finds no violation with it open).
    assert hour.get_attribute("aria-label") == "ساعت" and minute.get_attribute("aria-label") == "دقیقه"
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    picker.locator(".jdp-months .jdp-icon-plus").click()
    # Picking a day alone gives a whole date and time the form accepts (the time shown in the lists).
    picker.locator(".jdp-day:not(.not-in-month)", has_text=re.compile("^۱۵$")).click()
    value = box.input_value()
    assert re.fullmatch(r"[0-9۰-۹]{4}/[0-9۰-۹]{2}/[0-9۰-۹]{2} [0-9۰-۹]{2}:[0-9۰-۹]{2}", value), value
    assert value.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")).startswith(f"{year}/{month:02d}/15 ")
    # Then the hour and the minute.
    picker = page.locator("jdp-container")
    picker.locator(".jdp-time select").nth(1).select_option("14")
    picker.locator(".jdp-time select").nth(0).select_option("30")
    expected = f"{year}/{month:02d}/15 14:30"
    assert box.input_value().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")) == expected
    page.screenshot(path=str(screenshots / "lib-datetime-picker.png"), full_page=True)
    page.locator("#id_subject").click()  # leaves the box: it shows Persian digits
    assert box.input_value() == expected.translate(PERSIAN)
    page.get_by_role("button", name="فرستادن به اداره کل").click()
    page.get_by_text("در انتظار اداره کل").first.wait_for()
    request = MediaRequest.objects.get(subject="گفت‌وگوی رادیویی درباره راه روستایی")
    assert jalali.format_datetime(request.proposed_at, persian=False) == expected


def test_a_date_box_keeps_a_calendar_without_time(page):
    from ravabet.testing import build_world

    build_world()
    browser_login(page, "officer")
    page.goto("/planning/trainings/new/")
    page.locator("#id_date").click()
    picker = page.locator("jdp-container")
    picker.wait_for()
    assert picker.locator(".jdp-time select").count() == 0
    picker.locator(".jdp-day:not(.not-in-month)", has_text=re.compile("^۱۲$")).click()
    value = page.locator("#id_date").input_value().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert re.fullmatch(r"\d{4}/\d{2}/12", value), value
