"""B6: a staff meeting announces itself in one step, linked to it."""

import pytest
from django.urls import reverse

from ravabet.messaging.models import Announcement
from ravabet.planning.tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def test_a_staff_meeting_announces_itself_to_the_units_staff_in_one_step(world, client_for):
    meeting = make_meeting(world.county_a)
    response = client_for("officer").post(reverse("planning:meeting_announce", args=[meeting.pk]))
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == announcement.get_absolute_url()
    assert announcement.title == f"جلسه: {meeting.title}" and meeting.place in announcement.body
    assert announcement.about_url == reverse("planning:meeting_detail", args=[meeting.pk])
    assert world.staff.person.pk in announcement.audience_ids
    page = client_for("officer").get(announcement.get_absolute_url()).content.decode()
    assert announcement.about_url in page
    # Pressed again: the guard sends the officer to the prefilled form instead of a second message.
    again = client_for("officer").post(reverse("planning:meeting_announce", args=[meeting.pk]))
    assert Announcement.objects.count() == 1 and "messaging/announcements/new/" in again["Location"]
    # The form it leads to keeps the link to the meeting: sent with a reason, the second one names it too.
    form = client_for("officer").get(again["Location"])
    assert f'name="meeting" value="{meeting.pk}"' in form.content.decode()
    initial = form.context["form"].initial
    client_for("officer").post(again["Location"], {
        "meeting": meeting.pk, "kind": initial["kind"], "title": initial["title"], "body": initial["body"],
        "via_app": "on", "target_units": [world.county_a.pk], "confirm_duplicate": "on",
        "override_reason": "یادآوری دوباره به خواست مدیر"})
    second = Announcement.objects.order_by("pk").last()
    assert Announcement.objects.count() == 2 and second.about_url == announcement.about_url


def test_only_the_meetings_unit_announces_it(world, client_for):
    meeting = make_meeting(world.county_a)
    assert client_for("outsider").post(reverse("planning:meeting_announce", args=[meeting.pk])).status_code == 404
    assert client_for("staff").post(reverse("planning:meeting_announce", args=[meeting.pk])).status_code in (403, 404)
    assert not Announcement.objects.exists()
