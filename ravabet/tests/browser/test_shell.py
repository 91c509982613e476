import re

import pytest

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_officer_sees_the_persian_rtl_home_page_with_a_jalali_date(page, screenshots):
    from ravabet.testing import build_world

    build_world()
    browser_login(page, "officer")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.get_by_role("heading", name=re.compile("سلام")).is_visible()
    assert page.get_by_text("کارهای امروز").is_visible()
    footer = page.locator("footer").inner_text()
    # A Jalali date written with Persian month names and digits, such as «۵ آذر ۱۴۰۵».
    assert re.search(r"[۰-۹]+ (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴[۰-۹]{2}", footer)
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Vazirmatn" in font
    page.screenshot(path=str(screenshots / "platform-home-officer.png"), full_page=True)


def test_wrong_password_gets_a_persian_message_and_keeps_the_username(page):
    from ravabet.testing import build_world

    build_world()
    browser_login(page, "officer", password="wrong")
    assert page.get_by_text("نام کاربری یا گذرواژه درست نیست").is_visible()
    assert page.input_value("#id_username") == "officer"
