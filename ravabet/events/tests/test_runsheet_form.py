"""F2: the run-sheet is one form (all rows saved together) with a timed programme and outside persons."""

import datetime as dt

import pytest
from django.urls import reverse

from ravabet.events.models import RunSheetKind, RunSheetState
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification

from .factories import make_event

pytestmark = pytest.mark.django_db


def _data(event, **changes):
    """The whole form as the page posts it, with `changes` {kind: {field: value}}."""
    data = {}
    for row in event.items.all():
        values = {"order": str(row.order), "start_time": "", "duration": "", "person": "", "outside_person": "",
                  "state": row.state, "note": row.note} | changes.get(row.kind, {})
        data |= {f"r{row.pk}-{name}": value for name, value in values.items()}
    return data


def test_every_row_is_saved_at_once_with_times_and_an_outside_reciter(client_for, world):
    event = make_event(world.county_a)
    staff = Person.objects.get(user=world.staff)
    response = client_for("officer").post(reverse("events:runsheet_save", args=[event.pk]), _data(
        event,
        quran={"order": "۰", "start_time": "۱۰:۰۰", "duration": "۱۰", "outside_person": "استاد کریم منصوری",
               "state": RunSheetState.ARRANGED},
        host={"order": "۱", "start_time": "10:10", "duration": "5", "person": str(staff.pk)},
        speaker={"order": "1", "start_time": "۱۰:۱۵", "duration": "۲۰", "note": "فرماندار"}))
    assert response.status_code == 302
    quran, host, speaker = (event.items.get(kind=k) for k in (RunSheetKind.QURAN, RunSheetKind.HOST,
                                                                   RunSheetKind.SPEAKER))
    assert quran.outside_person == "استاد کریم منصوری" and quran.start_time == dt.time(10, 0) and quran.duration == 10
    assert quran.responsible == "استاد کریم منصوری" and quran.state == RunSheetState.ARRANGED
    assert host.person == staff and host.order == 1 and speaker.note == "فرماندار"
    assert Notification.objects.filter(user=world.staff, title__contains="مجری").count() == 1
    assert list(event.items.all()[:3]) == [quran, host, speaker]
    page = client_for("officer").get(reverse("events:detail", args=[event.pk])).content.decode()
    assert page.count('class="list-group-item runsheet-row"') == 12 and "ذخیره همه بندها" in page
    pdf = client_for("officer").get(reverse("events:runsheet_pdf", args=[event.pk]))
    assert pdf.status_code == 200


def test_one_bad_row_saves_nothing_and_keeps_what_was_typed_in_every_row(client_for, world):
    event = make_event(world.county_a)
    staff = Person.objects.get(user=world.staff)
    response = client_for("officer").post(reverse("events:runsheet_save", args=[event.pk]), _data(
        event, quran={"outside_person": "استاد منصوری"},
        host={"start_time": "۲۵:۹۹"},
        speaker={"person": str(staff.pk), "outside_person": "آقای دیگری"}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "ساعت را مانند ۱۰:۳۰ بنویسید." in page and "۲۵:۹۹" in page and "استاد منصوری" in page
    assert not event.items.exclude(outside_person="").exists()
    response = client_for("officer").post(reverse("events:runsheet_save", args=[event.pk]), _data(
        event, speaker={"person": str(staff.pk), "outside_person": "آقای دیگری"}))
    assert response.status_code == 400 and "نه هر دو" in response.content.decode()
    assert not event.items.filter(person__isnull=False).exists()


def test_a_person_of_another_unit_or_a_held_event_is_refused(client_for, world):
    event = make_event(world.county_a)
    other = Person.objects.get(user=world.outsider)
    response = client_for("officer").post(reverse("events:runsheet_save", args=[event.pk]),
                                          _data(event, host={"person": str(other.pk)}))
    assert response.status_code == 400 and not event.items.filter(person=other).exists()
    assert client_for("outsider").post(reverse("events:runsheet_save", args=[event.pk]), _data(event)).status_code == 404


def test_a_saved_start_time_is_shown_in_persian_digits(client_for, world):
    event = make_event(world.county_a)
    event.items.filter(kind=RunSheetKind.QURAN).update(start_time=dt.time(9, 5))
    page = client_for("officer").get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'value="۰۹:۰۵"' in page and 'value="09:05"' not in page
