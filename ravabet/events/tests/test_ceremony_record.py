"""Issue 15 §5: a ceremony is one record — its coordination meeting (F1), its photos through the photo
library with the F3 rules, its news item — and HQ gives counties parts of an HQ ceremony (F2)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.events.models import RunSheetKind
from ravabet.news.models import News
from ravabet.outbox.models import Notification
from ravabet.photos.imagegen import landscape
from ravabet.photos.models import Photo
from ravabet.planning.models import Meeting, MeetingKind

from .factories import make_event
from .test_runsheet_form import _data

pytestmark = pytest.mark.django_db


def _meeting(unit, kind=MeetingKind.COORDINATION, title="هماهنگی آیین بهره‌برداری"):
    start = timezone.now() - dt.timedelta(days=2)
    return Meeting.objects.create(unit=unit, kind=kind, title=title, starts_at=start,
                                  ends_at=start + dt.timedelta(hours=1), place="دفتر رئیس")


def _news(world, unit, title="بهره‌برداری از پل روستای خیرآباد"):
    return News.objects.create(unit=unit, author=world.officer, title=title, body="<p>متن خبر</p>",
                               news_date=timezone.localdate())


def _jpeg(seed: int, size=(1600, 1067), name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, landscape(seed, size=size), content_type="image/jpeg")


def test_the_ceremony_links_its_coordination_meeting_and_its_news_item(client_for, world):
    event = make_event(world.county_a)
    meeting, news = _meeting(world.county_a), _news(world, world.county_a)
    client = client_for("officer")
    response = client.post(reverse("events:record", args=[event.pk]), {"meeting": meeting.pk, "news": news.pk})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.meeting, event.news) == (meeting, news)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert reverse("planning:meeting_detail", args=[meeting.pk]) in page
    assert reverse("news:detail", args=[news.pk]) in page
    assert ActionLog.objects.filter(action="events.event_linked", target_id=str(event.pk)).exists()


def test_hqs_coordination_meeting_may_be_a_county_ceremonys_but_not_another_county_or_a_staff_meeting(
        client_for, world):
    event = make_event(world.county_a)
    client = client_for("officer")
    url = reverse("events:record", args=[event.pk])
    assert client.post(url, {"meeting": _meeting(world.hq).pk}).status_code == 302
    for meeting in (_meeting(world.county_b), _meeting(world.county_a, kind=MeetingKind.STAFF)):
        response = client.post(url, {"meeting": meeting.pk})
        assert response.status_code == 400
        assert "این جلسه در فهرست جلسه‌های هماهنگی نیست." in response.content.decode()
    response = client.post(url, {"news": _news(world, world.county_b).pk})
    assert response.status_code == 400 and "این خبر در فهرست خبرهای اداره نیست." in response.content.decode()


def test_photos_go_through_the_library_with_the_f3_rules_and_a_refused_file_keeps_the_others(client_for, world):
    event = make_event(world.county_a)
    client = client_for("officer")
    response = client.post(reverse("events:photos", args=[event.pk]), {
        "photos": [_jpeg(1, name="salon.jpg"), _jpeg(1, name="salon-again.jpg"),
                   _jpeg(2, size=(800, 1200), name="portrait.jpg")]}, follow=True)
    photos = list(event.photos.all())
    # The same picture twice is refused by the duplicate rule; the upright one is kept with a warning.
    assert len(photos) == 2 and all(p.unit_id == world.county_a.pk for p in photos)
    page = response.content.decode()
    assert "salon-again.jpg" in page and "۲ عکس به پرونده مراسم افزوده شد" in page
    upright = next(p for p in photos if p.original_name == "portrait.jpg")
    assert any(check["rule"] == "orientation" and not check["ok"] for check in upright.checks)
    assert Photo.objects.filter(unit=world.county_a).count() == 2  # in the unit's library too


def test_a_library_photo_is_reused_and_a_photo_of_another_unit_is_not(client_for, world):
    event = make_event(world.county_a)
    own = Photo.objects.create(unit=world.county_a, width=1600, height=1000, original_name="own.jpg")
    other = Photo.objects.create(unit=world.county_b, width=1600, height=1000)
    client = client_for("officer")
    url = reverse("events:photos", args=[event.pk])
    response = client.post(url, {"library_photos": [other.pk]})
    assert response.status_code == 400 and "در کتابخانه عکس این واحد نیست" in response.content.decode()
    assert client.post(url, {"library_photos": [own.pk]}).status_code == 302
    assert list(event.photos.all()) == [own]
    response = client.post(url, {})
    assert response.status_code == 400 and "عکسی برگزیده نشده است" in response.content.decode()
    client.post(reverse("events:photo_remove", args=[event.pk, own.pk]))
    assert not event.photos.exists() and Photo.objects.filter(pk=own.pk).exists()


def test_a_cancelled_ceremonys_record_does_not_change(client_for, world):
    event = make_event(world.county_a, state="cancelled")
    response = client_for("officer").post(reverse("events:record", args=[event.pk]),
                                          {"meeting": _meeting(world.county_a).pk})
    assert response.status_code == 400 and "لغو شده است" in response.content.decode()
    event.refresh_from_db()
    assert event.meeting_id is None


def test_hq_gives_a_county_a_part_of_its_ceremony_and_the_county_is_told_and_sees_it(client_for, world):
    event = make_event(world.hq, title="همایش استانی روز روابط عمومی")
    response = client_for("hq_expert").post(reverse("events:runsheet_save", args=[event.pk]), _data(
        event, photo={"helper_unit": str(world.county_a.pk), "note": "عکاسی از سالن"}))
    assert response.status_code == 302
    row = event.items.get(kind=RunSheetKind.PHOTO)
    assert row.helper_unit == world.county_a and row.responsible == world.county_a.name
    told = Notification.objects.filter(user__in=[world.officer, world.manager], url__contains=f"#item-{row.pk}")
    assert told.count() == 2
    page = client_for("officer").get(reverse("events:my_roles"))
    assert page.status_code == 200 and "همایش استانی روز روابط عمومی" in page.content.decode()
    assert "همایش استانی روز روابط عمومی" not in client_for("outsider").get(reverse("events:my_roles")).content.decode()


def test_a_countys_own_ceremony_cannot_give_parts_to_other_counties(client_for, world):
    event = make_event(world.county_a)
    data = _data(event, photo={"state": "pending"})
    data[f"r{event.items.get(kind=RunSheetKind.PHOTO).pk}-helper_unit"] = str(world.county_b.pk)
    client_for("officer").post(reverse("events:runsheet_save", args=[event.pk]), data)
    assert event.items.get(kind=RunSheetKind.PHOTO).helper_unit is None


def test_the_news_offered_for_a_ceremony_are_those_dated_near_it_and_the_one_linked(world):
    """An event of years ago offered every news item since (2,062 options, 160 KB, at a province's five
    years); the choices are the unit's news dated within 120 days either side, and the linked one."""
    from ravabet.events import services

    event = make_event(world.county_a, days=-900)
    near = _news(world, world.county_a, title="خبر همان روزها")
    News.objects.filter(pk=near.pk).update(news_date=timezone.localdate() - dt.timedelta(days=880))
    recent = _news(world, world.county_a, title="خبر امروز")
    assert list(services.news_of_unit(event)) == [near]
    event.news = recent
    event.save(update_fields=["news"])
    assert set(services.news_of_unit(event)) == {near, recent}
