import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from ravabet.compliance import registry
from ravabet.lib import jalali
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.testing import pdf_image_count, pdf_text
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move

from .. import services
from ..models import MonthlyReport, PlanningSettings, ReportState, report_due_date
from ..pdf import local_photo, report_pdf_bytes
from ..tasks import remind_reports
from .factories import last_month, make_meeting, make_report, make_training, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_section(settings):
    """A news-like section registered only for the test; its figure is whatever the test sets."""
    state = {"value": 7, "photos": []}

    def build(unit, start, end):
        return {"counts": [["خبرهای فرستاده", state["value"]]],
                "table": {"headers": ["عنوان", "تاریخ"], "rows": [["خبر افتتاح پل", "1405/09/01"]]},
                "highlights": ["افتتاح پل روستای نمونه"], "photos": state["photos"]}

    registry.register_report_section("test.news", "خبرها", order=1, items=("B5",))(build)
    yield state
    registry.REPORT_SECTIONS.pop("test.news", None)


def started(world, year=None, month=None):
    """Last month's report (its month is over, so it may go to HQ), compiled."""
    y, m = last_month()
    return services.report_start(unit=world.county_a, year=year or y, month=month or m, by=world.officer)


def approved(world, report):
    move(report, "ask_approval", by=world.officer)
    return move(report, "approve", by=world.manager)


def test_report_compiles_every_registered_section_in_order(world, fake_section):
    report = started(world)
    keys = [section["key"] for section in report.sections]
    assert keys[0] == "test.news" and "planning.meetings" in keys and "planning.trainings" in keys
    assert report.sections[0]["counts"] == [["خبرهای فرستاده", 7]]


def test_report_works_with_no_sections_registered(world, monkeypatch):
    monkeypatch.setattr(registry, "REPORT_SECTIONS", {})
    monkeypatch.setattr("ravabet.planning.selectors.REPORT_SECTIONS", {})
    report = started(world)
    assert report.sections == []
    assert report_pdf_bytes(report).startswith(b"%PDF")


def test_a_broken_section_does_not_stop_the_report(world, fake_section):
    def broken(unit, start, end):
        raise RuntimeError("boom")

    registry.register_report_section("test.broken", "شکسته", order=2, items=("B3",))(broken)
    try:
        report = started(world)
    finally:
        registry.REPORT_SECTIONS.pop("test.broken")
    broken_section = next(s for s in report.sections if s["key"] == "test.broken")
    assert "ساخته نشد" in broken_section["error"]


def test_whole_workflow_draft_approved_submitted_returned_resubmitted_accepted(world, fake_section):
    report = started(world)
    report = services.report_update(report=report, narrative="ماه پرکاری بود", problems="", proposals="",
                                    by=world.officer)
    report = approved(world, report)
    assert report.state == ReportState.MANAGER_APPROVED and report.approved_by == world.manager
    report = move(report, "submit", by=world.officer)
    assert report.state == ReportState.SUBMITTED and report.submitted_at
    report = move(report, "send_back", by=world.hq_expert, comment="تصویر بیفزایید")
    assert report.state == ReportState.RETURNED and report.hq_comment == "تصویر بیفزایید"
    report = services.report_update(report=report, narrative="ماه پرکاری بود؛ تصویرها افزوده شد",
                                    by=world.officer)
    report = approved(world, report)
    report = move(report, "submit", by=world.officer)
    report = move(report, "accept", by=world.hq_head)
    assert report.state == ReportState.ACCEPTED
    assert Notification.objects.filter(user=world.officer, title__contains="پذیرفته").exists()


def test_submitted_figures_are_frozen_when_records_change(world, fake_section):
    report = approved(world, started(world))
    move(report, "submit", by=world.officer)
    fake_section["value"] = 99
    make_meeting(world.county_a)
    report.refresh_from_db()
    assert report.sections[0]["counts"] == [["خبرهای فرستاده", 7]]
    with refused("ثابت"):
        services.report_compile(report=report, by=world.officer)


def test_report_cannot_be_submitted_twice(world, fake_section):
    report = approved(world, started(world))
    move(report, "submit", by=world.officer)
    with pytest.raises(TransitionRefused, match="پیش‌تر"):
        move(report, "submit", by=world.officer)


def test_report_cannot_be_submitted_after_hq_accepted_it(world, fake_section, client_for):
    y, m = last_month()
    report = make_report(world.county_a, state=ReportState.ACCEPTED, year=y, month=m)
    with pytest.raises(TransitionRefused, match="پذیرفته‌شده"):
        move(report, "submit", by=world.officer)
    response = client_for("officer").post(reverse("workflow:transition", args=["planning.monthlyreport", report.pk,
                                                                                 "submit"]))
    assert response.status_code == 403 and "پذیرفته‌شده" in response.content.decode()
    assert MonthlyReport.objects.get(pk=report.pk).state == ReportState.ACCEPTED


def test_report_needs_the_managers_approval_before_submission(world):
    report = started(world)
    with pytest.raises(TransitionRefused, match="پیش‌نویس"):
        move(report, "submit", by=world.officer)


def test_only_the_unit_manager_approves(world):
    report = started(world)
    move(report, "ask_approval", by=world.officer)
    with pytest.raises(RoleRefused):
        move(report, "approve", by=world.officer)
    with pytest.raises(RoleRefused):
        move(report, "approve", by=world.hq_head)


def test_hq_must_comment_when_returning(world):
    from django.core.exceptions import ValidationError

    report = make_report(world.county_a, state=ReportState.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        move(report, "send_back", by=world.hq_expert, comment=" ")
    assert "نظر خود" in error.value.message_dict["comment"][0]
    assert MonthlyReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_accepted_report_text_cannot_be_edited(world):
    report = make_report(world.county_a, state=ReportState.ACCEPTED)
    with refused("نمی‌توان ویرایش"):
        services.report_update(report=report, narrative="تغییر", by=world.officer)


def test_starting_the_same_month_twice_returns_the_same_report(world, client_for):
    y, m = jalali.current_month()
    client = client_for("officer")
    client.post(reverse("planning:reports"), {"year": str(y), "month": str(m)})
    client.post(reverse("planning:reports"), {"year": str(y), "month": str(m)})
    assert MonthlyReport.objects.count() == 1


@pytest.fixture
def december_without_holidays(db):
    """HQ's holiday table holds 2026 with one holiday in March: the package's lunar estimates for December
    2026 stop counting, so the working days of Dey 1405 are the weekdays."""
    from ravabet.occasions.models import OfficialHoliday

    OfficialHoliday.objects.create(date=dt.date(2026, 3, 21), title="نوروز")


def test_deadline_is_the_fifth_working_day_of_next_month_and_follows_hq(world, december_without_holidays):
    # 1405/10/01 is a Tuesday: Thursday and Friday are the weekend, so the 5th working day is the 7th.
    assert report_due_date(1405, 9) == jalali.parse_date("1405/10/07")
    PlanningSettings.objects.update_or_create(pk=1, defaults={"report_due_day": 1})
    assert report_due_date(1405, 9) == jalali.parse_date("1405/10/01")
    PlanningSettings.objects.update_or_create(pk=1, defaults={"report_due_day": 5})
    # A closure HQ adds moves the deadline a working day on.
    from ravabet.offices.models import Closure

    Closure.objects.create(date=jalali.parse_date("1405/10/06"), title="تعطیلی استانی")
    assert report_due_date(1405, 9) == jalali.parse_date("1405/10/08")


def test_the_late_badge_follows_the_working_day_rule_with_one_calendar_read(world, client_for, december_without_holidays,
                                                                             django_assert_max_num_queries):
    """Issue 10: the page and the evaluation agree — a report sent on the 6th calendar day (before the
    5th working day) is on time, one sent after the 5th working day is late."""
    on_time = MonthlyReport.objects.create(unit=world.county_a, year=1405, month=9, state=ReportState.SUBMITTED)
    late = MonthlyReport.objects.create(unit=world.county_b, year=1405, month=9, state=ReportState.SUBMITTED)
    MonthlyReport.objects.filter(pk=on_time.pk).update(
        submitted_at=jalali.start_of_day(jalali.parse_date("1405/10/06")) + dt.timedelta(hours=10))
    MonthlyReport.objects.filter(pk=late.pk).update(
        submitted_at=jalali.start_of_day(jalali.parse_date("1405/10/08")) + dt.timedelta(hours=10))
    client = client_for("hq_head")
    assert "پس از مهلت" not in client.get(reverse("planning:report_detail", args=[on_time.pk])).text
    assert "پس از مهلت" in client.get(reverse("planning:report_detail", args=[late.pk])).text
    with django_assert_max_num_queries(14):
        response = client.get(reverse("planning:report_states"), {"year": "1405", "month": "9"})
    rows = {row["unit"].pk: row["late"] for row in response.context["rows"]}
    assert rows[world.county_a.pk] is False and rows[world.county_b.pk] is True


def test_reminder_before_the_deadline_is_sent_once_per_officer(world):
    due = report_due_date(1405, 9)
    assert remind_reports(today=due - dt.timedelta(days=2)) == 2  # the officers of county A and B
    assert remind_reports(today=due - dt.timedelta(days=1)) == 2
    assert OutboxMessage.objects.filter(source="planning.report_reminder").count() == 2
    assert Notification.objects.filter(user=world.officer, title__contains="یادآوری").count() == 1


def test_no_reminder_when_the_report_is_submitted_or_it_is_too_early(world):
    due = report_due_date(1405, 9)
    assert remind_reports(today=due - dt.timedelta(days=10)) == 0
    make_report(world.county_a, state=ReportState.SUBMITTED, year=1405, month=9)
    assert remind_reports(today=due - dt.timedelta(days=1)) == 1
    assert not Notification.objects.filter(user=world.officer).exists()
    assert Notification.objects.filter(user=world.outsider, title__contains="یادآوری").exists()


def test_report_pdf_has_cover_contents_sections_and_persian_page_numbers(world, fake_section, tmp_path, settings):
    photo = settings.MEDIA_ROOT / "photos" / "p.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 200), "teal").save(photo)
    fake_section["photos"] = ["/media/photos/p.jpg", "/media/photos/missing.jpg", "/media/../../etc/passwd"]
    make_training(world.county_a)
    report = started(world)
    services.report_update(report=report, narrative="شرح کارهای آذر", by=world.officer)
    report.refresh_from_db()
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf_bytes(report))
    text = pdf_text(path)
    assert "گزارش عملکرد ماهانه" in text and "فهرست" in text and "خبرها" in text
    assert "شرح کارهای آذر" in text
    assert "۱" in text and "۲" in text  # page numbers in Persian digits
    assert pdf_image_count(path) >= 1  # the one photo that exists


def test_photo_urls_outside_media_are_skipped(settings):
    assert local_photo("/media/../../etc/passwd") == ""
    assert local_photo("https://example.com/a.jpg") == ""


def test_report_figures_export_to_excel(world, fake_section, client_for):
    report = started(world)
    response = client_for("officer").get(reverse("planning:report_xlsx", args=[report.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert ("خبرها", "خبرهای فرستاده", 7) in rows


def test_hq_state_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    from ravabet.offices.models import Unit

    client = client_for("hq_expert")
    y, m = jalali.current_month()
    make_report(world.county_a, year=y, month=m)
    with django_assert_max_num_queries(20) as few:
        response = client.get(reverse("planning:report_states"), {"year": y, "month": m})
    assert world.county_a.name in response.content.decode()
    for index in range(20):
        unit = Unit.objects.create(code=f"c{index}", name=f"شهرستان {index}", city="شهر", parent=world.hq)
        make_report(unit, year=y, month=m, state=ReportState.SUBMITTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("planning:report_states"), {"year": y, "month": m})
    assert "شهرستان ۱۹" in response.content.decode() or "شهرستان 19" in response.content.decode()


def test_report_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for("hq_expert")
    for month in range(1, 4):
        make_report(world.county_a, year=1404, month=month)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("planning:reports"))
    for month in range(1, 13):
        make_report(world.county_b, year=1403, month=month)
        make_report(world.county_b, year=1402, month=month)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("planning:reports"))


def test_outsider_cannot_open_or_submit_another_units_report(world, client_for):
    report = make_report(world.county_a, state=ReportState.MANAGER_APPROVED)
    assert client_for("outsider").get(reverse("planning:report_pdf", args=[report.pk])).status_code == 404
    url = reverse("workflow:transition", args=["planning.monthlyreport", report.pk, "submit"])
    assert client_for("outsider").post(url).status_code == 404


def test_staff_cannot_open_the_report_list(world, client_for):
    assert client_for("staff").get(reverse("planning:reports")).status_code == 403


def test_returned_report_page_shows_the_hq_comment(world, client_for):
    report = make_report(world.county_a, state=ReportState.RETURNED)
    MonthlyReport.objects.filter(pk=report.pk).update(hq_comment="جدول آموزش ناقص است")
    body = client_for("officer").get(reverse("planning:report_detail", args=[report.pk])).content.decode()
    assert "جدول آموزش ناقص است" in body and "درخواست تأیید رئیس اداره" in body
    assert "/submit/" not in body  # back to HQ only after the manager approves again


def test_hq_state_page_exports_to_excel(world, client_for):
    y, m = jalali.current_month()
    make_report(world.county_a, year=y, month=m, state=ReportState.SUBMITTED)
    response = client_for("hq_head").get(reverse("planning:report_states"), {"year": y, "month": m, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == world.county_a.name and rows[1][1] == "فرستاده به اداره کل"


def test_sections_with_dates_and_decimals_are_frozen_as_plain_json(world):
    from decimal import Decimal

    def build(unit, start, end):
        return {"counts": [["ساعت", Decimal("2.5")]], "table": {"headers": ["تاریخ"], "rows": [[start]]}}

    registry.register_report_section("test.typed", "نوع‌دار", order=3, items=("A4",))(build)
    try:
        report = started(world)
    finally:
        registry.REPORT_SECTIONS.pop("test.typed")
    report.refresh_from_db()
    section = next(s for s in report.sections if s["key"] == "test.typed")
    assert section["counts"] == [["ساعت", 2.5]]
    assert section["table"]["rows"][0][0] == jalali.format_date(report.period()[0])


def test_hq_lists_reports_waiting_for_review(world, client_for):
    make_report(world.county_a, state=ReportState.SUBMITTED, year=1405, month=7)
    make_report(world.county_a, state=ReportState.ACCEPTED, year=1405, month=6)
    body = client_for("hq_expert").get(reverse("planning:reports"), {"state": "submitted"}).content.decode()
    assert "مهر ۱۴۰۵</a>" in body and "شهریور ۱۴۰۵</a>" not in body


def test_report_page_flags_a_missed_deadline(world, client_for):
    report = make_report(world.county_a, year=1400, month=1)
    body = client_for("officer").get(reverse("planning:report_detail", args=[report.pk])).content.decode()
    assert "مهلت گذشته" in body
