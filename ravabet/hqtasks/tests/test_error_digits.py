"""Issue 12 §4: the HQ task form re-shown after a bad submit echoes the typed value in Persian digits and keeps
what was typed."""

import re

import pytest
from django.urls import reverse

from ravabet.hqtasks.models import Task

pytestmark = pytest.mark.django_db


def test_an_unknown_unit_is_echoed_in_persian_digits(client_for, world):
    response = client_for("hq_head").post(reverse("hqtasks:create"), {
        "title": "گزارش هفته 12", "description": "شرح کار", "due_date": "1405/09/20", "units": ["987654"]})
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.findall(r'invalid-feedback d-block">(.*?)</div>', html)
    assert any("۹۸۷۶۵۴" in error for error in errors), errors
    assert not any(re.search("[0-9]", error) for error in errors), errors
    assert 'value="گزارش هفته 12"' in html
    assert not Task.objects.exists()
