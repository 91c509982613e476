"""Issue 15, "Done when": one walk in Chromium from an occasion's reminder to HQ's occasion matrix — the
county's content is sent and returned, a ceremony gets a timed run-sheet with an outside reciter and
photos, guests are invited (SMS and printed card), checked in at the door by name and by a QR image fed to
the camera page, the news item is written and tied to the ceremony, and HQ's matrix shows the county."""

import re

import pytest

from ravabet.testing import browser_login
from ravabet.tests.browser.test_events import _jalali, hq_returns_content, new_page  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png(path, data: bytes):
    path.write_bytes(data)
    return str(path)


def test_from_an_occasions_reminder_to_hqs_matrix(page, new_page, screenshots, tmp_path):  # noqa: F811
    import qrcode

    from ravabet.events.models import Event, Guest
    from ravabet.occasions import services as occasions
    from ravabet.occasions.tests.factories import make_occasion
    from ravabet.photos.imagegen import landscape
    from ravabet.testing import build_world

    world = build_world()
    occasion = make_occasion(title="سالروز پیروزی انقلاب آزمون", days=3, remind_days=7)
    assert occasions.remind_occasions() >= 1  # the scheduled job
    page.set_default_timeout(30_000)
    browser_login(page, "officer")

    # The reminder leads to the occasion; content is prepared and sent to HQ.
    page.goto("/notices/")
    page.get_by_role("link", name=re.compile("مناسبت پیش رو: سالروز پیروزی انقلاب آزمون")).first.click()
    assert page.locator("h1").get_by_text("سالروز پیروزی انقلاب آزمون").is_visible()
    page.get_by_role("link", name="تهیه محتوا برای اداره کل").click()
    page.fill("#id_title", "ویژه‌نامه سالروز انقلاب")
    page.fill("#id_text", "گزارش آذین‌بندی و برنامه‌های اداره.")
    page.get_by_role("button", name="ذخیره").click()
    page.get_by_role("button", name="فرستادن برای اداره کل").click()
    content_url = page.url

    hq = new_page()
    browser_login(hq, "hq_expert")
    hq.goto(content_url)
    hq_returns_content(hq, page, "نام سخنران را بیفزایید.")

    # The ceremony of the occasion, with a timed run-sheet and an outside reciter.
    page.goto(occasion.get_absolute_url())
    page.get_by_role("link", name="ثبت مراسم این مناسبت").click()
    page.fill("#id_title", "مراسم سالروز انقلاب در اداره")
    page.fill("#id_venue", "سالن اجتماعات")
    page.fill("#id_starts_at", _jalali(2, "09:00"))
    page.locator("h1").click()
    page.get_by_role("button", name="ذخیره").click()
    event = Event.objects.get(title="مراسم سالروز انقلاب در اداره")
    assert event.occasion == occasion
    # The whole run-sheet in one form (its own page), as an officer filling every row at once does.
    page.get_by_role("link", name="ویرایش همه بندها در یک فرم").click()
    quran = page.locator("#row-quran")
    quran.get_by_label("ساعت شروع").fill("۹:۰۰")
    quran.get_by_label("مدت (دقیقه)").fill("۱۰")
    quran.get_by_label("یا نام شخص بیرونی تازه").fill("استاد کریم منصوری")
    page.locator("#row-speaker").get_by_label("مسئول از کارکنان").select_option(label="کارمند الف")
    page.locator("#row-speaker").get_by_label("ساعت شروع").fill("۹:۱۰")
    page.get_by_role("button", name="ذخیره همه بندها").click()
    assert page.locator(".alert-success").get_by_text("برنامه اجرایی ذخیره شد").is_visible()
    assert "ساعت ۰۹:۰۰، ۱۰ دقیقه" in page.locator("#row-quran").inner_text()
    reciter = event.items.get(kind="quran")
    assert reciter.responsible == "استاد کریم منصوری" and reciter.start_time.strftime("%H:%M") == "09:00"
    assert reciter.outside is not None  # the reciter joined the unit's directory of outside people

    # B6: the ceremony announces itself to the staff from its page, prefilled and linked to it.
    page.get_by_role("link", name="اطلاع‌رسانی مراسم به کارکنان").click()
    body = page.locator("#id_body").input_value()
    assert "محل: سالن اجتماعات" in body and "۰۹:۰۰ قاری قرآن — استاد کریم منصوری" in body
    page.get_by_role("button", name="فرستادن", exact=True).click()
    assert page.locator("#announcement-about").get_by_text("مراسم سالروز انقلاب در اداره").is_visible()
    page.goto(f"/events/{event.pk}/")

    # Photos of the ceremony go through the photo library's rules.
    page.locator("#photo-details summary").click()  # the form is loaded when opened (htmx)
    page.set_input_files("#id_photos", [_png(tmp_path / "salon.jpg", landscape(11))])
    page.get_by_role("button", name="افزودن عکس").click()
    assert page.locator("#event-photos img").count() == 1

    # Invitations: one by SMS, one by a printed card.
    page.fill("#id_name", "حمید کاظمی")
    page.fill("#id_mobile", "۰۹۱۷۱۱۱۰۰۰۱")
    page.get_by_role("button", name="افزودن مهمان").click()
    page.fill("#id_name", "سیده زهرا موسوی")
    page.get_by_role("button", name="افزودن مهمان").click()
    page.get_by_role("button", name="ارسال پیامک دعوت").click()
    assert page.locator(".alert-success").get_by_text("پیامک دعوت برای ۱ مهمان").is_visible()
    by_card = Guest.objects.get(name="سیده زهرا موسوی")
    assert page.request.get(f"/events/{event.pk}/guests/{by_card.pk}/card/").ok
    by_card.refresh_from_db()
    assert by_card.invited_via == "card"

    # At the door: one guest found by name, the other by a QR image fed to the camera page.
    page.goto(f"/events/{event.pk}/check-in/")
    page.fill("#q", "کاظمی")
    page.get_by_role("button", name="جست‌وجو").click()
    page.get_by_role("button", name="ثبت ورود حمید کاظمی").click()
    assert "حمید کاظمی" in page.locator("#checked-in").inner_text()
    assert page.locator("#camera-check-in").is_visible()
    card = qrcode.make(f"{page.url.split('/events/')[0]}/public/events/rsvp/{by_card.token}/", box_size=8, border=4)
    card.save(tmp_path / "card.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_input_files("#card-photo", str(tmp_path / "card.png"))
    page.wait_for_selector("#checked-in:has-text('سیده زهرا موسوی')")
    page.screenshot(path=str(screenshots / "walk-check-in-qr-390.png"), full_page=True)
    assert Guest.objects.filter(event=event, checked_in_at__isnull=False).count() == 2
    page.set_viewport_size({"width": 1280, "height": 900})

    # The news item of the ceremony, tied to it.
    page.goto("/news/new/")
    page.fill("#id_title", "برگزاری مراسم سالروز انقلاب در اداره")
    page.fill("#id_body", "مراسم سالروز پیروزی انقلاب با حضور همکاران برگزار شد.")
    page.locator("#id_occasion_ref").select_option(value=str(occasion.pk))
    page.set_input_files("#id_photos", [_png(tmp_path / "news.jpg", landscape(12))])
    page.get_by_role("button", name=re.compile("ذخیره")).first.click()
    page.goto(f"/events/{event.pk}/")
    page.get_by_text("تعیین جلسه هماهنگی و خبر").click()
    page.locator("#id_news").select_option(label="برگزاری مراسم سالروز انقلاب در اداره")
    page.get_by_role("button", name="ذخیره پیوندها").click()
    assert page.locator("#record-links").get_by_role("link", name="برگزاری مراسم سالروز انقلاب در اداره").is_visible()
    page.screenshot(path=str(screenshots / "walk-ceremony-record.png"), full_page=True)

    # HQ's occasion matrix shows what the county did.
    hq.goto(f"/occasions/matrix/?occasion={occasion.pk}")
    row = hq.locator(f"#matrix-table tr[data-unit='{world.county_a.pk}']")
    text = row.inner_text()
    assert "۱ مراسم" in text and "۱ عکس" in text and "۱ خبر" in text and "برگشت برای اصلاح" in text
    assert "کاری ثبت نشده" not in text and "مراسم اعلام شد" in text
    assert "کاری ثبت نشده" in hq.locator(f"#matrix-table tr[data-unit='{world.county_b.pk}']").inner_text()
    hq.screenshot(path=str(screenshots / "walk-occasion-matrix.png"), full_page=True)
