"""Excel import of the staff list with the kinds of files offices really send."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ravabet.messaging.models import StaffGroup
from ravabet.messaging.staff_import import Outcome, staff_import
from ravabet.offices.models import Person

pytestmark = pytest.mark.django_db


def xlsx(rows, *, title_row=True, sheet_title="کارکنان", extra_sheet=False) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    if extra_sheet:
        workbook.create_sheet("راهنما").append(["این برگه فقط توضیح است"])
    if title_row:
        sheet.append(["فهرست کارکنان اداره"])
        sheet.merge_cells("A1:D1")
    sheet.append(["نام و نام خانوادگی", "سمت", "شماره همراه", "گروه"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("staff.xlsx", buffer.getvalue())


BAD_ROWS = [
    ["زهرا کریمی", "کارشناس مالی", "۰۹۱۷۱۱۱۲۲۳۳", "مالی"],     # Persian digits: fixed
    ["رضا موسوی", "راننده", "+989171112244", "خدمات"],          # +98: fixed
    [None, None, None, None],                                     # empty row: ignored
    ["مینا صادقی", "کارشناس حقوقی", "09171112255", "مالی"],      # accepted as is
    ["حمید نوروزی", "مسئول انبار", "0917111", None],              # invalid
    ["سارا قاسمی", "کارشناس فنی", "09171112255", None],           # duplicate of the row above
    ["علی جعفری", "کارشناس فنی", 9171112266, None],              # a number cell lost its 0: fixed
]


def test_import_reports_each_row_as_accepted_fixed_or_refused(world):
    report = staff_import(unit=world.county_a, by=world.officer, upload=xlsx(BAD_ROWS))
    outcomes = {entry.name: entry for entry in report}
    assert len(report) == 6
    assert outcomes["زهرا کریمی"].outcome == Outcome.FIXED and outcomes["زهرا کریمی"].mobile == "09171112233"
    assert outcomes["رضا موسوی"].outcome == Outcome.FIXED and outcomes["رضا موسوی"].mobile == "09171112244"
    assert outcomes["مینا صادقی"].outcome == Outcome.ACCEPTED
    assert outcomes["حمید نوروزی"].outcome == Outcome.REFUSED and "نامعتبر" in outcomes["حمید نوروزی"].reason
    assert outcomes["سارا قاسمی"].outcome == Outcome.REFUSED and "تکراری" in outcomes["سارا قاسمی"].reason
    assert outcomes["علی جعفری"].outcome == Outcome.FIXED and outcomes["علی جعفری"].mobile == "09171112266"
    assert Person.objects.filter(unit=world.county_a, full_name="رضا موسوی", mobile="09171112244").exists()
    assert not Person.objects.filter(full_name__in=["حمید نوروزی", "سارا قاسمی"]).exists()
    finance = StaffGroup.objects.get(unit=world.county_a, name="مالی")
    assert set(finance.members.values_list("full_name", flat=True)) == {"زهرا کریمی", "مینا صادقی"}


def test_importing_the_same_file_again_adds_nobody(world):
    staff_import(unit=world.county_a, by=world.officer, upload=xlsx(BAD_ROWS))
    count = Person.objects.count()
    report = staff_import(unit=world.county_a, by=world.officer, upload=xlsx(BAD_ROWS))
    assert Person.objects.count() == count
    assert {entry.outcome for entry in report if entry.name == "مینا صادقی"} == {Outcome.ACCEPTED}


def test_a_number_already_held_by_another_colleague_is_refused(world):
    report = staff_import(unit=world.county_a, by=world.officer, upload=xlsx([["نفر تازه", "", "09170000005"]]))
    assert report[0].outcome == Outcome.REFUSED and "کارمند الف" in report[0].reason


def test_the_list_is_found_on_another_sheet(world):
    workbook = Workbook()
    workbook.active.title = "راهنما"
    workbook.active.append(["توضیح"])
    sheet = workbook.create_sheet("فهرست")
    sheet.append(["نام", "موبایل"])
    sheet.append(["لیلا هاشمی", "09173334455"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = staff_import(unit=world.county_a, by=world.officer, upload=SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    assert report[0].outcome == Outcome.ACCEPTED


def test_a_sheet_without_name_and_mobile_columns_gets_a_persian_message(world):
    workbook = Workbook()
    workbook.active.append(["کد", "تاریخ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("wrong.xlsx", buffer.getvalue())
    with pytest.raises(ValidationError) as error:
        staff_import(unit=world.county_a, by=world.officer, upload=upload)
    assert "ستون‌های «نام» و «شماره همراه» پیدا نشد" in error.value.messages[0]


def test_a_file_that_is_not_excel_gets_a_persian_message_on_the_form(world, client_for):
    response = client_for("officer").post(reverse("messaging:staff_import"), {
        "file": SimpleUploadedFile("list.xlsx", b"name,mobile\nali,0917\n")})
    assert response.status_code == 200
    assert "اکسل (xlsx) نیست" in response.content.decode()


def test_the_import_page_shows_the_report(world, client_for):
    response = client_for("officer").post(reverse("messaging:staff_import"), {"file": xlsx(BAD_ROWS)})
    html = response.content.decode()
    assert "گزارش ردیف‌به‌ردیف" in html and "رد شد" in html and "اصلاح و پذیرفته شد" in html


def test_staff_cannot_import(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        staff_import(unit=world.county_a, by=world.staff, upload=xlsx(BAD_ROWS))


def test_hq_sees_the_share_of_staff_with_a_valid_mobile_per_unit(world, client_for):
    Person.objects.create(unit=world.county_a, full_name="بی‌شماره")
    html = client_for("hq_expert").get(reverse("messaging:mobile_coverage")).content.decode()
    # County A: 3 of 4 active people have a valid number.
    assert "اداره شهرستان الف" in html and "۷۵٪" in html


def test_a_bad_email_costs_the_row_only_its_email_and_a_second_import_says_the_person_was_there(world):
    # Found in review: a typo in the optional email column («fateme@») refused the whole row.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["نام و نام خانوادگی", "شماره همراه", "ایمیل"])
    sheet.append(["فاطمه نوری", "0098-917-333-4458", "fateme@"])
    sheet.append(["جواد کرمی", "09173334462", "javad@example.ir"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    def upload():
        return SimpleUploadedFile("staff.xlsx", buffer.getvalue())

    report = {entry.name: entry for entry in staff_import(unit=world.county_a, by=world.officer, upload=upload())}
    fatemeh = report["فاطمه نوری"]
    assert fatemeh.outcome == Outcome.FIXED and "ایمیل «fateme@» نادرست بود" in fatemeh.reason
    assert Person.objects.filter(full_name="فاطمه نوری", mobile="09173334458", email="").exists()
    assert report["جواد کرمی"].outcome == Outcome.ACCEPTED
    again = {entry.name: entry for entry in staff_import(unit=world.county_a, by=world.officer, upload=upload())}
    assert again["جواد کرمی"].reason == "پیش‌تر ثبت شده بود"
    assert again["فاطمه نوری"].reason.startswith("پیش‌تر ثبت شده بود")
