"""Issue 17 from the browser: the officer registers a place with a map point and a visit frequency, the
plan page proposes it as due, the visit is planned to it, recorded with a camera photo whose place and
time show as evidence, and the visit report PDF is one click away."""

import datetime as dt
import io

import pytest
from PIL import Image

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _camera_photo(tmp_path):
    """A JPEG whose EXIF says it was taken now, about 3 m from the place's point."""
    exif = Image.Exif()
    exif[0x0132] = dt.datetime.now().strftime("%Y:%m:%d %H:%M:%S")
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 59.0), 3: "E", 4: (51.0, 20.0, 15.7)}
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (150, 120, 80)).save(buffer, "JPEG", exif=exif.tobytes())
    path = tmp_path / "camera.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def test_officer_plans_a_due_registered_place_and_the_photo_is_evidence(page, screenshots, tmp_path, browser,
                                                                          live_server):
    from ravabet.testing import build_world
    from ravabet.visits.models import Photo, Place, State, Visit

    build_world()
    browser_login(page, "officer")
    page.goto("/visits/places/new/")
    page.fill("#id_name", "پل رودخانه خیرآباد")
    page.select_option("#id_kind", "road")
    page.fill("#id_address", "ورودی شهر")
    page.fill("#id_latitude", "۳۵٫۶۹۹۷۲۲")
    page.fill("#id_longitude", "۵۱٫۳۳۷۶۹۴")
    page.fill("#id_every_days", "۳۰")
    page.get_by_role("button", name="ذخیره محل").click()
    page.wait_for_url("**/visits/places/")
    place = Place.objects.get()
    assert place.every_days == 30 and place.has_point
    assert page.locator('#place-table tr[data-due="1"]').count() == 1
    page.screenshot(path=str(screenshots / "visits-17-1-places.png"), full_page=True)

    page.goto("/visits/new/")
    page.locator("#due-places").get_by_role("link", name="برنامه‌ریزی بازدید").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_site").input_value() == str(place.pk)
    page.get_by_role("button", name="ذخیره").click()
    page.wait_for_url("**/visits/*/")
    visit = Visit.objects.get(site=place)
    assert visit.place == "پل رودخانه خیرآباد"

    page.fill("#id_findings", "نرده‌ی پل در دو جا شکسته است.")
    page.get_by_role("button", name="ثبت انجام و یافته‌ها").click()
    page.wait_for_load_state("networkidle")
    visit.refresh_from_db()
    assert visit.state == State.DONE
    page.set_input_files("#id_file", str(_camera_photo(tmp_path)))
    page.get_by_role("button", name="بارگذاری عکس").click()
    page.wait_for_load_state("networkidle")
    photo = Photo.objects.get(visit=visit)
    assert photo.has_point and photo.taken_at
    evidence = page.locator('.photo-evidence[data-at-place="1"]')
    assert evidence.count() == 1 and "روز بازدید" in evidence.inner_text()
    page.screenshot(path=str(screenshots / "visits-17-2-evidence.png"), full_page=True)
    assert page.get_by_role("link", name="گزارش PDF بازدید").get_attribute("href") == f"/visits/{visit.pk}/report.pdf"

    page.goto("/visits/places/")
    assert page.locator('#place-table tr[data-due="0"]').count() == 1

    # HQ, on a phone, sees the same photo as evidence of the county's visit, and the place on its register.
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", viewport={"width": 390, "height": 844},
                                  base_url=live_server.url, reduced_motion="reduce")
    hq = context.new_page()
    browser_login(hq, "hq_expert")
    hq.goto(f"/visits/{visit.pk}/")
    evidence = hq.locator('.photo-evidence[data-at-place="1"]')
    assert evidence.count() == 1 and "در محل" in evidence.inner_text() and "روز بازدید" in evidence.inner_text()
    assert hq.evaluate("document.documentElement.scrollWidth") <= 390
    hq.screenshot(path=str(screenshots / "visits-17-3-hq-evidence-390.png"), full_page=True)
    hq.goto("/visits/places/")
    assert hq.locator("#unit-summary").is_visible() and "پل رودخانه خیرآباد" in hq.locator("#place-table").inner_text()
    assert hq.evaluate("document.documentElement.scrollWidth") <= 390
    hq.screenshot(path=str(screenshots / "visits-17-4-hq-places-390.png"), full_page=True)
    context.close()
