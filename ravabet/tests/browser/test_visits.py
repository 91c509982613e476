"""D6 from the browser: the PR officer plans a visit with a team from the staff directory, records
it as done with findings and a photo, gives a follow-up action to a colleague and closes it; the list
flags a visit whose day has passed, the month shows planned against done, and the late visit is
cancelled with a reason."""

import datetime as dt
import io

import pytest
from PIL import Image

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(tmp_path):
    path = tmp_path / "site.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (150, 120, 80)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_officer_plans_records_and_follows_up_a_field_visit(page, screenshots, tmp_path):
    from ravabet.lib import jalali
    from ravabet.outbox.models import Notification
    from ravabet.testing import build_world
    from ravabet.visits.models import ActionState, State, Visit
    from ravabet.visits.tests.factories import make_visit

    world = build_world()
    late = make_visit(world.county_a, days=-4, place="محور روستایی عقب‌افتاده")
    today = jalali.today()
    browser_login(page, "officer")
    page.goto("/visits/new/")
    page.fill("#id_place", "کارگاه تعریض جاده خیرآباد")
    page.select_option("#id_place_kind", "site")
    page.fill("#id_address", "کیلومتر ۱۲ جاده خیرآباد")
    page.fill("#id_purpose", "بررسی پیشرفت کار و تهیه عکس و خبر")
    page.fill("#id_planned_on", jalali.format_date(today, persian=False))
    page.keyboard.press("Escape")
    page.select_option("#id_team", label="کارمند الف")
    page.get_by_role("button", name="ذخیره").click()
    page.wait_for_url("**/visits/*/")
    visit = Visit.objects.get(place="کارگاه تعریض جاده خیرآباد")
    assert Notification.objects.filter(user=world.staff).exists()

    page.fill("#id_findings", "تابلوهای هشدار کارگاه کافی نیست و اهالی از گرد و خاک گله دارند.")
    page.get_by_role("button", name="ثبت انجام و یافته‌ها").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#findings").inner_text().startswith("تابلوهای هشدار")
    page.set_input_files("#id_file", str(_photo(tmp_path)))
    page.fill("#id_caption", "ورودی کارگاه")
    page.get_by_role("button", name="بارگذاری عکس").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("img.visit-photo").evaluate("img => img.naturalWidth") == 800

    page.fill("#id_title", "نصب تابلوهای هشدار در دو سوی کارگاه")
    page.select_option("#id_owner", label="کارمند الف")
    page.fill("#id_due_on", jalali.format_date(today + dt.timedelta(days=5), persian=False))
    page.keyboard.press("Escape")
    page.get_by_role("button", name="افزودن اقدام").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshots / "visits-1-detail.png"), full_page=True)
    page.fill("[id^=note-]", "تابلوها نصب شد.")
    page.get_by_role("button", name="انجام شد").click()
    page.wait_for_load_state("networkidle")
    visit.refresh_from_db()
    assert visit.state == State.DONE and visit.actions.get().state == ActionState.DONE

    page.goto("/visits/")
    late_row = page.locator("tr[data-late='1']")
    assert late_row.count() == 1 and "عقب‌افتاده" in late_row.inner_text()
    page.screenshot(path=str(screenshots / "visits-2-list.png"), full_page=True)
    page.goto("/visits/monthly/")
    page.screenshot(path=str(screenshots / "visits-3-monthly.png"), full_page=True)
    assert page.locator("#monthly-table tbody tr").count() == 1

    # Cancelling is the declared step's button (with its optional reason), then the replan form appears.
    page.goto(f"/visits/{late.pk}/")
    page.locator("summary", has_text="لغو بازدید").click()
    page.fill("[id$='-cancel-cancel_reason']", "جاده بسته است.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form button", has_text="لغو بازدید").click()
    page.locator("#replan").wait_for()
    late.refresh_from_db()
    assert late.state == State.CANCELLED and late.cancel_reason == "جاده بسته است."
