import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ravabet.messaging import services
from ravabet.messaging.models import BannerState, ReviewState
from ravabet.messaging.tests.factories import image_upload, make_banner, make_ticker
from ravabet.testing import pdf_fonts, pdf_pages, pdf_text
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move

pytestmark = pytest.mark.django_db


def test_a_ticker_over_its_length_limit_is_refused_in_persian(world, client_for):
    response = client_for("officer").post(reverse("messaging:ticker_create"), {
        "kind": "letterhead", "occasion": "دهه فجر", "text": "سال " * 30})
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", "", html)  # Latin and digit runs are isolated in <bdi>
    assert response.status_code == 200 and "حداکثر ۷۰ نویسه" in text
    assert "دهه فجر" in html


def test_a_ticker_goes_from_draft_to_hq_approval_and_into_the_broadcasters_sheet(world, client_for):
    ticker = services.ticker_save(unit=world.county_a, by=world.officer, kind="tv", occasion="روز ملی راه",
                                  text="روز ملی راه و شهرسازی گرامی باد")
    assert ticker.state == ReviewState.DRAFT
    services.ticker_save(unit=world.county_a, by=world.officer, ticker=ticker, submit=True, text=ticker.text)
    with pytest.raises(PermissionDenied):
        move(ticker, "approve", by=world.officer)
    move(ticker, "approve", by=world.hq_expert)
    assert ticker.state == ReviewState.APPROVED
    with pytest.raises(ValidationError):
        services.ticker_save(unit=world.county_a, by=world.officer, ticker=ticker, text="تغییر")
    response = client_for("hq_expert").get(reverse("messaging:ticker_list") + "?export=xlsx&occasion=روز ملی راه")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_returning_a_ticker_needs_a_reason(world, client_for):
    ticker = make_ticker(world.county_a, state="submitted")
    with pytest.raises(ValidationError):
        move(ticker, "send_back", by=world.hq_expert, review_note="  ")
    url = reverse("workflow:transition", args=["messaging.tickertext", ticker.pk, "send_back"])
    response = client_for("hq_expert").post(url, {"review_note": ""})
    assert response.status_code == 400 and "برای بازگرداندن، علت را بنویسید." in response.content.decode()
    ticker.refresh_from_db()
    assert ticker.state == ReviewState.SUBMITTED
    client_for("hq_expert").post(url, {"review_note": "کوتاه‌تر بنویسید"})
    ticker.refresh_from_db()
    assert ticker.state == ReviewState.RETURNED and ticker.review_note == "کوتاه‌تر بنویسید"
    assert ticker.reviewed_by == world.hq_expert


def test_a_banner_cannot_be_downloaded_before_hq_approval(world, client_for):
    banner = services.banner_create(unit=world.county_a, by=world.officer, deceased_name="مرحوم احمد زارعی",
                                    position="راننده", relation="colleague", funeral_place="بهشت زهرا")
    assert "مرحوم احمد زارعی" in banner.text
    response = client_for("officer").get(reverse("messaging:banner_file", args=[banner.pk, "a3"]))
    assert response.status_code == 403
    assert "هنوز به تأیید رئیس روابط عمومی" in response.content.decode()


def test_only_the_hq_head_approves_or_returns_a_banner(world):
    # DESIGN §1: condolence banners are the HQ head's to approve; the expert may not.
    banner = make_banner(world.county_a)
    for user in (world.hq_expert, world.officer, world.manager):
        for step in ("approve", "send_back"):
            with pytest.raises(RoleRefused):
                move(banner, step, by=user, review_note="علت")
    move(banner, "approve", by=world.hq_head, edited_text="متن ویرایش‌شده اداره کل")
    banner.refresh_from_db()
    assert banner.state == BannerState.APPROVED and banner.text == "متن ویرایش‌شده اداره کل"
    assert banner.approved_by == world.hq_head and banner.approved_at


def test_an_approved_banner_is_a_persian_pdf_at_banner_size_and_a_png(world, client_for, tmp_path):
    banner = make_banner(world.county_a, approved=True, photo=True)
    response = client_for("officer").get(reverse("messaging:banner_file", args=[banner.pk, "300x100"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "banner.pdf"
    path.write_bytes(response.content)
    assert [tuple(round(side, 2) for side in size) for size in pdf_pages(path)] == [(8503.94, 2834.65)]  # 300 × 100 cm
    text = pdf_text(path)
    assert "حسن رضایی" in text and "روابط عمومی اداره شهرستان الف" in text
    assert "Vazirmatn" in pdf_fonts(path)
    png = client_for("officer").get(reverse("messaging:banner_file", args=[banner.pk, "png"]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_a_broken_photo_is_refused_and_installation_needs_a_photo(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as error:
        services.banner_create(unit=world.county_a, by=world.officer, deceased_name="مرحوم", relation="colleague",
                               photo=SimpleUploadedFile("a.jpg", b"not an image"))
    assert "photo" in error.value.message_dict
    banner = make_banner(world.county_a, approved=True)
    with pytest.raises(ValidationError):
        services.banner_install(banner=banner, by=world.officer, photo=None)
    with pytest.raises(TransitionRefused):  # the declared guard, for a caller that skips the service
        move(banner, "install", by=world.officer)
    installed = services.banner_install(banner=banner, by=world.officer, photo=image_upload())
    assert installed.state == BannerState.INSTALLED and installed.installed_photo and installed.installed_at


def test_a_banner_of_another_unit_is_not_found(world, client_for):
    banner = make_banner(world.county_a, approved=True)
    assert client_for("outsider").get(reverse("messaging:banner_file", args=[banner.pk, "a3"])).status_code == 404


def test_a_family_death_needs_the_bereaved_colleagues_name(world, client_for):
    response = client_for("officer").post(reverse("messaging:banner_create"), {
        "deceased_name": "پدر همکار", "relation": "family", "funeral_at": "1405/13/01 10:00"})
    html = response.content.decode()
    assert "نام همکاری را که عزادار است بنویسید" in html and "ماه باید بین" in html
    assert "پدر همکار" in html


def test_a_returned_banner_is_corrected_and_sent_again(world, client_for):
    banner = make_banner(world.county_a)
    move(banner, "send_back", by=world.hq_head, review_note="سمت را کامل بنویسید")
    assert banner.state == BannerState.RETURNED
    response = client_for("officer").post(reverse("messaging:banner_edit", args=[banner.pk]), {
        "deceased_name": banner.deceased_name, "position": "کارشناس ارشد فنی", "relation": "colleague", "text": ""})
    assert response.status_code == 302
    banner.refresh_from_db()
    assert banner.state == BannerState.SUBMITTED and "کارشناس ارشد فنی" in banner.text


@pytest.mark.parametrize("state", ["submitted", "returned", "installed"])
def test_installation_is_recorded_only_for_an_approved_banner(world, state):
    banner = make_banner(world.county_a, state=state)
    with pytest.raises(TransitionRefused):
        services.banner_install(banner=banner, by=world.officer, photo=image_upload())


def test_a_returned_ticker_can_be_corrected_and_submitted_again(world):
    ticker = make_ticker(world.county_a, state="returned")
    ticker = services.ticker_save(unit=world.county_a, by=world.officer, ticker=ticker, submit=True, text="متن کوتاه‌تر")
    assert ticker.state == ReviewState.SUBMITTED and ticker.text == "متن کوتاه‌تر"
    with pytest.raises(ValidationError):
        services.ticker_save(unit=world.county_a, by=world.officer, ticker=ticker, submit=True, text="باز هم")


def test_an_approved_banner_offers_a_condolence_announcement_prefilled_for_the_guard(world, client_for):
    import html as html_lib
    import re

    banner = make_banner(world.county_a, approved=True)
    page = client_for("officer").get(reverse("messaging:banner_detail", args=[banner.pk])).content.decode()
    link = html_lib.unescape(re.search(r'href="(/messaging/announcements/new/\?kind=condolence[^"]*)"', page).group(1))
    form = client_for("officer").get(link).content.decode()
    assert 'value="condolence" selected' in form
    assert 'value="مرحوم حسن رضایی"' in form


LONG_POSITION = "راهدار بازنشسته راهدارخانه کازرون و عضو شورای ایمنی راه‌های استان"
LONG_TEXT = ("درگذشت راهدار بازنشسته راهدارخانه کازرون حاج محمدحسین اسماعیل‌زاده را به خانواده محترم ایشان و "
             "همکاران اداره راه و شهرسازی شهرستان تسلیت عرض نموده، برای آن مرحوم غفران الهی و برای بازماندگان "
             "صبر و اجر مسئلت داریم.")


@pytest.mark.parametrize("size", ["300x100", "200x70", "a3"])
def test_a_banner_with_a_long_position_text_photo_and_ceremonies_fits_one_page_at_every_size(world, size, tmp_path):
    # Found in review: with a realistic long position and text, the A3 banner ran onto a second page
    # and lines overlapped; the type is now sized to the sheet.
    import datetime as dt

    from django.utils import timezone

    from ravabet.messaging.banners import banner_layout, render_banner_pdf

    when = timezone.now() + dt.timedelta(days=1)
    banner = make_banner(world.county_a, approved=True, photo=True, deceased_name="حاج محمدحسین اسماعیل‌زاده",
                         position=LONG_POSITION, text=LONG_TEXT, funeral_at=when, memorial_at=when,
                         funeral_place="از مقابل مسجد جامع کازرون به سمت گلزار شهدا",
                         memorial_place="مسجد حضرت ابوالفضل (ع)، خیابان طالقانی")
    pdf = tmp_path / "banner.pdf"
    pdf.write_bytes(render_banner_pdf(banner, size))
    assert len(pdf_pages(pdf)) == 1
    text = pdf_text(pdf)
    # PDFium's text drops the ZWNJ, which is a glyph-less joiner control in the PDF.
    assert "محمدحسین اسماعیلزاده" in text and "گلزار شهدا" in text
    layout = banner_layout(banner, size)
    # The name is set larger than the text, and the text is smaller than it would be for a short message.
    assert float(layout["sizes"]["name"][:-2]) > float(layout["sizes"]["body"][:-2])
    short = banner_layout(make_banner(world.county_a, approved=True), size)
    assert float(layout["sizes"]["body"][:-2]) < float(short["sizes"]["body"][:-2])


def test_the_banner_png_is_rendered_once_and_again_only_when_the_banner_changes(world, client_for, monkeypatch):
    # Found in review: every request re-rendered the PNG (about a second), and the detail page shows it.
    from ravabet.messaging import banners

    calls = []
    real = banners.render_banner_png
    monkeypatch.setattr(banners, "render_banner_png", lambda banner: calls.append(banner.pk) or real(banner))
    banner = make_banner(world.county_a, approved=True)
    client = client_for("officer")
    url = reverse("messaging:banner_file", args=[banner.pk, "png"])
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200 and first["Content-Type"] == "image/png"
    assert first.content == second.content and first.content.startswith(b"\x89PNG")
    assert calls == [banner.pk]
    banner.refresh_from_db()
    stored = banner.rendered_png.name
    assert stored
    # A changed text (an approval that edited it) gives a new picture, and the old file is removed.
    banner.text = "متن تازه تسلیت"
    banner.save(update_fields=["text"])
    client.get(url)
    assert calls == [banner.pk, banner.pk]
    banner.refresh_from_db()
    assert banner.rendered_png.name != stored and not banner.rendered_png.storage.exists(stored)


def test_the_ticker_form_carries_each_mediums_limit_for_the_live_counter(world, client_for):
    # Found in review: the limit was only in the help text and the error came after sending.
    import json
    import re

    html = client_for("officer").get(reverse("messaging:ticker_create")).content.decode()
    limits = json.loads(re.search(r'data-limits="([^"]+)"', html).group(1).replace("&quot;", '"'))
    assert limits == {"tv": 90, "screen": 120, "letterhead": 70}
    assert "messaging/ticker.js" in html


def test_approving_a_banner_queues_its_png_and_the_task_stores_it(world, django_capture_on_commit_callbacks):
    from django.tasks import default_task_backend

    from ravabet.messaging.tasks import render_banner_png

    banner = make_banner(world.county_a)
    assert render_banner_png.call(banner.pk) is False  # not approved: nothing to draw yet
    with django_capture_on_commit_callbacks(execute=True):
        move(banner, "approve", by=world.hq_head)
    queued = [result for result in default_task_backend.results if result.task.name == render_banner_png.name]
    assert queued and queued[-1].args == [banner.pk]
    assert render_banner_png.call(banner.pk) is True
    banner.refresh_from_db()
    assert banner.rendered_png.name and banner.rendered_png_key


def test_the_banner_png_is_drawn_in_process_without_any_system_program(world, client_for, monkeypatch):
    # Issue 18: the PNG came from poppler's pdftoppm (a 500 where poppler is missing); PDFium (pypdfium2) draws it now.
    import io
    import os
    import subprocess

    from PIL import Image

    def refuse(*args, **kwargs):
        raise AssertionError(f"a system program was started: {args!r}")

    for name in ("run", "Popen", "call", "check_call", "check_output"):
        monkeypatch.setattr(subprocess, name, refuse)
    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setenv("PATH", "/nonexistent")
    banner = make_banner(world.county_a, approved=True, photo=True)
    response = client_for("officer").get(reverse("messaging:banner_file", args=[banner.pk, "png"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.width == 1600 and abs(image.height - 1600 / 3) <= 1  # the 300×100 layout
    # Not a blank sheet: the black frame and dark letters are drawn on white.
    darkest, lightest = image.convert("L").getextrema()
    assert darkest < 40 and lightest > 240


# --- B10: the text previewed in its format ------------------------------------------------------

@pytest.mark.parametrize("kind, size_mm", [("tv", (320, 20)), ("screen", (300, 60)), ("letterhead", (210, 297))])
def test_a_text_is_previewed_in_its_format_with_the_text_in_place(world, client_for, kind, size_mm):
    ticker = make_ticker(world.county_a, kind=kind, text="هفته دولت گرامی باد")
    client = client_for("officer")
    pdf = client.get(reverse("messaging:ticker_preview", args=[ticker.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "هفته دولت گرامی باد" in text
    width, height = pdf_pages(pdf.content)[0]
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == size_mm
    if kind == "letterhead":
        assert world.county_a.name in text and "شماره" in text
    png = client.get(reverse("messaging:ticker_preview", args=[ticker.pk, "png"]))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    page = client.get(reverse("messaging:ticker_edit", args=[ticker.pk])).content.decode()
    assert reverse("messaging:ticker_preview", args=[ticker.pk, "png"]) in page


def test_another_county_cannot_preview_the_text(world, client_for):
    ticker = make_ticker(world.county_a)
    assert client_for("outsider").get(reverse("messaging:ticker_preview", args=[ticker.pk, "png"])).status_code == 404
