"""HQ's own news in Chromium (issue 9): an HQ expert writes a news item of HQ with a photo, sends it
to the desk, schedules it with a Jalali date and time, changes their mind and publishes it now."""

import pytest

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "نشست خبری مدیر کل درباره طرح زمستانی راهداری"


def test_an_hq_expert_writes_schedules_and_publishes_hqs_own_news(page, screenshots):
    from ravabet.news.models import News, NewsState
    from ravabet.photos.imagegen import landscape
    from ravabet.testing import build_world

    world = build_world()
    browser_login(page, "hq_expert")
    page.goto("/news/new/")
    page.fill("#id_title", TITLE)
    page.fill("#id_body", "مدیر کل از آمادگی ۱۲۰ دستگاه ماشین‌آلات برای طرح زمستانی خبر داد.")
    page.set_input_files("#id_photos", [{"name": "press.jpg", "mimeType": "image/jpeg",
                                         "buffer": landscape(11, size=(1600, 1067))}])
    page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#news-photos .photo-card").count() == 1
    news = News.objects.get()
    assert news.unit == world.hq

    page.get_by_role("button", name="ارسال به میز خبر").click()
    assert page.get_by_text("ارسال‌شده به اداره کل").first.is_visible()

    # A time in the past is refused on its field, with the typed text kept.
    page.locator("summary", has_text="زمان‌بندی انتشار").click()
    page.fill("[id$='-schedule-scheduled_for']", "۱۴۰۰/۰۱/۱۵ ۱۰:۰۰")
    page.keyboard.press("Escape")
    page.locator("details form").filter(has=page.locator("[id$='-schedule-scheduled_for']")) \
        .get_by_role("button", name="زمان‌بندی انتشار").click()
    assert page.get_by_text("زمان انتشار باید در آینده باشد.").is_visible()
    assert page.locator("#id_scheduled_for").input_value() == "۱۴۰۰/۰۱/۱۵ ۱۰:۰۰"
    page.screenshot(path=str(screenshots / "news-hq-1-schedule-refused.png"), full_page=True)
    page.fill("#id_scheduled_for", "۱۴۵۰/۰۱/۱۵ ۱۰:۰۰")
    with page.expect_navigation():  # Enter: the open Jalali date picker covers the button
        page.locator("#id_scheduled_for").press("Enter")
    assert page.get_by_text("زمان‌بندی‌شده").first.is_visible()
    news.refresh_from_db()
    assert news.state == NewsState.SCHEDULED

    page.get_by_role("button", name="انتشار همین حالا").click()
    assert page.get_by_text("منتشرشده").first.is_visible()
    page.screenshot(path=str(screenshots / "news-hq-2-published.png"), full_page=True)
    news.refresh_from_db()
    assert news.state == NewsState.PUBLISHED
    page.context.clear_cookies()
    page.goto("/public/news/")
    assert page.get_by_role("link", name=TITLE).is_visible()
