"""Issue 17 from the browser: the officer builds a survey with a conditional matrix question, sends
personal links, a citizen answers through one link (the matrix appears only after «بله»), the same link
is refused the second time, and the results are filtered by an answer."""

import datetime as dt

import pytest

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def test_conditional_matrix_personal_link_answered_once_and_filtered_results(page, live_server, screenshots):
    from ravabet.lib import jalali
    from ravabet.outbox.models import OutboxMessage
    from ravabet.surveys import services
    from ravabet.surveys.models import Invitation, QuestionKind, Response
    from ravabet.testing import build_world

    world = build_world()
    today = jalali.today()
    survey = services.survey_create(unit=world.county_a, by=world.officer, title="کیفیت خدمت دفتر پیشخوان",
                                    intro="", audience="public", opens_on=today,
                                    closes_on=today + dt.timedelta(days=10))
    browser_login(page, "officer")
    page.goto(f"/surveys/{survey.pk}/")
    page.fill("#id_text", "به دفتر پیشخوان آمدید؟")
    page.select_option("#id_kind", "single")
    page.fill("#id_options", "بله\nخیر")
    page.get_by_role("button", name="افزودن پرسش").click()
    page.wait_for_load_state("networkidle")
    visited = survey.questions.get()
    page.fill("#id_text", "این‌ها را امتیاز دهید")
    page.select_option("#id_kind", "matrix")
    page.fill("#id_rows", "پاکیزگی\nرفتار کارکنان")
    page.check(f'input[name="condition"][value="{visited.pk}:0"]')
    page.get_by_role("button", name="افزودن پرسش").click()
    page.wait_for_load_state("networkidle")
    matrix = survey.questions.get(kind=QuestionKind.MATRIX)
    assert matrix.show_if == visited
    assert page.locator(".question-condition").count() == 1
    page.screenshot(path=str(screenshots / "surveys-17-1-builder.png"), full_page=True)
    # A rating beside the option question, so the results can cross the two.
    rating = services.question_add(survey=survey, by=world.officer, kind=QuestionKind.RATING,
                                   text="امتیاز کلی شما به دفتر", required=False, options=[])
    page.get_by_role("button", name="باز کردن برای پاسخ").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"/surveys/{survey.pk}/invite/")
    page.fill("#id_people", "علی رضایی، ۰۹۱۲۱۲۳۴۵۶۷\nمریم، maryam@example.ir")
    page.get_by_role("button", name="فرستادن پیوندها").click()
    page.wait_for_load_state("networkidle")
    assert Invitation.objects.filter(survey=survey).count() == 2
    assert OutboxMessage.objects.filter(source="surveys").count() == 2
    assert page.locator("#invitations tbody tr").count() == 2
    page.screenshot(path=str(screenshots / "surveys-17-2-invitations.png"), full_page=True)

    link = Invitation.objects.get(address="09121234567").link()
    path = link[link.index("/public/"):]
    # The citizen opens the link on a phone.
    phone = {"width": 390, "height": 844}
    answer = page.context.browser.new_page(base_url=live_server.url, viewport=phone, locale="fa-IR")
    answer.goto(path)
    # The same link open in a second tab (forwarded, or a second device) before the first answer is sent.
    second = page.context.browser.new_page(base_url=live_server.url, viewport=phone, locale="fa-IR")
    second.goto(path)
    block = answer.locator(f"#question-{matrix.pk}")
    assert block.is_hidden()
    answer.check(f'input[name="q{visited.pk}"][value="0"]')
    assert block.is_visible()
    answer.check(f'input[name="q{matrix.pk}_r0"][value="5"]')
    answer.check(f'input[name="q{matrix.pk}_r1"][value="4"]')
    answer.check(f'input[name="q{rating.pk}"][value="5"]')
    assert answer.evaluate("document.documentElement.scrollWidth") <= 390
    answer.screenshot(path=str(screenshots / "surveys-17-3-answer-390.png"), full_page=True)
    answer.get_by_role("button", name="ثبت پاسخ").click()
    answer.wait_for_load_state("networkidle")
    assert "سپاسگزاریم" in answer.content()
    # The second answer through the same link is refused, whatever the browser holds.
    second.check(f'input[name="q{visited.pk}"][value="1"]')
    second.get_by_role("button", name="ثبت پاسخ").click()
    second.wait_for_load_state("networkidle")
    assert "پیش‌تر پاسخ داده شده" in second.content()
    assert "سپاسگزاریم" not in second.content()
    assert second.evaluate("document.documentElement.scrollWidth") <= 390
    second.screenshot(path=str(screenshots / "surveys-17-3b-second-refused-390.png"), full_page=True)
    second.close()
    answer.context.clear_cookies()
    answer.goto(path)
    assert "پیش‌تر پاسخ داده شده" in answer.content()
    assert answer.get_by_role("button", name="ثبت پاسخ").count() == 0
    assert Response.objects.filter(survey=survey).count() == 1
    survey.refresh_from_db()
    services.response_submit(survey=survey, answers={visited.pk: 1, rating.pk: 2})

    page.goto(f"/surveys/{survey.pk}/results/")
    page.select_option(f"#f-q{visited.pk}", "0")
    page.get_by_role("button", name="نمایش").click()
    page.wait_for_load_state("networkidle")
    assert "۱ پاسخ از ۲" in page.locator("#filter-words").inner_text()
    assert f"f{visited.pk}=0" in page.get_by_role("link", name="گزارش PDF").get_attribute("href")
    page.screenshot(path=str(screenshots / "surveys-17-4-results.png"), full_page=True)
    # The manager reads the results on a phone and crosses «visited» with the rating (all answers).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/surveys/{survey.pk}/results/")
    page.select_option("#x", str(visited.pk))
    page.select_option("#y", str(rating.pk))
    page.get_by_role("button", name="نمایش", exact=True).click()
    page.wait_for_load_state("networkidle")
    crosstab = page.locator("#crosstab")
    assert crosstab.is_visible() and page.locator("#crosstab-chart").is_visible()
    assert "«به دفتر پیشخوان آمدید؟» × «امتیاز کلی شما به دفتر»" in crosstab.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    crosstab.screenshot(path=str(screenshots / "surveys-17-4b-crosstab-390.png"))
    page.screenshot(path=str(screenshots / "surveys-17-4c-results-390.png"), full_page=True)
    answer.close()


def test_a_page_shown_only_for_an_answer_appears_and_hides_with_its_questions(page, screenshots):
    """A page break with a condition: its heading and questions show only while «بله» is chosen, on a
    phone-wide screen, and the answer without the page is taken."""
    from ravabet.lib import jalali
    from ravabet.surveys import services
    from ravabet.surveys.models import Answer, QuestionKind
    from ravabet.testing import build_world
    from ravabet.workflow.engine import move

    world = build_world()
    officer = world.users["officer"]
    today = jalali.today()
    survey = services.survey_create(unit=world.county_a, by=officer, title="دفتر پیشخوان", intro="",
                                    audience="public", opens_on=today, closes_on=today + dt.timedelta(days=10))
    add = dict(survey=survey, by=officer)
    visited = services.question_add(**add, kind=QuestionKind.SINGLE, text="به دفتر آمدید؟", required=True,
                                    options=["بله", "خیر"])
    office = services.question_add(**add, kind=QuestionKind.PAGE, text="درباره‌ی دفتر", required=False,
                                   options=[], show_if=visited, show_if_values=[0])
    rating = services.question_add(**add, kind=QuestionKind.RATING, text="برخورد کارکنان", required=True,
                                   options=[])
    move(survey, "open", by=officer)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/public/surveys/{survey.token}/")
    section = page.locator(f"#question-{office.pk}")
    assert section.is_hidden() and page.locator(f"#question-{rating.pk}").is_hidden()
    page.check(f'input[name="q{visited.pk}"][value="0"]')
    assert section.is_visible() and page.get_by_role("heading", name="درباره‌ی دفتر").is_visible()
    assert page.locator(f"#question-{rating.pk} legend").inner_text().startswith("۲.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "surveys-17-5-page-condition-390.png"), full_page=True)
    page.check(f'input[name="q{visited.pk}"][value="1"]')
    assert section.is_hidden()
    page.get_by_role("button", name="ثبت پاسخ").click()
    page.wait_for_load_state("networkidle")
    assert "سپاسگزاریم" in page.content()
    assert Answer.objects.filter(question=visited).count() == 1 and not Answer.objects.filter(question=rating).exists()
    # The citizen agrees to be invited to later surveys (issue 17 §2: citizens only with their consent).
    page.fill("#id_mobile", "۰۹۱۲۱۲۳۴۵۶۷")
    page.check("#id_consent")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "surveys-17-6-panel-consent-390.png"), full_page=True)
    page.get_by_role("button", name="ثبت شماره برای دعوت").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#panel-joined").is_visible()
    from ravabet.surveys.models import Panelist

    assert Panelist.objects.get().mobile == "09121234567"


def test_a_citizen_agrees_on_the_complaint_form_to_be_invited_to_surveys_on_a_phone(page, screenshots, monkeypatch):
    """Issue 17 §2: the public complaint form's consent box is unticked, says in Persian what it means and
    how to withdraw; ticked, the citizen's mobile joins the unit's panel when the case is filed."""
    from captcha.conf import settings as captcha_settings

    from ravabet.complaints.models import Case
    from ravabet.surveys.models import Panelist
    from ravabet.testing import build_world

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    world = build_world()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/public/complaints/")
    box = page.locator("#id_survey_consent")
    assert not box.is_checked()
    help_text = page.locator("#id_survey_consent_helptext").inner_text()
    assert "انصراف" in help_text and "اختیاری" in help_text
    page.select_option("#id_unit", str(world.county_a.pk))
    page.fill("#id_subject", "چراغ راهنمای خراب")
    page.fill("#id_text", "چراغ راهنمای میدان اصلی سه روز است کار نمی‌کند.")
    page.fill("#id_citizen_mobile", "۰۹۱۲۷۶۵۴۳۲۱")
    page.get_by_label("اجازه می‌دهم این اداره برای نظرسنجی‌هایش").check()
    page.fill("#id_captcha_1", "PASSED")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert box.is_visible() and box.is_checked()
    page.screenshot(path=str(screenshots / "surveys-17-7-complaint-consent-390.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_selector("#tracking-code")
    assert Case.objects.get().citizen_mobile == "09127654321"
    panelist = Panelist.objects.get()
    assert (panelist.unit, panelist.mobile, panelist.withdrawn_at) == (world.county_a, "09127654321", None)
