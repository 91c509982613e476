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
            "decisions-MAX_NUM_FORMS": "1000", "guests-TOTAL_FORMS": "0", "guests-INITIAL_FORMS": "0",
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


# --- A3/F6: guests, invitation with the agenda, signed minutes, owners reminded, staff see theirs --------

def upcoming_meeting(world, **fields):
    from django.utils import timezone

    meeting = make_meeting(world.county_a, kind=MeetingKind.OFFICIALS, when=timezone.now() + dt.timedelta(days=2))
    Meeting.objects.filter(pk=meeting.pk).update(**{"agenda": "۱. برنامه هفته دولت\n۲. گزارش خبری", **fields})
    meeting.refresh_from_db()
    return meeting


def test_a_meeting_records_outside_guests_by_name_and_organisation(world, client_for):
    data = meeting_post(world, **{"guests-TOTAL_FORMS": "1", "guests-0-full_name": "علي كريمی",
                                  "guests-0-organisation": "فرمانداری", "guests-0-mobile": "۰۹۱۷۱۲۳۴۵۶۷",
                                  "guests-0-present": "on", "agenda": "بررسی برنامه هفته دولت"})
    assert client_for("officer").post(reverse("planning:meeting_create"), data).status_code == 302
    guest = Meeting.objects.get().guests.get()
    assert (guest.full_name, guest.organisation, guest.mobile) == ("علی کریمی", "فرمانداری", "09171234567")
    page = client_for("officer").get(reverse("planning:meeting_detail", args=[guest.meeting_id])).content.decode()
    assert "علی کریمی" in page and "فرمانداری" in page and "بررسی برنامه هفته دولت" in page


def test_a_guest_with_a_bad_mobile_gets_a_persian_error_and_keeps_the_form(world, client_for):
    data = meeting_post(world, **{"guests-TOTAL_FORMS": "1", "guests-0-full_name": "علی کریمی",
                                  "guests-0-organisation": "فرمانداری", "guests-0-mobile": "۱۲۳"})
    response = client_for("officer").post(reverse("planning:meeting_create"), data)
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "علی کریمی" in response.content.decode() and "شماره همراه" in response.content.decode()


def test_the_invitation_with_the_agenda_reaches_attendees_in_app_and_guests_by_sms(world, client_for):
    from ravabet.outbox.models import Notification, OutboxMessage

    from ..models import Attendance, Guest

    meeting = upcoming_meeting(world)
    Attendance.objects.create(meeting=meeting, person=Person.objects.get(user=world.staff))
    Person.objects.create(unit=world.county_a, full_name="کارمند بی‌حساب", mobile="09171112233")
    Attendance.objects.create(meeting=meeting, person=Person.objects.get(full_name="کارمند بی‌حساب"))
    Guest.objects.create(meeting=meeting, full_name="نماینده فرمانداری", organisation="فرمانداری", mobile="09179998877")
    Guest.objects.create(meeting=meeting, full_name="بی‌شماره", organisation="شورا")
    response = client_for("officer").post(reverse("planning:meeting_invite", args=[meeting.pk]))
    assert response.status_code == 302
    notice = Notification.objects.get(user=world.staff)
    assert "دعوت به جلسه" in notice.title and "برنامه هفته دولت" in notice.body
    assert notice.url == reverse("planning:meeting_view", args=[meeting.pk])
    sms = set(OutboxMessage.objects.filter(source="planning.meeting_invitation").values_list("recipient", flat=True))
    assert sms == {"09171112233", "09179998877"}
    meeting.refresh_from_db()
    assert meeting.invited_at is not None


def test_no_invitation_after_the_meeting_began_or_without_an_agenda(world):
    from django.utils import timezone

    from ravabet.outbox.models import Notification

    past = make_meeting(world.county_a, when=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(Exception, match="آغاز شده"):
        services.meeting_invite(meeting=past, by=world.officer)
    with pytest.raises(Exception, match="دستور جلسه"):
        services.meeting_invite(meeting=upcoming_meeting(world, agenda=""), by=world.officer)
    assert not Notification.objects.filter(title__contains="دعوت").exists()


def test_signed_minutes_go_through_the_upload_pipeline_and_only_pdf_or_images_pass(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = make_meeting(world.county_a)
    url = reverse("planning:meeting_minutes_upload", args=[meeting.pk])
    refused_page = client_for("officer").post(url, {"signed_minutes": SimpleUploadedFile("m.exe", b"MZ\x90\x00binary")})
    assert refused_page.status_code == 400
    meeting.refresh_from_db()
    assert not meeting.signed_minutes
    pdf = SimpleUploadedFile("صورتجلسه.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf")
    assert client_for("officer").post(url, {"signed_minutes": pdf}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.signed_minutes.name.endswith(".pdf") and "صورتجلسه" not in meeting.signed_minutes.name
    download = client_for("manager").get(reverse("planning:meeting_signed_minutes", args=[meeting.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_decision_owners_are_reminded_before_the_due_date_once(world):
    from ravabet.outbox.models import Notification, OutboxMessage

    from ..tasks import remind_decisions

    meeting = make_meeting(world.county_a, decisions=0)
    mine = Decision.objects.create(meeting=meeting, unit=world.county_a, text="تهیه گزارش تصویری",
                                   owner=Person.objects.get(user=world.staff), due_date=jalali.today() + dt.timedelta(days=2))
    no_account = Person.objects.create(unit=world.county_a, full_name="راننده اداره", mobile="09173334455")
    Decision.objects.create(meeting=meeting, unit=world.county_a, text="آماده‌سازی خودرو", owner=no_account,
                            due_date=jalali.today() + dt.timedelta(days=1))
    Decision.objects.create(meeting=meeting, unit=world.county_a, text="دور", owner=no_account,
                            due_date=jalali.today() + dt.timedelta(days=30))
    Decision.objects.create(meeting=meeting, unit=world.county_a, text="انجام‌شده", owner=no_account, done=True,
                            due_date=jalali.today() + dt.timedelta(days=1))
    assert remind_decisions() == 2
    assert remind_decisions() == 0
    notice = Notification.objects.get(user=world.staff, title__contains="یادآوری")
    assert "تهیه گزارش تصویری" in notice.body and notice.url == reverse("planning:mine")
    assert OutboxMessage.objects.get(source="planning.decision_reminder").recipient == "09173334455"
    Decision.objects.filter(pk=mine.pk).update(due_date=jalali.today() + dt.timedelta(days=3))
    assert remind_decisions() == 1  # a moved due date reminds again


def test_staff_see_their_decisions_and_the_minutes_of_meetings_they_attended(world, client_for,
                                                                            django_assert_max_num_queries):
    from ..models import Attendance

    attended = make_meeting(world.county_a, decisions=0)
    attended.minutes = "گزارش کارهای ماه خوانده شد."
    attended.save(update_fields=["minutes"])
    Attendance.objects.create(meeting=attended, person=Person.objects.get(user=world.staff))
    other = make_meeting(world.county_a, decisions=0)
    Decision.objects.create(meeting=other, unit=world.county_a, text="عکاسی از مراسم",
                            owner=Person.objects.get(user=world.staff), due_date=jalali.today())
    not_mine = make_meeting(world.county_a, decisions=0)
    client = client_for("staff")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("planning:mine")).content.decode()
    assert "عکاسی از مراسم" in page and reverse("planning:meeting_view", args=[attended.pk]) in page
    assert "گزارش کارهای ماه" in client.get(reverse("planning:meeting_view", args=[attended.pk])).content.decode()
    assert client.get(reverse("planning:meeting_view", args=[other.pk])).status_code == 200
    assert client.get(reverse("planning:meeting_view", args=[not_mine.pk])).status_code == 404
    assert client.get(reverse("planning:meeting_detail", args=[attended.pk])).status_code == 404
