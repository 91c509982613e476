"""F2: the whole run-sheet is one form on its own page (all rows saved together) with a timed programme and
outside persons; the event page draws the rows read-only (test_runsheet_row)."""

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
    assert page.count('class="list-group-item runsheet-row"') == 12 and "استاد کریم منصوری" in page
    form = client_for("officer").get(reverse("events:runsheet_save", args=[event.pk])).content.decode()
    assert form.count('<fieldset class="list-group-item runsheet-row"') == 12 and "ذخیره همه بندها" in form
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
    assert "ساعت ۰۹:۰۵" in page and "09:05" not in page
    form = client_for("officer").get(reverse("events:runsheet_save", args=[event.pk])).content.decode()
    assert 'value="۰۹:۰۵"' in form and 'value="09:05"' not in form


def test_an_outside_person_is_picked_from_the_units_directory_and_a_new_name_joins_it(client_for, world):
    """Issue 15 §5: the run-sheet's person is staff or an outside person from the directory; a name typed
    on the run-sheet is added to the directory (kept as typed) and the next ceremony picks it."""
    from ravabet.events.models import OutsidePerson

    event = make_event(world.county_a)
    client = client_for("officer")
    client.post(reverse("events:runsheet_save", args=[event.pk]), _data(
        event, quran={"outside_person": "استاد  کریم منصوری"}, speaker={"outside_person": "دکتر سارا امینی"}))
    reciter = OutsidePerson.objects.get(full_name="استاد  کریم منصوری")
    assert reciter.unit == world.county_a and reciter.role == "قاری قرآن"
    assert event.items.get(kind=RunSheetKind.QURAN).outside == reciter
    assert OutsidePerson.objects.count() == 2
    # The next ceremony offers the directory; picking from it names the same person, no second entry.
    second = make_event(world.county_a, title="جشن روز معلم")
    page = client.get(reverse("events:runsheet_save", args=[second.pk])).content.decode()
    assert f'<option value="{reciter.pk}">استاد  کریم منصوری (قاری قرآن)</option>' in page
    response = client.post(reverse("events:runsheet_save", args=[second.pk]), _data(
        second, quran={"outside": str(reciter.pk)}, host={"outside_person": "استاد کریم منصوری"}))
    assert response.status_code == 302
    assert second.items.get(kind=RunSheetKind.QURAN).responsible == "استاد  کریم منصوری"
    assert second.items.get(kind=RunSheetKind.HOST).outside == reciter  # same name, spacing forgiven
    assert OutsidePerson.objects.count() == 2
    # Another county's directory entry cannot be slipped in; nor a pick and a typed name together.
    theirs = OutsidePerson.objects.create(unit=world.county_b, full_name="قاری شهرستان ب")
    response = client.post(reverse("events:runsheet_save", args=[second.pk]), _data(
        second, quran={"outside": str(theirs.pk)}))
    assert response.status_code == 400 and second.items.get(kind=RunSheetKind.QURAN).outside == reciter
    response = client.post(reverse("events:runsheet_save", args=[second.pk]), _data(
        second, anthem={"outside": str(reciter.pk), "outside_person": "دیگری"}))
    assert response.status_code == 400 and "نه هر دو" in response.content.decode()
    assert not OutsidePerson.objects.filter(full_name="دیگری").exists()


def test_the_run_sheet_sent_twice_is_saved_once(client_for, world):
    """Issue 13 §7: the run-sheet form carries a one-time token; a resend after a teammate's change does
    not write the old values over it."""
    event = make_event(world.county_a)
    client = client_for("officer")
    page = client.get(reverse("events:runsheet_save", args=[event.pk])).content.decode()
    token = page.split('name="submit_token" value="', 1)[1][:32]
    data = _data(event, quran={"outside_person": "استاد منصوری"}) | {"submit_token": token}
    assert client.post(reverse("events:runsheet_save", args=[event.pk]), data).status_code == 302
    event.items.filter(kind=RunSheetKind.QURAN).update(note="تغییر همکار")
    again = client.post(reverse("events:runsheet_save", args=[event.pk]), data, follow=True)
    assert "پیش‌تر فرستاده و ثبت شده" in again.content.decode()
    assert event.items.get(kind=RunSheetKind.QURAN).note == "تغییر همکار"


def test_the_directory_of_outside_people_is_kept_on_its_own_page(client_for, world, django_assert_max_num_queries):
    from ravabet.events.models import OutsidePerson

    client = client_for("officer")
    url = reverse("events:outside_people")
    page = client.get(url).content.decode()
    token = page.split('name="submit_token" value="', 1)[1][:32]
    data = {"full_name": "استاد کریم منصوری", "role": "قاری قرآن", "mobile": "۰۹۱۷۱۲۳۴۵۶۷", "submit_token": token}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # sent twice, added once
    reciter = OutsidePerson.objects.get()
    assert (reciter.unit, reciter.mobile) == (world.county_a, "09171234567")
    again = client.post(url, {"full_name": "استاد  كريم منصوری", "role": "سخنران", "mobile": ""})
    html = again.content.decode()
    assert again.status_code == 200 and "در فهرست اشخاص بیرونی همین اداره هست" in html and "سخنران" in html
    bad = client.post(url, {"full_name": "دکتر سارا امینی", "role": "", "mobile": "0917"}).content.decode()
    assert "invalid-feedback" in bad and 'value="دکتر سارا امینی"' in bad and OutsidePerson.objects.count() == 1
    client.post(reverse("events:outside_person", args=[reciter.pk]), {"full_name": "استاد کریم منصوری",
                                                                      "role": "قاری و مداح", "mobile": ""})
    reciter.refresh_from_db()
    assert reciter.role == "قاری و مداح"
    for n in range(20):
        OutsidePerson.objects.create(unit=world.county_a, full_name=f"مهمان {n}")
    with django_assert_max_num_queries(12):
        assert len(client.get(url).context["page_obj"]) == 21
    assert "استاد کریم منصوری" not in client_for("outsider").get(url).content.decode()
