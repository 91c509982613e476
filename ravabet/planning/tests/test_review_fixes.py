"""Second-pass fixes: soft archive of meetings, trainings and channels; plans' stored progress on
the list and HQ's overview; the instruction-item picker; the report PDF's thumbnails and bars."""

import pytest
from django.urls import reverse
from PIL import Image

from ravabet.compliance import registry
from ravabet.lib import jalali
from ravabet.testing import pdf_text

from .. import services
from ..features import channels_section, meetings_section, trainings_section
from ..models import Meeting, Plan, PlanItem, Training
from ..pdf import bar_chart, has_bars, print_photos
from ..selectors import refresh_summaries, training_hours
from .factories import make_channel, make_meeting, make_plan, make_training, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def b5_count():
    counter = {"value": 0}

    def count(unit, start, end):
        return counter["value"]

    registry.register_indicator("B5", "خبر آزمایشی")(count)
    yield counter
    registry.INDICATORS["B5"] = [i for i in registry.INDICATORS["B5"] if i.count is not count]
    if not registry.INDICATORS["B5"]:
        del registry.INDICATORS["B5"]


def yearly_plan(unit, year):
    plan = Plan.objects.create(unit=unit, year=year, month=None, state="approved")
    PlanItem.objects.create(plan=plan, title="خبر روزانه", codes=["B5"], target_count=200, due_date=plan.period()[1])
    return plan


def month_bounds():
    return jalali.month_bounds(*jalali.current_month())


# --- Archive -------------------------------------------------------------------------------

def test_officer_archives_a_meeting_and_it_leaves_the_list_the_decisions_and_the_report(world, client_for):
    meeting = make_meeting(world.county_a, decisions=1)
    client = client_for("officer")
    response = client.post(reverse("planning:meeting_archive", args=[meeting.pk]), {"archived": "1"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_archived and meeting.archived_at
    link = reverse("planning:meeting_detail", args=[meeting.pk])
    assert link not in client.get(reverse("planning:meetings")).content.decode()
    assert link in client.get(reverse("planning:meetings") + "?archived=1").content.decode()
    assert "مصوبه 0" not in client.get(reverse("planning:decisions")).content.decode()
    start, end = month_bounds()
    section = meetings_section(world.county_a, start, end)
    assert section["table"] is None and all(value == 0 for _, value in section["counts"])
    detail = client.get(reverse("planning:meeting_detail", args=[meeting.pk])).content.decode()
    assert "بایگانی‌شده" in detail and "بازگرداندن از بایگانی" in detail


def test_archived_meeting_comes_back_from_the_archive(world, client_for):
    meeting = make_meeting(world.county_a)
    services.archive_set(record=meeting, archived=True, by=world.officer)
    client_for("officer").post(reverse("planning:meeting_archive", args=[meeting.pk]), {"archived": "0"})
    meeting.refresh_from_db()
    assert not meeting.is_archived and meeting.archived_at is None


def test_archived_training_stops_counting_toward_the_yearly_hours(world, client_for):
    kept, archived = make_training(world.county_a, hours=4), make_training(world.county_a, hours=10)
    client_for("officer").post(reverse("planning:training_archive", args=[archived.pk]))
    person = training_hours([world.county_a.pk], jalali.current_month()[0]).get()
    assert person.hours == 4 and person.courses == 1
    start, end = month_bounds()
    assert dict(trainings_section(world.county_a, start, end)["counts"])["ساعت آموزش"] == 4.0
    assert kept.title in client_for("officer").get(reverse("planning:trainings")).content.decode()
    assert Training.objects.get(pk=archived.pk).is_archived


def test_archived_channel_leaves_the_list_and_the_report(world, client_for):
    channel = make_channel(world.county_a)
    client = client_for("officer")
    client.post(reverse("planning:channel_archive", args=[channel.pk]))
    link = reverse("planning:channel_detail", args=[channel.pk])
    assert link not in client.get(reverse("planning:channels")).content.decode()
    assert link in client.get(reverse("planning:channels") + "?archived=1").content.decode()
    start, end = month_bounds()
    assert channels_section(world.county_a, start, end)["table"] is None
    page = client.get(reverse("planning:channel_detail", args=[channel.pk])).content.decode()
    assert "ثبت آمار" not in page  # no new figures for an archived channel


def test_archiving_twice_is_refused_with_a_persian_message(world):
    meeting = make_meeting(world.county_a)
    services.archive_set(record=meeting, archived=True, by=world.officer)
    with refused("پیش‌تر بایگانی شده"):
        services.archive_set(record=meeting, archived=True, by=world.officer)


def test_hq_and_staff_cannot_archive_a_units_meeting(world, client_for):
    meeting = make_meeting(world.county_a)
    assert client_for("hq_expert").post(reverse("planning:meeting_archive", args=[meeting.pk])).status_code == 403
    assert client_for("staff").post(reverse("planning:meeting_archive", args=[meeting.pk])).status_code == 404
    assert not Meeting.objects.get(pk=meeting.pk).is_archived


def test_archive_button_asks_for_confirmation(world, client_for):
    meeting = make_meeting(world.county_a)
    page = client_for("officer").get(reverse("planning:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'data-confirm="این جلسه بایگانی شود؟' in page


# --- Plan progress on the list and HQ's overview --------------------------------------------

def test_plan_list_shows_each_plans_progress_and_items_behind(world, client_for, b5_count):
    plan = make_plan(world.county_a, target_count=10, items=2)
    b5_count["value"] = 10
    refresh_summaries()
    plan.refresh_from_db()
    assert (plan.progress_percent, plan.done_count, plan.behind_count) == (100, 2, 0)
    body = client_for("officer").get(reverse("planning:plans")).content.decode()
    assert "۱۰۰٪" in body and "۲ بند انجام‌شده" in body


def test_plan_detail_keeps_the_stored_summary_up_to_date(world, client_for, b5_count):
    plan = make_plan(world.county_a, target_count=4, items=1)
    b5_count["value"] = 2
    client_for("officer").get(reverse("planning:plan_detail", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.progress_percent == 50 and plan.progress_at is not None


def test_refresh_job_skips_plans_that_ended_long_ago_once_computed(world, b5_count):
    old = make_plan(world.county_a, year=1400, month=1)
    refresh_summaries()
    old.refresh_from_db()
    first = old.progress_at
    assert first is not None
    refresh_summaries()
    old.refresh_from_db()
    assert old.progress_at == first


def test_hq_overview_shows_every_county_with_its_yearly_and_monthly_plans(world, client_for, b5_count):
    year, month = jalali.current_month()
    yearly_plan(world.county_a, year)
    make_plan(world.county_a, month=month, year=year)
    refresh_summaries()
    body = client_for("hq_expert").get(reverse("planning:plan_overview") + f"?year={year}").content.decode()
    assert world.county_a.name in body and world.county_b.name in body
    assert "ساخته نشده" in body and jalali.month_name(month) in body


def test_hq_overview_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    year = jalali.current_month()[0]
    client = client_for("hq_expert")
    yearly_plan(world.county_a, year)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("planning:plan_overview")).status_code == 200
    for month in range(1, 13):
        make_plan(world.county_a, month=month, year=year, items=3)
        make_plan(world.county_b, month=month, year=year, items=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("planning:plan_overview"))


def test_plan_overview_exports_to_excel(world, client_for):
    response = client_for("hq_head").get(reverse("planning:plan_overview") + "?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")


# --- Forms ---------------------------------------------------------------------------------

def test_plan_form_offers_the_instruction_items_as_grouped_checkboxes_with_a_filter(world, client_for):
    body = client_for("officer").get(reverse("planning:plan_create")).content.decode()
    assert body.count('name="items-0-codes"') == 36
    assert "data-code-filter" in body and "الف. برنامه ریزی" in body
    assert "<select multiple" not in body.replace("\n", "")


def test_meeting_and_channel_forms_have_persian_blank_choices(world, client_for):
    client = client_for("officer")
    assert "نوع جلسه را برگزینید" in client.get(reverse("planning:meeting_create")).content.decode()
    channels = client.get(reverse("planning:channels")).content.decode()
    assert "نوع کانال را برگزینید" in channels and "Select an option" not in channels


# --- Report PDF ----------------------------------------------------------------------------

def test_report_pdf_prints_the_photo_thumbnail_not_the_original(world, settings):
    from ravabet.photos.models import Photo

    for name, size in (("photos/big.jpg", (1600, 1067)), ("photos/thumbs/big.jpg", (480, 320))):
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, "teal").save(path)
    Photo.objects.create(unit=world.county_a, image="photos/big.jpg", thumbnail="photos/thumbs/big.jpg")
    paths = print_photos(["/media/photos/big.jpg", "/media/photos/gone.jpg"])
    assert paths[0].endswith("/photos/thumbs/big.jpg") and paths[1] == ""


def test_counts_carry_bars_only_when_two_figures_can_be_compared():
    rows = bar_chart([["خبر", 8], ["فعالیت", 2], ["توضیح", "ندارد"]])
    assert [row["percent"] for row in rows] == [100.0, 25.0, None] and has_bars(rows)
    assert not has_bars(bar_chart([["الف", 0], ["ب", 0], ["ج", 3]]))



def test_report_page_warms_up_the_pdf_engine_once_and_the_pdf_waits_for_it(world, client_for):
    import threading

    from .. import pdf
    from .factories import make_report

    report = make_report(world.county_a)
    client = client_for("officer")
    client.get(reverse("planning:report_detail", args=[report.pk]))
    client.get(reverse("planning:report_detail", args=[report.pk]))
    warming = [t for t in threading.enumerate() if t.name == "planning-pdf-warm-up"]
    assert pdf._warm_up_started and len(warming) <= 1
    response = client.get(reverse("planning:report_pdf", args=[report.pk]))
    assert pdf._warm_up_done.is_set() and response.content.startswith(b"%PDF")


def test_training_edit_form_shows_whole_hours_without_a_decimal(world, client_for):
    training = make_training(world.county_a, hours=16)
    body = client_for("officer").get(reverse("planning:training_edit", args=[training.pk])).content.decode()
    assert 'value="۱۶"' in body and 'value="۱۶٫۰"' not in body


def test_empty_archive_of_trainings_says_so(world, client_for):
    make_training(world.county_a)
    body = client_for("officer").get(reverse("planning:trainings") + "?archived=1").content.decode()
    assert "آموزش بایگانی‌شده‌ای نیست." in body and "بازگشت به فهرست" in body


def test_plan_list_export_carries_each_plans_progress(world, client_for, b5_count):
    import io

    import openpyxl

    make_plan(world.county_a, target_count=10)
    b5_count["value"] = 5
    refresh_summaries()
    response = client_for("officer").get(reverse("planning:plans") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    row = dict(zip(headers, [cell.value for cell in sheet[2]], strict=True))
    assert row["پیشرفت (درصد)"] == 50 and row["عقب از برنامه"] in (0, 1)


def test_meeting_minutes_pdf_has_a_signature_column(world, tmp_path):
    from ..pdf import meeting_pdf_bytes

    meeting = make_meeting(world.county_a)
    path = tmp_path / "minutes.pdf"
    path.write_bytes(meeting_pdf_bytes(meeting))
    text = pdf_text(path)
    assert "امضا" in text and "صورتجلسه" in text.replace("\u200c", "")


def test_hq_state_page_counts_only_the_states_that_occur(world, client_for):
    from .factories import make_report

    year, month = jalali.current_month()
    make_report(world.county_a, state="accepted", year=year, month=month)
    body = client_for("hq_expert").get(reverse("planning:report_states") + f"?year={year}&month={month}")
    text = body.content.decode()
    assert "پذیرفته‌شده: ۱" in text and "ساخته نشده: ۱" in text and "برگشت‌خورده: ۰" not in text
