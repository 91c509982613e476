"""F5: guests are edited and removed, one guest per mobile (or name) per event, a printed card invites."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.events import services
from ravabet.events.models import Guest

from .factories import make_event, make_guest

pytestmark = pytest.mark.django_db


def test_the_same_mobile_or_the_same_name_without_a_mobile_is_refused(client_for, world):
    event = make_event(world.county_a)
    client = client_for("officer")
    url = reverse("events:guest_add", args=[event.pk])
    client.post(url, {"name": "حمید کاظمی", "title": "فرماندار", "mobile": "09171110001"})
    response = client.post(url, {"name": "حمید کاظمی", "title": "فرماندار", "mobile": "۰۹۱۷۱۱۱۰۰۰۱"})
    assert response.status_code == 400 and "با همین شماره همراه در فهرست هست" in response.content.decode()
    client.post(url, {"name": "سعید قاسمی"})
    response = client.post(url, {"name": "سعيد  قاسمی"})  # Arabic ي and a double space: the same name
    assert response.status_code == 400 and "با همین نام" in response.content.decode()
    assert event.guests.count() == 2
    # Another event may invite the same person.
    services.guest_add(event=make_event(world.county_a, title="دیگر"), by=world.officer, name="حمید کاظمی",
                       mobile="09171110001")


def test_a_guest_is_edited_and_removed_but_not_once_checked_in(client_for, world):
    event = make_event(world.county_a)
    guest = make_guest(event)
    other = make_guest(event, name="مریم احمدی", mobile="09120000000")
    client = client_for("officer")
    edit = reverse("events:guest_edit", args=[event.pk, guest.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"name": "دکتر علی رضایی", "title": "معاون استاندار", "mobile": "09120000000"})
    assert response.status_code == 200 and "مریم احمدی" in response.content.decode()
    assert client.post(edit, {"name": "دکتر علی رضایی", "title": "معاون استاندار", "mobile": "09121234567"}).status_code == 302
    guest.refresh_from_db()
    assert guest.title == "معاون استاندار"
    client.post(reverse("events:guest_delete", args=[event.pk, other.pk]))
    assert not Guest.objects.filter(pk=other.pk).exists()
    assert ActionLog.objects.filter(action="events.guest_deleted").exists()
    Guest.objects.filter(pk=guest.pk).update(checked_in_at=guest.event.starts_at)
    client.post(reverse("events:guest_delete", args=[event.pk, guest.pk]))
    assert Guest.objects.filter(pk=guest.pk).exists()
    with pytest.raises(ValidationError):
        services.guest_delete(guest=Guest.objects.get(pk=guest.pk), by=world.officer)
    assert client_for("outsider").post(reverse("events:guest_delete", args=[event.pk, guest.pk])).status_code == 404


def test_a_printed_card_marks_the_guest_invited_once_and_no_sms_goes_to_them(client_for, world):
    event = make_event(world.county_a)
    guest = make_guest(event)
    client = client_for("officer")
    assert client.get(reverse("events:card", args=[event.pk, guest.pk])).status_code == 200
    guest.refresh_from_db()
    first = guest.invited_at
    assert first and guest.invited_via == "card"
    client.get(reverse("events:card", args=[event.pk, guest.pk]))
    guest.refresh_from_db()
    assert guest.invited_at == first
    assert services.invitations_send(event=event, by=world.officer, base_url="http://x/") == 0


def test_invited_guests_get_an_sms_when_the_event_is_moved_or_cancelled(world):
    import datetime as dt

    from ravabet.outbox.models import OutboxMessage
    from ravabet.workflow.engine import move

    event = make_event(world.county_a)
    event.created_by = world.officer
    event.save()
    invited = make_guest(event)
    services.invitations_send(event=event, by=world.officer, base_url="http://x/")
    make_guest(event, name="مهمان دعوت‌نشده", mobile="09120000000")
    before = OutboxMessage.objects.count()
    services.event_update(event=event, by=world.officer, title=event.title)  # no new time: no SMS
    assert OutboxMessage.objects.count() == before
    services.event_update(event=event, by=world.officer, starts_at=event.starts_at + dt.timedelta(hours=2))
    moved = OutboxMessage.objects.filter(source="events.moved")
    assert [m.recipient for m in moved] == [invited.mobile] and "برگزار می‌شود" in moved[0].body
    move(event, "cancel", by=world.officer)
    cancelled = OutboxMessage.objects.filter(source="events.cancelled")
    assert [m.recipient for m in cancelled] == [invited.mobile] and "برگزار نمی‌شود" in cancelled[0].body


def test_the_doorkeeper_finds_a_guest_by_name_and_lets_them_in_once(client_for, world):
    event = make_event(world.county_a)
    guest = make_guest(event, name="حمید کاظمی")
    make_guest(event, name="مریم احمدی", mobile="09120000000")
    client = client_for("officer")
    url = reverse("events:check_in", args=[event.pk])
    page = client.get(url + "?q=کاظمي").content.decode()  # Arabic ي
    assert "ثبت ورود حمید کاظمی" in page and "مریم احمدی" not in page
    assert "مریم احمدی" in client.get(url + "?q=۰۹۱۲۰۰").content.decode()
    client.post(url, {"token": guest.token})
    guest.refresh_from_db()
    assert guest.checked_in_at
    assert "وارد شده" in client.get(url + "?q=حمید").content.decode()
    response = client.post(url, {"token": guest.token})
    assert "پیش‌تر ثبت شده" in response.content.decode()
