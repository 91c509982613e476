"""Fixes and gaps found by walking the news path as its users would (second pass)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ravabet.news import services
from ravabet.news.models import News, NewsPhoto, NewsState
from ravabet.news.selectors import diff_since_submission
from ravabet.news.signals import achievement_published
from ravabet.news.text import clean_body, editable_body
from ravabet.outbox.models import Notification
from ravabet.photos.models import Photo, PhotoRules
from ravabet.photos.services import photo_set_caption, photo_upload
from ravabet.workflow.engine import move

from .helpers import make_news, photo_file, step_url, submitted

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"kind": "news", "title": "بازدید از پل روستای کوشک", "lead": "لید", "body": "متن خبر",
            "news_date": "۱۴۰۵/۰۹/۰۵", "occasion": "", "tags": "", "form_token": "tok-review"}
    data.update(overrides)
    return data


def library_photo(world, seed, unit=None, by=None, **kwargs):
    return photo_upload(upload=photo_file(seed, **kwargs), unit=unit or world.county_a, by=by or world.officer)


# Gap 1: choosing photos already in the unit's library, and captions.

def test_officer_picks_a_photo_already_in_the_units_library_for_a_new_news_item(world, client_for):
    photo = library_photo(world, 300)
    client = client_for("officer")
    page = client.get(reverse("news:create")).content.decode()
    assert "عکس‌های کتابخانه واحد" in page and photo.thumbnail.url in page
    client.post(reverse("news:create"), form_data(library_photos=[photo.pk]))
    news = News.objects.get()
    assert list(news.photos.all()) == [photo] and news.photo_count == 1 and news.cover_id == photo.pk


def test_a_photo_used_in_one_news_item_can_be_reused_and_the_picker_says_where_it_is_used(world, client_for):
    first = make_news(world, photos=1)
    used = first.cover
    page = client_for("officer").get(reverse("news:create")).content.decode()
    assert "در ۱ خبر به کار رفته" in page
    second = make_news(world, photos=0, title="خبر دوم")
    services.news_attach_photos(news=second, by=world.officer, library_photos=[used])
    second.refresh_from_db()
    assert second.cover_id == used.pk and NewsPhoto.objects.filter(photo=used).count() == 2


def test_another_units_photo_cannot_be_picked(world, client_for):
    library_photo(world, 306)
    foreign = library_photo(world, 301, unit=world.county_b, by=world.outsider)
    response = client_for("officer").post(reverse("news:create"), form_data(library_photos=[foreign.pk]))
    assert response.status_code == 200
    assert "در کتابخانه عکس این واحد نیست" in response.content.decode()
    assert not News.objects.exists()
    news = make_news(world, photos=0)
    assert services.news_attach_photos(news=news, by=world.officer, library_photos=[foreign]) == ([], [])


def test_the_edit_form_offers_only_library_photos_not_already_in_the_news_item(world, client_for):
    news = make_news(world, photos=1)
    other = library_photo(world, 302)
    page = client_for("officer").get(reverse("news:edit", args=[news.pk])).content.decode()
    assert f'value="{other.pk}"' in page and f'name="library_photos" value="{news.cover_id}"' not in page


def test_a_re_uploaded_library_photo_is_refused_with_its_name_and_a_pointer_to_the_picker(world):
    library_photo(world, 303, name="پل-کوشک.jpg")
    news = make_news(world, photos=0)
    attached, errors = services.news_attach_photos(news=news, by=world.officer, uploads=[photo_file(303)])
    assert attached == [] and "«پل-کوشک.jpg»" in errors[0] and "کتابخانه واحد" in errors[0]


def test_officer_sets_a_caption_that_the_public_page_shows_and_uses_as_alt_text(world, client_for):
    news = make_news(world, photos=1)
    photo = news.cover
    client = client_for("officer")
    response = client.post(reverse("photos:caption", args=[photo.pk]),
                           {"caption": "پل كوشك پس از بارندگی", "next": news.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == news.get_absolute_url()
    photo.refresh_from_db()
    assert photo.caption == "پل کوشک پس از بارندگی"  # Arabic kaf normalised
    News.objects.filter(pk=news.pk).update(state=NewsState.PUBLISHED, published_at=timezone.now())
    client.logout()
    page = client.get(reverse("news:public_detail", args=[news.pk])).content.decode()
    assert "<figcaption" in page and 'alt="پل کوشک پس از بارندگی"' in page


def test_a_caption_with_bidi_controls_or_too_long_is_refused_in_persian(world, client_for):
    photo = library_photo(world, 304)
    client = client_for("officer")
    response = client.post(reverse("photos:caption", args=[photo.pk]), {"caption": "x" * 301}, follow=True)
    assert "حداکثر ۳۰۰ نویسه" in response.content.decode()
    with pytest.raises(Exception, match="کنترلی"):
        photo_set_caption(photo=photo, by=world.officer, caption="abc\u202edef")
    photo.refresh_from_db()
    assert photo.caption == ""


def test_an_outsider_cannot_caption_another_units_photo(world, client_for):
    photo = library_photo(world, 305)
    response = client_for("outsider").post(reverse("photos:caption", args=[photo.pk]), {"caption": "نه"})
    assert response.status_code == 404


# Gap 2: a published achievement reaches the region's officials.

def _achievement_ready(world):
    news = make_news(world, kind="achievement")
    news = services.news_submit(news=news, by=world.officer)
    move(news, "manager_approve", by=world.manager)
    return move(news, "approve_achievement", by=world.hq_head)


def test_a_published_achievement_notifies_the_unit_manager_and_the_hq_head(world):
    news = _achievement_ready(world)
    heard = []

    def receiver(sender, news, by, **kwargs):
        heard.append((news.pk, by))

    achievement_published.connect(receiver)
    try:
        move(news, "publish", by=world.hq_expert)
    finally:
        achievement_published.disconnect(receiver)
    titles = dict(Notification.objects.filter(url=news.get_public_url()).values_list("user__username", "title"))
    assert "دستاورد اداره شما منتشر شد" in titles["manager"]
    assert world.county_a.name in titles["hq_head"]
    assert "b_manager" not in titles
    assert heard == [(news.pk, world.hq_expert)]


def test_the_head_who_publishes_is_not_notified_of_their_own_act_and_plain_news_notifies_no_official(world):
    news = _achievement_ready(world)
    move(news, "publish", by=world.hq_head)
    users = set(Notification.objects.filter(url=news.get_public_url()).values_list("user__username", flat=True))
    assert users == {"officer", "manager"}
    plain_news = submitted(world, title="خبر عادی", seed=7)
    move(plain_news, "publish", by=world.hq_expert)
    users = set(Notification.objects.filter(url=plain_news.get_public_url()).values_list("user__username", flat=True))
    assert users == {"officer"}


# Walk-through fixes.

def test_the_edit_form_shows_the_body_as_typed_paragraphs_not_html(world, client_for):
    news = make_news(world, photos=1)
    services.news_update(news=news, by=world.officer, kind="news", title=news.title, lead="", occasion="", tags="",
                         news_date=news.news_date, body="بند یک\n\nبند دو با <strong>پررنگ</strong> & نشانه")
    news.refresh_from_db()
    assert news.body == "<p>بند یک</p><p>بند دو با <strong>پررنگ</strong> &amp; نشانه</p>"
    page = client_for("officer").get(reverse("news:edit", args=[news.pk])).content.decode()
    assert "&lt;p&gt;" not in page and "بند یک\n\nبند دو" in page


@pytest.mark.parametrize("typed", ["یک\n\nدو", "a & b < c\nخط دوم", "با <em>تأکید</em>\n\nو <a href=\"https://x.ir\">پیوند</a>",
                                   "<ul><li>یک</li></ul>"])
def test_saving_the_edit_form_unchanged_keeps_the_stored_body(typed):
    stored = clean_body(typed)
    assert clean_body(editable_body(stored)) == stored


def test_the_cover_prefers_a_photo_that_passed_every_rule(world):
    PhotoRules.objects.update_or_create(pk=1, defaults={"min_long_side": 600})
    news = make_news(world, photos=0)
    services.news_attach_photos(news=news, by=world.officer,
                                uploads=[photo_file(310, size=(427, 640)), photo_file(311, size=(640, 427))])
    news.refresh_from_db()
    assert Photo.objects.get(pk=news.cover_id).height < Photo.objects.get(pk=news.cover_id).width


def test_a_refused_schedule_keeps_the_typed_time_in_the_form(world, client_for):
    news = submitted(world)
    response = client_for("hq_expert").post(step_url(news, "schedule"), {"scheduled_for": "1405/01/01 10:00"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "زمان انتشار باید در آینده باشد" in page and 'value="1405/01/01 10:00"' in page
    news.refresh_from_db()
    assert news.state == NewsState.SUBMITTED


def test_the_hq_diff_keeps_paragraph_breaks(world):
    news = submitted(world)
    news.submitted_version["body"] = "<p>یک دو</p><p>سه چهار</p>"
    news.body = "<p>یک دو</p><p>سه پنج</p>"
    body = next(field for field in diff_since_submission(news) if field["label"] == "متن")
    assert ("equal", "یک دو \n سه") in body["segments"]
    assert ("delete", "چهار") in body["segments"] and ("insert", "پنج") in body["segments"]


def test_an_expert_is_told_that_the_head_approves_an_achievement(world, client_for):
    news = make_news(world, kind="achievement")
    news = services.news_submit(news=news, by=world.officer)
    move(news, "manager_approve", by=world.manager)
    page = client_for("hq_expert").get(reverse("news:detail", args=[news.pk])).content.decode()
    assert "تأیید و انتشار دستاورد با رئیس روابط عمومی اداره کل است" in page


def test_the_desk_has_a_select_all_box_and_hq_sees_a_thread_with_the_unit(world, client_for):
    news = submitted(world)
    client = client_for("hq_expert")
    assert 'id="select-all"' in client.get(reverse("news:desk")).content.decode()
    page = client.get(reverse("news:detail", args=[news.pk])).content.decode()
    assert f"گفت‌وگو با {world.county_a.name}" in page


def test_a_body_with_headings_is_edited_as_the_html_it_is():
    assert editable_body("<h3>تیتر</h3><p>متن</p>") == "<h3>تیتر</h3><p>متن</p>"
    assert editable_body("") == ""


def test_hq_sets_the_reminder_time_in_persian_digits_on_a_24_hour_clock(world, client_for):
    from ravabet.news.models import NewsSettings

    client = client_for("hq_head")
    page = client.get(reverse("news:settings")).content.decode()
    assert 'type="time"' not in page and 'value="13:00"' in page
    client.post(reverse("news:settings"), {"reminder_time": "۱۴:۳۰", "reminders_enabled": "on"})
    assert NewsSettings.current().reminder_time.strftime("%H:%M") == "14:30"
    response = client.post(reverse("news:settings"), {"reminder_time": "ساعت دو", "reminders_enabled": "on"})
    page = response.content.decode()
    assert "۲۴ ساعته" in page and 'value="ساعت دو"' in page


def test_the_daily_senders_query_is_not_sorted_so_the_covering_index_answers_it(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ravabet.news.selectors import senders_between

    news = submitted(world)
    with CaptureQueriesContext(connection) as captured:
        sent = senders_between(news.sent_on, news.sent_on)
    assert sent == {(world.county_a.pk, news.sent_on)}
    assert "ORDER BY" not in captured.captured_queries[0]["sql"]


def test_a_new_caption_refreshes_the_public_pages_last_modified(world):
    news = make_news(world, photos=1)
    News.objects.filter(pk=news.pk).update(updated_at=timezone.now() - datetime.timedelta(days=1))
    before = News.objects.get(pk=news.pk).updated_at
    photo_set_caption(photo=news.cover, by=world.officer, caption="شرح تازه")
    assert News.objects.get(pk=news.pk).updated_at > before


def test_the_feeds_carry_the_cover_photo_as_an_absolute_enclosure(world, client):
    news = make_news(world, photos=1)
    News.objects.filter(pk=news.pk).update(state=NewsState.PUBLISHED, published_at=timezone.now())
    rss = client.get(reverse("news:unit_feed_rss", args=[world.county_a.code])).content.decode()
    atom = client.get(reverse("news:feed_atom")).content.decode()
    url = f"http://testserver{news.cover.image.url}"
    enclosure = rss.split("<enclosure", 1)[1].split("/>", 1)[0]
    assert f'url="{url}"' in enclosure and 'type="image/jpeg"' in enclosure
    assert f'href="{url}"' in atom and 'rel="enclosure"' in atom


def test_a_title_without_spaces_is_allowed_to_wrap_on_the_news_page(world, client_for):
    # The title sits in a flex row: without min-width 0 its block grows to the whole unbroken word.
    news = make_news(world, photos=0, title="ت" * 200)
    page = client_for("officer").get(reverse("news:detail", args=[news.pk])).content.decode()
    assert '<div class="news-title-block">' in page and 'class="h3 mb-1 news-title"' in page


def test_the_library_shows_where_each_photo_is_used_and_lets_the_unit_caption_it(world, client_for):
    news = make_news(world, photos=1)
    page = client_for("officer").get(reverse("photos:library")).content.decode()
    assert "در ۱ خبر" in page and f'id="caption-{news.cover_id}"' in page
    assert "photos/photos.css" in page  # cropped thumbnails: the library once drew them uncropped
