"""The issue's "Done when": a citizen files with a photo and gets a code; the PR officer refers it to
the office head, who answers; the citizen sees the answer with the code and rates it; a second case
passes its deadline and appears on HQ's overdue list; the catalog links D1, D2 and D4. A case closed
without an answer says so, and why, to the citizen, and stays on HQ's list when it was late."""

import datetime as dt
import io
import re

import pytest
from PIL import Image

from ravabet.lib.digits import to_latin_digits
from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make():
        context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran",
                                      viewport={"width": 1280, "height": 900}, base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _captcha_test_mode_and_fresh_rate_limits(monkeypatch):
    from captcha.conf import settings as captcha_settings
    from django.core.cache import cache

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    # Earlier tests in the same process may have used up 127.0.0.1's per-minute allowance.
    cache.clear()


def _photo(tmp_path):
    path = tmp_path / "pothole.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 90, 90)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_complaint_goes_from_citizen_to_office_head_and_back_and_a_late_one_reaches_hq(
        page, new_page, screenshots, tmp_path):
    from ravabet.complaints import services
    from ravabet.complaints.models import Case
    from ravabet.testing import build_world

    world = build_world()

    # The citizen files a complaint with a photo.
    page.goto("/public/complaints/")
    page.select_option("#id_unit", str(world.county_a.pk))
    page.select_option("#id_kind", "complaint")
    page.fill("#id_subject", "چاله خطرناک در جاده خیرآباد")
    page.fill("#id_text", "در کیلومتر ۱۲ جاده روستای خیرآباد چاله‌ای بزرگ هست که شب‌ها دیده نمی‌شود.")
    page.fill("#id_citizen_name", "علی رضایی")
    page.fill("#id_citizen_mobile", "۰۹۱۲۱۲۳۴۵۶۷")
    page.set_input_files("#id_attachments", str(_photo(tmp_path)))
    # An unreadable picture can be swapped without losing what was typed.
    first_picture = page.locator("img.captcha").get_attribute("src")
    page.get_by_role("button", name="تصویر دیگر").click()
    page.wait_for_function(f"document.querySelector('img.captcha').getAttribute('src') !== '{first_picture}'")
    assert page.input_value("#id_subject") == "چاله خطرناک در جاده خیرآباد"
    page.fill("#id_captcha_1", "PASSED")
    page.screenshot(path=str(screenshots / "complaints-1-public-form.png"), full_page=True)
    page.click("button[type=submit]")
    code_text = page.locator("#tracking-code").inner_text()
    assert page.get_by_role("button", name="رونوشت کد").is_visible()
    assert re.fullmatch(r"[۰-۹]{4}-[۰-۹]{4}-[۰-۹]{4}", code_text.strip())
    page.screenshot(path=str(screenshots / "complaints-2-code.png"), full_page=True)
    case = Case.objects.get()
    assert to_latin_digits(code_text.strip()) == case.display_code and case.attachments.count() == 1

    # The county PR officer refers it to the office head.
    officer = new_page()
    browser_login(officer, "officer")
    officer.goto("/complaints/")
    # The list offers the next steps the officer may take on each case, from the declaration.
    row = officer.locator("tr", has_text="چاله خطرناک در جاده خیرآباد")
    assert row.get_by_role("link", name="ارجاع").is_visible() and row.get_by_role("link", name="پاسخ به شهروند").is_visible()
    officer.screenshot(path=str(screenshots / "complaints-3a-officer-list.png"), full_page=True)
    officer.get_by_role("link", name="چاله خطرناک در جاده خیرآباد").click()
    officer.click("#reveal-personal")
    assert officer.locator("#citizen-name").inner_text() == "علی رضایی"
    officer.select_option("#id_person", "head")
    officer.screenshot(path=str(screenshots / "complaints-3-officer-case.png"), full_page=True)
    officer.click("#refer-submit")
    assert officer.locator("#case-state").inner_text() == "ارجاع‌شده"

    # The office head answers.
    head = new_page()
    browser_login(head, "manager")
    head.goto(f"/complaints/{case.pk}/")
    head.fill("#id_answer", "چاله تا پایان هفته با آسفالت گرم ترمیم می‌شود. از گزارش شما سپاسگزاریم.")
    head.click("#answer-submit")
    assert head.locator("#case-state").inner_text() == "پاسخ‌داده‌شده"
    head.screenshot(path=str(screenshots / "complaints-4-head-answered.png"), full_page=True)

    # The citizen tracks it with the code in Persian digits and rates the answer.
    page.goto("/public/complaints/track/")
    page.fill("#id_code", code_text)
    page.fill("#id_mobile", "09121234567")
    page.click("button[type=submit]")
    assert "آسفالت گرم" in page.locator("#case-answer").inner_text()
    page.get_by_text("۵ — کاملاً راضی").click()
    assert page.is_checked("input[name=rating][value='5']")
    page.get_by_text("مشکل حل شد").click()
    page.get_by_role("button", name="ثبت رضایت").click()
    assert page.get_by_text("رضایت شما ثبت شد").is_visible()
    page.screenshot(path=str(screenshots / "complaints-5-tracking-rated.png"), full_page=True)
    assert case.answers.get().rating == 5

    # A second case passes its deadline; escalation puts it on HQ's overdue list.
    late = services.case_submit(unit=world.county_a, kind="request", subject="درخواست روشنایی گردنه",
                                text="گردنه ورودی شهر شب‌ها تاریک است.", citizen_mobile="09351112233")
    Case.objects.filter(pk=late.pk).update(deadline=dt.date.today() - dt.timedelta(days=10))
    assert services.escalate_overdue() == 1
    hq = new_page()
    browser_login(hq, "hq_expert")
    hq.goto("/complaints/hq/overdue/")
    row = hq.locator("tr", has_text="درخواست روشنایی گردنه")
    assert row.get_attribute("data-flag") == "danger"
    # The red really shows: Bootstrap paints cells, not rows.
    cell_colour = row.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
    assert cell_colour == "rgb(248, 215, 218)", cell_colour
    assert "۰۹۳۵" in row.inner_text() and "09351112233" not in row.inner_text()
    hq.screenshot(path=str(screenshots / "complaints-6-hq-overdue.png"), full_page=True)
    assert hq.locator("table").inner_text().count("چاله خطرناک") == 0
    hq.goto("/")
    assert hq.get_by_text("شکایت مردمی گذشته از مهلت").is_visible()
    hq.goto("/complaints/figures/")
    hq.wait_for_function("window.Chart && Chart.getChart(document.getElementById('trend-chart'))")
    assert hq.evaluate("Chart.getChart(document.getElementById('units-chart')).data.labels") == ["اداره شهرستان الف"]
    hq.wait_for_timeout(1200)  # let the bars finish growing before the screenshot
    assert hq.locator("#fig-total").inner_text() == "۲"
    # One answered in time, one past its deadline without an answer: half of the cases that are due.
    assert hq.locator("#fig-in-time").inner_text() == "۵۰٪"
    hq.screenshot(path=str(screenshots / "complaints-7-hq-figures.png"), full_page=True)

    # The instruction catalog links D1, D2 and D4 to these features.
    hq.goto("/instruction/")
    for item, url in (("D1", "/complaints/press/new/"), ("D2", "/complaints/"), ("D4", "/complaints/hq/forward/")):
        assert hq.locator(f"#item-{item} a[href='{url}']").count() == 1
    hq.locator("#item-D2").scroll_into_view_if_needed()
    hq.screenshot(path=str(screenshots / "complaints-8-catalog.png"))


def test_press_complaints_go_to_the_office_head_and_hq_forwards_follow_up_comes_back(
        page, new_page, screenshots, tmp_path):
    from ravabet.complaints.models import Case
    from ravabet.lib import jalali
    from ravabet.lib.workdays import add_working_days
    from ravabet.outbox.models import Notification
    from ravabet.testing import build_world

    world = build_world()

    # D1: the PR officer records a complaint found in a newspaper; it goes to the office head at once.
    browser_login(page, "officer")
    page.goto("/complaints/press/new/")
    page.fill("#id_subject", "گلایه رانندگان از ترافیک میدان اصلی")
    page.fill("#id_text", "روزنامه خبر جنوب از گلایه رانندگان درباره نبود چراغ راهنمایی در میدان اصلی نوشته است.")
    page.fill("#id_press_outlet", "روزنامه خبر جنوب")
    page.fill("#id_press_date", "۱۴۰۵/۰۹/۰۱")
    page.keyboard.press("Escape")
    page.fill("#id_press_page", "۴")
    page.set_input_files("#id_clipping", str(_photo(tmp_path)))
    page.screenshot(path=str(screenshots / "complaints-press-1-form.png"), full_page=True)
    page.get_by_role("button", name="ثبت").click()
    assert page.locator("#case-state").inner_text() == "ارجاع‌شده"
    press = Case.objects.get(channel="press")
    assert press.referred_to.user == world.manager and press.clipping
    assert Notification.objects.filter(user=world.manager, title__contains="گلایه رانندگان").exists()

    # D4: HQ forwards a press complaint to county A with a deadline.
    hq = new_page()
    browser_login(hq, "hq_expert")
    hq.goto("/complaints/hq/forward/")
    hq.select_option("#id_unit", str(world.county_a.pk))
    hq.fill("#id_deadline", jalali.format_date(add_working_days(jalali.today(), 5)))
    hq.keyboard.press("Escape")
    hq.fill("#id_subject", "دو سال درنگ در ساخت پل روستایی")
    hq.fill("#id_text", "پایگاه خبری استان از تأخیر دوساله ساخت پل روستای دشتک و گلایه اهالی خبر داده است.")
    hq.fill("#id_press_outlet", "پایگاه خبری فارس امروز")
    hq.fill("#id_press_link", "https://example.ir/news/bridge")
    hq.screenshot(path=str(screenshots / "complaints-press-2-hq-forward.png"), full_page=True)
    hq.get_by_role("button", name="ثبت").click()
    row = hq.locator("tr", has_text="دو سال درنگ در ساخت پل روستایی")
    assert "دریافت‌شده" in row.inner_text()

    # The county answers; the answer goes back to HQ.
    forwarded = Case.objects.get(forwarded_by_hq=True)
    page.goto(f"/complaints/{forwarded.pk}/")
    page.fill("#id_answer", "عملیات ساخت پل از هفته آینده با تأمین اعتبار از سر گرفته می‌شود.")
    page.click("#answer-submit")
    assert page.locator("#case-state").inner_text() == "پاسخ‌داده‌شده"
    hq.goto("/complaints/hq/forwarded/")
    assert "پاسخ‌داده‌شده" in hq.locator("tr", has_text="دو سال درنگ در ساخت پل روستایی").inner_text()
    assert Notification.objects.filter(user=world.hq_expert, title__contains="پاسخ").exists()
    hq.screenshot(path=str(screenshots / "complaints-press-3-hq-followup.png"), full_page=True)


def test_a_citizen_on_a_phone_fixes_a_refused_form_and_follows_the_code_to_tracking(browser, screenshots, live_server):
    from ravabet.complaints.models import Case
    from ravabet.testing import build_world

    world = build_world()
    phone = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True, base_url=live_server.url).new_page()
    errors = []
    phone.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    phone.goto("/public/complaints/")
    phone.select_option("#id_unit", str(world.county_a.pk))
    phone.fill("#id_text", "آب از لوله شکسته کنار پل روان است.")
    phone.fill("#id_citizen_mobile", "۰۹۱۲۱۲۳۴۵۶۷")
    phone.fill("#id_captcha_1", "PASSED")
    phone.click("button[type=submit]")
    # Nothing saved; the top of the page says why, and what was typed is still there.
    assert phone.locator("#form-problems").is_visible()
    assert phone.input_value("#id_text") == "آب از لوله شکسته کنار پل روان است."
    phone.screenshot(path=str(screenshots / "complaints-phone-1-refused.png"), full_page=True)
    phone.fill("#id_subject", "لوله شکسته")
    phone.fill("#id_captcha_1", "PASSED")
    phone.click("button[type=submit]")
    assert phone.locator("#sms-note").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshots / "complaints-phone-2-code.png"), full_page=True)
    phone.get_by_role("link", name="پیگیری همین پرونده").click()
    case = Case.objects.get()
    assert to_latin_digits(phone.input_value("#id_code")) == case.display_code
    phone.fill("#id_mobile", "09121234567")
    phone.click("button[type=submit]")
    assert "به‌زودی به کارشناس" in phone.locator("#state-note").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshots / "complaints-phone-3-tracking.png"), full_page=True)
    assert errors == []
    phone.context.close()


def test_a_late_case_closed_without_answer_tells_the_citizen_why_and_stays_on_hqs_list(page, new_page, screenshots):
    from ravabet.complaints import services
    from ravabet.complaints.models import Case
    from ravabet.testing import build_world

    world = build_world()
    case = services.case_submit(unit=world.county_a, kind="complaint", subject="چاله دوباره در جاده خیرآباد",
                                text="همان چاله‌ای که پیش‌تر گفتم هنوز هست.", citizen_mobile="09121234567")
    Case.objects.filter(pk=case.pk).update(deadline=dt.date.today() - dt.timedelta(days=10))

    # The officer cannot close it without an answer unless a reason is written.
    officer = new_page()
    officer.on("dialog", lambda dialog: dialog.accept())
    browser_login(officer, "officer")
    officer.goto(f"/complaints/{case.pk}/")
    assert officer.get_by_role("button", name="بستن پرونده").count() == 0
    officer.get_by_text("بستن بدون پاسخ").first.click()
    officer.locator("form[action$='/close_unanswered/'] button").click()
    assert officer.get_by_text("علت بستن پرونده بدون پاسخ را بنویسید").is_visible()
    assert Case.objects.get(pk=case.pk).state == "received"
    officer.fill("#id_close_reason", "تکراری است؛ همین شکایت با کد دیگری در دست رسیدگی است.")
    officer.get_by_role("button", name="بستن بدون پاسخ").click()
    assert officer.locator("#case-state").inner_text() == "بسته‌شده بدون پاسخ"
    assert "تکراری است" in officer.locator("#close-reason").inner_text()
    officer.screenshot(path=str(screenshots / "complaints-closed-1-officer.png"), full_page=True)

    # The citizen is told the truth: closed without an answer, and why.
    page.goto(f"/public/complaints/track/?code={case.tracking_code}")
    page.fill("#id_mobile", "09121234567")
    page.click("button[type=submit]")
    assert "بدون پاسخ بسته شده است" in page.locator("#state-note").inner_text()
    assert "تکراری است" in page.locator("#close-reason").inner_text()
    assert page.locator("#case-answer").count() == 0
    page.screenshot(path=str(screenshots / "complaints-closed-2-citizen.png"), full_page=True)

    # HQ still sees the late case on its overdue list, and it does not count as answered in time.
    hq = new_page()
    browser_login(hq, "hq_head")
    hq.goto("/complaints/hq/overdue/")
    row = hq.locator("tr", has_text="چاله دوباره در جاده خیرآباد")
    assert "بسته‌شده بدون پاسخ" in row.inner_text() and row.get_attribute("data-flag") == "danger"
    hq.goto("/complaints/figures/")
    assert hq.locator("#fig-in-time").inner_text() == "۰٪"
    hq.screenshot(path=str(screenshots / "complaints-closed-3-hq.png"), full_page=True)


def test_wrong_county_transfer_escalation_reminder_answer_and_a_partly_resolved_rating(page, new_page, screenshots):
    """Issue 14's "Done when": a citizen files with the wrong county → transfer → the deadline passes →
    the citizen escalates → HQ reminds → the unit answers → the citizen rates "partly resolved"."""
    from ravabet.complaints.models import Case, Followup, Transfer
    from ravabet.outbox.models import Notification, OutboxMessage
    from ravabet.testing import build_world

    world = build_world()
    page.goto("/public/complaints/")
    assert "شکایت — پاسخ تا ۱۰ روز کاری" in page.locator("#id_kind").inner_text()
    page.select_option("#id_unit", str(world.county_a.pk))
    page.select_option("#id_kind", "complaint")
    page.fill("#id_subject", "ریزش کوه در جاده دشتک")
    page.fill("#id_text", "در جاده روستای دشتک سنگ از کوه ریزش کرده و راه نیمه‌بسته است.")
    page.fill("#id_citizen_mobile", "۰۹۱۲۷۶۵۴۳۲۱")
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]")
    code_text = page.locator("#tracking-code").inner_text().strip()
    case = Case.objects.get()

    # County A's officer sees it belongs to county B and transfers it with the reason.
    officer = new_page()
    browser_login(officer, "officer")
    officer.goto(f"/complaints/{case.pk}/")
    officer.get_by_role("link", name="انتقال به اداره دیگر").click()
    officer.select_option("#id_to_unit", str(world.county_b.pk))
    officer.fill("#id_transfer_reason", "روستای دشتک در حوزه شهرستان ب است.")
    officer.screenshot(path=str(screenshots / "complaints-loop-1-transfer.png"), full_page=True)
    officer.click("#step-submit")
    case.refresh_from_db()
    assert case.unit == world.county_b and Transfer.objects.filter(case=case).exists()
    assert OutboxMessage.objects.filter(recipient="09127654321", body__contains="شهرستان ب").exists()

    # The deadline passes with no answer; the citizen escalates from the tracking page.
    Case.objects.filter(pk=case.pk).update(deadline=dt.date.today() - dt.timedelta(days=2))
    page.goto("/public/complaints/track/")
    page.fill("#id_code", code_text)
    page.fill("#id_mobile", "09127654321")
    page.click("button[type=submit]")
    assert page.locator("#overdue-note").is_visible()
    page.fill("#id_escalation_note", "دو هفته گذشته و خبری نشده است.")
    page.screenshot(path=str(screenshots / "complaints-loop-2-escalate.png"), full_page=True)
    page.get_by_role("button", name="پیگیری از اداره کل").click()
    assert "درخواست پیگیری شما به اداره کل رسیده" in page.locator("#overdue-note").inner_text()
    case.refresh_from_db()
    assert case.followup == Followup.ESCALATED

    # HQ sees it on its list and reminds the unit.
    hq = new_page()
    browser_login(hq, "hq_expert")
    hq.goto("/complaints/hq/overdue/")
    hq.locator("tr", has_text="ریزش کوه در جاده دشتک").get_by_role("link", name="ریزش کوه در جاده دشتک").click()
    hq.locator("summary", has_text="یادآوری به اداره").click()
    hq.fill(f"#wf-{case.pk}-remind-remind_note", "لطفاً تا فردا پاسخ دهید.")
    hq.screenshot(path=str(screenshots / "complaints-loop-3-hq-remind.png"), full_page=True)
    hq.locator("form", has=hq.locator(f"#wf-{case.pk}-remind-remind_note")).get_by_role("button").click()
    assert hq.locator("#case-followup").inner_text() == "یادآوری اداره کل"
    assert Notification.objects.filter(user=world.users["outsider"], title__contains="یادآوری اداره کل").exists()

    # County B's head answers.
    head = new_page()
    browser_login(head, "b_manager")
    head.goto(f"/complaints/{case.pk}/")
    head.fill("#id_answer", "سنگ‌ها برداشته شد و دیواره کوه در دست ایمن‌سازی است.")
    head.click("#answer-submit")
    assert head.locator("#case-state").inner_text() == "پاسخ‌داده‌شده"

    # The citizen reads the answer and rates it "partly resolved".
    page.reload()
    assert "سنگ‌ها برداشته شد" in page.locator("#case-answer").inner_text()
    page.get_by_text("۳ — تا اندازه‌ای").click()
    page.get_by_text("تا اندازه‌ای حل شد").click()
    page.get_by_role("button", name="ثبت رضایت").click()
    assert page.get_by_text("رضایت شما ثبت شد").is_visible()
    page.screenshot(path=str(screenshots / "complaints-loop-4-rated.png"), full_page=True)
    answer = case.answers.get()
    assert (answer.rating, answer.resolution) == (3, "partly")


def test_on_a_phone_a_long_state_wraps_in_its_cell_instead_of_widening_the_case_list(browser, screenshots,
                                                                                    live_server):
    """At 390 px the case list's state badge «ادغام‌شده در پرونده مشابه» (and «پاسخ کارمند در انتظار بازبینی») is
    drawn on two lines inside its cell: on one line it pushed the deadline column out of the table's view."""
    from ravabet.complaints.models import Case
    from ravabet.complaints.tests.factories import make_case
    from ravabet.testing import build_world

    world = build_world()
    case = make_case(world.county_a, subject="چاله در جاده")
    Case.objects.filter(pk=case.pk).update(state="merged")  # the look of a merged case; the steps are tested apart
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, base_url=live_server.url)
    phone = context.new_page()
    browser_login(phone, "officer")
    phone.goto("/complaints/")
    badge = phone.locator("#case-table .state-merged")
    assert badge.inner_text().replace("\n", " ").strip() == "ادغام‌شده در پرونده مشابه"
    box = badge.bounding_box()
    line = float(badge.evaluate("element => parseFloat(getComputedStyle(element).fontSize)"))
    assert box["height"] > 2 * line  # two lines
    cell = phone.locator("#case-table td:has(.state-merged)").bounding_box()
    assert cell["x"] <= box["x"] and box["x"] + box["width"] <= cell["x"] + cell["width"]
    phone.screenshot(path=str(screenshots / "complaints-phone-merged-state.png"), full_page=True)
    context.close()
