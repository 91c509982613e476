"""F2: a staff member named on a run-sheet is told, and the link opens the rows that name them."""

import datetime as dt

import pytest
from django.urls import reverse

from ravabet.events.models import RunSheetKind, RunSheetState
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification

from .factories import make_event

pytestmark = pytest.mark.django_db


def test_the_link_a_staff_member_is_sent_opens_their_run_sheet_role(client_for, world):
    event = make_event(world.county_a)
    row = event.items.get(kind=RunSheetKind.QURAN)
    staff = Person.objects.get(user=world.staff)
    client_for("officer").post(reverse("events:runsheet", args=[event.pk, row.pk]), {
        f"r{row.pk}-person": staff.pk, f"r{row.pk}-state": RunSheetState.ARRANGED, f"r{row.pk}-note": "سوره فتح"})
    notice = Notification.objects.get(user=world.staff, title__contains="قاری قرآن")
    response = client_for("staff").get(notice.url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="item-{row.pk}"' in page and event.title in page and "سوره فتح" in page and "قاری قرآن" in page
    # Staff are not sent to the event page they cannot open; the unit's officer is.
    assert reverse("events:detail", args=[event.pk]) not in page


def test_each_person_sees_only_the_rows_that_name_them(client_for, world, django_assert_max_num_queries):
    event = make_event(world.county_a)
    event.items.filter(kind=RunSheetKind.HOST).update(person=Person.objects.get(user=world.officer))
    event.items.filter(kind=RunSheetKind.SPEAKER).update(person=Person.objects.get(user=world.manager))
    client = client_for("officer")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("events:my_roles")).content.decode()
    assert "مجری" in page and "سخنران" not in page
    assert reverse("events:detail", args=[event.pk]) in page
    assert "سپرده نشده" in client_for("staff").get(reverse("events:my_roles")).content.decode()


def test_staff_read_the_minutes_of_the_meetings_they_attended_and_not_of_others(client_for, world,
                                                                                django_assert_max_num_queries):
    from django.utils import timezone

    from ravabet.planning.models import Attendance, Decision, Meeting, MeetingKind

    start = timezone.now() - dt.timedelta(days=1)
    staff = Person.objects.get(user=world.staff)
    attended, other = (Meeting.objects.create(unit=world.hq, kind=MeetingKind.COORDINATION, title=title,
                                              starts_at=start, ends_at=start + dt.timedelta(hours=1), place="سالن",
                                              minutes=f"صورت‌جلسه {title}") for title in ("هماهنگی دهه فجر", "جلسه دیگر"))
    Attendance.objects.create(meeting=attended, person=staff)
    Decision.objects.create(meeting=attended, unit=world.hq, text="آذین‌بندی سردر اداره", due_date=start.date())
    client = client_for("staff")
    client.get(reverse("events:my_roles"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:my_roles")).content.decode()
    assert "صورت‌جلسه هماهنگی دهه فجر" in page and "آذین‌بندی سردر اداره" in page
    assert "جلسه دیگر" not in page
    # HQ's meeting page is not theirs to open: the minutes are on this page, not behind a 404 link.
    assert reverse("planning:meeting_detail", args=[attended.pk]) not in page
