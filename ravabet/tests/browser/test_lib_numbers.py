"""Persian digits typed into every kind of number box are kept (issue 12, points 3 and 10): a whole number on a
public page (RSVP companions), a decimal with «٫» (training hours), a Jalali date typed in Persian digits, and the
live counter of a limited text box."""

import datetime as dt
from decimal import Decimal

import pytest

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_persian_digits_in_whole_and_decimal_number_boxes_and_dates(page, live_server, screenshots):
    from ravabet.events.models import Guest
    from ravabet.events.tests.factories import make_event, make_guest
    from ravabet.offices.models import Person
    from ravabet.planning.models import Training
    from ravabet.testing import build_world

    world = build_world()
    guest = make_guest(make_event(world.county_a))
    Person.objects.create(unit=world.county_a, full_name="مریم احمدی")

    page.goto(f"{live_server.url}/public/events/rsvp/{guest.token}/")
    box = page.locator("#id_companions")
    assert box.get_attribute("type") == "text" and box.get_attribute("inputmode") == "numeric"
    page.get_by_label("می‌آیم").check()
    box.fill("۲")
    page.get_by_role("button", name="ثبت پاسخ").click()
    page.wait_for_load_state()
    guest = Guest.objects.get(pk=guest.pk)
    assert guest.companions == 2
    page.screenshot(path=str(screenshots / "lib-numbers-rsvp.png"), full_page=True)

    browser_login(page, "officer")
    page.goto(f"{live_server.url}/planning/trainings/new/")
    assert page.locator("input[type=number]").count() == 0
    hours = page.locator("#id_hours")
    assert hours.get_attribute("inputmode") == "decimal"
    page.select_option("#id_person", label="مریم احمدی")
    page.fill("#id_title", "دوره نگارش خبر")
    counter = page.locator("#id_title-counter")
    assert counter.inner_text().startswith("۱۴ از ۲۰۰")
    hours.fill("۱۲٫۵")
    page.locator("#id_date").fill("۱۴۰۵/۰۹/۱۰")
    page.keyboard.press("Escape")
    page.locator("#id_hours").focus()  # moves focus away from the date picker
    page.screenshot(path=str(screenshots / "lib-numbers-training-form.png"), full_page=True)
    page.get_by_role("button", name="ذخیره").click()
    page.wait_for_load_state()
    training = Training.objects.get(title="دوره نگارش خبر")
    assert training.hours == Decimal("12.5")
    assert training.date == dt.date(2026, 12, 1)

    page.goto(f"{live_server.url}/planning/trainings/{training.pk}/edit/")
    assert page.locator("#id_hours").input_value() == "۱۲٫۵"
    assert page.locator("#id_date").input_value() == "۱۴۰۵/۰۹/۱۰"
    page.locator("#id_hours").fill("۱۲٫۵۵")
    page.get_by_role("button", name="ذخیره").click()
    page.wait_for_load_state()
    assert "حداکثر یک رقم اعشار" in page.content() and page.locator("#id_hours").input_value() == "۱۲٫۵۵"
    page.screenshot(path=str(screenshots / "lib-numbers-training-error.png"), full_page=True)


def test_persian_digits_typed_into_a_year_counts_and_a_target_on_a_phone(page, live_server, screenshots):
    """At 390 px: a Jalali year and counts with «٬» typed on a channel's monthly figures, and HQ's yearly
    training-hours target, all in Persian digits; saved as numbers and shown back in Persian digits."""
    from ravabet.lib import jalali
    from ravabet.lib.digits import to_persian_digits
    from ravabet.planning.models import ChannelFigure, PlanningSettings
    from ravabet.planning.tests.factories import make_channel
    from ravabet.testing import build_world

    world = build_world()
    channel = make_channel(world.county_a, figures=0)
    year, month = jalali.current_month()
    page.set_viewport_size({"width": 390, "height": 844})

    browser_login(page, "officer")
    page.goto(f"{live_server.url}/planning/channels/{channel.pk}/")
    assert page.locator("input[type=number]").count() == 0
    for name in ("year", "posts", "members", "views"):
        assert page.locator(f"#id_{name}").get_attribute("inputmode") == "numeric"
    assert page.locator("#id_year").input_value() == to_persian_digits(year)  # the initial year, Persian
    page.locator("#id_year").fill("")
    page.locator("#id_year").press_sequentially(to_persian_digits(year))
    page.select_option("#id_month", str(month))
    page.locator("#id_posts").press_sequentially("۱۲")
    page.locator("#id_members").press_sequentially("۱٬۲۰۰")
    page.locator("#id_views").press_sequentially("٣٤٥")  # Arabic-Indic digits, as some keyboards type them
    page.get_by_role("button", name="ثبت آمار").click()
    page.wait_for_load_state("networkidle")
    figure = ChannelFigure.objects.get(channel=channel)
    assert (figure.year, figure.month, figure.posts, figure.members, figure.views) == (year, month, 12, 1200, 345)
    assert "۱٬۲۰۰" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "lib-numbers-channel-figures-390.png"), full_page=True)

    page.context.clear_cookies()
    browser_login(page, "hq_head")
    page.goto(f"{live_server.url}/planning/settings/")
    box = page.locator("#id_yearly_training_hours")
    assert box.get_attribute("type") == "text" and box.get_attribute("inputmode") == "numeric"
    box.fill("")
    box.press_sequentially("۴۰")
    page.get_by_role("button", name="ذخیره").click()
    page.wait_for_load_state("networkidle")
    assert PlanningSettings.load().yearly_training_hours == 40
    assert page.locator("#id_yearly_training_hours").input_value() == "۴۰"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "lib-numbers-training-target-390.png"), full_page=True)
