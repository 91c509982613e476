"""The messaging part's main path in Chromium: staff list import, an announcement by notice and SMS
read by a staff member, the duplicate guard blocking a copy of HQ's message, and a condolence
banner that waits on the HQ head's home page, is approved by him, downloaded as a Persian PDF and
recorded as installed with a photo."""

import io
import re

import pytest

from ravabet.testing import browser_login, pdf_pages, pdf_png, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "کارکنان"
    sheet.append(["فهرست کارکنان اداره شهرستان الف"])
    sheet.merge_cells("A1:C1")
    sheet.append(["نام و نام خانوادگی", "سمت", "شماره همراه"])
    sheet.append(["زهرا کریمی", "کارشناس مالی", "۰۹۱۷۱۱۱۲۲۳۳"])
    sheet.append(["رضا موسوی", "راننده", "+989171112244"])
    sheet.append([None, None, None])
    sheet.append(["مینا صادقی", "کارشناس حقوقی", "09171112255"])
    sheet.append(["حمید نوروزی", "مسئول انبار", "0917111"])
    sheet.append(["سارا قاسمی", "کارشناس فنی", "09171112255"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (90, 90, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def _switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    browser_login(page, username)


def test_officer_imports_staff_sends_an_announcement_is_blocked_by_hq_and_gets_a_condolence_banner(
        page, screenshots, tmp_path):
    from ravabet.messaging import services
    from ravabet.testing import build_world

    world = build_world()
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    hq_message = services.announcement_create(
        unit=world.hq, by=world.hq_head, kind="congratulation", title="تبریک روز مهندس", occasion="روز مهندس",
        body="روز مهندس را به همه همکاران گرامی تبریک می‌گوییم.", via_app=True, target_units=[world.county_a])

    # 1. The PR officer imports a staff list with bad rows, sees the preview and confirms it.
    browser_login(page, "officer")
    page.goto("/messaging/staff/import/")
    page.set_input_files("#id_file", {"name": "کارکنان.xlsx", "buffer": _staff_workbook(),
                                      "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    page.get_by_role("button", name="بارگذاری و پیش‌نمایش").click()
    page.locator("#import-rows").wait_for()
    report = page.locator("#import-rows")
    assert "هنوز چیزی نوشته نشده است" in page.locator("#import-stage").inner_text()
    assert report.get_by_text("شماره همراه نامعتبر است").is_visible()
    assert report.get_by_text(re.compile("تکراری")).is_visible()
    assert report.get_by_text("تازه", exact=True).count() == 3
    page.locator("#confirm-import").click()
    page.locator("#undo-import").wait_for()
    page.screenshot(path=str(screenshots / "messaging-1-import-report.png"), full_page=True)

    # 2. The officer sends an event announcement by in-app notice and SMS to the whole unit.
    page.goto("/messaging/announcements/new/")
    page.select_option("#id_kind", "ceremony_programme")
    page.fill("#id_title", "همایش ایمنی راه در زمستان")
    page.fill("#id_body", "همایش ایمنی راه پنجشنبه ساعت ۹ در سالن اجتماعات برگزار می‌شود.")
    page.check("#id_via_sms")
    assert "اکنون" in page.locator("#sms-length").inner_text()  # the live SMS length counter runs under the CSP
    page.get_by_label("اداره شهرستان الف").check()
    page.get_by_role("button", name="فرستادن").click()
    page.wait_for_url(re.compile(r"/messaging/announcements/\d+/$"))
    assert page.get_by_role("heading", name="همایش ایمنی راه در زمستان").is_visible()
    assert page.locator("#progress progress").is_visible()
    announcement_url = page.url
    page.screenshot(path=str(screenshots / "messaging-2-announcement-sent.png"), full_page=True)
    # The outbox worker sends the SMS; the progress bar, polling every 2 s, reaches 100%.
    from ravabet.outbox.services import deliver_due

    deliver_due()
    page.locator("#progress progress[value='100']").wait_for()
    assert "ارسال شد" in page.locator("#progress").inner_text()
    page.screenshot(path=str(screenshots / "messaging-2b-announcement-delivered.png"), full_page=True)

    # 2c. An SMS-only reminder to one chosen person, found with the people search (htmx).
    world.staff.person.mobile = "09171239876"
    world.staff.person.save(update_fields=["mobile"])
    page.goto("/messaging/announcements/new/")
    page.fill("#id_title", "یادآوری بازدید انبار")
    page.fill("#id_body", "بازدید انبار مرکزی فردا ساعت ۱۰ است؛ فهرست اقلام را همراه بیاورید.")
    page.uncheck("#id_via_app")
    page.check("#id_via_sms")
    page.fill("#people-q", "کارمند")
    page.locator("#people-results input[name=people]").first.wait_for()
    page.locator("#people-results label", has_text="کارمند الف").locator("input").check()
    # The ticked person moves to the chosen list and stays there through another search.
    assert page.locator("#people-chosen input:checked").count() == 1
    page.fill("#people-q", "زهرا")
    page.locator("#people-results", has_text="زهرا کریمی").wait_for()
    assert page.locator("#people-chosen", has_text="کارمند الف").is_visible()
    page.screenshot(path=str(screenshots / "messaging-2c-people-picker.png"), full_page=True)
    page.get_by_role("button", name="فرستادن").click()
    page.wait_for_url(re.compile(r"/messaging/announcements/\d+/$"))
    deliver_due()

    # 3. A staff member reads it on their own page (the SMS one too); the sender sees the read receipt.
    _switch_user(page, "staff")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/messaging/my/")
    assert page.get_by_role("heading", name=re.compile("همایش ایمنی راه در زمستان")).is_visible()
    reminder = page.locator("article", has_text="یادآوری بازدید انبار")
    assert "پیامک: رسید" in reminder.inner_text()
    # Opening the announcement is its read receipt (B1).
    page.locator("article", has_text="همایش ایمنی راه در زمستان").get_by_role("link", name="خواندن اطلاعیه").click()
    page.wait_for_url(re.compile(r"/messaging/my/\d+/$"))
    page.goto("/messaging/my/")
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    page.screenshot(path=str(screenshots / "messaging-3-staff-reads.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    _switch_user(page, "officer")
    page.goto(announcement_url)
    staff_row = page.locator("tr", has_text="کارمند الف").filter(has_text="اعلان درون‌سامانه")
    assert re.search(r"۱۴[۰-۹]{2}/", staff_row.inner_text())
    sms_row = page.locator("tr", has_text="کارمند الف").filter(has_text="پیامک")
    assert sms_row.count() == 1

    # 4. An occasion congratulation HQ already sent to the same staff is blocked, with a link to HQ's.
    page.goto("/messaging/announcements/new/")
    page.select_option("#id_kind", "congratulation")
    page.fill("#id_title", "تبریک روز مهندس")
    page.fill("#id_body", "روز مهندس را به همکاران گرامی تبریک می‌گوییم.")
    page.fill("#id_occasion", "روز مهندس")
    page.get_by_label("اداره شهرستان الف").check()
    page.get_by_role("button", name="فرستادن").click()
    blocked = page.locator("#duplicate-blocked")
    blocked.wait_for()
    assert "اداره کل همین پیام را پیش‌تر" in blocked.inner_text()
    assert page.input_value("#id_title") == "تبریک روز مهندس"
    page.screenshot(path=str(screenshots / "messaging-4-duplicate-blocked.png"), full_page=True)
    blocked.get_by_role("link", name=re.compile("تبریک روز مهندس")).click()
    page.wait_for_url(f"**/messaging/announcements/{hq_message.pk}/")
    page.goto("/messaging/duplicates/")
    assert page.get_by_text("جلوگیری شد").first.is_visible()

    # 5. A condolence banner: requested by the unit, approved by HQ's head, downloaded as a PDF.
    page.goto("/messaging/banners/new/")
    page.fill("#id_deceased_name", "مرحوم علی احمدی")
    page.fill("#id_position", "کارشناس فنی بازنشسته راهدارخانه و عضو شورای ایمنی راه‌های شهرستان")
    page.fill("#id_funeral_at", "۱۴۰۵/۰۹/۰۷ ۰۹:۳۰")
    page.fill("#id_funeral_place", "مسجد جامع مرودشت")
    page.fill("#id_memorial_place", "مسجد حضرت ابوالفضل (ع)، خیابان طالقانی")
    page.get_by_role("button", name="فرستادن برای تأیید اداره کل").click()
    page.wait_for_url(re.compile(r"/messaging/banners/\d+/$"))
    banner_url = page.url
    response = page.request.get(banner_url + "file/a3/")
    assert response.status == 403 and "هنوز به تأیید" in response.text()
    _switch_user(page, "hq_head")
    # The request waits for the head by name on his home page (and reached him by SMS).
    page.goto("/")
    waiting = page.locator("section", has=page.locator("#waiting-title"))
    waiting.get_by_role("link", name="مرحوم علی احمدی").click()
    page.wait_for_url(banner_url)
    page.get_by_role("button", name="تأیید متن و ساخت بنر").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#banner-state").inner_text() == "تأیید شد"
    _switch_user(page, "officer")
    page.goto(banner_url)
    page.locator("img[alt='پیش‌نمایش بنر']").wait_for()
    page.screenshot(path=str(screenshots / "messaging-5-banner-approved.png"), full_page=True)
    # The county records the installation with a photo on the step's own page.
    page.get_by_role("link", name="ثبت نصب با عکس").click()
    page.set_input_files("#id_photo", {"name": "نصب.jpg", "buffer": _photo(), "mimeType": "image/jpeg"})
    page.get_by_role("button", name="ثبت نصب با عکس").click()
    page.wait_for_url(banner_url)
    assert page.locator("#banner-state").inner_text() == "نصب شد"
    page.locator("img[alt='بنر نصب‌شده']").wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("PDF چاپی ۲۰۰ × ۷۰")).click()
    pdf = tmp_path / "banner.pdf"
    download_info.value.save_as(pdf)
    text = pdf_text(pdf)
    assert "مرحوم علی احمدی" in text and "مسجد جامع مرودشت" in text and "روابط عمومی اداره شهرستان الف" in text
    pdf_png(pdf, screenshots / "messaging-6-banner-pdf.png", width_px=1200)
    # Every print size is one page, whatever the length of the position and the ceremonies.
    for size in ("300x100", "a3"):
        (tmp_path / f"{size}.pdf").write_bytes(page.request.get(banner_url + f"file/{size}/").body())
        assert len(pdf_pages(tmp_path / f"{size}.pdf")) == 1, size
        pdf_png(tmp_path / f"{size}.pdf", screenshots / f"messaging-6-banner-pdf-{size}.png", width_px=1200)
    # The PNG is stored after its first rendering: the same bytes come back at once.
    first_png, second_png = (page.request.get(banner_url + "file/png/").body() for _ in range(2))
    assert first_png.startswith(b"\x89PNG") and first_png == second_png

    # The instruction catalog links this part's items.
    page.goto("/instruction/")
    for url in ("/messaging/announcements/", "/messaging/duplicates/", "/messaging/banners/",
                "/messaging/tickers/", "/messaging/staff/import/"):
        assert page.locator(f"a[href='{url}']").count() >= 1, url
    assert not console_errors, console_errors


def test_hq_reviews_tickers_and_sees_mobile_coverage_and_prevented_duplicates(page, screenshots):
    from ravabet.messaging.demo import seed_demo
    from ravabet.offices.demo import DEMO_PASSWORD, seed_platform

    seed_demo(seed_platform())
    browser_login(page, "hq.expert", DEMO_PASSWORD)
    page.goto("/messaging/tickers/?state=submitted")
    page.get_by_role("link", name=re.compile("دهه مبارک فجر")).click()
    page.get_by_role("button", name="تأیید").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("تأیید شد").first.is_visible()
    page.goto("/messaging/tickers/")
    page.screenshot(path=str(screenshots / "messaging-7-tickers.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("اکسل متن‌های تأییدشده")).click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    # The ticker form counts characters against the chosen medium's limit as one types.
    page.goto("/messaging/tickers/new/")
    page.select_option("#id_kind", "letterhead")
    page.fill("#id_text", "پدافند غیرعامل، راهبرد پایدار برای کاهش آسیب‌پذیری زیرساخت‌های حمل و نقل کشور")
    assert "بیش از سقف" in page.locator("#ticker-count").inner_text()
    page.select_option("#id_kind", "screen")
    assert "از ۱۲۰ نویسه" in page.locator("#ticker-count").inner_text()
    assert "بیش از سقف" not in page.locator("#ticker-count").inner_text()
    page.goto("/messaging/staff/coverage/")
    assert page.locator("tr", has_text="مرودشت").locator("progress").is_visible()
    page.screenshot(path=str(screenshots / "messaging-8-mobile-coverage.png"), full_page=True)
    page.goto("/messaging/duplicates/")
    assert page.get_by_text("جلوگیری شد").first.is_visible()
    page.screenshot(path=str(screenshots / "messaging-9-duplicates.png"), full_page=True)
    page.goto("/messaging/announcements/")
    page.screenshot(path=str(screenshots / "messaging-10-announcements.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not overflow


def test_the_announcements_list_keeps_title_and_state_in_sight_on_a_phone(page, screenshots):
    # Found in review: at 390 px the state column was behind a sideways scroll.
    from ravabet.messaging.tests.factories import make_announcement
    from ravabet.testing import build_world

    world = build_world()
    make_announcement(world.county_a, title="ساعت کاری زمستان")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "officer")
    page.goto("/messaging/announcements/")
    row = page.locator("tr", has_text="ساعت کاری زمستان")
    state = row.locator(".badge")
    assert state.is_visible()
    box = state.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(screenshots / "messaging-11-list-phone.png"), full_page=True)


def _namesakes_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["نام و نام خانوادگی", "کد ملی", "شماره همراه", "گروه"])
    sheet.append(["رضا محمدی", "۰۰۸۴۵۷۵۹۴۸", "09171239999", "راننده‌ها"])
    sheet.append(["رضا محمدی", None, "09171238888", None])
    sheet.append(["نرگس امیری", None, "09171232222", None])
    sheet.append(["سعید کاظمی", "1234567890", "09171237777", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_staff_import_preview_confirm_and_undo(page, screenshots):
    """B11: the preview shows each row's fate and writes nothing; confirming writes only the
    good rows and the ticked group; undo puts everything back."""
    from ravabet.messaging.models import StaffGroup
    from ravabet.offices.models import Person
    from ravabet.testing import build_world

    world = build_world()
    first = Person.objects.create(unit=world.county_a, full_name="رضا محمدی", mobile="09171230001",
                                  national_code="0084575948")
    Person.objects.create(unit=world.county_a, full_name="رضا محمدی", mobile="09171230002")
    browser_login(page, "officer")
    page.goto("/messaging/staff/import/")
    page.set_input_files("#id_file", {"name": "کارکنان.xlsx", "buffer": _namesakes_workbook(),
                                      "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    page.get_by_role("button", name="بارگذاری و پیش‌نمایش").click()
    page.locator("#import-rows").wait_for()
    rows = page.locator("#import-rows tbody tr")
    assert "به‌روزرسانی" in rows.nth(0).inner_text()
    assert "ناسازگار" in rows.nth(1).inner_text() and "کد ملی بنویسید" in rows.nth(1).inner_text()
    assert "تازه" in rows.nth(2).inner_text()
    assert "کد ملی نامعتبر است" in rows.nth(3).inner_text()
    assert not Person.objects.filter(full_name="نرگس امیری").exists()
    page.screenshot(path=str(screenshots / "messaging-import-1-preview.png"), full_page=True)

    page.get_by_label("راننده‌ها").check()
    page.locator("#confirm-import").click()
    page.locator("#undo-import").wait_for()
    assert "نوشته شد" in page.locator("#import-stage").inner_text()
    first.refresh_from_db()
    assert first.mobile == "09171239999" and Person.objects.filter(full_name="نرگس امیری").exists()
    assert StaffGroup.objects.get(name="راننده‌ها").members.filter(pk=first.pk).exists()
    page.screenshot(path=str(screenshots / "messaging-import-2-confirmed.png"), full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#undo-import").click()
    page.get_by_text("ورود بازگردانده شد").wait_for()
    assert "بازگردانده شد" in page.locator("#import-stage").inner_text()
    first.refresh_from_db()
    assert first.mobile == "09171230001" and not Person.objects.filter(full_name="نرگس امیری").exists()
    assert not StaffGroup.objects.filter(name="راننده‌ها").exists()
    page.screenshot(path=str(screenshots / "messaging-import-3-undone.png"), full_page=True)
