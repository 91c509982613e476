import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.visits import services
from ravabet.visits.models import ActionState, Photo, State, Visit

from .factories import jpeg, make_action, make_visit

pytestmark = pytest.mark.django_db


def _j(date):
    return jalali.format_date(date, persian=False)


def _done_url(action, name):
    return reverse("workflow:transition", args=["visits.followup", action.pk, name])


def test_officer_plans_a_visit_with_a_team_from_the_staff_directory(world, client_for):
    staff = Person.objects.get(user=world.staff)
    response = client_for("officer").post(reverse("visits:create"), {
        "place": "روستای دهنو", "place_kind": "village", "address": "", "purpose": "دیدار با دهیار",
        "planned_on": _j(jalali.today()), "team": [staff.pk]})
    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.unit == world.county_a and list(visit.team.all()) == [staff]


def test_a_bad_date_gets_a_persian_message_and_keeps_the_place(world, client_for):
    response = client_for("officer").post(reverse("visits:create"), {
        "place": "محل نگه‌داشته", "place_kind": "site", "purpose": "هدف", "planned_on": "1405/13/40"})
    content = response.content.decode()
    assert response.status_code == 200 and "محل نگه‌داشته" in content and "invalid-feedback" in content
    assert not Visit.objects.exists()


def test_recording_a_visit_without_findings_keeps_the_date_and_says_why(world, client_for):
    visit = make_visit(world.county_a, days=0)
    response = client_for("officer").post(reverse("visits:record", args=[visit.pk]),
                                          {"done_on": "1405/09/01", "findings": ""})
    content = response.content.decode()
    assert response.status_code == 400 and "این بخش را پر کنید" in content and "1405/09/01" in content


def test_officer_records_findings_photos_and_follow_up_actions(world, client_for):
    visit = make_visit(world.county_a, days=0)
    client = client_for("officer")
    client.post(reverse("visits:record", args=[visit.pk]), {"done_on": _j(jalali.today()),
                                                            "findings": "گرد و خاک زیاد است."})
    visit.refresh_from_db()
    assert visit.state == State.DONE and visit.findings == "گرد و خاک زیاد است."
    client.post(reverse("visits:photo_add", args=[visit.pk]), {"file": jpeg(), "caption": "کارگاه"})
    photo = Photo.objects.get()
    served = client.get(reverse("visits:photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/jpeg"
    owner = Person.objects.get(user=world.staff)
    client.post(reverse("visits:action_add", args=[visit.pk]), {
        "title": "آب‌پاشی روزانه", "owner": owner.pk, "due_on": _j(jalali.today() + dt.timedelta(days=3))})
    action = visit.actions.get()
    detail = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert _done_url(action, "done") in detail
    response = client.post(_done_url(action, "done"), {"done_note": "انجام شد"})
    assert response.status_code == 302 and response["Location"].endswith(f"/visits/{visit.pk}/#actions")
    action.refresh_from_db()
    assert action.state == ActionState.DONE and action.done_note == "انجام شد"


def test_a_file_that_is_not_an_image_is_refused_on_the_photo_field(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    visit = make_visit(world.county_a, done=True, days=0)
    response = client_for("officer").post(reverse("visits:photo_add", args=[visit.pk]), {
        "file": SimpleUploadedFile("a.jpg", b"<html>", content_type="image/jpeg")})
    assert response.status_code == 400 and "پرونده‌ی مجاز نیست" in response.content.decode()
    assert not Photo.objects.exists()


def test_another_county_cannot_see_a_visit_or_its_photo(world, client_for):
    from ravabet.visits import services

    visit = make_visit(world.county_a, done=True, days=0)
    photo = services.photo_add(visit=visit, by=world.officer, upload=jpeg())
    client = client_for("outsider")
    assert client.get(reverse("visits:detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("visits:photo", args=[photo.pk])).status_code == 404


def test_the_list_flags_overdue_visits_and_filters_them(world, client_for):
    make_visit(world.county_a, days=-3, place="عقب‌مانده")
    make_visit(world.county_a, days=3, place="آینده")
    client = client_for("officer")
    content = client.get(reverse("visits:list")).content.decode()
    assert 'data-late="1"' in content and 'data-late="0"' in content
    only = client.get(reverse("visits:list") + "?overdue=1").content.decode()
    assert "عقب‌مانده" in only and "آینده" not in only


def test_hq_sees_every_county_and_a_county_only_its_own(world, client_for):
    make_visit(world.county_a, place="بازدید الف")
    make_visit(world.county_b, place="بازدید ب")
    hq = client_for("hq_head").get(reverse("visits:list")).content.decode()
    assert "بازدید الف" in hq and "بازدید ب" in hq
    county = client_for("manager").get(reverse("visits:list")).content.decode()
    assert "بازدید الف" in county and "بازدید ب" not in county


def test_the_list_counts_each_visits_actions_and_photos_apart(world, client_for):
    """Open and late actions and photos of a page's visits, each counted on its own (annotating both relations
    in one query multiplied them: 2 open actions and 3 photos showed 6 actions); the export counts the same."""
    visit = make_visit(world.county_a, done=True, days=-5, place="بازدید شمرده")
    make_action(visit, days=-1)
    make_action(visit, days=4)
    for n in range(3):
        services.photo_add(visit=visit, by=world.officer, upload=jpeg(f"p{n}.jpg"))
    make_visit(world.county_a, place="بی‌اقدام")
    response = client_for("officer").get(reverse("visits:list"))
    counted = {v.place: (v.open_actions, v.late_actions, v.photo_count) for v in response.context["page_obj"]}
    assert counted == {"بازدید شمرده": (2, 1, 3), "بی‌اقدام": (0, 0, 0)}
    assert "۱ گذشته از مهلت" in response.content.decode()
    sheet = load_workbook(io.BytesIO(client_for("officer").get(reverse("visits:list"), {"export": "xlsx"}).content)).active
    exported = {sheet.cell(r, 2).value: (sheet.cell(r, 10).value, sheet.cell(r, 11).value)
                for r in range(2, sheet.max_row + 1)}
    assert exported == {"بازدید شمرده": (2, 1), "بی‌اقدام": (0, 0)}


@pytest.mark.parametrize("name", ["visits:list", "visits:actions"])
def test_lists_run_the_same_number_of_queries_for_3_and_for_30_rows(world, client_for, name,
                                                                   django_assert_max_num_queries):
    client = client_for("hq_expert")
    for n in range(3):
        make_action(make_visit(world.county_a, done=True, days=-n))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(name))
    for n in range(27):
        make_action(make_visit(world.county_b if n % 2 else world.county_a, done=True, days=-n))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name))
    assert len(response.context["page_obj"]) == 30


def test_the_monthly_page_counts_planned_against_done(world, client_for):
    today = jalali.today()
    year, month = jalali.current_month()
    start, end = jalali.month_bounds(year, month)
    make_visit(world.county_a, days=(start - today).days, done=True)
    make_visit(world.county_a, days=(start - today).days)
    response = client_for("hq_expert").get(reverse("visits:monthly"), {"year": year, "month": month})
    row = next(r for r in response.context["rows"] if r["unit"] == world.county_a)
    assert (row["planned"], row["done"], row["percent"]) == (2, 1, 50)
    sheet = load_workbook(io.BytesIO(client_for("hq_expert").get(
        reverse("visits:monthly"), {"year": year, "month": month, "export": "xlsx"}).content)).active
    assert [c.value for c in sheet[1]][:3] == ["واحد", "برنامه", "انجام‌شده"]


def test_the_visit_list_exports_to_excel(world, client_for):
    make_visit(world.county_a, done=True, days=0)
    response = client_for("officer").get(reverse("visits:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2 and sheet.cell(2, 2).value == "کارگاه جاده خیرآباد"


def test_the_actions_list_shows_overdue_ones_and_exports(world, client_for):
    make_action(make_visit(world.county_a, done=True, days=-5), days=-1, title="دیرکرده")
    make_action(make_visit(world.county_a, done=True, days=-5), days=4, title="به‌موقع")
    client = client_for("officer")
    only = client.get(reverse("visits:actions"), {"overdue": "1"}).content.decode()
    assert "دیرکرده" in only and "به‌موقع" not in only
    sheet = load_workbook(io.BytesIO(client.get(reverse("visits:actions"), {"export": "xlsx"}).content)).active
    assert "گذشته از مهلت" in [sheet.cell(r, 6).value for r in range(2, sheet.max_row + 1)]


def test_the_monthly_page_runs_the_same_number_of_queries_for_3_and_for_30_visits(world, client_for,
                                                                                  django_assert_max_num_queries):
    client = client_for("officer")
    for n in range(3):
        make_visit(world.county_a, days=0, place=f"ک{n}")
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("visits:monthly"))
    for n in range(27):
        make_visit(world.county_a, days=0, place=f"ب{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("visits:monthly"))
    assert response.context["rows"][0]["planned"] == 30


def test_a_staff_member_opens_the_visit_of_their_action_and_reports_it_done(world, client_for):
    visit = make_visit(world.county_a, done=True, days=0)
    staff = Person.objects.get(user=world.staff)
    action = make_action(visit, owner=staff, title="عکس از تابلو نصب‌شده")
    other = make_visit(world.county_a, place="بازدید دیگر")
    client = client_for("staff")
    assert client.get(reverse("visits:detail", args=[visit.pk])).status_code == 200
    assert client.get(reverse("visits:detail", args=[other.pk])).status_code == 404
    listed = client.get(reverse("visits:actions")).content.decode()
    assert "اقدام‌های پیگیری من" in listed and "عکس از تابلو نصب‌شده" in listed
    assert _done_url(action, "done_by_owner") in listed
    response = client.post(_done_url(action, "done_by_owner"), {"done_note": "انجام شد",
                                                                 "next": reverse("visits:actions")})
    assert response["Location"] == reverse("visits:actions")
    action.refresh_from_db()
    assert action.state == ActionState.DONE


def test_a_staff_member_cannot_close_someone_elses_action(world, client_for):
    visit = make_visit(world.county_a, done=True, days=0)
    action = make_action(visit)
    make_action(visit, owner=Person.objects.get(user=world.staff), title="اقدام خودم")
    assert action.owner.user != world.staff
    client = client_for("staff")
    detail = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert "اقدام خودم" in detail and _done_url(action, "done_by_owner") not in detail
    response = client.post(_done_url(action, "done_by_owner"))
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.state == ActionState.OPEN
    assert client_for("outsider").post(_done_url(action, "done")).status_code == 404


def test_the_record_page_refuses_hq_on_a_countys_visit_and_a_visit_already_done(world, client_for):
    visit = make_visit(world.county_a, days=0)
    page = client_for("hq_head").get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert 'id="record"' not in page and "/workflow/" not in page
    assert client_for("hq_expert").post(reverse("visits:record", args=[visit.pk]), {
        "done_on": _j(jalali.today()), "findings": "x"}).status_code == 403
    client = client_for("officer")
    assert client.get(reverse("visits:record", args=[visit.pk])).status_code == 200
    client.post(reverse("visits:record", args=[visit.pk]), {"done_on": _j(jalali.today()), "findings": "یافته"})
    response = client.post(reverse("visits:record", args=[visit.pk]), {"done_on": _j(jalali.today()),
                                                                      "findings": "دوباره"})
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.findings == "یافته"


def test_a_future_done_date_is_shown_on_its_field_with_the_findings_kept(world, client_for):
    visit = make_visit(world.county_a, days=0)
    response = client_for("officer").post(reverse("visits:record", args=[visit.pk]), {
        "done_on": _j(jalali.today() + dt.timedelta(days=2)), "findings": "یافته نگه‌داشته"})
    content = response.content.decode()
    assert response.status_code == 400 and "در آینده" in content and "یافته نگه‌داشته" in content


def test_officer_cancels_with_the_generic_step_and_replans_on_the_replan_form(world, client_for):
    visit = make_visit(world.county_a, days=2)
    client = client_for("officer")
    cancel = reverse("workflow:transition", args=["visits.visit", visit.pk, "cancel"])
    assert cancel in client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    client.post(cancel, {"cancel_reason": "تعطیلی ناگهانی"})
    visit.refresh_from_db()
    assert visit.state == State.CANCELLED and visit.cancel_reason == "تعطیلی ناگهانی"
    detail = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert "تعطیلی ناگهانی" in detail and 'id="replan"' in detail and cancel not in detail
    new_day = jalali.today() + dt.timedelta(days=6)
    client.post(reverse("visits:replan", args=[visit.pk]), {"planned_on": _j(new_day)})
    visit.refresh_from_db()
    assert visit.state == State.PLANNED and visit.planned_on == new_day


def test_places_show_their_last_visit_and_flag_those_never_or_rarely_visited(world, client_for):
    from ravabet.visits.models import Place

    fresh = services.place_save(unit=world.county_a, by=world.officer, name="کارگاه تازه", kind="site", address="",
                                latitude=None, longitude=None, every_days=30, is_active=True)
    far = services.place_save(unit=world.county_a, by=world.officer, name="روستای دور", kind="village",
                              address="", latitude=None, longitude=None, every_days=90, is_active=True)
    services.place_save(unit=world.county_a, by=world.officer, name="دفتر بی‌بازدید", kind="office", address="",
                        latitude=None, longitude=None, every_days=60, is_active=True)
    for site, days in ((fresh, -10), (far, -120)):
        visit = make_visit(world.county_a, done=True, days=days, place=site.name)
        Visit.objects.filter(pk=visit.pk).update(site=site)
    client = client_for("officer")
    rows = {r["place"].name: r for r in client.get(reverse("visits:places")).context["rows"]}
    assert rows["روستای دور"]["late_days"] == 30 and rows["روستای دور"]["due"]
    assert not rows["کارگاه تازه"]["due"] and rows["دفتر بی‌بازدید"]["never"]
    never = client.get(reverse("visits:places"), {"never": "1"}).context["rows"]
    assert [r["place"].name for r in never] == ["دفتر بی‌بازدید"]
    late = client.get(reverse("visits:places"), {"late": "1"}).context["rows"]
    assert {r["place"].name for r in late} == {"دفتر بی‌بازدید", "روستای دور"}
    sheet = load_workbook(io.BytesIO(client.get(reverse("visits:places"), {"export": "xlsx"}).content)).active
    assert sheet.max_row == 4 and isinstance(sheet.cell(2, 4).value, int)
    # HQ sees the summary per unit.
    hq = client_for("hq_expert").get(reverse("visits:places")).content.decode()
    assert 'id="unit-summary"' in hq and Place.objects.count() == 3


def test_the_places_page_runs_the_same_number_of_queries_for_3_and_for_30_places(world, client_for,
                                                                                django_assert_max_num_queries):
    client = client_for("hq_expert")

    def add(unit, name, by):
        site = services.place_save(unit=unit, by=by, name=name, kind="site", address="", latitude=None,
                                   longitude=None, every_days=30, is_active=True)
        visit = make_visit(unit, done=True, days=-1, place=name)
        Visit.objects.filter(pk=visit.pk).update(site=site)

    for n in range(3):
        add(world.county_a, f"ک{n}", world.officer)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("visits:places"))
    outsider = world.users["outsider"]
    for n in range(27):
        add(world.county_b, f"ب{n}", outsider)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("visits:places"))
    assert len(response.context["rows"]) == 30
