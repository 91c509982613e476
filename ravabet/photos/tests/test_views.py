import pytest
from django.urls import reverse

from ravabet.photos.imagegen import landscape
from ravabet.photos.models import PhotoRules

pytestmark = pytest.mark.django_db


def test_hq_changes_the_photo_rules(client_for):
    response = client_for("hq_head").post(reverse("photos:rules"), {
        "min_long_side": "1200", "duplicate_distance": "5", "resolution_action": "block",
        "orientation_action": "warn", "duplicate_action": "block", "portrait_action": "off"})
    assert response.status_code == 302
    rules = PhotoRules.current()
    assert (rules.min_long_side, rules.portrait_action) == (1200, "off")


def test_a_too_high_duplicate_threshold_gets_a_persian_message_and_keeps_the_input(client_for):
    response = client_for("hq_expert").post(reverse("photos:rules"), {
        "min_long_side": "1600", "duplicate_distance": "40", "resolution_action": "warn",
        "orientation_action": "warn", "duplicate_action": "block", "portrait_action": "warn"})
    assert response.status_code == 200
    assert "حداکثر ۱۵" in response.content.decode()
    assert 'value="40"' in response.content.decode()


def test_the_original_is_downloadable_by_the_unit_and_not_by_another_unit(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ravabet.photos.services import photo_upload

    data = landscape(20)
    photo = photo_upload(upload=SimpleUploadedFile("a.jpg", data), unit=world.county_a, by=world.officer)
    url = reverse("photos:original", args=[photo.pk])
    response = client_for("officer").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert client_for("outsider").get(url).status_code == 404


def _stored_photos(unit, count, **fields):
    from ravabet.photos.models import Photo

    Photo.objects.bulk_create([Photo(unit=unit, image=f"photos/p{n}.jpg", thumbnail=f"photos/t{n}.jpg", width=1600,
                                     height=1067, **fields) for n in range(count)])


def test_the_library_runs_the_same_number_of_queries_with_3_or_30_photos(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("hq_expert")
    _stored_photos(world.county_a, 3)
    client.get(reverse("photos:library"))  # what the page keeps for a while (the bell's count) is kept for both
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("photos:library"))
    _stored_photos(world.county_b, 27)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("photos:library"))
    assert len(large) == len(small)


def test_an_officer_sees_only_their_units_photos_and_can_filter_problems(world, client_for):
    _stored_photos(world.county_a, 2)
    _stored_photos(world.county_a, 1, face_count=1, original_name="portrait.jpg")
    _stored_photos(world.county_b, 4, original_name="other-unit.jpg")
    page = client_for("officer").get(reverse("photos:library")).content.decode()
    assert page.count("photo-card") == 3 and "other-unit.jpg" not in page
    problems = client_for("officer").get(reverse("photos:library"), {"only": "problems"}).content.decode()
    assert problems.count("photo-card") == 1 and "portrait.jpg" in problems


def test_the_f3_indicator_counts_only_photos_that_meet_the_rules(world):
    import datetime

    from ravabet.compliance.registry import INDICATORS

    _stored_photos(world.county_a, 2)
    _stored_photos(world.county_a, 1, face_count=1)
    indicator = next(i for i in INDICATORS["F3"] if i.count.__module__ == "ravabet.photos.features")
    today = datetime.date.today()
    assert indicator.count(world.county_a, today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)) == 2


def test_the_library_unit_filter_takes_persian_digits_and_never_reaches_outside_the_persons_units(world, client_for):
    from ravabet.lib.digits import to_persian_digits

    _stored_photos(world.county_a, 2, original_name="county-a.jpg")
    _stored_photos(world.county_b, 1, original_name="county-b.jpg")
    hq = client_for("hq_expert").get(reverse("photos:library"), {"unit": to_persian_digits(str(world.county_b.pk))})
    page = hq.content.decode()
    assert page.count("photo-card") == 1 and "county-b.jpg" in page
    assert f'<option value="{world.county_a.pk}"' in page
    officer = client_for("officer").get(reverse("photos:library"), {"unit": str(world.county_b.pk)}).content.decode()
    assert officer.count("photo-card") == 2 and "county-b.jpg" not in officer
    assert 'id="f-unit"' not in officer  # one unit only: nothing to choose
    assert client_for("staff").get(reverse("photos:library")).status_code == 403


def test_the_library_says_how_many_news_items_show_each_photo_of_the_page(world, client_for):
    """The use count of the page's photos only (news.NewsPhoto rows), not annotated over every photo."""
    from ravabet.news.models import News, NewsPhoto
    from ravabet.photos.models import Photo

    _stored_photos(world.county_a, 2)
    used, unused = Photo.objects.order_by("pk")
    for title in ("خبر یک", "خبر دو"):
        news = News.objects.create(unit=world.county_a, author=world.officer, title=title, body="<p>متن</p>",
                                   news_date=used.created_at.date(), search_key=title)
        NewsPhoto.objects.create(news=news, photo=used)
    response = client_for("officer").get(reverse("photos:library"))
    counts = {photo.pk: photo.use_count for photo in response.context["page_obj"]}
    assert counts == {used.pk: 2, unused.pk: 0}
    assert "در ۲ خبر" in response.content.decode()
