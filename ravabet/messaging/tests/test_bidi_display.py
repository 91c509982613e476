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


def test_tickers_banners_and_notices_isolate_each_phone_number(world, client_for):
    """Issue 12 §9 for the rest of B-section free text: a ticker's text in the list (its edit box keeps it as typed), a condolence
    banner's text, and a notice's body read «۰۷۱-۴۳۳۳۰۰۰۰ و ۱۴۱» in order, typed markup escaped."""
    from ravabet.messaging.tests.factories import make_banner, make_ticker
    from ravabet.outbox.services import notify

    make_ticker(world.county_a, text="تماس 071-43330000 و 141 <b>")
    banner = make_banner(world.county_a, text="تماس 071-43330000 و 141")
    notify(user=world.officer, title="یادآوری", body="تماس 071-43330000 و 141")
    officer = client_for("officer")
    for url in (reverse("messaging:ticker_list"), reverse("messaging:banner_detail", args=[banner.pk]),
                reverse("outbox:notices")):
        page = officer.get(url)
        assert page.status_code == 200, url
        assert f"تماس {PHONES}" in page.content.decode(), url
    assert '&lt;<bdi dir="ltr">b</bdi>&gt;' in officer.get(reverse("messaging:ticker_list")).content.decode()
