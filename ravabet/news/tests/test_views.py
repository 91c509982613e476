import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ravabet.news.models import News, NewsState
from ravabet.photos.imagegen import huge_png_header, landscape
from ravabet.workflow.engine import move

from .helpers import make_news, photo_file, step_url, submitted

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"kind": "news", "title": "افتتاح پل روستای کوشک", "lead": "لید", "body": "متن خبر",
            "news_date": "۱۴۰۵/۰۹/۰۵", "occasion": "", "tags": "پل، راه روستایی", "form_token": "tok1"}
    data.update(overrides)
    return data


def test_officer_creates_news_with_two_photos_and_sees_the_portrait_reported(client_for):
    client = client_for("officer")
    response = client.post(reverse("news:create"), form_data(photos=[photo_file(1), photo_file(2, size=(1067, 1600))]),
                           follow=True)
    news = News.objects.get()
    assert news.photo_count == 2 and news.news_date == datetime.date(2026, 11, 26)
    page = response.content.decode()
    assert "عکس عمودی است" in page
    assert news.tags == "پل، راه روستایی"


def test_a_2000_character_title_gets_a_persian_message_and_keeps_what_was_typed(client_for):
    response = client_for("officer").post(reverse("news:create"), form_data(title="خ" * 2000, body="متن نگه‌داشته"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "حداکثر ۲۰۰ نویسه" in page or "حداکثر 200 نویسه" in page
    assert "متن نگه‌داشته" in page
    assert not News.objects.exists()


def test_bad_files_are_refused_with_persian_messages_and_the_text_is_kept(client_for):
    truncated = landscape(3)
    files = [SimpleUploadedFile("fake.jpg", b"not an image", "image/jpeg"),
             SimpleUploadedFile("cut.jpg", truncated[: len(truncated) // 2], "image/jpeg"),
             SimpleUploadedFile("bomb.png", huge_png_header(), "image/png"),
             photo_file(4)]
    response = client_for("officer").post(reverse("news:create"), form_data(photos=files), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "fake.jpg" in page and "cut.jpg" in page and "bomb.png" in page
    assert "بیش از حد مجاز" in page and "ناقص" in page
    news = News.objects.get()
    assert news.title == "افتتاح پل روستای کوشک" and news.photo_count == 1


def test_the_same_photo_twice_in_one_upload_keeps_only_one(client_for):
    data = landscape(5)
    files = [SimpleUploadedFile("a.jpg", data, "image/jpeg"), SimpleUploadedFile("b.jpg", data, "image/jpeg")]
    response = client_for("officer").post(reverse("news:create"), form_data(photos=files), follow=True)
    assert "تقریباً یکی است" in response.content.decode()
    assert News.objects.get().photo_count == 1


def test_a_script_in_the_body_is_cleaned_before_it_is_stored(client_for):
    client_for("officer").post(reverse("news:create"),
                               form_data(body='<p>خبر</p><script>alert(1)</script><img src=x onerror="alert(1)">'))
    body = News.objects.get().body
    assert "script" not in body and "onerror" not in body and "خبر" in body


def test_posting_the_create_form_twice_makes_one_item(client_for):
    client = client_for("officer")
    client.post(reverse("news:create"), form_data(submit_token="0123456789abcdef" * 2))
    response = client.post(reverse("news:create"), form_data(submit_token="0123456789abcdef" * 2), follow=True)
    assert News.objects.count() == 1
    assert "دوباره ساخته نشد" in response.content.decode()


def test_double_submit_answers_a_persian_refusal_not_an_error(world, client_for):
    news = make_news(world)
    client = client_for("officer")
    assert client.post(step_url(news, "submit")).status_code == 302
    response = client.post(step_url(news, "submit"))
    assert response.status_code == 403
    assert "هم‌اکنون «ارسال‌شده به اداره کل» است" in response.content.decode()


def test_officer_cannot_see_another_units_news(world, client_for):
    news = make_news(world)
    assert client_for("outsider").get(reverse("news:detail", args=[news.pk])).status_code == 404
    response = client_for("outsider").post(step_url(news, "submit"))
    assert response.status_code == 404
    news.refresh_from_db()
    assert news.state == NewsState.DRAFT


def test_an_officer_cannot_publish_through_the_url(world, client_for):
    news = submitted(world)
    assert client_for("officer").post(step_url(news, "publish")).status_code == 403
    news.refresh_from_db()
    assert news.state == NewsState.SUBMITTED


def test_hq_returns_with_a_comment_from_the_detail_page(world, client_for):
    news = submitted(world)
    client = client_for("hq_expert")
    assert 'name="comment"' in client.get(reverse("news:detail", args=[news.pk])).content.decode()
    empty = client.post(step_url(news, "return_to_unit"), {"comment": "  "})
    assert empty.status_code == 400 and "علت برگشت را بنویسید" in empty.content.decode()
    client.post(step_url(news, "return_to_unit"), {"comment": "عکس بهتر بفرستید."})
    news.refresh_from_db()
    assert news.state == NewsState.RETURNED
    page = client_for("officer").get(reverse("news:detail", args=[news.pk])).content.decode()
    assert "عکس بهتر بفرستید." in page and "ارسال به اداره کل" in page


def test_the_unit_sees_hq_changes_as_a_diff(world, client_for):
    news = submitted(world)
    client_for("hq_expert").post(reverse("news:edit", args=[news.pk]),
                                 form_data(title="بازدید استاندار از پروژه راه روستایی", body="متن خبر درباره پیشرفت پروژه."))
    page = client_for("officer").get(reverse("news:detail", args=[news.pk])).content.decode()
    assert "تغییرهای اداره کل" in page and "<del>" in page and "<ins>" in page


def test_bulk_publish_from_the_desk(world, client_for):
    first, second = submitted(world, seed=1), submitted(world, seed=2)
    client_for("hq_expert").post(reverse("news:desk_bulk"), {"action": "publish", "ids": [first.pk, second.pk]})
    assert set(News.objects.values_list("state", flat=True)) == {NewsState.PUBLISHED}


def _bulk_news(world, count: int, *, state=NewsState.SUBMITTED, published=False):
    """Rows straight into the table (no photo files), for query-count tests."""
    from ravabet.photos.models import Photo

    rows = []
    for i in range(count):
        photo = Photo.objects.create(unit=world.county_a, image=f"photos/x{i}.jpg", thumbnail=f"photos/t{i}.jpg",
                                     width=1600, height=1067)
        rows.append(News(unit=world.county_a if i % 2 else world.county_b, author=world.officer, title=f"خبر {i}",
                         body="<p>متن</p>", news_date=datetime.date(2026, 11, 20), state=state, cover=photo,
                         photo_count=1, sent_on=timezone.localdate(), search_key=f"خبر {i}",
                         submitted_at=timezone.now(), published_at=timezone.now() if published else None))
    News.objects.bulk_create(rows)


@pytest.mark.parametrize("url_name,actor,published", [("news:desk", "hq_expert", False),
                                                      ("news:mine", "officer", False),
                                                      ("news:public_list", "anon", True)])
def test_list_pages_run_the_same_number_of_queries_with_3_or_30_rows(world, client_for, django_assert_num_queries,
                                                                     url_name, actor, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    state = NewsState.PUBLISHED if published else NewsState.SUBMITTED
    client = client_for(actor)
    client.get(reverse(url_name))  # what is read once and kept (the newsroom's unit filter) is kept before both
    _bulk_news(world, 3, state=state, published=published)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _bulk_news(world, 27, state=state, published=published)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(large) == len(small)


def test_the_month_grid_runs_the_same_number_of_queries_whatever_the_data(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("hq_head")
    client.get(reverse("news:daily_month"))  # the process's first page loads the working-day calendar once
    with CaptureQueriesContext(connection) as empty:
        client.get(reverse("news:daily_month"))
    _bulk_news(world, 30)
    from ravabet.lib import jalali
    from ravabet.lib.workdays import Calendar

    start, end = jalali.month_bounds(*jalali.current_month())
    News.objects.update(sent_on=Calendar(start, end).working_days()[0])
    with CaptureQueriesContext(connection) as full:
        response = client.get(reverse("news:daily_month"))
    assert len(full) == len(empty)
    assert "cell-ok" in response.content.decode()


def test_holidays_and_weekends_never_count_against_a_unit():
    from ravabet.news.selectors import month_grid

    grid = month_grid(1405, 1, today=datetime.date(2026, 12, 31))  # Farvardin: Nowruz holidays
    row_days = grid["rows"]
    assert not row_days  # no county units yet; check the calendar columns instead
    working = {day: is_working for day, is_working, _ in grid["days"]}
    assert working[datetime.date(2026, 3, 21)] is False  # 1 Farvardin
    assert working[datetime.date(2026, 3, 27)] is False  # a Friday


def test_the_grid_counts_only_working_days(world):
    from ravabet.news.selectors import month_grid

    grid = month_grid(1405, 1, today=datetime.date(2026, 12, 31))
    row = next(r for r in grid["rows"] if r.unit == world.county_a)
    assert row.working_days == sum(1 for _, working, _ in grid["days"] if working)
    assert row.working_days < len(grid["days"]) - 8


def test_public_search_with_arabic_letters_finds_persian_text(world, client_for):
    news = submitted(world, title="افتتاح پل کوشک در مرودشت")
    move(news, "publish", by=world.hq_expert)
    response = client_for("anon").get(reverse("news:public_list"), {"q": "كوشك"})
    assert "افتتاح پل کوشک" in response.content.decode()
    response = client_for("anon").get(reverse("news:public_list"), {"q": "کوشک یزد"})
    assert "افتتاح پل کوشک" not in response.content.decode()


def test_public_search_treats_digit_forms_alike(world, client_for):
    news = submitted(world, title="بهره‌برداری از ۱۲ کیلومتر راه")
    move(news, "publish", by=world.hq_expert)
    assert "۱۲ کیلومتر" in client_for("anon").get(reverse("news:public_list"), {"q": "12 کیلومتر"}).content.decode()


def test_unpublished_news_is_not_public(world, client_for):
    news = submitted(world)
    assert client_for("anon").get(reverse("news:public_detail", args=[news.pk])).status_code == 404


def test_public_detail_has_open_graph_tags_and_caching_headers(world, client_for):
    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    client = client_for("anon")
    response = client.get(reverse("news:public_detail", args=[news.pk]))
    page = response.content.decode()
    assert 'property="og:title"' in page and 'property="og:image"' in page
    assert "max-age=300" in response["Cache-Control"]
    again = client.get(reverse("news:public_detail", args=[news.pk]),
                       HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_the_public_list_answers_304_when_nothing_was_published_since(world, client_for):
    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    client = client_for("anon")
    first = client.get(reverse("news:public_list"))
    assert client.get(reverse("news:public_list"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_the_unit_feed_lists_only_that_units_published_news(world, client_for):
    mine = submitted(world, title="خبر شهرستان الف")
    move(mine, "publish", by=world.hq_expert)
    other = submitted(world, title="خبر شهرستان ب", by=world.outsider, unit=world.county_b, seed=3)
    other = News.objects.get(pk=other.pk)
    move(other, "publish", by=world.hq_expert)
    client = client_for("anon")
    feed = client.get(reverse("news:unit_feed_atom", args=[world.county_a.code])).content.decode()
    assert "خبر شهرستان الف" in feed and "خبر شهرستان ب" not in feed
    rss = client.get(reverse("news:feed_rss")).content.decode()
    assert "خبر شهرستان الف" in rss and "خبر شهرستان ب" in rss


def test_the_daily_page_lists_units_that_have_not_sent_today(world, client_for):
    submitted(world)
    page = client_for("hq_head").get(reverse("news:daily")).content.decode()
    sent, missing = page.split("هنوز نفرستاده‌اند")
    assert world.county_a.name in sent and world.county_b.name in missing


def test_hq_sets_the_reminder_time(client_for):
    from ravabet.news.models import NewsSettings

    client_for("hq_head").post(reverse("news:settings"), {"reminder_time": "11:30", "reminders_enabled": "on"})
    assert NewsSettings.current().reminder_time == datetime.time(11, 30)


def test_officer_home_lists_returned_news_and_todays_missing_news(world, client_for):
    news = submitted(world)
    move(news, "return_to_unit", by=world.hq_expert, comment="اصلاح شود")
    page = client_for("officer").get(reverse("home")).content.decode()
    assert "خبرهای برگشتی برای اصلاح" in page


def test_indicators_and_the_report_section_count_the_units_news(world):
    from ravabet.compliance.registry import INDICATORS, REPORT_SECTIONS

    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    today = timezone.localdate()
    b5 = next(i for i in INDICATORS["B5"] if i.count.__module__ == "ravabet.news.features")
    assert b5.count(world.county_a, today, today) == 1
    section = REPORT_SECTIONS["news"].build(world.county_a, today, today)
    assert section["table"]["rows"][0][2] == news.title
    assert section["photos"]


def test_signed_in_people_never_get_a_cached_public_page(world, client_for):
    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    response = client_for("officer").get(reverse("news:public_list"))
    assert "private" in response["Cache-Control"] and "Last-Modified" not in response


def test_the_desk_answers_htmx_with_the_queue_fragment_only(world, client_for):
    submitted(world)
    response = client_for("hq_expert").get(reverse("news:desk"), {"state": "submitted"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="queue">') and "<html" not in page


def test_the_month_grid_exports_to_excel(client_for):
    response = client_for("hq_head").get(reverse("news:daily_month"), {"export": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


def test_the_public_landing_links_the_newsroom(client_for):
    assert reverse("news:public_list") in client_for("anon").get(reverse("public_home")).content.decode()


def test_the_author_is_told_when_the_news_is_published(world):
    from ravabet.outbox.models import Notification

    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    assert Notification.objects.filter(user=world.officer, title__contains="منتشر شد").exists()


def test_hq_schedules_with_a_jalali_date_and_a_bad_date_gets_a_persian_message(world, client_for):
    news = submitted(world)
    client = client_for("hq_expert")
    response = client.post(step_url(news, "schedule"), {"scheduled_for": "۱۴۰۵/۱۳/۰۱ ۱۰:۰۰"})
    assert response.status_code == 400 and "ماه باید بین" in response.content.decode()
    next_year = timezone.localdate().year - 621 + 1
    client.post(step_url(news, "schedule"), {"scheduled_for": f"{next_year}/01/15 10:00"})
    news.refresh_from_db()
    assert news.state == NewsState.SCHEDULED and news.scheduled_for > timezone.now()


@pytest.mark.parametrize("url_name,actor,per_page", [("news:desk", "hq_expert", 30), ("news:mine", "officer", 25)])
def test_a_deep_page_lists_the_same_rows_in_order_and_skips_by_keys_alone(world, client_for, url_name, actor,
                                                                         per_page):
    """Issue 11 §4: the desk's and the unit's deep pages read the skipped rows' keys only (no joins, no text),
    then the page's rows with their relations: the same rows, in the list's order, as a plain OFFSET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ravabet.news.views import selectors

    _bulk_news(world, 2 * per_page + 5)
    client = client_for(actor)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse(url_name), {"state": "", "page": 2})
    assert page.status_code == 200
    news_reads = [q["sql"] for q in captured.captured_queries
                  if 'FROM "news_news"' in q["sql"] and "COUNT(" not in q["sql"]]
    skipping = [sql for sql in news_reads if "OFFSET" in sql]
    assert len(skipping) == 1 and "JOIN" not in skipping[0] and '"news_news"."body"' not in skipping[0]
    queryset = News.objects.exclude(state=NewsState.DRAFT).order_by("-submitted_at", "-pk") \
        if url_name == "news:desk" else News.objects.filter(unit=world.county_a).order_by("-news_date", "-pk")
    shown = [row.pk for row in page.context["page_obj"].object_list]
    assert shown == [row.pk for row in queryset[per_page:2 * per_page]]
    paginator = selectors.KeysFirstPaginator(queryset, per_page)
    last = paginator.page(paginator.num_pages)
    assert [row.pk for row in last.object_list] == [row.pk for row in queryset[(paginator.num_pages - 1) * per_page:]]


@pytest.mark.parametrize("query", [{}, {"q": "کوشک"}])
def test_the_newsroom_cards_read_only_what_they_show(world, client_for, query):
    """news.selectors.CARD_COLUMNS: the list's rows query leaves out the body, search key and submitted version
    (a search page's largest columns), and the card (NewsCard) still shows title, lead, unit, date and cover."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ravabet.photos.models import Photo

    news = submitted(world, title="افتتاح پل کوشک")
    news.lead = "پل روستای کوشک بازگشایی شد"
    news.cover = Photo.objects.create(unit=world.county_a, image="photos/k.jpg", thumbnail="photos/k-thumb.jpg",
                                      width=1600, height=1067)
    news.save(update_fields=["lead", "cover"])
    move(news, "publish", by=world.hq_expert)
    with CaptureQueriesContext(connection) as captured:
        page = client_for("anon").get(reverse("news:public_list"), query).content.decode()
    assert "افتتاح پل کوشک" in page and "پل روستای کوشک بازگشایی شد" in page and world.county_a.name in page
    assert "photos/k-thumb.jpg" in page
    # The ORM's rows, or on PostgreSQL a search's (selectors.CARDS_SQL, written out).
    rows = [q["sql"] for q in captured.captured_queries if '"news_news"."title"' in q["sql"] or "n.title" in q["sql"]]
    assert rows  # on PostgreSQL a search may read the newest items, then the word index (two queries)
    for sql in rows:
        selected = sql.split(" FROM ")[0]
        assert not any(column in selected for column in ("body", "search_key", "submitted_version"))
