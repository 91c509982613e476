"""Events, HQ tasks and occasions in Chromium: the HQ head assigns a task, the county reports it done with
evidence and HQ accepts it (F7); the officer plans a ceremony's run-sheet, invites guests who answer on the
public page and are checked in at the door, one who declined with a warning (F2, F5); supplies and the
occasions calendar with content sent to HQ and seen there (F4, E1-E3)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

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
        page.set_default_timeout(30_000)
        return page

    yield make
    for context in contexts:
        context.close()


def _jalali(days: int, time: str = "") -> str:
    from ravabet.lib import jalali

    text = jalali.format_date(jalali.today() + dt.timedelta(days=days), persian=False)
    return f"{text} {time}".strip()


def hq_returns_content(hq, county, comment: str) -> None:
    """HQ (on the content's page) returns it with `comment`; the county's page shows the comment."""
    hq.locator("details.workflow-step summary", has_text="برگرداندن برای اصلاح").click()
    hq.fill("[id$='-return_to_unit-hq_comment']", comment)
    hq.locator("details[open] form").get_by_role("button", name="برگرداندن برای اصلاح").click()
    assert "برگشت برای اصلاح" in hq.locator("#content-state").inner_text()
    county.reload()
    assert comment in county.locator("#hq-comment").inner_text()


def test_hq_assigns_a_task_the_county_reports_it_done_and_hq_accepts_it(page, new_page, screenshots):
    from ravabet.hqtasks.models import Assignment
    from ravabet.testing import build_world

    world = build_world()
    page.set_default_timeout(30_000)
    browser_login(page, "hq_head")
    page.goto("/tasks/new/")
    page.fill("#id_title", "گزارش تصویری هفته دولت")
    page.fill("#id_description", "از هر افتتاح دست‌کم پنج عکس افقی بفرستید.")
    page.fill("#id_due_date", _jalali(5))
    page.locator("h1").click()  # closes the date picker
    page.get_by_label(world.county_a.name).check()
    page.get_by_label(world.county_b.name).check()
    page.screenshot(path=str(screenshots / "events-task-new.png"), full_page=True)
    page.get_by_role("button", name="ذخیره").click()
    assert page.locator(".alert-success").get_by_text("به ۲ واحد ابلاغ شد").is_visible()
    assert page.locator("#task-table tbody tr").count() == 2

    officer = new_page()
    browser_login(officer, "officer")
    officer.goto("/tasks/")
    assert officer.locator("#task-table tbody tr").count() == 1
    officer.get_by_role("link", name="گزارش تصویری هفته دولت").click()
    officer.get_by_role("button", name="فرستادن گزارش به اداره کل").click()
    assert officer.get_by_text("گزارش انجام کار را بنویسید").is_visible()
    officer.fill("#id_evidence", "سه افتتاح با ۱۵ عکس گزارش شد.")
    officer.get_by_role("button", name="فرستادن گزارش به اداره کل").click()
    assert "انجام‌شده" in officer.locator("#assignment-state").inner_text()
    officer.screenshot(path=str(screenshots / "events-task-done.png"), full_page=True)

    assignment = Assignment.objects.get(unit=world.county_a)
    page.goto(f"/tasks/{assignment.pk}/")
    page.locator("details.workflow-step summary", has_text="پذیرش").click()
    page.fill("[id$='-accept-review_comment']", "کامل و خوب بود.")
    page.locator("details[open] form").get_by_role("button", name="پذیرش").click()
    assert page.locator("#assignment-state").inner_text() == "پذیرفته‌شده"
    page.screenshot(path=str(screenshots / "events-task-accepted.png"), full_page=True)


def test_a_ceremony_is_planned_a_guest_answers_the_invitation_and_is_checked_in(page, new_page, screenshots):
    from ravabet.events.models import Guest
    from ravabet.testing import build_world

    build_world()
    page.set_default_timeout(30_000)
    browser_login(page, "officer")
    page.goto("/events/new/")
    page.fill("#id_title", "آیین بهره‌برداری از پل روستای خیرآباد")
    page.fill("#id_venue", "محل پل، جاده خیرآباد")
    page.fill("#id_starts_at", _jalali(3, "10:00"))
    page.locator("h1").click()
    page.get_by_role("button", name="ذخیره").click()
    assert page.locator("#runsheet .runsheet-row").count() == 12

    # The run-sheet is read-only; «ویرایش» opens a row's form in its place (htmx). A wrong time is refused on
    # its field with everything typed kept; then the reciter is saved, and the row is drawn read-only again.
    assert page.locator("#runsheet select").count() == 0
    quran = page.locator("#row-quran")
    quran.get_by_role("link", name="ویرایش").click()
    quran.get_by_label("ساعت شروع").fill("۲۵:۹۹")
    quran.get_by_label("مدت (دقیقه)").fill("۱۰")
    quran.get_by_label("یا نام شخص بیرونی تازه").fill("استاد کریم منصوری")
    quran.get_by_label("وضعیت").select_option(label="هماهنگ‌شده")
    quran.get_by_role("button", name="ذخیره").click()
    expect(quran.locator(".invalid-feedback")).to_have_text("ساعت را مانند ۱۰:۳۰ بنویسید.")
    expect(quran.get_by_label("یا نام شخص بیرونی تازه")).to_have_value("استاد کریم منصوری")
    expect(quran.get_by_label("مدت (دقیقه)")).to_have_value("۱۰")
    # Two rows open at once: saving one keeps what is typed in the other.
    host = page.locator("#row-host")
    host.get_by_role("link", name="ویرایش").click()
    host.get_by_label("مسئول از کارکنان").select_option(label="کارمند الف")
    host.get_by_label("ساعت شروع").fill("۱۰:۱۰")
    host.get_by_label("توضیح").fill("مجری برنامه")
    quran.get_by_label("ساعت شروع").fill("۱۰:۰۰")
    quran.get_by_label("ردیف").fill("۰")
    quran.get_by_role("button", name="ذخیره").click()
    expect(quran).to_contain_text("ساعت ۱۰:۰۰، ۱۰ دقیقه")
    expect(quran).to_contain_text("استاد کریم منصوری")
    expect(quran.locator("form, input")).to_have_count(0)
    # Row 0 moved to the top of the run-sheet; the host's form is still open with what was typed.
    expect(page.locator("#runsheet-rows > .runsheet-row").first).to_have_id("row-quran")
    expect(host.get_by_label("توضیح")).to_have_value("مجری برنامه")
    page.screenshot(path=str(screenshots / "events-runsheet-row-edit.png"), full_page=True)
    host.get_by_role("button", name="ذخیره").click()
    expect(host).to_contain_text("کارمند الف")
    # The typed name joined the unit's directory of outside people and the row's form now picks its entry.
    quran.get_by_role("link", name="ویرایش").click()
    expect(quran.get_by_label("یا شخص بیرونی از فهرست").locator("option:checked")).to_have_text(
        "استاد کریم منصوری (قاری قرآن)")
    quran.get_by_role("link", name="انصراف").click()
    expect(quran.locator("form, input")).to_have_count(0)
    phone = new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    browser_login(phone, "officer")
    phone.goto(page.url)
    phone.screenshot(path=str(screenshots / "events-event-detail-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    phone.locator("#row-host").get_by_role("link", name="ویرایش").click()
    row = phone.locator("#row-host").get_by_label("مسئول از کارکنان").bounding_box()
    assert row["width"] > 250  # the select spans the phone's width instead of shrinking to a letter
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshots / "events-runsheet-390.png"), full_page=True)
    # Signed out while a row is open: «ذخیره» keeps the form as typed and says so in Persian.
    phone.locator("#row-host").get_by_label("توضیح").fill("متن نگه‌داشته")
    phone.context.clear_cookies()
    phone.locator("#row-host").get_by_role("button", name="ذخیره").click()
    expect(phone.locator("#row-host .runsheet-problem")).to_contain_text("آنچه نوشته‌اید همین‌جا مانده است")
    expect(phone.locator("#row-host").get_by_label("توضیح")).to_have_value("متن نگه‌داشته")

    page.fill("#id_name", "حمید کاظمی")
    page.fill("#id_title", "فرماندار")
    page.fill("#id_mobile", "0917")
    page.get_by_role("button", name="افزودن مهمان").click()
    assert page.locator("#guest-form .invalid-feedback").count() == 1
    assert page.input_value("#id_name") == "حمید کاظمی"
    page.fill("#id_mobile", "۰۹۱۷۱۱۱۰۰۰۱")
    page.get_by_role("button", name="افزودن مهمان").click()
    page.get_by_role("button", name="ارسال پیامک دعوت").click()
    assert page.locator(".alert-success").get_by_text("پیامک دعوت برای ۱ مهمان").is_visible()
    page.screenshot(path=str(screenshots / "events-event-detail.png"), full_page=True)

    guest = Guest.objects.get()
    card = page.request.get(f"/events/{guest.event_id}/guests/{guest.pk}/card/")
    assert card.ok and card.body().startswith(b"%PDF")

    citizen = new_page()
    citizen.goto(f"/public/events/rsvp/{guest.token}/")
    citizen.get_by_label("می‌آیم").check()
    citizen.fill("#id_companions", "1")
    citizen.get_by_role("button", name="ثبت پاسخ").click()
    assert "می‌آید" in citizen.locator("#rsvp-state").inner_text()
    citizen.screenshot(path=str(screenshots / "events-rsvp.png"), full_page=True)

    declined = Guest.objects.create(event=guest.event, name="سعید قاسمی", rsvp="declined")
    page.get_by_role("link", name="پذیرش مهمانان در ورودی").click()
    page.fill("#id_token", f"http://testserver/public/events/rsvp/{guest.token}/")
    page.get_by_role("button", name="ثبت ورود").click()
    assert "حمید کاظمی" in page.locator("#checked-in").inner_text()
    assert page.locator("#check-in-warning").count() == 0
    page.fill("#id_token", declined.token)
    page.get_by_role("button", name="ثبت ورود").click()
    assert "سعید قاسمی" in page.locator("#checked-in").inner_text()
    assert "نمی‌آید" in page.locator("#check-in-warning").inner_text()
    page.screenshot(path=str(screenshots / "events-check-in.png"), full_page=True)
    page.goto(f"/events/{guest.event_id}/")
    figures = page.locator("#figures").inner_text()
    assert re.search(r"واردشده \(با همراهان: ۳\)", figures)
    # The ceremony is three days away: it cannot be marked held yet.
    assert page.get_by_text("پس از زمان برگزاری").is_visible()
    assert page.locator(".workflow-steps summary", has_text="برگزار شد").count() == 0


def test_supplies_and_the_occasions_calendar(page, new_page, screenshots):
    from ravabet.occasions.tests.factories import make_occasion
    from ravabet.testing import build_world

    build_world()
    make_occasion(title="سالروز آزمون", days=3)
    page.set_default_timeout(30_000)
    browser_login(page, "officer")
    page.goto("/events/supplies/")
    page.fill("#id_name", "قیچی تشریفات")
    page.fill("#id_quantity", "1")
    page.fill("#id_min_quantity", "2")
    page.get_by_role("button", name="افزودن").click()
    assert page.locator("#supply-table").get_by_text("کمبود").is_visible()
    page.screenshot(path=str(screenshots / "events-supplies.png"), full_page=True)

    page.goto("/occasions/")
    assert page.get_by_text("مناسبت‌های سی روز آینده").is_visible()
    page.get_by_role("link", name="سالروز آزمون").first.click()
    page.get_by_role("link", name="تهیه محتوا برای اداره کل").click()
    page.fill("#id_title", "ویژه‌نامه سالروز")
    page.fill("#id_text", "برنامه‌های اداره برای این سالروز.")
    page.get_by_role("button", name="ذخیره").click()
    page.get_by_role("button", name="فرستادن برای اداره کل").click()
    assert "فرستاده به اداره کل" in page.locator("#content-state").inner_text()
    page.screenshot(path=str(screenshots / "events-content.png"), full_page=True)

    hq = new_page()
    browser_login(hq, "hq_expert")
    hq.goto("/occasions/")
    hq.screenshot(path=str(screenshots / "events-occasions-hq.png"), full_page=True)
    hq.goto("/occasions/contents/")
    hq.get_by_role("link", name="ویژه‌نامه سالروز").click()
    # HQ returns it with a comment; the county edits it and sends it again.
    hq_returns_content(hq, page, "یک عکس از برنامه بیفزایید.")
    page.get_by_role("link", name="ویرایش").click()
    page.fill("#id_text", "برنامه‌های اداره برای این سالروز، با عکس.")
    page.get_by_role("button", name="ذخیره").click()
    page.get_by_role("button", name="فرستادن برای اداره کل").click()
    assert "فرستاده به اداره کل" in page.locator("#content-state").inner_text()
    hq.reload()
    hq.locator("details.workflow-step summary", has_text="دیدم").click()
    hq.fill("[id$='-acknowledge-hq_comment']", "در ویژه‌نامه استان می‌آید.")
    hq.fill("[id$='-acknowledge-quality']", "۴")
    hq.locator("details[open] form").get_by_role("button", name="دیدم").click()
    assert "دیده‌شده" in hq.locator("#content-state").inner_text()
    assert hq.get_by_text("نظر اداره کل: در ویژه‌نامه استان می‌آید.").is_visible()
    assert hq.get_by_text("۴ از ۵").is_visible()
    # HQ's occasion matrix shows the county's content.
    hq.goto("/occasions/matrix/")
    hq.locator("#f-occasion").select_option(label=hq.locator("#f-occasion option", has_text="سالروز آزمون").inner_text())
    hq.get_by_role("button", name="نمایش").click()
    assert "دیده‌شده" in hq.locator("#matrix-table").inner_text()
    hq.screenshot(path=str(screenshots / "occasions-matrix.png"), full_page=True)
