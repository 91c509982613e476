"""The main path of the reports part: the county officer reports a problem to HQ with an attachment (B4),
HQ takes action with a follow-up person and due date, the officer reports the solution (D3); the unit's
introduction is written with a photo, sent to HQ, approved and shown on the public page (B9). The steps
are the buttons the workflow declarations give (see ravabet/workflow)."""

import datetime as dt
import io

import pytest
from PIL import Image
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
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def _photo(tmp_path):
    path = tmp_path / "building.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1024, 768), (60, 130, 170)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_problem_goes_to_hq_and_back_and_the_units_introduction_reaches_the_public_page(
        page, new_page, screenshots, tmp_path):
    from ravabet.lib import jalali
    from ravabet.offices.models import ProfileState, UnitProfile
    from ravabet.reports.models import Kind, State, UnitReport
    from ravabet.testing import build_world

    world = build_world()

    # The county PR officer reports a problem the media raised, with a photo, and sends it.
    browser_login(page, "officer")
    page.goto("/reports/")
    page.screenshot(path=str(screenshots / "reports-1-empty-list.png"), full_page=True)
    page.get_by_role("link", name="گزارش مشکل تازه").click()
    page.select_option("#id_source", "media")
    page.fill("#id_subject", "گلایه روزنامه محلی از صف طولانی واحد املاک")
    page.fill("#id_description", "روزنامه محلی نوشته است مراجعان واحد املاک دو ساعت در صف می‌مانند.")
    page.select_option("#id_urgency", "urgent")
    page.set_input_files("#id_attachments", str(_photo(tmp_path)))
    page.screenshot(path=str(screenshots / "reports-2-form.png"), full_page=True)
    page.get_by_role("button", name="ذخیره و فرستادن به اداره کل").click()
    expect(page.locator("#report-state")).to_have_text("فرستاده‌شده به اداره کل")
    problem = UnitReport.objects.get()
    assert problem.state == State.SENT and problem.attachments.count() == 1

    # HQ's head sees it, takes action and names the HQ expert who follows it up.
    hq = new_page()
    browser_login(hq, "hq_head")
    hq.goto("/reports/")
    hq.get_by_role("link", name="گلایه روزنامه محلی از صف طولانی واحد املاک").click()
    hq.get_by_role("link", name="اقدام اداره کل و تعیین پیگیری‌کننده").click()
    hq.fill("#id_comment", "با معاونت املاک هماهنگ و پیگیری می‌شود.")
    hq.select_option("#id_followup_by", str(world.hq_expert.pk))
    due = jalali.today() + dt.timedelta(days=7)
    hq.fill("#id_followup_due", jalali.format_date(due, persian=False))
    hq.keyboard.press("Escape")
    hq.screenshot(path=str(screenshots / "reports-3-hq-answer.png"), full_page=True)
    hq.locator("#act-report").click()
    # The old page shows a state badge too: wait for the new one rather than read at once.
    expect(hq.locator("#report-state")).to_have_text("در دست اقدام اداره کل")
    problem.refresh_from_db()
    assert problem.followup_by == world.hq_expert and problem.followup_due == due

    # The officer sees HQ's answer and reports the solution found, linked to the problem.
    page.goto(f"/reports/{problem.pk}/")
    assert "با معاونت املاک هماهنگ" in page.locator("#hq-answer").inner_text()
    page.get_by_role("link", name="گزارش راهکار این مشکل").click()
    assert page.input_value("#id_kind") == Kind.SOLUTION
    page.select_option("#id_source", "people")
    page.fill("#id_subject", "نوبت‌دهی اینترنتی واحد املاک")
    page.fill("#id_description", "نوبت‌دهی اینترنتی راه افتاد و صف به نیم ساعت رسید.")
    page.get_by_role("button", name="ذخیره و فرستادن به اداره کل").click()
    expect(page.locator("#report-state")).to_have_text("فرستاده‌شده به اداره کل")
    solution = UnitReport.objects.get(kind=Kind.SOLUTION)
    assert solution.solves == problem and solution.state == State.SENT
    page.screenshot(path=str(screenshots / "reports-4-solution.png"), full_page=True)

    # HQ's list across units, filtered to solutions.
    hq.goto("/reports/?kind=solution")
    expect(hq.locator("#report-table tbody tr")).to_have_count(1)
    hq.screenshot(path=str(screenshots / "reports-5-hq-list.png"), full_page=True)

    # The unit's introduction: written with a photo, sent to HQ.
    page.goto("/reports/profiles/")
    page.locator("#start-profile").click()
    page.fill("#id_history", "این اداره در سال ۱۳۶۵ آغاز به کار کرد.")
    page.fill("#id_mission", "ساخت و نگهداری راه‌های شهرستان و خدمات مسکن.")
    page.fill("#id_services", "صدور مجوز\nنوبت‌دهی اینترنتی")
    page.fill("#id_address", "مرودشت، بلوار امام")
    page.fill("#id_phones", "۰۷۱-۴۳۳۳۰۰۰۰")
    page.fill("#id_manager_name", "رئیس اداره الف")
    page.set_input_files("#id_photos", str(_photo(tmp_path)))
    page.fill("#id_captions", "ساختمان اداره")
    page.get_by_role("button", name="ذخیره و فرستادن به اداره کل").click()
    expect(page.locator("#profile-state")).to_have_text("فرستاده‌شده به اداره کل")
    page.screenshot(path=str(screenshots / "reports-6-profile.png"), full_page=True)

    # HQ acknowledges it; the public page shows it to anyone.
    profile = UnitProfile.objects.get()
    hq.goto(f"/reports/profiles/{profile.pk}/")
    hq.locator("details.workflow-step summary", has_text="تأیید و انتشار").click()
    hq.locator("details.workflow-step[open] button", has_text="تأیید و انتشار").click()
    expect(hq.locator("#profile-state")).to_have_text("تأییدشده اداره کل")
    profile.refresh_from_db()
    assert profile.state == ProfileState.ACKNOWLEDGED

    citizen = new_page()
    citizen.goto(f"/public/reports/units/{world.county_a.code}/")
    assert "ساخت و نگهداری راه‌های شهرستان" in citizen.content()
    assert citizen.locator("img.profile-photo").evaluate("img => img.naturalWidth") > 0
    citizen.screenshot(path=str(screenshots / "reports-7-public.png"), full_page=True)
    with citizen.expect_download(timeout=60_000) as download:
        citizen.locator("#public-brochure").click()
    assert download.value.suggested_filename.endswith(".pdf")
