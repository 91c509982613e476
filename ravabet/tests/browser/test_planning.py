"""The planning part's main path in Chromium: a monthly plan whose B5 item moves when the
unit submits news (through the news part), a meeting with a decision, and the monthly report from draft to HQ's acceptance
(returned once, approved by the manager again, sent before the month ends with a reason), downloaded as a Persian PDF."""

import re

import pytest

from ravabet.testing import browser_login, pdf_png, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit_news(world, seed: int):
    """The unit's officer submits a text-and-photo news item through the news part's services."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from ravabet.news import services as news_services
    from ravabet.photos.imagegen import landscape

    news, _ = news_services.news_create(unit=world.county_a, by=world.officer, kind="news",
                                        title="بازدید رئیس اداره از پروژه راه روستایی", lead="لید خبر",
                                        body="متن خبر درباره پیشرفت پروژه.", news_date=datetime.date.today(),
                                        occasion="", tags="")
    photo = SimpleUploadedFile(f"news-{seed}.jpg", landscape(seed, size=(640, 427)), content_type="image/jpeg")
    news_services.news_attach_photos(news=news, by=world.officer, uploads=[photo])
    news.refresh_from_db()
    return news_services.news_submit(news=news, by=world.officer)


def switch_user(page, username):
    page.context.clear_cookies()
    browser_login(page, username)


def take_step(page, label: str, **fields) -> None:
    """Press a workflow button; a step that takes text opens its small form first, which is filled in."""
    form = page.locator("details.workflow-step").filter(has=page.locator("summary", has_text=label))
    if form.count():
        form.locator("summary").click()
        for name, value in fields.items():
            form.locator(f"[name={name}]").fill(value)
        form.locator("button", has_text=label).click()
    else:
        page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state("networkidle")


def test_officer_plans_meets_and_reports_and_hq_returns_then_accepts(page, screenshots, tmp_path):
    from ravabet.lib import jalali
    from ravabet.testing import build_world

    world = build_world()
    year, month = jalali.current_month()
    month_end = jalali.format_date(jalali.month_bounds(year, month)[1])
    today = jalali.format_date(jalali.today(), persian=False)
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, "officer")

    # 1. A monthly plan with a B5 item.
    page.goto("/planning/plans/new/")
    page.select_option("#id_month", str(month))
    page.fill("#id_title", "برنامه ماهانه روابط عمومی")
    page.fill("#id_items-0-title", "ارسال خبر روزانه به اداره کل")
    # 36 instruction items under their sections: the filter box narrows them, then one is ticked.
    picker = page.locator("fieldset").first.locator("[data-code-picker]")
    picker.locator("[data-code-filter]").fill("B5")
    assert picker.locator(".code-option:visible").count() == 1
    picker.locator("input[value='B5']").check()
    assert "B5" in picker.locator("[data-code-count]").inner_text()
    picker.locator("[data-code-filter]").fill("")
    assert picker.locator(".code-option:visible").count() == 36
    page.fill("#id_items-0-target_count", "20")
    page.fill("#id_items-0-due_date", month_end)
    page.keyboard.press("Escape")
    page.get_by_role("button", name="افزودن بند دیگر").click()
    assert page.locator("#items-forms fieldset").count() == 3
    assert page.input_value("#id_items-TOTAL_FORMS") == "3"
    page.screenshot(path=str(screenshots / "planning-1-plan-form.png"), full_page=True)
    page.get_by_role("button", name="ذخیره برنامه").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="برنامه ماهانه روابط عمومی").is_visible()
    progress = page.locator("tr[data-item] .progress-text")
    assert progress.inner_text().startswith("۰ از ۲۰")

    # B5 counts the days with a text-and-photo news item sent to HQ: one news item today moves it.
    submit_news(world, seed=7)
    page.reload()
    assert progress.inner_text().startswith("۱ از ۲۰")
    assert page.locator("tr[data-item] progress").get_attribute("value") == "5"
    page.screenshot(path=str(screenshots / "planning-2-plan-progress.png"), full_page=True)
    # A1: the unit manager signs the plan off before it goes to HQ.
    plan_url = page.url
    take_step(page, "درخواست تأیید رئیس اداره")
    assert page.get_by_text("منتظر تأیید رئیس اداره").first.is_visible()
    switch_user(page, "manager")
    page.goto(plan_url)
    take_step(page, "تأیید رئیس اداره")
    switch_user(page, "officer")
    page.goto(plan_url)
    take_step(page, "ارسال به اداره کل")
    assert page.get_by_text("فرستاده به اداره کل").first.is_visible()

    # 2. A staff meeting with attendance and one decision.
    page.goto("/planning/meetings/new/")
    page.select_option("#id_kind", "staff")
    page.fill("#id_title", "جلسه ماهانه رئیس اداره با کارکنان")
    page.fill("#id_starts_at", f"{today} 10:00")
    page.fill("#id_ends_at", f"{today} 09:00")
    page.keyboard.press("Escape")
    page.fill("#id_place", "سالن اجتماعات")
    page.locator("#present-list input[type=checkbox]").first.check()
    page.fill("#id_decisions-0-text", "تهیه گزارش تصویری پروژه‌های ماه")
    page.fill("#id_decisions-0-due_date", month_end)
    page.keyboard.press("Escape")
    page.get_by_role("button", name="ذخیره جلسه").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("پایان جلسه باید پس از آغاز آن باشد").is_visible()
    assert page.input_value("#id_title") == "جلسه ماهانه رئیس اداره با کارکنان"
    page.screenshot(path=str(screenshots / "planning-3-meeting-error.png"), full_page=True)
    page.fill("#id_ends_at", f"{today} 11:30")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="ذخیره جلسه").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("تهیه گزارش تصویری پروژه‌های ماه").is_visible()
    page.screenshot(path=str(screenshots / "planning-4-meeting.png"), full_page=True)
    page.goto("/planning/decisions/")
    assert page.get_by_text("تهیه گزارش تصویری پروژه‌های ماه").is_visible()

    # A mistaken meeting is archived (after a confirmation) and leaves the list and the follow-ups.
    page.goto("/planning/meetings/new/")
    page.select_option("#id_kind", "officials")
    page.fill("#id_title", "جلسه اشتباهی")
    page.fill("#id_starts_at", f"{today} 12:00")
    page.fill("#id_ends_at", f"{today} 13:00")
    page.keyboard.press("Escape")
    page.fill("#id_place", "فرمانداری")
    page.fill("#id_decisions-0-text", "مصوبه جلسه اشتباهی")
    page.fill("#id_decisions-0-due_date", month_end)
    page.keyboard.press("Escape")
    page.get_by_role("button", name="ذخیره جلسه").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="بایگانی").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("بایگانی‌شده").first.is_visible()
    page.screenshot(path=str(screenshots / "planning-4b-meeting-archived.png"), full_page=True)
    page.goto("/planning/meetings/")
    assert page.get_by_text("جلسه اشتباهی").count() == 0
    page.goto("/planning/decisions/")
    assert page.get_by_text("مصوبه جلسه اشتباهی").count() == 0

    # 3. This month's report: compile, write the narrative.
    page.goto("/planning/reports/")
    page.fill("#id_year", str(year))
    page.select_option("#id_month", str(month))
    page.get_by_role("button", name="گردآوری گزارش ماه برگزیده").click()
    page.wait_for_load_state("networkidle")
    report_url = page.url
    assert page.get_by_role("heading", name=re.compile("جلسه‌ها")).is_visible()
    # The news part's own section lists the news item submitted above.
    assert page.get_by_text("بازدید رئیس اداره از پروژه راه روستایی").first.is_visible()
    page.get_by_role("link", name="نوشتن شرح، مشکلات و پیشنهادها").click()
    page.fill("#id_narrative", "در این ماه خبر روزانه فرستاده شد و جلسه ماهانه با کارکنان برگزار شد.")
    page.fill("#id_problems", "کمبود دوربین عکاسی")
    page.get_by_role("button", name="ذخیره").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("خبر روزانه فرستاده شد").is_visible()
    page.screenshot(path=str(screenshots / "planning-5-report-draft.png"), full_page=True)

    # 4. The officer asks the manager, who approves; the officer submits. The month is not over yet:
    # without a reason the report is refused, with one it goes.
    take_step(page, "درخواست تأیید رئیس اداره")
    assert page.get_by_text("منتظر تأیید رئیس اداره").first.is_visible()
    switch_user(page, "manager")
    page.goto(report_url)
    take_step(page, "تأیید رئیس اداره")
    assert page.get_by_text("تأیید رئیس اداره").first.is_visible()
    switch_user(page, "officer")
    page.goto(report_url)
    assert page.get_by_role("button", name="ارسال به اداره کل", exact=True).count() == 0
    take_step(page, "ارسال زودهنگام به اداره کل")
    assert page.get_by_text("علت ارسال زودهنگام را بنویسید.").is_visible()
    page.screenshot(path=str(screenshots / "planning-5b-report-early-needs-reason.png"), full_page=True)
    early = "رئیس اداره از فردا در مأموریت است"
    page.fill("#id_early_reason", early)
    page.get_by_role("button", name="ارسال زودهنگام به اداره کل").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("ثابت شده‌اند").is_visible()
    assert page.locator(".alert").get_by_text(early).is_visible()

    # 5. HQ returns it with a comment; the manager approves it again and the officer sends it; HQ accepts.
    switch_user(page, "hq_expert")
    page.goto(report_url)
    take_step(page, "برگرداندن با نظر", comment="آمار کانال‌های مجازی را هم بیفزایید.")
    assert page.get_by_text("برگشت‌خورده").first.is_visible()
    page.screenshot(path=str(screenshots / "planning-6-report-returned.png"), full_page=True)
    switch_user(page, "officer")
    page.goto(report_url)
    assert page.locator(".alert").get_by_text("آمار کانال‌های مجازی را هم بیفزایید.").is_visible()
    assert page.locator("details.workflow-step", has_text="ارسال زودهنگام به اداره کل").count() == 0
    take_step(page, "درخواست تأیید رئیس اداره")
    switch_user(page, "manager")
    page.goto(report_url)
    take_step(page, "تأیید رئیس اداره")
    switch_user(page, "officer")
    page.goto(report_url)
    take_step(page, "ارسال زودهنگام به اداره کل", early_reason=early)
    switch_user(page, "hq_head")
    page.goto(report_url)
    take_step(page, "پذیرش گزارش", comment="گزارش کامل است.")
    assert page.get_by_text("پذیرفته‌شده").first.is_visible()
    page.screenshot(path=str(screenshots / "planning-7-report-accepted.png"), full_page=True)
    page.goto(f"/planning/plans/overview/?year={year}")
    assert page.locator("table.plan-overview").get_by_text("اداره شهرستان الف").is_visible()
    page.screenshot(path=str(screenshots / "planning-8a-hq-plan-overview.png"), full_page=True)
    page.goto(f"/planning/reports/states/?year={year}&month={month}")
    assert page.get_by_text("پذیرفته‌شده").first.is_visible()
    page.screenshot(path=str(screenshots / "planning-8-hq-states.png"), full_page=True)

    # 6. The PDF: first page rendered to PNG, Persian text inside.
    page.goto(report_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    pdf_path = tmp_path / "report.pdf"
    download_info.value.save_as(pdf_path)
    pdf_png(pdf_path, screenshots / "planning-9-report-pdf-1.png", width_px=500)
    text = pdf_text(pdf_path, pages=range(1))
    assert "گزارش عملکرد ماهانه" in text and "اداره شهرستان الف" in text
    assert "پذیرفته" in text
    assert "پیش از پایان ماه" in text and "مأموریت" in text

    # The instruction catalog links the planning part's items.
    page.goto("/instruction/")
    for url in ("/planning/plans/", "/planning/reports/", "/planning/meetings/", "/planning/trainings/",
                "/planning/channels/"):
        assert page.locator(f"a[href='{url}']").count() >= 1


def test_channel_trend_chart_draws_without_breaking_the_content_security_policy(page, screenshots):
    from ravabet.planning.tests.factories import make_channel
    from ravabet.testing import build_world

    world = build_world()
    channel = make_channel(world.county_a, figures=4)
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    browser_login(page, "officer")
    page.goto(f"/planning/channels/{channel.pk}/")
    page.wait_for_function("document.getElementById('channel-chart').width > 0")
    drawn = page.evaluate("""() => {
        const canvas = document.getElementById('channel-chart');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
        return painted;
    }""")
    assert drawn > 500
    assert not problems, problems
    page.fill("#id_posts", "-4")
    page.fill("#id_members", "10")
    page.fill("#id_views", "10")
    page.get_by_role("button", name="ثبت آمار").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("عدد منفی یا نادرست پذیرفته نیست").is_visible()
    assert page.input_value("#id_posts") == "-۴"  # kept as typed, shown in Persian digits
    page.screenshot(path=str(screenshots / "planning-10-channel-trend.png"), full_page=True)
