"""F2 and F5: events, their run-sheet, guests, invitations (card, SMS, RSVP) and check-in at the door."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.events import services
from ravabet.events.models import Event, EventState, Guest, Rsvp, RunSheetKind, RunSheetState
from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move

from .factories import make_event, make_guest

pytestmark = pytest.mark.django_db
LIST = reverse("events:list")


def _step(event, name):
    return reverse("workflow:transition", args=["events.event", event.pk, name])


def _started(event, hours=1):
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=hours))
    event.refresh_from_db()
    return event


def _when(days=3):
    return jalali.format_datetime(timezone.now() + dt.timedelta(days=days), persian=False)


def test_the_officer_creates_an_event_and_gets_the_twelve_rows_of_the_run_sheet(client_for, world):
    response = client_for("officer").post(reverse("events:create"), {
        "kind": "ceremony", "title": "آیین گرامیداشت روز کارمند", "venue": "سالن اجتماعات", "starts_at": _when()})
    event = Event.objects.get()
    assert response.status_code == 302 and event.unit == world.county_a
    assert event.items.count() == len(RunSheetKind.values) == 12
    page = client_for("officer").get(reverse("events:detail", args=[event.pk])).content.decode()
    for label in ("قاری قرآن", "سرود ملی", "گروه‌های هنری", "صدا و نور", "فیلم‌برداری", "پارچه‌نوشته و بنر"):
        assert label in page


def test_the_event_form_keeps_what_was_typed_and_shows_persian_errors(client_for, world):
    response = client_for("officer").post(reverse("events:create"), {
        "kind": "ceremony", "title": "آیین روز کارمند", "venue": "", "starts_at": "فردا"})
    page = response.content.decode()
    assert response.status_code == 200 and "آیین روز کارمند" in page and "این بخش را پر کنید." in page
    assert not Event.objects.exists()


def test_a_run_sheet_row_gets_a_responsible_person_who_is_notified(client_for, world):
    event = make_event(world.county_a)
    row = event.items.get(kind=RunSheetKind.QURAN)
    staff = Person.objects.get(user=world.staff)
    client_for("officer").post(reverse("events:runsheet", args=[event.pk, row.pk]), {
        f"r{row.pk}-person": staff.pk, f"r{row.pk}-state": RunSheetState.ARRANGED, f"r{row.pk}-note": "قاری استان"})
    row.refresh_from_db()
    assert row.person == staff and row.state == RunSheetState.ARRANGED and row.note == "قاری استان"
    assert Notification.objects.filter(user=world.staff, title__contains="قاری قرآن").exists()


def test_a_person_of_another_unit_cannot_be_put_on_the_run_sheet(world):
    event = make_event(world.county_a)
    other = Person.objects.get(user=world.outsider)
    with pytest.raises(ValidationError):
        services.runsheet_update(item=event.items.first(), by=world.officer, person=other,
                                 state=RunSheetState.READY)


def test_guests_get_an_sms_once_with_their_own_rsvp_link(client_for, world):
    event = make_event(world.county_a)
    guest = make_guest(event)
    make_guest(event, name="بی‌شماره", mobile="")
    client = client_for("officer")
    client.post(reverse("events:invite", args=[event.pk]))
    client.post(reverse("events:invite", args=[event.pk]))
    messages = OutboxMessage.objects.filter(source="events")
    assert messages.count() == 1
    assert guest.token in messages.get().body and messages.get().recipient == "09121234567"


def test_a_bad_mobile_is_refused_and_the_guest_form_keeps_the_name(client_for, world):
    event = make_event(world.county_a)
    response = client_for("officer").post(reverse("events:guest_add", args=[event.pk]),
                                          {"name": "مهندس کریمی", "mobile": "12345"})
    page = response.content.decode()
    assert response.status_code == 400 and "مهندس کریمی" in page and "invalid-feedback" in page
    assert not Guest.objects.exists()


def test_the_invitation_card_is_a_pdf_with_a_qr_code(client_for, world):
    event = make_event(world.county_a)
    guest = make_guest(event)
    response = client_for("officer").get(reverse("events:card", args=[event.pk, guest.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"/Image" in response.content


def test_the_qr_code_holds_the_public_rsvp_link():
    from ravabet.events.views import qr_data_uri

    uri = qr_data_uri("http://testserver/public/events/rsvp/abc/")
    assert uri.startswith("data:image/png;base64,")


def test_a_guest_accepts_with_companions_on_the_public_page_and_may_change_their_answer(client, world):
    event = make_event(world.county_a)
    Event.objects.filter(pk=event.pk).update(created_by=world.officer)
    event.refresh_from_db()
    guest = make_guest(event)
    url = reverse("events:rsvp", args=[guest.token])
    assert client.post(url, {"answer": "accept", "companions": "2"}).status_code == 302
    guest.refresh_from_db()
    assert guest.rsvp == Rsvp.ACCEPTED and guest.companions == 2
    assert Notification.objects.filter(user=world.officer, title__contains="می‌آید").exists()
    client.post(url, {"answer": "decline", "companions": "2"})
    guest.refresh_from_db()
    assert guest.rsvp == Rsvp.DECLINED and guest.companions == 0


def test_the_rsvp_page_refuses_too_many_companions_in_persian(client, world):
    guest = make_guest(make_event(world.county_a))
    response = client.post(reverse("events:rsvp", args=[guest.token]), {"answer": "accept", "companions": "40"})
    assert response.status_code == 200 and "بیش از ۱۰ همراه" in response.content.decode()


def test_guessing_invitation_tokens_from_one_address_is_slowed_on_the_page_and_the_api_together(client, world):
    """Issue 13 §3: the page and the API share INVITATION_LIMIT per address (lib.ratelimit); beyond it a GET
    answers 429 in Persian, a POST is refused on the form with the typed answer kept, another address goes on."""
    from django.test import Client

    from ravabet.events.views import INVITATION_LIMIT

    guest = make_guest(make_event(world.county_a))
    misses = [client.get(reverse("events:rsvp", args=[f"{guest.token}x"])).status_code
              for _ in range(INVITATION_LIMIT.limit - 1)]
    assert set(misses) == {404}
    assert client.get(f"/api/v1/public/invitations/{guest.token}").status_code == 200  # the last one allowed
    limited = client.get(reverse("events:rsvp", args=[guest.token]))
    assert limited.status_code == 429 and "بیش از اندازه" in limited.content.decode()
    posted = client.post(reverse("events:rsvp", args=[guest.token]), {"answer": "accept", "companions": "۳"})
    page = posted.content.decode()
    assert posted.status_code == 429 and "«ثبت پاسخ»" in page and 'value="۳"' in page
    guest.refresh_from_db()
    assert guest.rsvp == Rsvp.PENDING
    assert Client(REMOTE_ADDR="10.9.9.9").get(reverse("events:rsvp", args=[guest.token])).status_code == 200


def test_an_unknown_token_is_404_and_tokens_are_long_and_random(client, world):
    event = make_event(world.county_a)
    a, b = make_guest(event), make_guest(event, name="دوم")
    assert a.token != b.token and len(a.token) >= 20
    assert client.get(reverse("events:rsvp", args=["not-a-token"])).status_code == 404


def test_no_answer_after_the_event_has_started(world):
    event = make_event(world.county_a)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.guest_respond(guest=make_guest(event), accept=True)


def test_check_in_takes_the_scanned_link_once_and_the_figures_count_companions(client_for, world):
    event = make_event(world.county_a)
    guest = make_guest(event)
    services.guest_respond(guest=guest, accept=True, companions=1)
    make_guest(event, name="غایب")
    client = client_for("officer")
    url = reverse("events:check_in", args=[event.pk])
    link = f"http://testserver/public/events/rsvp/{guest.token}/"
    response = client.post(url, {"token": link})
    assert "خوش آمدید" in response.content.decode() and "check-in-warning" not in response.content.decode()
    again = client.post(url, {"token": guest.token}).content.decode()
    assert "پیش‌تر ثبت شده" in again
    figures = services.attendance_figures(event)
    assert figures == {"invited": 2, "accepted": 1, "declined": 0, "pending": 1, "expected": 2,
                       "checked_in": 1, "present": 2}
    move(_started(event), "hold", by=world.officer)
    event.refresh_from_db()
    assert event.state == EventState.HELD and event.attendance == 2


def test_check_in_is_refused_for_a_cancelled_event(client_for, world):
    """Issue 9: a guest could be let in to a cancelled event."""
    event = make_event(world.county_a)
    guest = make_guest(event)
    move(event, "cancel", by=world.officer)
    response = client_for("officer").post(reverse("events:check_in", args=[event.pk]), {"token": guest.token})
    assert "لغو شده" in response.content.decode()
    guest.refresh_from_db()
    assert guest.checked_in_at is None
    with pytest.raises(ValidationError):
        services.guest_check_in(event=event, by=world.officer, token=guest.token)


def test_a_guest_who_declined_is_let_in_with_a_warning(client_for, world):
    """Issue 9: the doorkeeper is warned, in Persian, about a guest who said they would not come."""
    event = make_event(world.county_a)
    guest = make_guest(event)
    services.guest_respond(guest=guest, accept=False)
    response = client_for("officer").post(reverse("events:check_in", args=[event.pk]), {"token": guest.token})
    page = response.content.decode()
    assert "check-in-warning" in page and "نمی‌آید" in page and "خوش آمدید" in page
    guest.refresh_from_db()
    assert guest.checked_in_at is not None


def test_a_card_of_another_event_does_not_check_in(world):
    guest = make_guest(make_event(world.county_a))
    with pytest.raises(ValidationError):
        services.guest_check_in(event=make_event(world.county_a, title="دیگری"), by=world.officer,
                                token=guest.token)


def test_an_event_is_held_only_after_it_starts(client_for, world):
    """Issue 9: an event could be marked held months before its date."""
    event = make_event(world.county_a, days=30)
    client = client_for("officer")
    assert "برگزار شد" not in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    refused = client.post(_step(event, "hold"), {"headcount": "12"})
    assert refused.status_code == 403 and "هنوز شروع نشده" in refused.content.decode()
    event.refresh_from_db()
    assert event.state == EventState.PLANNED and event.attendance is None and not ActionLog.objects.exists()
    _started(event)
    assert "برگزار شد" in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert client.post(_step(event, "hold"), {"headcount": "۱۲"}).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.HELD and event.attendance == 12


def test_a_headcount_that_is_not_a_number_is_refused_on_its_field(client_for, world):
    event = _started(make_event(world.county_a))
    response = client_for("officer").post(_step(event, "hold"), {"headcount": "زیاد"})
    page = response.content.decode()
    assert response.status_code == 400 and "با عدد" in page and "زیاد" in page
    event.refresh_from_db()
    assert event.state == EventState.PLANNED


def test_an_event_waits_to_be_marked_held_only_once_it_has_started(world):
    from ravabet.offices.access import Access
    from ravabet.workflow.engine import waiting_filter

    future, past = make_event(world.county_a, days=5), _started(make_event(world.county_a, title="گذشته"))
    waiting = list(Event.objects.filter(waiting_filter(Event, Access(world.officer))))
    assert waiting == [past] and future not in waiting


@pytest.mark.parametrize(("source", "allowed"), [
    (EventState.PLANNED, {"hold", "cancel"}), (EventState.CANCELLED, {"replan"}), (EventState.HELD, set())])
def test_every_event_state_allows_exactly_its_declared_steps(world, source, allowed):
    for name in ("hold", "cancel", "replan"):
        event = _started(make_event(world.county_a, state=source))
        try:
            move(event, name, by=world.officer)
        except TransitionRefused:
            assert name not in allowed
        else:
            assert name in allowed


def test_staff_and_another_county_cannot_move_an_event(client_for, world):
    event = make_event(world.county_a)
    with pytest.raises(RoleRefused):
        move(event, "cancel", by=world.staff)
    assert client_for("outsider").post(_step(event, "cancel")).status_code == 404
    assert client_for("hq_expert").post(_step(event, "cancel")).status_code == 302


def test_a_held_or_cancelled_event_is_not_changed_any_more(world):
    event = make_event(world.county_a)
    move(event, "cancel", by=world.officer)
    event.refresh_from_db()
    for change in (lambda: services.guest_add(event=event, by=world.officer, name="x"),
                   lambda: services.event_update(event=event, by=world.officer, title="y"),
                   lambda: services.invitations_send(event=event, by=world.officer, base_url="http://x/")):
        with pytest.raises(ValidationError):
            change()


def test_staff_cannot_change_an_event(world):
    with pytest.raises(PermissionDenied):
        services.guest_add(event=make_event(world.county_a), by=world.staff, name="x")


def test_county_b_cannot_see_or_change_county_a_events(client_for, world):
    event = make_event(world.county_a)
    client = client_for("outsider")
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:guest_add", args=[event.pk]), {"name": "x"}).status_code == 404
    assert len(client.get(LIST).context["page_obj"]) == 0


def test_the_guest_list_and_the_event_list_export_to_excel(client_for, world):
    from openpyxl import load_workbook

    event = make_event(world.county_a)
    make_guest(event)
    client = client_for("officer")
    sheet = load_workbook(io.BytesIO(client.get(reverse("events:guest_export", args=[event.pk])).content)).active
    assert sheet.cell(2, 1).value == "دکتر علی رضایی"
    sheet = load_workbook(io.BytesIO(client.get(LIST + "?export=xlsx").content)).active
    assert sheet.cell(2, 1).value == event.title


def test_the_run_sheet_prints_as_pdf(client_for, world):
    response = client_for("manager").get(reverse("events:runsheet_pdf", args=[make_event(world.county_a).pk]))
    assert response.content.startswith(b"%PDF")


def test_the_event_list_runs_the_same_number_of_queries_for_3_and_30_rows(client_for, world,
                                                                           django_assert_num_queries):
    client = client_for("hq_head")
    for n in range(3):
        make_guest(make_event(world.county_a, title=f"مراسم {n}"))
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(27):
        make_guest(make_event(world.county_b, title=f"مراسم بیشتر {n}"))
    with django_assert_num_queries(len(few)):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 30
    assert {(e.guest_count, e.ready) for e in response.context["page_obj"]} == {(1, 0)}


def test_the_event_page_runs_the_same_number_of_queries_for_3_and_30_guests(client_for, world,
                                                                             django_assert_num_queries):
    event = make_event(world.county_a)
    for n in range(3):
        make_guest(event, name=f"مهمان {n}")
    client = client_for("officer")
    url = reverse("events:detail", args=[event.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(27):
        make_guest(event, name=f"مهمان بیشتر {n}")
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    # The page also reads the record's choices (coordination meetings, news, library photos), its photos, its
    # announcements to staff (B6) and the unit's directory of outside people (one query each).
    assert len(response.context["guests"]) == 30 and len(few) <= 31
