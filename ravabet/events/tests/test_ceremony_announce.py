"""B6 (issue 15 §2, issue 16 §6): a ceremony announces itself in one step — its page opens messaging's
announcement form prefilled (title, time, place, programme) and linked to it; HQ's occasion matrix shows per
county whether it announced its ceremony of the occasion to staff."""

import datetime as dt

import pytest
from django.urls import reverse

from ravabet.events.models import Event, RunSheetKind
from ravabet.messaging.models import Announcement, Delivery
from ravabet.occasions.tests.factories import make_occasion

from .factories import make_event

pytestmark = pytest.mark.django_db


def _ceremony(world):
    occasion = make_occasion("دهه فجر", days=-1)
    event = make_event(world.county_a, title="جشن دهه فجر اداره")
    Event.objects.filter(pk=event.pk).update(occasion=occasion)
    event.refresh_from_db()
    event.items.filter(kind=RunSheetKind.QURAN).update(start_time=dt.time(10, 0), outside_person="استاد کریم منصوری")
    event.items.filter(kind=RunSheetKind.NEWS).update(state="not_needed", start_time=dt.time(11, 0))
    return occasion, event


def test_the_ceremony_page_opens_a_prefilled_announcement_linked_to_it(world, client_for):
    occasion, event = _ceremony(world)
    client = client_for("officer")
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    url = f"{reverse('messaging:announcement_create')}?event={event.pk}"
    assert 'id="event-announce"' in page and url in page
    form = client.get(url)
    initial = form.context["form"].initial
    assert form.status_code == 200 and f'name="event" value="{event.pk}"' in form.content.decode()
    assert initial["title"] == "مراسم: جشن دهه فجر اداره" and initial["kind"] == "ceremony_programme"
    assert "محل: سالن اجتماعات اداره" in initial["body"] and "زمان: " in initial["body"]
    assert "۱۰:۰۰ قاری قرآن — استاد کریم منصوری" in initial["body"]
    assert "تهیه و ارسال خبر" not in initial["body"]  # a part not needed is left out of the programme
    assert initial["occasion_ref"] == occasion.pk and initial["target_units"] == [world.county_a.pk]
    # Sent as the officer checked it: through the announcement workflow, to the unit's staff, linked back.
    response = client.post(url, {"event": event.pk, "kind": initial["kind"], "title": initial["title"],
                                 "body": initial["body"], "occasion": initial["occasion"],
                                 "occasion_ref": occasion.pk, "via_app": "on", "target_units": [world.county_a.pk]})
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == announcement.get_absolute_url()
    assert announcement.event == event and announcement.about_url == event.get_absolute_url()
    assert announcement.state in ("sending", "sent")
    # The staff member (the next to act) is told in the app.
    assert Delivery.objects.filter(announcement=announcement, person__user=world.staff, channel="in_app").exists()
    detail = client.get(announcement.get_absolute_url()).content.decode()
    assert event.get_absolute_url() in detail
    assert "اطلاعیه به کارکنان" in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_hqs_occasion_matrix_shows_which_county_announced_its_ceremony(world, client_for):
    occasion, event = _ceremony(world)
    silent = make_event(world.county_b, title="جشن دهه فجر شهرستان ب")
    Event.objects.filter(pk=silent.pk).update(occasion=occasion)
    client_for("officer").post(f"{reverse('messaging:announcement_create')}?event={event.pk}", {
        "event": event.pk, "kind": "ceremony_programme", "title": "مراسم: جشن", "body": "زمان و محل",
        "via_app": "on", "target_units": [world.county_a.pk]})
    assert Announcement.objects.get().event == event
    response = client_for("hq_expert").get(reverse("occasions:matrix") + f"?occasion={occasion.pk}")
    rows = {r["unit"]: r for r in response.context["rows"]}
    assert rows[world.county_a]["ceremony_announced"] and rows[world.county_a]["announced"] == 1
    assert not rows[world.county_b]["ceremony_announced"] and rows[world.county_b]["announced"] == 0
    page = response.content.decode()
    assert "مراسم اعلام شد" in page and "مراسم اعلام نشد" in page
    # A cancelled announcement reached nobody: it is not counted.
    Announcement.objects.update(state="cancelled")
    rows = {r["unit"]: r for r in client_for("hq_expert").get(
        reverse("occasions:matrix") + f"?occasion={occasion.pk}").context["rows"]}
    assert not rows[world.county_a]["ceremony_announced"]


def test_only_someone_working_on_the_ceremony_may_announce_it(world, client_for):
    _occasion, event = _ceremony(world)
    url = f"{reverse('messaging:announcement_create')}?event={event.pk}"
    assert client_for("outsider").get(url).status_code == 404
    response = client_for("outsider").post(url, {"event": event.pk, "kind": "general", "title": "ت", "body": "م",
                                                 "via_app": "on"})
    assert response.status_code == 404 and not Announcement.objects.exists()
    assert client_for("officer").get(f"{reverse('messaging:announcement_create')}?event=abc").status_code == 404
