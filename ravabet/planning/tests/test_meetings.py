import datetime as dt

import pytest
from django.urls import reverse

from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.testing import pdf_text

from .. import services
from ..models import Decision, Meeting, MeetingKind
from ..pdf import meeting_pdf_bytes
from .factories import make_meeting, refused

pytestmark = pytest.mark.django_db


def meeting_post(world, **overrides):
    today = jalali.format_date(jalali.today(), persian=False)
    people = list(Person.objects.filter(unit=world.county_a).order_by("pk"))
    data = {"kind": MeetingKind.STAFF, "title": "جلسه ماهانه با کارکنان", "place": "سالن اجتماعات",
            "starts_at": f"{today} 10:00", "ends_at": f"{today} 11:30", "minutes": "گزارش کارهای ماه خوانده شد.",
            "present": [str(people[0].pk), str(people[1].pk)], "absent": [str(people[2].pk)],
            "decisions-TOTAL_FORMS": "2", "decisions-INITIAL_FORMS": "0", "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000",
            "decisions-0-text": "تهیه بنر هفته دولت", "decisions-0-owner": str(people[1].pk),
            "decisions-0-due_date": jalali.format_date(jalali.today() + dt.timedelta(days=7), persian=False)}
    data.update(overrides)
    return data


def test_officer_records_a_meeting_with_attendance_and_a_decision(world, client_for):
    response = client_for("officer").post(reverse("planning:meeting_create"), meeting_post(world))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.attendances.filter(present=True).count() == 2
    assert meeting.attendances.filter(present=False).count() == 1
    decision = meeting.decisions.get()
    assert decision.text == "تهیه بنر هفته دولت" and decision.unit == world.county_a and not decision.done


def test_meeting_that_ends_before_it_starts_gets_a_persian_error_and_keeps_input(world, client_for):
    today = jalali.format_date(jalali.today(), persian=False)
    response = client_for("officer").post(reverse("planning:meeting_create"),
                                          meeting_post(world, ends_at=f"{today} 09:00"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "پایان جلسه باید پس از آغاز آن باشد" in body
    assert "جلسه ماهانه با کارکنان" in body
    assert not Meeting.objects.exists()


def test_meeting_with_a_garbled_date_gets_a_persian_error(world, client_for):
    response = client_for("officer").post(reverse("planning:meeting_create"), meeting_post(world, starts_at="فردا"))
    assert "تاریخ و ساعت را به شکل" in response.content.decode()


def test_a_person_cannot_be_both_present_and_absent(world, client_for):
    data = meeting_post(world)
    data["absent"] = data["present"][:1]
    response = client_for("officer").post(reverse("planning:meeting_create"), data)
    assert "هم حاضر زده شده و هم غایب" in response.content.decode()


def test_service_refuses_attendees_of_another_unit(world):
    start = jalali_now()
    meeting = Meeting(unit=world.county_a, kind=MeetingKind.OFFICIALS, title="جلسه", place="فرمانداری",
                      starts_at=start, ends_at=start + dt.timedelta(hours=1))
    with refused("کارکنان همین واحد"):
        services.meeting_save(meeting=meeting, present=[Person.objects.get(user=world.outsider)], absent=[],
                              decisions=[], by=world.officer)


def jalali_now():
    from django.utils import timezone

    return timezone.now()


def test_open_decisions_list_flags_overdue_ones(world, client_for):
    meeting = make_meeting(world.county_a, decisions=2)
    late = meeting.decisions.first()
    Decision.objects.filter(pk=late.pk).update(due_date=jalali.today() - dt.timedelta(days=2))
    body = client_for("officer").get(reverse("planning:decisions")).content.decode()
    assert "دیرکرد" in body and late.text in body


def test_marking_a_decision_done_removes_it_from_the_open_list(world, client_for):
    meeting = make_meeting(world.county_a, decisions=1)
    decision = meeting.decisions.get()
    client_for("officer").post(reverse("planning:decision_toggle", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.done and decision.done_at
    assert decision.text not in client_for("officer").get(reverse("planning:decisions")).content.decode()


def test_outsider_cannot_close_another_units_decision(world, client_for):
    decision = make_meeting(world.county_a).decisions.get()
    assert client_for("outsider").post(reverse("planning:decision_toggle", args=[decision.pk])).status_code == 404


def test_meeting_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for("officer")
    for _ in range(3):
        make_meeting(world.county_a)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("planning:meetings"))
    for _ in range(27):
        make_meeting(world.county_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("planning:meetings"))


def test_decision_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for("officer")
    make_meeting(world.county_a, decisions=3)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("planning:decisions"))
    make_meeting(world.county_a, decisions=27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("planning:decisions"))


def test_minutes_print_as_a_persian_pdf(world, tmp_path):
    meeting = make_meeting(world.county_a)
    path = tmp_path / "minutes.pdf"
    path.write_bytes(meeting_pdf_bytes(meeting))
    text = pdf_text(path)
    assert "صورت" in text and "مصوبات" in text


def test_minutes_pdf_download(world, client_for):
    meeting = make_meeting(world.county_a)
    response = client_for("manager").get(reverse("planning:meeting_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["planning:meetings", "planning:decisions"])
def test_meeting_lists_export_to_excel(world, client_for, name):
    make_meeting(world.county_a)
    response = client_for("officer").get(reverse(name) + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_editing_a_meeting_updates_attendance_and_closes_a_decision(world, client_for):
    meeting = make_meeting(world.county_a, decisions=1)
    decision = meeting.decisions.get()
    people = list(Person.objects.filter(unit=world.county_a).order_by("pk"))
    data = meeting_post(world, present=[str(people[2].pk)], absent=[])
    data.update({"decisions-TOTAL_FORMS": "1", "decisions-INITIAL_FORMS": "1", "decisions-0-id": str(decision.pk),
                 "decisions-0-meeting": str(meeting.pk), "decisions-0-text": decision.text,
                 "decisions-0-due_date": jalali.format_date(decision.due_date, persian=False),
                 "decisions-0-done": "on"})
    response = client_for("manager").post(reverse("planning:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert list(meeting.attendances.values_list("person_id", "present")) == [(people[2].pk, True)]
    decision.refresh_from_db()
    assert decision.done and decision.done_at
