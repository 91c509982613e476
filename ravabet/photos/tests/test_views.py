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
