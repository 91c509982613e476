"""Issue 12 §4: the announcement form re-shown after a bad submit echoes the typed value in Persian digits."""

import re

import pytest
from django.urls import reverse

from ravabet.messaging.models import Announcement

pytestmark = pytest.mark.django_db


def test_an_unknown_unit_is_echoed_in_persian_digits(world, client_for):
    response = client_for("officer").post(reverse("messaging:announcement_create"), {
        "kind": "general", "title": "عنوان", "body": "متن 12", "via_app": "on", "target_units": ["987654"]})
    assert response.status_code == 200
    errors = re.findall(r'invalid-feedback d-block">(.*?)</div>', response.content.decode())
    assert any("۹۸۷۶۵۴" in error for error in errors), errors
    assert not any(re.search("[0-9]", error) for error in errors), errors
    assert not Announcement.objects.exists()
