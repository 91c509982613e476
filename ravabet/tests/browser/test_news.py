"""The whole news path in Chromium: a county officer's news with two photos goes to HQ, comes back
with a comment, is fixed, resubmitted and published, and a visitor finds it on the public side."""

import re

import pytest

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "افتتاح پل روستای کوشک با حضور رئیس اداره"


def _photo(name: str, seed: int, size) -> dict:
    from ravabet.photos.imagegen import landscape

    return {"name": name, "mimeType": "image/jpeg", "buffer": landscape(seed, size=size)}


def _login_as(page, username: str) -> None:
    page.context.clear_cookies()
    browser_login(page, username)


def test_news_goes_from_the_county_officer_through_hq_to_the_public_newsroom(page, screenshots):
    from ravabet.news.models import News
    from ravabet.testing import build_world

    world = build_world()

    # 0. A photo from an earlier visit is already in the unit's library.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ravabet.photos.imagegen import landscape
    from ravabet.photos.services import photo_upload

    earlier = photo_upload(upload=SimpleUploadedFile("earlier-visit.jpg", landscape(9, size=(1600, 1067))),
                           unit=world.county_a, by=world.officer)

    # 1. The officer writes a news item with a landscape and a portrait photo, and picks the earlier one.
    _login_as(page, "officer")
    page.goto("/news/new/")
    page.locator("summary", has_text="انتخاب از عکس‌های اخیر کتابخانه واحد").click()
    page.locator(f'.photo-pick input[value="{earlier.pk}"]').check()
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "پل روستای کوشک پس از دو سال ساخت به بهره‌برداری رسید.")
    page.fill("#id_body", "این پل ۴۵ متری رفت‌وآمد سه روستا را آسان می‌کند.\n\nهزینه ساخت از محل اعتبارات استانی بود.")
    page.fill("#id_tags", "پل، راه روستایی")
    page.set_input_files("#id_photos", [_photo("wide.jpg", 1, (1600, 1067)), _photo("tall.jpg", 2, (1067, 1600))])
    page.screenshot(path=str(screenshots / "news-1-officer-form.png"), full_page=True)
    page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    page.wait_for_load_state("networkidle")
    photos = page.locator("#news-photos")
    assert photos.locator(".photo-card").count() == 3
    assert photos.get_by_text(re.compile("عکس عمودی است")).count() == 1
    page.screenshot(path=str(screenshots / "news-2-draft-with-photo-report.png"), full_page=True)
    # The officer writes a caption for the library photo: shown under it on the public page.
    photos.locator(f"#caption-{earlier.pk}").fill("پل روستای کوشک در بازدید پیشین")
    with page.expect_navigation():
        photos.locator(f"#caption-{earlier.pk}").press("Enter")
    assert page.get_by_text("شرح عکس ثبت شد.").is_visible()

    # 2. The officer submits it to HQ.
    page.get_by_role("button", name="ارسال به اداره کل").click()
    assert page.get_by_text("ارسال‌شده به اداره کل").first.is_visible()
    news = News.objects.get()

    # 3. An HQ expert finds it in the queue and returns it with a comment.
    _login_as(page, "hq_expert")
    page.goto("/news/desk/")
    page.screenshot(path=str(screenshots / "news-3-hq-desk.png"), full_page=True)
    # On a phone the queue fits the screen: title (with the unit under it), date and state.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("(t => t.scrollWidth <= t.clientWidth)(document.querySelector('#queue .table-responsive'))")
    page.screenshot(path=str(screenshots / "news-3b-hq-desk-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=TITLE).click()
    # Only the steps the expert may make are offered; returning asks for its reason in place.
    assert page.get_by_role("button", name="ارسال به اداره کل").count() == 0
    page.locator("summary", has_text="برگشت به واحد").click()
    page.fill("[id$='-return_to_unit-comment']", "عکس عمودی را با یک عکس افقی عوض کنید.")
    page.locator("details form").get_by_role("button", name="برگشت به واحد").click()
    assert page.get_by_text("برگشت برای اصلاح").first.is_visible()
    page.screenshot(path=str(screenshots / "news-4-returned-by-hq.png"), full_page=True)

    # 4. The officer sees the comment, removes the portrait photo and resubmits.
    _login_as(page, "officer")
    page.goto(f"/news/{news.pk}/")
    assert page.locator("#thread").get_by_text("عکس عمودی را با یک عکس افقی عوض کنید.").is_visible()
    card = page.locator("#news-photos > div").filter(has_text="tall.jpg")
    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="حذف").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#news-photos .photo-card").count() == 2
    page.get_by_role("button", name="ارسال به اداره کل").click()
    assert page.get_by_text("ارسال‌شده به اداره کل").first.is_visible()
    page.screenshot(path=str(screenshots / "news-5-resubmitted.png"), full_page=True)

    # 5. HQ publishes it.
    _login_as(page, "hq_expert")
    page.goto(f"/news/{news.pk}/")
    page.get_by_role("button", name="انتشار در درگاه").click()
    assert page.get_by_text("منتشرشده").first.is_visible()
    page.screenshot(path=str(screenshots / "news-6-published.png"), full_page=True)

    # 6. An anonymous visitor finds it, also by searching with Arabic letters, and in the unit's feed.
    page.context.clear_cookies()
    page.goto("/public/news/")
    assert page.get_by_role("link", name=TITLE).is_visible()
    page.fill("#q", "پل روستاي كوشك")
    page.get_by_role("button", name="جستجو").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name=TITLE).is_visible()
    page.screenshot(path=str(screenshots / "news-7-public-search-arabic-letters.png"), full_page=True)
    page.get_by_role("link", name=TITLE).click()
    assert page.get_by_role("heading", name=TITLE).is_visible()
    assert page.locator('meta[property="og:title"]').get_attribute("content") == TITLE
    assert page.locator("figcaption", has_text="پل روستای کوشک در بازدید پیشین").is_visible()
    assert page.get_by_alt_text("پل روستای کوشک در بازدید پیشین").count() == 1
    page.screenshot(path=str(screenshots / "news-8-public-detail.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "news-8b-public-detail-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    feed = page.request.get(f"/public/news/unit/{world.county_a.code}/atom/")
    assert feed.ok and TITLE in feed.text()

    # The instruction catalog links B2, B3, B5 and F3 to these features.
    _login_as(page, "hq_head")
    page.goto("/instruction/")
    for code in ("B2", "B3", "B5", "F3"):
        assert page.locator(f"#item-{code} a.badge").count() >= 1, code
    page.locator("#item-B5").screenshot(path=str(screenshots / "news-9-catalog-B5.png"))
    page.goto("/news/daily/month/")
    assert page.locator("#month-grid").get_by_text(world.county_a.name).is_visible()
    page.screenshot(path=str(screenshots / "news-10-month-grid.png"), full_page=True)
    page.goto("/photos/rules/")
    page.screenshot(path=str(screenshots / "news-11-photo-rules.png"), full_page=True)


def test_an_achievement_needs_the_manager_and_the_hq_head_and_its_publication_reaches_them(page, screenshots):
    from ravabet.news.models import News
    from ravabet.outbox.models import Notification
    from ravabet.testing import build_world

    build_world()
    title = "کسب رتبه نخست استان در ایمنی راه‌های روستایی"
    _login_as(page, "officer")
    page.goto("/news/new/")
    page.select_option("#id_kind", "achievement")
    page.fill("#id_title", title)
    page.fill("#id_body", "این اداره در ارزیابی سالانه با ۹۲ امتیاز نخست شد.")
    page.set_input_files("#id_photos", [_photo("award.jpg", 7, (1600, 1067))])
    page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    assert page.get_by_role("button", name="ارسال به اداره کل").count() == 0
    page.get_by_role("button", name="ارسال به رئیس اداره برای تأیید").click()
    assert page.get_by_text("در انتظار تأیید رئیس اداره").first.is_visible()
    news = News.objects.get()

    _login_as(page, "manager")
    page.goto(f"/news/{news.pk}/")
    page.get_by_role("button", name="تأیید رئیس اداره و ارسال").click()
    assert page.get_by_text("ارسال‌شده به اداره کل").first.is_visible()

    _login_as(page, "hq_expert")
    page.goto(f"/news/{news.pk}/")
    assert page.get_by_text("تأیید و انتشار دستاورد با رئیس روابط عمومی اداره کل است").is_visible()
    assert page.get_by_role("button", name="انتشار در درگاه").count() == 0
    assert page.get_by_role("button", name="تأیید", exact=True).count() == 0
    page.screenshot(path=str(screenshots / "news-a1-expert-waits-for-head.png"), full_page=True)

    _login_as(page, "hq_head")
    assert Notification.objects.filter(user__username="hq_head", title__contains="منتظر تأیید شماست").exists()
    page.goto(f"/news/{news.pk}/")
    page.get_by_role("button", name="تأیید", exact=True).click()
    page.get_by_role("button", name="انتشار در درگاه").click()
    assert page.get_by_text("منتشرشده").first.is_visible()
    page.screenshot(path=str(screenshots / "news-a2-achievement-published.png"), full_page=True)
    assert Notification.objects.filter(user__username="manager", title__contains="دستاورد اداره شما منتشر شد").exists()
