"""E1-E3, B6: HQ's occasion matrix shows, county by county, what each unit did for an occasion."""

import pytest
from django.urls import reverse

from ravabet.events.models import Event
from ravabet.events.tests.factories import make_event
from ravabet.messaging.tests.factories import make_announcement
from ravabet.photos.models import Photo

from .factories import make_activity, make_content, make_occasion

pytestmark = pytest.mark.django_db


def test_hq_sees_who_took_part_sent_content_and_told_staff_and_who_did_nothing(
        client_for, world, django_assert_max_num_queries):
    occasion = make_occasion("دهه فجر", days=-2)
    activity = make_activity(world.county_a)
    activity.occasion = occasion
    activity.save()
    event = make_event(world.county_a, title="جشن دهه فجر اداره")
    Event.objects.filter(pk=event.pk).update(occasion=occasion, attendance=120)
    make_content(world.county_a, occasion=occasion, state="returned")
    make_announcement(world.county_a, occasion_ref=occasion)
    event.photos.add(*(Photo.objects.create(unit=world.county_a, width=1600, height=1000) for _ in range(2)))
    client = client_for("hq_expert")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("occasions:matrix") + f"?occasion={occasion.pk}")
    rows = {r["unit"]: r for r in response.context["rows"]}
    a, b = rows[world.county_a], rows[world.county_b]
    assert a["activity"]["n"] == 1 and a["activity"]["people"] == 25 and a["event"]["attendance"] == 120
    assert a["photos"] == 2 and b["photos"] == 0
    assert a["contents"][0][0] == "برگشت برای اصلاح" and a["announced"] == 1 and not a["nothing"]
    assert b["nothing"] and response.context["idle"] >= 1
    page = response.content.decode()
    assert "کاری ثبت نشده" in page and reverse("events:detail", args=[event.pk]) in page
    export = client.get(reverse("occasions:matrix") + f"?occasion={occasion.pk}&export=xlsx")
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]


def test_the_matrix_is_hqs_and_opens_on_the_latest_past_occasion(client_for, world):
    make_occasion("روز معلم", days=-10)
    latest = make_occasion("روز خبرنگار", days=-1)
    make_occasion("هفته دولت", days=5)
    assert client_for("hq_head").get(reverse("occasions:matrix")).context["occasion"] == latest
    assert client_for("officer").get(reverse("occasions:matrix")).status_code == 403
