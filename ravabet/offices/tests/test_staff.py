import pytest

from ravabet.audit.models import ActionLog
from ravabet.offices.models import Person

pytestmark = pytest.mark.django_db


def test_officer_adds_a_person_with_a_mobile_in_any_form(world, client_for):
    response = client_for("officer").post("/staff/new/", {"full_name": "علي كريمي", "position": "کارشناس",
                                                          "mobile": "+98 917 111 2233", "national_code": "۰۴۹۹۳۷۰۸۹۹"})
    assert response.status_code == 302
    person = Person.objects.get(full_name="علی کریمی")
    assert person.mobile == "09171112233"
    assert person.national_code == "0499370899"
    assert person.unit == world.county_a
    assert ActionLog.objects.filter(action="offices.person_created", actor=world.officer).exists()


def test_bad_mobile_and_national_code_get_persian_messages_and_keep_the_input(world, client_for):
    response = client_for("officer").post("/staff/new/", {"full_name": "نام", "mobile": "0912345",
                                                          "national_code": "0499370898"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "شماره همراه معتبر نیست" in page
    assert "رقم کنترل" in page
    assert 'value="0912345"' in page


def test_bidi_override_in_a_name_is_refused(world, client_for):
    response = client_for("officer").post("/staff/new/", {"full_name": "نام\u202eنادرست"})
    assert "نویسه‌های کنترلی جهت" in response.content.decode()


def test_a_duplicate_mobile_in_the_same_unit_is_refused(world, client_for):
    client_for("officer").post("/staff/new/", {"full_name": "یک", "mobile": "09171112233"})
    response = client_for("officer").post("/staff/new/", {"full_name": "دو", "mobile": "09171112233"})
    assert "برای کارمند دیگری از همین واحد" in response.content.decode()


def test_staff_member_cannot_add_people(world, client_for):
    assert client_for("staff").post("/staff/new/", {"full_name": "x"}).status_code == 403


def test_the_staff_list_query_count_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for("hq_expert")
    Person.objects.bulk_create(Person(unit=world.county_a, full_name=f"نفر {n}") for n in range(3))
    with django_assert_max_num_queries(12) as few:
        client.get("/staff/")
    Person.objects.bulk_create(Person(unit=world.county_b, full_name=f"نفر {n}") for n in range(40))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/")


def test_staff_list_exports_to_excel(world, client_for):
    import io

    from openpyxl import load_workbook

    response = client_for("officer").get("/staff/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "واحد"
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "مسئول روابط عمومی الف" in names
    assert "مسئول روابط عمومی ب" not in names


def test_hq_adds_a_closure_with_a_jalali_date(world, client_for):
    response = client_for("hq_head").post("/closures/", {"date": "۱۴۰۵/۰۹/۱۰", "title": "برف"})
    assert response.status_code == 302
    from ravabet.offices.models import Closure

    assert str(Closure.objects.get().date) == "2026-12-01"


def test_home_pages_differ_by_role(world, client_for):
    assert "در انتظار بررسی اداره کل" in client_for("hq_expert").get("/").content.decode()
    officer_page = client_for("officer").get("/").content.decode()
    assert "کارهای امروز" in officer_page
    assert "در انتظار بررسی اداره کل" not in officer_page


def test_the_home_page_query_count_is_fixed(world, client_for, django_assert_max_num_queries):
    client = client_for("hq_expert")
    with django_assert_max_num_queries(40) as first:
        client.get("/")
    from ravabet.offices.models import Unit

    for n in range(10):
        Unit.objects.create(code=f"extra-{n}", name=f"اداره {n}", city="شهر", parent=world.hq)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/")
