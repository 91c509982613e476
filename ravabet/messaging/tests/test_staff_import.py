"""Excel import of the staff list with the kinds of files offices really send."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ravabet.messaging.models import StaffGroup
from ravabet.messaging.staff_import import Status, confirm_import, preview_import, undo_import
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


def staff_import(*, unit, by, upload, create_groups=()):
    """Preview and confirm at once; the rows of the confirmed import by name."""
    imp = confirm_import(staff_import=preview_import(unit=unit, by=by, upload=upload), by=by,
                         create_groups=create_groups)
    return {row["full_name"]: row for row in imp.rows}


def test_import_previews_each_row_and_writes_only_when_confirmed(world):
    imp = preview_import(unit=world.county_a, by=world.officer, upload=xlsx(BAD_ROWS))
    rows = {row["full_name"]: row for row in imp.rows}
    assert len(rows) == 6 and not Person.objects.filter(full_name="زهرا کریمی").exists()
    assert rows["زهرا کریمی"]["status"] == Status.NEW and rows["زهرا کریمی"]["mobile"] == "09171112233"
    assert rows["رضا موسوی"]["mobile"] == "09171112244" and "شکل استاندارد" in rows["رضا موسوی"]["reason"]
    assert rows["حمید نوروزی"]["status"] == Status.REFUSED and "نامعتبر" in rows["حمید نوروزی"]["reason"]
    assert rows["سارا قاسمی"]["status"] == Status.REFUSED and "تکراری" in rows["سارا قاسمی"]["reason"]
    assert rows["علی جعفری"]["mobile"] == "09171112266"
    # The groups do not exist: none is created unless the confirmer ticks it.
    assert imp.new_groups == ["مالی", "خدمات"] and not StaffGroup.objects.filter(unit=world.county_a).exists()
    confirm_import(staff_import=imp, by=world.officer, create_groups=["مالی"])
    assert Person.objects.filter(unit=world.county_a, full_name="رضا موسوی", mobile="09171112244").exists()
    assert not Person.objects.filter(full_name__in=["حمید نوروزی", "سارا قاسمی"]).exists()
    finance = StaffGroup.objects.get(unit=world.county_a, name="مالی")
    assert set(finance.members.values_list("full_name", flat=True)) == {"زهرا کریمی", "مینا صادقی"}
    assert not StaffGroup.objects.filter(name="خدمات").exists()


def test_importing_the_same_file_again_adds_nobody(world):
    staff_import(unit=world.county_a, by=world.officer, upload=xlsx(BAD_ROWS))
    count = Person.objects.count()
    rows = staff_import(unit=world.county_a, by=world.officer, upload=xlsx(BAD_ROWS))
    assert Person.objects.count() == count and rows["مینا صادقی"]["status"] == Status.SAME


def test_a_number_already_held_by_another_colleague_is_a_conflict(world):
    rows = staff_import(unit=world.county_a, by=world.officer, upload=xlsx([["نفر تازه", "", "09170000005"]]))
    # Matched by mobile: the row is about that colleague, whose name differs — not a new person.
    assert "نفر تازه" in rows and not Person.objects.filter(full_name="نفر تازه").exists()


def national_xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["نام و نام خانوادگی", "کد ملی", "شماره همراه", "گروه"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("staff.xlsx", buffer.getvalue())


def test_two_namesakes_are_told_apart_by_national_code_then_mobile_and_never_merged(world):
    first = Person.objects.create(unit=world.county_a, full_name="رضا محمدی", mobile="09171230001",
                                  national_code="0084575948")
    second = Person.objects.create(unit=world.county_a, full_name="رضا محمدی", mobile="09171230002")
    imp = preview_import(unit=world.county_a, by=world.officer, upload=national_xlsx([
        ["رضا محمدی", "۰۰۸۴۵۷۵۹۴۸", "09171239999", None],  # by national code: the first; new number
        ["رضا محمدی", None, "09171230002", None],           # by mobile: the second, unchanged
        ["رضا محمدی", None, "09171238888", None],           # by name alone: two namesakes → conflict
        ["سعید کاظمی", "1234567890", "09171237777", None],  # a wrong national code → refused
    ]))
    statuses = [(row["status"], row["person"]) for row in imp.rows]
    assert statuses == [(Status.UPDATED, first.pk), (Status.SAME, second.pk), (Status.CONFLICT, None),
                        (Status.REFUSED, None)]
    assert "کد ملی بنویسید" in imp.rows[2]["reason"]
    confirm_import(staff_import=imp, by=world.officer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.mobile == "09171239999" and second.mobile == "09171230002"
    assert Person.objects.filter(full_name="رضا محمدی").count() == 2


def test_an_import_never_replaces_the_mobile_of_someone_with_an_account(world):
    officer = world.officer.person
    officer.national_code = "0084575948"
    officer.save()
    imp = preview_import(unit=world.county_a, by=world.officer, upload=national_xlsx([
        [officer.full_name, "0084575948", "09179990000", None]]))
    assert imp.rows[0]["status"] == Status.CONFLICT and "حساب کاربری" in imp.rows[0]["reason"]
    confirm_import(staff_import=imp, by=world.officer)
    officer.refresh_from_db()
    assert officer.mobile != "09179990000"


def test_an_import_is_undone_completely(world):
    existing = Person.objects.create(unit=world.county_a, full_name="مهدی رحیمی", mobile="09171231111",
                                     position="کارشناس")
    group = StaffGroup.objects.create(unit=world.county_a, name="فنی")
    imp = preview_import(unit=world.county_a, by=world.officer, upload=national_xlsx([
        ["مهدی رحیمی", "0084575948", "09171231111", "فنی"], ["نرگس امیری", None, "09171232222", "تازه"]]))
    confirm_import(staff_import=imp, by=world.officer, create_groups=["تازه"])
    confirm_import(staff_import=imp, by=world.officer)  # a second click writes nothing more
    assert Person.objects.filter(full_name="نرگس امیری").count() == 1
    existing.refresh_from_db()
    assert existing.national_code == "0084575948" and group.members.filter(pk=existing.pk).exists()
    undo_import(staff_import=imp, by=world.officer)
    existing.refresh_from_db()
    assert existing.national_code == "" and not group.members.exists()
    assert not Person.objects.filter(full_name="نرگس امیری").exists()
    assert not StaffGroup.objects.filter(name="تازه").exists()
    with pytest.raises(ValidationError):
        confirm_import(staff_import=imp, by=world.officer)


def test_the_list_is_found_on_another_sheet(world):
    workbook = Workbook()
    workbook.active.title = "راهنما"
    workbook.active.append(["توضیح"])
    sheet = workbook.create_sheet("فهرست")
    sheet.append(["نام", "موبایل"])
    sheet.append(["لیلا هاشمی", "09173334455"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = staff_import(unit=world.county_a, by=world.officer, upload=SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    assert rows["لیلا هاشمی"]["status"] == Status.NEW


def test_a_sheet_without_name_and_mobile_columns_gets_a_persian_message(world):
    workbook = Workbook()
    workbook.active.append(["کد", "تاریخ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("wrong.xlsx", buffer.getvalue())
    with pytest.raises(ValidationError) as error:
        preview_import(unit=world.county_a, by=world.officer, upload=upload)
    assert "ستون‌های «نام» و «شماره همراه» پیدا نشد" in error.value.messages[0]


def test_a_file_that_is_not_excel_gets_a_persian_message_on_the_form(world, client_for):
    response = client_for("officer").post(reverse("messaging:staff_import"), {
        "file": SimpleUploadedFile("list.xlsx", b"name,mobile\nali,0917\n")})
    assert response.status_code == 200
    assert "نیست یا خراب است" in response.content.decode()


def test_the_import_page_shows_the_preview_then_confirm_then_undo(world, client_for):
    client = client_for("officer")
    response = client.post(reverse("messaging:staff_import"), {"file": xlsx(BAD_ROWS)})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "هنوز چیزی نوشته نشده است" in html and "رد شد" in html and "تازه" in html
    assert not Person.objects.filter(full_name="زهرا کریمی").exists()
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    client.post(reverse("messaging:staff_import_confirm", args=[pk]), {"create_group": ["مالی"]})
    assert Person.objects.filter(full_name="زهرا کریمی").exists()
    client.post(reverse("messaging:staff_import_undo", args=[pk]))
    assert not Person.objects.filter(full_name="زهرا کریمی").exists()
    assert "بازگردانده شد" in client.get(response["Location"]).content.decode()
    assert client_for("outsider").get(response["Location"]).status_code == 404


def test_staff_cannot_import(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview_import(unit=world.county_a, by=world.staff, upload=xlsx(BAD_ROWS))


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

    rows = staff_import(unit=world.county_a, by=world.officer, upload=upload())
    fatemeh = rows["فاطمه نوری"]
    assert fatemeh["status"] == Status.NEW and "ایمیل «fateme@» نادرست است" in fatemeh["reason"]
    assert Person.objects.filter(full_name="فاطمه نوری", mobile="09173334458", email="").exists()
    again = staff_import(unit=world.county_a, by=world.officer, upload=upload())
    assert again["جواد کرمی"]["status"] == Status.SAME and again["فاطمه نوری"]["status"] == Status.SAME
