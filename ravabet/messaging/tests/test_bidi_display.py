"""Issue 12 §9: numbers and codes typed into an announcement keep their direction where people read it."""

import pytest
from django.urls import reverse

from ravabet.messaging import services

pytestmark = pytest.mark.django_db

MOBILE = '<bdi dir="ltr">+۹۸۹۱۷۱۲۳۴۵۶۷</bdi>'
PHONES = '<bdi dir="ltr">۰۷۱-۴۳۳۳۰۰۰۰</bdi> و <bdi dir="ltr">۱۴۱</bdi>'


def test_announcement_title_and_body_isolate_each_phone_number(world, client_for):
    announcement = services.announcement_create(
        unit=world.county_a, by=world.officer, kind="general", title="تماس 071-43330000 و 141",
        body="همراه کشیک: +989171234567 <b>", via_app=True, via_sms=False, target_units=[world.county_a])
    staff = client_for("staff")
    for html in (client_for("officer").get(reverse("messaging:announcement_detail", args=[announcement.pk])),
                 staff.get(reverse("messaging:inbox")),
                 staff.get(reverse("messaging:inbox_item", args=[announcement.pk]))):
        assert html.status_code == 200
        text = html.content.decode()
        assert f"تماس {PHONES}" in text
    for html in (client_for("officer").get(reverse("messaging:announcement_detail", args=[announcement.pk])),
                 staff.get(reverse("messaging:inbox_item", args=[announcement.pk])),
                 staff.get(reverse("messaging:inbox"))):  # read now: the list shows the body too
        text = html.content.decode()
        assert f"همراه کشیک: {MOBILE} &lt;<bdi dir=\"ltr\">b</bdi>&gt;" in text
    listing = client_for("officer").get(reverse("messaging:announcement_list")).content.decode()
    assert f"تماس {PHONES}" in listing
