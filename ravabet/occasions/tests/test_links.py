"""Issue 9: news, announcements and ticker/letterhead texts refer to a calendar occasion by foreign key;
old typed occasions are linked to the occasion they name by the data migrations (`match_occasion`)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from ravabet.lib import jalali
from ravabet.messaging.models import TickerText
from ravabet.news.models import News
from ravabet.occasions.selectors import calendar_choices, match_occasion

from .factories import make_occasion

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 10)
CALENDAR = [(1, "آغاز دهه فجر انقلاب اسلامی", dt.date(2026, 2, 1)),
            (2, "آغاز دهه فجر انقلاب اسلامی", dt.date(2025, 1, 31)),
            (3, "روز معلم", dt.date(2026, 5, 2))]


@pytest.mark.parametrize(("text", "around", "expected"), [
    ("دهه فجر", DAY, 1),                                  # contained in the title, nearest year
    ("آغاز دهه‌ی فجر انقلاب اسلامی", DAY, 1),             # written ezafe and ZWNJ read as one
    ("دهه فجر", dt.date(2025, 2, 5), 2),
    ("تقدیر از معلمان در روز معلم", dt.date(2026, 5, 1), 3),  # the title inside a longer text
    ("روز معلم", DAY, None),                              # more than 60 days away
    ("بازدید از مدرسه", DAY, None),
    ("", DAY, None),
    ("دهه فجر", None, None),
])
def test_a_typed_occasion_is_matched_to_the_calendar_occasion_it_names_nearest_in_date(text, around, expected):
    assert match_occasion(text, around, CALENDAR) == expected


def test_the_forms_offer_the_calendar_near_today_and_keep_an_older_choice():
    near, far = make_occasion(days=10), make_occasion(title="دور", days=-400)
    assert list(calendar_choices()) == [near]
    assert set(calendar_choices(keep=far.pk)) == {near, far}


def test_news_picks_a_calendar_occasion_and_the_text_is_filled_from_it(client_for, world):
    from ravabet.news.tests.helpers import photo_file

    occasion = make_occasion(title="روز ملی ارتباطات و روابط عمومی", days=2)
    response = client_for("officer").post(reverse("news:create"), {
        "kind": "news", "title": "تقدیر از همکاران روابط عمومی", "body": "متن خبر",
        "news_date": jalali.format_date(jalali.today(), persian=False), "occasion_ref": occasion.pk,
        "photos": [photo_file(7, size=(1600, 1067))]})
    assert response.status_code == 302, response.content.decode()[:3000]
    news = News.objects.get()
    assert news.occasion_ref == occasion and news.occasion == occasion.title
    page = client_for("officer").get(reverse("news:detail", args=[news.pk])).content.decode()
    assert occasion.get_absolute_url() in page


def test_a_ticker_text_names_a_calendar_occasion_or_a_typed_one(client_for, world):
    occasion = make_occasion(title="سالروز پیروزی انقلاب اسلامی", days=5)
    client = client_for("officer")
    url = reverse("messaging:ticker_create")
    refused = client.post(url, {"kind": "tv", "text": "متن زیرنویس"})
    assert refused.status_code == 200 and "مناسبت را از تقویم برگزینید" in refused.content.decode()
    client.post(url, {"kind": "tv", "occasion_ref": occasion.pk, "text": "سالروز پیروزی انقلاب گرامی باد"})
    ticker = TickerText.objects.get()
    assert ticker.occasion_ref == occasion and ticker.occasion == occasion.title and ticker.occasion_date == occasion.date


def test_an_announcement_keeps_the_calendar_occasion_it_was_sent_for(world):
    from ravabet.messaging import services

    occasion = make_occasion(title="روز مهندس", days=1)
    announcement = services.announcement_create(
        unit=world.county_a, by=world.officer, kind="congratulation", title="روز مهندس مبارک",
        body="روز مهندس بر همکاران مبارک باد.", occasion="روز مهندس", occasion_ref=occasion,
        target_units=[world.county_a])
    announcement.refresh_from_db()
    assert announcement.occasion_ref == occasion


def test_the_data_migrations_link_old_typed_occasions(world):
    from ravabet.messaging.tests.factories import make_ticker
    from ravabet.news.tests.helpers import make_news

    occasion = make_occasion(title="هفته دولت", days=0)
    news = make_news(world)
    News.objects.filter(pk=news.pk).update(occasion="گزارش هفته دولت", news_date=jalali.today())
    ticker = make_ticker(world.county_a, occasion="هفته‌ی دولت", occasion_date=jalali.today())
    for module in ("ravabet.news.migrations.0005_occasion_ref", "ravabet.messaging.migrations.0004_occasion_ref"):
        importlib.import_module(module).link_occasions(apps, None)
    news.refresh_from_db()
    ticker.refresh_from_db()
    assert news.occasion_ref == occasion and news.occasion == "گزارش هفته دولت"
    assert ticker.occasion_ref == occasion
