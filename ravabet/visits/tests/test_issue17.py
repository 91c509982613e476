"""Issue 17 for visits: the register of places with a visit frequency, due places proposed, HQ's view of
places never or rarely visited, photo place and time as evidence, the visit report PDF, follow-up due
dates and owners without an account."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.outbox.models import OutboxMessage
from ravabet.visits import services
from ravabet.visits.models import FollowUp, Photo, Place, Visit

from .factories import make_visit

pytestmark = pytest.mark.django_db


def _place(world, name="پل رودخانه", every_days=30, lat=None, lon=None, unit=None, by=None):
    return services.place_save(unit=unit or world.county_a, by=by or world.officer, name=name, kind="site",
                               address="جاده کناری", latitude=lat, longitude=lon, every_days=every_days,
                               is_active=True)


def camera_jpeg(lat=(35.0, 41.0, 59.0), lon=(51.0, 20.0, 15.7), when="2026:11:28 10:15:00") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x0132] = when
    exif[0x8825] = {1: "N", 2: lat, 3: "E", 4: lon}
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 200)).save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("camera.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_place_needs_both_coordinates_a_sane_frequency_and_a_unique_name(world):
    with pytest.raises(ValidationError) as error:
        _place(world, lat=Decimal("35.7"))
    assert "longitude" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _place(world, every_days=0)
    assert "every_days" in error.value.message_dict
    _place(world)
    with pytest.raises(ValidationError) as error:
        _place(world)
    assert "name" in error.value.message_dict


def test_place_form_takes_persian_digits_and_keeps_bad_input(world, client_for):
    client = client_for("officer")
    bad = client.post(reverse("visits:place_create"), {"name": "دبستان", "kind": "office", "every_days": "صد",
                                                        "latitude": "۳۵٫۷"}).content.decode()
    assert "یک عدد بنویسید" in bad and "صد" in bad and not Place.objects.exists()
    client.post(reverse("visits:place_create"), {"name": "دبستان", "kind": "office", "every_days": "۶۰",
                                                 "latitude": "۳۵٫۷", "longitude": "۵۱٫۴", "is_active": "on"})
    place = Place.objects.get()
    assert (place.every_days, place.latitude, place.longitude) == (60, Decimal("35.7"), Decimal("51.4"))


def test_the_plan_page_proposes_due_places_and_plans_a_visit_to_one(world, client_for):
    due = _place(world, name="روستای بالا")
    seen = _place(world, name="کارگاه نو", every_days=60)
    visit = make_visit(world.county_a, done=True, days=-5, place=seen.name)
    Visit.objects.filter(pk=visit.pk).update(site=seen)
    assert [row["place"] for row in services.due_places(world.county_a)] == [due]
    client = client_for("officer")
    page = client.get(reverse("visits:create"))
    assert 'id="due-places"' in page.content.decode() and "روستای بالا" in page.content.decode()
    form = client.get(reverse("visits:create"), {"site": due.pk}).context["form"]
    assert form.initial["site"] == due
    response = client.post(reverse("visits:create"), {"site": due.pk, "place": "", "place_kind": "", "address": "",
                                                      "purpose": "بازدید دوره‌ای",
                                                      "planned_on": jalali.format_date(jalali.today(), persian=False)})
    assert response.status_code == 302
    planned = Visit.objects.get(site=due)
    assert planned.place == "روستای بالا" and planned.address == "جاده کناری"
    assert services.due_places(world.county_a) == []  # planned, so no longer proposed


def test_a_site_of_another_unit_is_refused(world):
    other = _place(world, unit=world.county_b, by=world.users["outsider"])
    with pytest.raises(ValidationError):
        services.visit_plan(unit=world.county_a, by=world.officer, purpose="x", planned_on=jalali.today(), site=other)


def test_photo_place_and_time_are_kept_privately_the_file_loses_its_metadata_and_the_page_shows_evidence(
        world, client_for):
    site = _place(world, lat=Decimal("35.699722"), lon=Decimal("51.337694"))
    visit = make_visit(world.county_a, done=True, days=-2, place=site.name)
    Visit.objects.filter(pk=visit.pk).update(site=site, done_on=dt.date(2026, 11, 28))
    visit.refresh_from_db()
    photo = services.photo_add(visit=visit, by=world.officer, upload=camera_jpeg())
    assert photo.latitude == Decimal("35.699722") and photo.longitude == Decimal("51.337694")
    assert photo.taken_at.date() == dt.date(2026, 11, 28)
    with photo.file.open("rb") as handle:
        stored = Image.open(handle)
        stored.load()
        assert not stored.getexif().get_ifd(0x8825) and 0x0132 not in stored.getexif()
    photo = Photo.objects.select_related("visit__site").get(pk=photo.pk)
    assert photo.distance_m < 5 and photo.at_place and photo.on_visit_day
    page = client_for("hq_expert").get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert 'data-at-place="1"' in page and "در محل" in page and "روز بازدید" in page
    # Another county sees neither the visit nor the photo.
    assert client_for("outsider").get(reverse("visits:photo", args=[photo.pk])).status_code == 404


def test_a_photo_far_from_the_place_is_flagged(world):
    site = _place(world, lat=Decimal("35.699722"), lon=Decimal("51.337694"))
    visit = make_visit(world.county_a, done=True, days=-1, place=site.name)
    Visit.objects.filter(pk=visit.pk).update(site=site)
    photo = services.photo_add(visit=visit, by=world.officer, upload=camera_jpeg(lat=(35.0, 50.0, 0.0)))
    photo = Photo.objects.select_related("visit__site").get(pk=photo.pk)
    assert photo.distance_m > 10_000 and not photo.at_place


def test_the_visit_report_pdf_holds_findings_actions_and_photos(world, client_for, monkeypatch):
    from ravabet.visits import views

    visit = make_visit(world.county_a, done=True, days=-1)
    services.photo_add(visit=visit, by=world.officer, upload=camera_jpeg(), caption="دیوار ترک‌خورده")
    services.action_add(visit=visit, by=world.officer, title="تعمیر دیوار", owner=Person.objects.filter(
        unit=world.county_a).first(), due_on=jalali.today())
    seen = {}
    real = views.render_pdf

    def spy(template, context):
        seen.update(context)
        return real(template, context)

    monkeypatch.setattr(views, "render_pdf", spy)
    response = client_for("officer").get(reverse("visits:pdf", args=[visit.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert [a.title for a in seen["actions"]] == ["تعمیر دیوار"]
    assert seen["photos"][0].local.startswith("file://")


def test_a_due_date_in_the_past_is_refused_on_its_field(world, client_for):
    visit = make_visit(world.county_a, done=True, days=-1)
    owner = Person.objects.filter(unit=world.county_a).first()
    yesterday = jalali.format_date(jalali.today() - dt.timedelta(days=1), persian=False)
    response = client_for("officer").post(reverse("visits:action_add", args=[visit.pk]),
                                          {"title": "تابلو", "owner": owner.pk, "due_on": yesterday})
    assert response.status_code == 400 and "مهلت نمی‌تواند گذشته باشد" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_an_owner_without_an_account_is_told_by_sms(world):
    visit = make_visit(world.county_a, done=True, days=-1)
    owner = Person.objects.create(unit=world.county_a, full_name="نگهبان کارگاه", mobile="09137654321")
    services.action_add(visit=visit, by=world.officer, title="بستن در", owner=owner, due_on=jalali.today())
    sms = OutboxMessage.objects.get(recipient="09137654321")
    assert "بستن در" in sms.body and sms.channel == "sms"
    quiet = Person.objects.create(unit=world.county_a, full_name="بی‌پیامک", mobile="09137654322", sms_opt_out=True)
    services.action_add(visit=visit, by=world.officer, title="x", owner=quiet, due_on=jalali.today())
    assert not OutboxMessage.objects.filter(recipient="09137654322").exists()


def test_an_owner_without_an_account_is_told_by_sms_once_when_the_action_is_overdue(world):
    visit = make_visit(world.county_a, done=True, days=-1)
    owner = Person.objects.create(unit=world.county_a, full_name="نگهبان کارگاه", mobile="09137654321")
    quiet = Person.objects.create(unit=world.county_a, full_name="بی‌پیامک", mobile="09137654322", sms_opt_out=True)
    services.action_add(visit=visit, by=world.officer, title="بستن در", owner=owner, due_on=jalali.today())
    services.action_add(visit=visit, by=world.officer, title="x", owner=quiet, due_on=jalali.today())
    later = jalali.today() + dt.timedelta(days=2)
    assert services.remind_overdue_actions(today=later) == 1
    services.remind_overdue_actions(today=later + dt.timedelta(days=1))  # the next day: no second SMS
    overdue = OutboxMessage.objects.filter(recipient="09137654321", body__contains="مهلت اقدام")
    assert overdue.count() == 1 and "بستن در" in overdue.get().body
    assert not OutboxMessage.objects.filter(recipient="09137654322").exists()


def test_an_owner_whose_account_is_disabled_is_told_by_sms_too(world):
    """A disabled account reads no in-app notice: its owner is told by SMS like one without an account."""
    from ravabet.offices.models import User

    visit = make_visit(world.county_a, done=True, days=-1)
    user = User.objects.create_user(username="left", password="x", full_name="کارمند رفته", mobile="09137650000",
                                    is_active=False)
    owner = Person.objects.create(unit=world.county_a, full_name="کارمند رفته", mobile="09137650000", user=user)
    services.action_add(visit=visit, by=world.officer, title="تعمیر نرده", owner=owner, due_on=jalali.today())
    assert OutboxMessage.objects.filter(recipient="09137650000", body__contains="تعمیر نرده").count() == 1
    assert services.remind_overdue_actions(today=jalali.today() + dt.timedelta(days=1)) == 1
    assert OutboxMessage.objects.filter(recipient="09137650000", body__contains="مهلت اقدام").count() == 1


def test_hq_sees_per_unit_how_many_places_were_never_or_rarely_visited(world, client_for):
    """Issue 17 §5: HQ's places page sums, per unit, the places never visited and those past their frequency;
    a county sees only its own places."""
    never = _place(world, name="دفتر بی‌بازدید", every_days=60)
    late = _place(world, name="روستای دور", every_days=90)
    fresh = _place(world, name="کارگاه تازه", every_days=30)
    _place(world, name="پل ب", unit=world.county_b, by=world.users["outsider"])
    for site, days in ((late, -120), (fresh, -10)):
        visit = make_visit(world.county_a, done=True, days=days, place=site.name)
        Visit.objects.filter(pk=visit.pk).update(site=site)
    response = client_for("hq_expert").get(reverse("visits:places"))
    summary = {item["unit"]: (item["places"], item["never"], item["late"]) for item in response.context["summary"]}
    assert summary == {world.county_a: (3, 1, 1), world.county_b: (1, 1, 0)}
    page = response.content.decode()
    assert 'id="unit-summary"' in page and world.county_b.name in page
    rarely = client_for("hq_expert").get(reverse("visits:places"), {"late": "1"}).context["rows"]
    assert {row["place"].name for row in rarely} == {never.name, late.name, "پل ب"}
    own = client_for("outsider").get(reverse("visits:places")).context["rows"]
    assert [row["place"].name for row in own] == ["پل ب"]
