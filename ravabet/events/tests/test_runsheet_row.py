"""Issue 11: the event page draws the run-sheet read-only and each row opens its own form (htmx), saved
through services.runsheet_save; the page's queries do not grow with its rows or guests."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.events.models import EventState, OutsidePerson, RunSheetItem, RunSheetKind, RunSheetState
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification

from .factories import make_event, make_guest

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _row(event, kind=RunSheetKind.QURAN) -> RunSheetItem:
    return event.items.get(kind=kind)


def _url(row) -> str:
    return reverse("events:runsheet", args=[row.event_id, row.pk])


def _post(row, **values) -> dict:
    data = {"order": str(row.order), "start_time": "", "duration": "", "person": "", "outside": "",
            "outside_person": "", "state": row.state, "note": row.note} | values
    return {f"r{row.pk}-{name}": value for name, value in data.items()}


def test_the_event_page_draws_the_run_sheet_read_only_with_an_edit_button_per_row(client_for, world):
    event = make_event(world.county_a)
    event.items.filter(kind=RunSheetKind.QURAN).update(start_time=dt.time(9, 5), duration=10)
    page = client_for("officer").get(reverse("events:detail", args=[event.pk])).content.decode()
    rows = page.split('id="runsheet-rows"', 1)[1].split('<div class="card shadow-sm mb-3">', 1)[0]
    assert rows.count('class="list-group-item runsheet-row"') == 12 and "<select" not in rows
    assert "<input" not in rows and rows.count(">ویرایش</a>") == 12
    quran = _row(event)
    assert f'data-hx-get="{_url(quran)}"' in rows and "ساعت ۰۹:۰۵، ۱۰ دقیقه" in rows
    assert reverse("events:runsheet_save", args=[event.pk]) in page  # the whole run-sheet on its own page
    # The record's long option lists are not drawn until opened.
    assert 'id="record-form"' not in page and 'id="photo-form"' not in page
    assert f'data-hx-get="{reverse("events:record", args=[event.pk])}"' in page


def test_the_row_form_is_loaded_in_place_and_a_valid_post_saves_it_and_redraws_the_row(client_for, world):
    event = make_event(world.county_a)
    row = _row(event)
    staff = Person.objects.get(user=world.staff)
    client = client_for("officer")
    form = client.get(_url(row), **HTMX)
    html = form.content.decode()
    assert form.status_code == 200 and "<html" not in html and f'data-hx-post="{_url(row)}"' in html
    assert f'id="id_r{row.pk}-start_time"' in html and f'<option value="{staff.pk}">کارمند الف</option>' in html
    assert client.get(_url(row)).content.decode().count("<html") == 1  # without script: a page of its own

    response = client.post(_url(row), _post(row, start_time="۱۰:۰۰", duration="۱۰", person=str(staff.pk),
                                            state=RunSheetState.ARRANGED, note="سوره فتح", order="۰"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<form" not in html and "ذخیره شد" in html
    assert 'id="row-quran"' in html and "ساعت ۱۰:۰۰، ۱۰ دقیقه" in html and "کارمند الف" in html
    assert 'data-order="0"' in html  # the script moves it to the top
    row.refresh_from_db()
    assert (row.person, row.start_time, row.duration, row.state, row.note, row.order) == (
        staff, dt.time(10, 0), 10, RunSheetState.ARRANGED, "سوره فتح", 0)
    # Through the run-sheet service: logged on the event's timeline, and the named staff member told.
    assert ActionLog.objects.filter(action="events.runsheet_saved", target_id=event.pk).count() == 1
    assert Notification.objects.filter(user=world.staff, title__contains="قاری قرآن").count() == 1
    # Without script the same post leads back to the event page at the row.
    again = client.post(_url(row), _post(row, note="سوره نصر", person=str(staff.pk), start_time="10:00",
                                         duration="10"))
    assert again.status_code == 302 and again.url.endswith("#row-quran")
    row.refresh_from_db()
    assert row.note == "سوره نصر"
    # «انصراف» draws the row as stored.
    cancel = client.get(_url(row) + "?cancel=1", **HTMX).content.decode()
    assert "<form" not in cancel and "سوره نصر" in cancel


def test_a_refused_row_answers_400_with_the_persian_error_on_the_field_and_what_was_typed(client_for, world):
    event = make_event(world.county_a)
    row = _row(event)
    staff = Person.objects.get(user=world.staff)
    client = client_for("officer")
    response = client.post(_url(row), _post(row, start_time="۲۵:۹۹", note="قاری استان",
                                            outside_person="استاد منصوری"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 400 and "<html" not in html
    field = html.split(f'id="id_r{row.pk}-start_time"', 1)[1].split("</div>", 1)[0]
    assert 'value="۲۵:۹۹"' in html and "ساعت را مانند ۱۰:۳۰ بنویسید." in field
    assert 'value="قاری استان"' in html and 'value="استاد منصوری"' in html
    # Refused by the service (a staff member and an outside person together): on its field too.
    response = client.post(_url(row), _post(row, person=str(staff.pk), outside_person="آقای دیگری"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 400 and "نه هر دو" in html and 'value="آقای دیگری"' in html
    # Without script: the row's page with the error, 400.
    page = client.post(_url(row), _post(row, duration="هزار"))
    assert page.status_code == 400 and "<html" in page.content.decode() and 'value="هزار"' in page.content.decode()
    row.refresh_from_db()
    assert (row.note, row.outside_person, row.person, row.start_time) == ("", "", None, None)
    assert not OutsidePerson.objects.exists()


def test_a_held_event_shows_its_rows_read_only_and_refuses_a_post(client_for, world):
    event = make_event(world.county_a)
    row = _row(event)
    event.state = EventState.HELD
    event.save(update_fields=["state"])
    client = client_for("officer")
    assert "<form" not in client.get(_url(row), **HTMX).content.decode()
    response = client.post(_url(row), _post(row, note="دیر"), **HTMX)
    assert response.status_code == 400 and "دیگر تغییر نمی‌کند" in response.content.decode()
    assert client.get(reverse("events:detail", args=[event.pk])).content.decode().count(">ویرایش</a>") == 0


def test_another_units_officer_or_a_staff_member_cannot_open_or_save_a_row(client_for, world):
    event = make_event(world.county_a)
    row = _row(event)
    for who in ("outsider", "staff"):
        client = client_for(who)
        assert client.get(_url(row), **HTMX).status_code == 404
        assert client.post(_url(row), _post(row, note="دستکاری"), **HTMX).status_code == 404
    # A row of another event is not reached through this event's address.
    other = make_event(world.county_b)
    assert client_for("officer").get(reverse("events:runsheet", args=[event.pk, _row(other).pk])).status_code == 404
    row.refresh_from_db()
    assert row.note == ""


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_event_page_runs_the_same_queries_for_one_row_and_guest_as_for_a_full_run_sheet_and_many_guests(
        client_for, world):
    client = client_for("officer")
    small = make_event(world.county_a, title="مراسم کوچک")
    small.items.exclude(kind=RunSheetKind.HOST).delete()
    make_guest(small)
    few = _queries(client, reverse("events:detail", args=[small.pk]))

    full = make_event(world.county_a, title="مراسم بزرگ")
    staff = Person.objects.get(user=world.staff)
    reciter = OutsidePerson.objects.create(unit=world.county_a, full_name="استاد کریم منصوری")
    full.items.filter(order__lte=6).update(person=staff, state=RunSheetState.READY)
    full.items.filter(order__gt=6).update(outside=reciter, start_time=dt.time(10, 0))
    for n in range(70):
        make_guest(full, name=f"مهمان {n}", mobile="")
    url = reverse("events:detail", args=[full.pk])
    assert _queries(client, url) == few
    response = client.get(url)
    assert len(response.context["guests"]) == 50 and response.context["figures"]["invited"] == 70
    assert "صفحه ۱ از ۲" in response.content.decode()
    assert len(client.get(url + "?page=2").context["guests"]) == 20


def test_the_records_forms_open_on_demand(client_for, world):
    event = make_event(world.county_a)
    client = client_for("officer")
    for name, marker in (("events:record", 'id="record-form"'), ("events:photos", 'id="photo-form"')):
        url = reverse(name, args=[event.pk])
        part = client.get(url, **HTMX).content.decode()
        assert marker in part and "<html" not in part
        page = client.get(url).content.decode()
        assert marker in page and "<html" in page
    assert client_for("outsider").get(reverse("events:record", args=[event.pk])).status_code == 404
    # A refused post still draws the form, open, on the event page.
    response = client.post(reverse("events:record", args=[event.pk]), {"meeting": "999999"})
    html = response.content.decode()
    assert response.status_code == 400 and 'id="record-form"' in html and "در فهرست جلسه‌های هماهنگی نیست" in html
    assert '<details id="record-details" open>' in html
