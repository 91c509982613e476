"""The press part's main path in Chromium: a county asks HQ for an interview permit, HQ's head approves,
the county records it as done; a journalist shows up, HQ's head is told by SMS and gives the permit; a
complaint found in a monitored newspaper is forwarded to the office head. The decisions are the declared
workflow steps' buttons (ravabet/workflow)."""

import datetime as dt
import re
from pathlib import Path

import pytest

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FEED = Path(__file__).resolve().parents[2] / "press" / "tests" / "data" / "feed.xml"


def _open_step(page, label: str) -> None:
    """Open a workflow step's small form (its <details>) on a record's page."""
    page.locator(".workflow-steps summary", has_text=_exactly(label)).click()


def _make_step(page, label: str) -> None:
    page.locator(".workflow-steps form button", has_text=_exactly(label)).click()


def _exactly(label: str):
    return re.compile(rf"^\s*{re.escape(label)}\s*$")


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


def test_a_media_request_goes_to_hq_and_back_and_a_press_complaint_reaches_the_office_head(
        page, new_page, screenshots):
    from django.utils import timezone

    from ravabet.lib import jalali
    from ravabet.outbox.models import OutboxMessage
    from ravabet.press import services
    from ravabet.press.models import ItemState, PressItem
    from ravabet.press.tests.factories import make_journalist, make_keyword, make_outlet, make_source
    from ravabet.testing import build_world

    world = build_world()
    outlet = make_outlet(world.county_a)
    make_journalist(world.county_a, outlet=outlet)
    when = jalali.format_datetime(timezone.now() + dt.timedelta(days=2))

    # 1. The county officer asks HQ for permission for an interview.
    browser_login(page, "officer")
    page.goto("/press/requests/new/")
    page.select_option("#id_kind", "interview")
    page.fill("#id_subject", "مصاحبه رئیس اداره درباره کمربندی شهر")
    page.select_option("#id_outlet", str(outlet.pk))
    page.fill("#id_officials", "رئیس اداره و معاون فنی")
    page.fill("#id_proposed_at", when)
    page.keyboard.press("Escape")
    page.screenshot(path=str(screenshots / "press-1-request-form.png"), full_page=True)
    page.get_by_role("button", name="فرستادن به اداره کل").click()
    assert page.get_by_text("در انتظار اداره کل").first.is_visible()
    request_url = page.url

    # 2. HQ's head approves it from the list.
    hq = new_page()
    browser_login(hq, "hq_head")
    hq.goto("/press/requests/?state=submitted")
    hq.screenshot(path=str(screenshots / "press-2-hq-list.png"), full_page=True)
    hq.get_by_role("link", name=re.compile("کمربندی")).click()
    _open_step(hq, "دادن مجوز")
    hq.fill("[id$='-approve-decision_note']", "با حضور مسئول روابط عمومی انجام شود.")
    _make_step(hq, "دادن مجوز")
    assert hq.locator(".badge", has_text="مجوز داده شد").is_visible()
    hq.screenshot(path=str(screenshots / "press-3-hq-approved.png"), full_page=True)

    # 3. The officer sees the answer and records the interview as done.
    page.goto(request_url)
    assert page.locator("#decision-note").get_by_text("با حضور مسئول روابط عمومی").is_visible()
    page.get_by_role("link", name="ثبت انجام").click()
    page.fill("#id_done_report", "مصاحبه در بخش خبری ساعت ۱۴ پخش شد.")
    page.fill("#id_done_link", "https://example.ir/news/radio")
    page.get_by_role("button", name="ثبت انجام").click()
    assert page.locator(".badge", has_text="انجام شد").is_visible()
    page.screenshot(path=str(screenshots / "press-4-request-done.png"), full_page=True)

    # 4. A journalist shows up; the officer records the visit, HQ's head gets an SMS and gives the permit.
    page.goto("/press/visits/new/")
    page.fill("#id_journalist_name", "امیر حسینی")
    page.fill("#id_outlet_name", "خبرگزاری ایرنا")
    page.fill("#id_arrived_at", jalali.format_datetime(timezone.now()))
    page.keyboard.press("Escape")
    page.fill("#id_purpose", "گزارش از بازسازی جاده سیل‌زده")
    page.get_by_role("button", name="ثبت و خبر به اداره کل").click()
    assert page.get_by_text("در انتظار مجوز تلفنی").first.is_visible()
    assert page.locator(".workflow-steps").count() == 0  # the officer waits; the head decides
    visit_url = page.url
    assert OutboxMessage.objects.filter(recipient=world.hq_head.mobile, body__contains="امیر حسینی").exists()
    hq.goto(visit_url)
    _open_step(hq, "دادن مجوز")
    _make_step(hq, "دادن مجوز")
    page.goto(visit_url)
    assert page.locator("#permit").get_by_text(world.hq_head.full_name).is_visible()
    page.screenshot(path=str(screenshots / "press-5-visit-permitted.png"), full_page=True)

    # 5. The morning's press review finds a complaint; the officer forwards it to the office head.
    make_keyword(world.county_a, "مرودشت")
    services.fetch_source(make_source(world.county_a).pk, content=FEED.read_bytes())
    page.goto("/press/monitor/")
    page.screenshot(path=str(screenshots / "press-6-monitor.png"), full_page=True)
    page.get_by_role("link", name=re.compile("گلایه اهالی مرودشت")).click()
    _open_step(page, "شکایت مردمی: به رئیس اداره")
    page.fill("[id$='-forward_complaint-note']", "اهالی از جاده خاکی روستا گله دارند؛ پیشنهاد بازدید.")
    _make_step(page, "شکایت مردمی: به رئیس اداره")
    assert page.get_by_text("شکایت در پرونده‌های مردمی ثبت و به رئیس اداره ارجاع شد").is_visible()
    assert PressItem.objects.filter(state=ItemState.COMPLAINT).count() == 1

    manager = new_page()
    browser_login(manager, "manager")
    manager.goto(f"/press/monitor/{PressItem.objects.get(state=ItemState.COMPLAINT).pk}/")
    assert manager.locator("#item-note").get_by_text("پیشنهاد بازدید").is_visible()
    manager.screenshot(path=str(screenshots / "press-7-manager-sees-complaint.png"), full_page=True)


def test_sources_keywords_and_the_directory_pages_read_right_to_left(page, screenshots):
    from ravabet.press.tests.factories import make_journalist, make_keyword, make_outlet, make_source
    from ravabet.testing import build_world

    world = build_world()
    make_journalist(world.county_a, outlet=make_outlet(world.county_a))
    make_keyword(world.county_a, "مرودشت")
    make_source(world.county_a, last_error="خوراک خوانا نیست: SAXParseException")
    browser_login(page, "officer")
    page.goto("/press/sources/")
    page.fill("#id_text", "جاده")
    page.locator("#keyword-form button").click()
    assert page.locator("#keywords").get_by_text("جاده").is_visible()
    assert page.get_by_text("خوراک خوانا نیست").is_visible()
    page.screenshot(path=str(screenshots / "press-8-sources.png"), full_page=True)
    page.goto("/press/journalists/")
    assert page.get_by_text("۰۹۱۷۱۱۱۰۰۰۱").is_visible()
    page.screenshot(path=str(screenshots / "press-9-journalists.png"), full_page=True)


def test_hq_asks_for_more_then_rejects_with_a_reason_and_gives_a_phone_permit(page, new_page, screenshots):
    from ravabet.press.models import MediaRequest, RequestState
    from ravabet.press.tests.factories import make_request, make_visit
    from ravabet.testing import build_world

    world = build_world()
    request = make_request(world.county_a, subject="نشست خبری طرح ایمن‌سازی")
    visit = make_visit(world.county_a, journalist_name="نرگس رحیمی")

    hq = new_page()
    browser_login(hq, "hq_head")
    hq.goto(f"/press/requests/{request.pk}/")
    _open_step(hq, "پرسش از واحد")
    _make_step(hq, "پرسش از واحد")
    # An empty question: the step's page says why, in Persian, and asks again.
    assert hq.get_by_text("بنویسید چه توضیحی لازم است").is_visible()
    hq.fill("#id_decision_note", "محورهای نشست و فهرست خبرنگاران را بفرستید.")
    hq.get_by_role("button", name="پرسش از واحد").click()
    assert hq.locator(".badge", has_text="نیاز به توضیح بیشتر").is_visible()

    browser_login(page, "officer")
    page.goto(f"/press/requests/{request.pk}/")
    page.get_by_role("link", name="افزودن توضیح و فرستادن دوباره").click()
    assert page.get_by_text("محورهای نشست و فهرست خبرنگاران").first.is_visible()
    page.fill("#id_description", "محورها: ایمنی جاده‌ها، زمان‌بندی. خبرنگاران: ایرنا، صدا و سیما.")
    page.screenshot(path=str(screenshots / "press-10-more-info.png"), full_page=True)
    page.get_by_role("button", name="فرستادن به اداره کل").click()
    assert page.locator(".badge", has_text="در انتظار اداره کل").is_visible()

    hq.goto(f"/press/requests/{request.pk}/")
    _open_step(hq, "رد درخواست")
    hq.fill("[id$='-reject-decision_note']", "این موضوع در نشست استانی پاسخ داده می‌شود.")
    _make_step(hq, "رد درخواست")
    assert hq.locator(".badge", has_text="رد شد").is_visible()
    assert hq.locator(".workflow-steps").count() == 0  # rejected is closed
    assert MediaRequest.objects.get(pk=request.pk).state == RequestState.REJECTED

    hq.goto(f"/press/visits/{visit.pk}/")
    _open_step(hq, "دادن مجوز")
    _make_step(hq, "دادن مجوز")
    assert hq.locator("#permit").get_by_text("رئیس روابط عمومی").is_visible()
    hq.screenshot(path=str(screenshots / "press-11-hq-permit.png"), full_page=True)


def test_a_conference_invites_outlets_records_coverage_and_hq_confirms_the_contact_coordination(page, screenshots):
    """Issue 16 §11 (C2, C4): the officer invites outlets to an approved press conference, records who came
    and their coverage, records the contact for that request; HQ confirms the coordination; a phone reads
    the contact page right to left."""
    from django.utils import timezone

    from ravabet.lib import jalali
    from ravabet.press.models import ContactLog, HqCheck, Invitation
    from ravabet.press.tests.factories import make_outlet, make_request
    from ravabet.testing import build_world

    world = build_world()
    conference = make_request(world.county_a, kind="conference", subject="نشست خبری طرح راه‌های روستایی",
                              state="approved", decided_by=world.hq_head)
    make_outlet(world.county_a, name="روزنامه خبر جنوب")
    browser_login(page, "officer")
    page.goto(f"/press/requests/{conference.pk}/")
    page.select_option("#id_outlet", label="روزنامه خبر جنوب")
    page.locator("#invite-form button").click()
    invitation = Invitation.objects.get()
    prefix = f"#id_inv{invitation.pk}"
    page.select_option(f"{prefix}-attended", "yes")
    page.fill(f"{prefix}-coverage_link", "https://khabar-jonoub.ir/news/12")
    page.locator(f"#invitation-{invitation.pk} button").click()
    assert "حاضر" in page.locator("#invitations").inner_text()
    invitation.refresh_from_db()
    assert invitation.attended and invitation.coverage_link == "https://khabar-jonoub.ir/news/12"
    page.screenshot(path=str(screenshots / "press-c2-invitations.png"), full_page=True)

    page.get_by_role("link", name="ثبت ارتباط برای این درخواست").click()
    page.fill("#id_contacted_at", jalali.format_datetime(timezone.now()))
    page.select_option("#id_party", "media")
    page.fill("#id_party_name", "روزنامه خبر جنوب")
    page.fill("#id_subject", "هماهنگی پوشش نشست خبری")
    page.fill("#id_hq_coordination", "تلفنی با آقای احمدی، کارشناس اداره کل")
    page.locator("form", has=page.locator("#id_party")).locator("button[type=submit]").click()
    contact = ContactLog.objects.get()
    assert contact.media_request_id == conference.pk
    assert "در انتظار تأیید اداره کل" in page.locator("#contact-hq-check").inner_text()

    page.context.clear_cookies()
    browser_login(page, "hq_expert")
    page.goto(f"/press/contacts/{contact.pk}/")
    _open_step(page, "تأیید هماهنگی")
    _make_step(page, "تأیید هماهنگی")
    assert "اداره کل هماهنگی را تأیید کرد" in page.locator("#contact-hq-check").inner_text()
    contact.refresh_from_db()
    assert contact.hq_check == HqCheck.CONFIRMED
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/press/contacts/{contact.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(screenshots / "press-c4-contact-phone.png"), full_page=True)
