"""D5 from the browser: the PR officer builds a public survey, opens it and shares its link and QR code;
a citizen answers once; the results show charts and go to the unit manager and HQ; a staff member
answers a staff survey from their own page."""

import datetime as dt
import re

import pytest

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def _fill_date(page, selector, value):
    page.fill(selector, value)
    page.keyboard.press("Escape")


def test_officer_builds_opens_and_reports_a_public_survey_that_a_citizen_answers(page, browser, live_server,
                                                                                  screenshots):
    from ravabet.lib import jalali
    from ravabet.outbox.models import Notification
    from ravabet.surveys.models import Response, Survey
    from ravabet.testing import build_world

    world = build_world()
    today = jalali.today()
    browser_login(page, "officer")
    page.goto("/surveys/new/")
    page.fill("#id_title", "رضایت مراجعان از پاسخگویی")
    page.fill("#id_intro", "لطفاً چند دقیقه وقت بگذارید.")
    page.select_option("#id_audience", "public")
    _fill_date(page, "#id_opens_on", jalali.format_date(today, persian=False))
    _fill_date(page, "#id_closes_on", jalali.format_date(today + dt.timedelta(days=10), persian=False))
    page.get_by_role("button", name="ذخیره").click()
    page.wait_for_url(re.compile(r"/surveys/\d+/$"))
    survey = Survey.objects.get()

    for text, kind, options in [("کار شما در چند بار مراجعه انجام شد؟", "single", "یک بار\nدو بار\nبیشتر"),
                                ("از برخورد کارکنان چه امتیازی می‌دهید؟", "rating", ""),
                                ("پیشنهاد شما چیست؟", "long", "")]:
        page.fill("#id_text", text)
        page.select_option("#id_kind", kind)
        page.fill("#id_options", options)
        if kind == "long":
            page.uncheck("#id_required")
        page.get_by_role("button", name="افزودن پرسش").click()
        page.wait_for_load_state("networkidle")
    assert page.locator("#questions li").count() == 3
    page.screenshot(path=str(screenshots / "surveys-1-builder.png"), full_page=True)

    page.get_by_role("button", name="باز کردن برای پاسخ").click()
    page.wait_for_load_state("networkidle")
    page.get_by_text("نظرسنجی باز شد و پاسخ می‌گیرد.").wait_for()
    page.get_by_role("link", name="پیوند و کد QR").click()
    page.wait_for_load_state("networkidle")
    public_url = page.input_value("#share-url")
    assert survey.token in public_url
    assert page.locator("img.survey-qr").evaluate("img => img.naturalWidth") > 100
    page.screenshot(path=str(screenshots / "surveys-2-share.png"), full_page=True)

    citizen = browser.new_context(locale="fa-IR", viewport={"width": 414, "height": 860}, base_url=live_server.url)
    mobile = citizen.new_page()
    mobile.goto(f"/public/surveys/{survey.token}/")
    mobile.get_by_role("button", name="ثبت پاسخ").click()
    assert mobile.get_by_text("به این پرسش پاسخ دهید").first.is_visible()
    mobile.get_by_label("دو بار").check()
    mobile.get_by_label("۴ — خوب").check()
    mobile.fill("textarea", "نوبت‌دهی اینترنتی راه بیفتد.")
    mobile.screenshot(path=str(screenshots / "surveys-3-public-answer.png"), full_page=True)
    mobile.get_by_role("button", name="ثبت پاسخ").click()
    assert mobile.get_by_text("پاسخ شما ثبت شد").is_visible()
    mobile.goto(f"/public/surveys/{survey.token}/")
    assert mobile.get_by_text("پیش‌تر به این نظرسنجی پاسخ داده‌اید").is_visible()
    citizen.close()
    assert Response.objects.count() == 1

    page.goto(f"/surveys/{survey.pk}/results/")
    page.wait_for_function("() => document.querySelectorAll('canvas[data-chart]').length === 2 && "
                           "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.width > 0)")
    assert page.get_by_text("نوبت‌دهی اینترنتی راه بیفتد.").is_visible()
    page.screenshot(path=str(screenshots / "surveys-4-results.png"), full_page=True)
    assert page.get_by_role("button", name="فرستادن نتیجه برای رئیس واحد و اداره کل").count() == 0
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="بستن نظرسنجی").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="فرستادن نتیجه برای رئیس واحد و اداره کل").click()
    page.wait_for_load_state("networkidle")
    page.get_by_text("فرستاده شد").first.wait_for()
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"manager", "hq_head", "hq_expert"} <= told and "outsider" not in told
    reported = world.county_a.surveys.get()
    assert reported.state == "reported" and reported.reported_at is not None


def test_a_staff_member_answers_a_staff_survey_from_their_page(page, screenshots):
    from ravabet.surveys.models import Audience, Response, State
    from ravabet.surveys.tests.factories import make_survey
    from ravabet.testing import build_world

    world = build_world()
    make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN, title="نظر کارکنان درباره اطلاعیه‌ها")
    browser_login(page, "staff")
    page.goto("/surveys/mine/")
    page.get_by_role("link", name="نظر کارکنان درباره اطلاعیه‌ها").click()
    page.get_by_label("بله").check()
    page.get_by_label("۵ — خیلی خوب").check()
    page.screenshot(path=str(screenshots / "surveys-5-staff-answer.png"), full_page=True)
    page.get_by_role("button", name="ثبت پاسخ").click()
    page.wait_for_url("**/surveys/mine/")
    assert page.get_by_text("پاسخ داده‌اید").is_visible()
    assert Response.objects.get().user == world.staff
