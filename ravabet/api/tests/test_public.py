"""Public endpoints (issue 18, point 1): the same data, forms, services, captcha and limits as the pages."""

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ravabet.complaints.models import Case
from ravabet.events.models import Rsvp
from ravabet.events.tests.factories import make_event, make_guest
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.news.models import News
from ravabet.surveys.models import Answer, Response, State
from ravabet.surveys.tests.factories import make_survey

from .helpers import published


def test_published_news_come_with_photo_urls_and_filter_by_jalali_dates_in_any_digits(client, world):
    news = published(world, photos=2)
    data = client.get("/api/v1/public/news").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["id"] == news.pk and item["unit"]["code"] == "county-a"
    assert len(item["photos"]) == 2 and item["photos"][0]["url"].startswith("http://testserver/")
    assert item["news_date_jalali"] == jalali.format_date(news.news_date, persian=False)
    day = jalali.format_date(news.news_date)  # Persian digits
    assert client.get("/api/v1/public/news", {"date_from": day, "date_to": day}).json()["count"] == 1
    latin_next = jalali.format_date(news.news_date + dt.timedelta(days=1), persian=False).replace("/", "-")
    assert client.get("/api/v1/public/news", {"date_from": latin_next}).json()["count"] == 0
    wrong = client.get("/api/v1/public/news", {"date_from": "۱۴۰۵/۱۳/۰۱"})
    assert wrong.status_code == 400
    assert wrong.json() == {"detail": "ماه باید بین ۱ و ۱۲ باشد.", "code": "invalid",
                            "errors": [{"field": "date_from", "message": "ماه باید بین ۱ و ۱۲ باشد."}]}
    assert client.get(f"/api/v1/public/news/{news.pk}").json()["title"] == news.title


def test_unpublished_news_is_404_in_the_error_shape(client, world):
    from ravabet.news.tests.helpers import make_news

    draft = make_news(world, photos=0)
    answer = client.get(f"/api/v1/public/news/{draft.pk}")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


def test_the_public_news_list_runs_the_same_queries_for_1_and_20_items(client, world, django_assert_num_queries):
    published(world, photos=1)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/public/news")
    for seed in range(2, 21):
        published(world, photos=1, seed=seed, title=f"خبر {seed}")
    with django_assert_num_queries(len(few)):
        assert len(client.get("/api/v1/public/news").json()["items"]) == 20
    assert len(few) <= 4


def test_a_bad_number_gets_a_persian_message_on_its_field(client, world):
    answer = client.get("/api/v1/public/news", {"page": "x", "page_size": "500"})
    assert answer.status_code == 400
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert errors == {"page": "یک عدد درست بنویسید.", "page_size": "عدد باید حداکثر ۱۰۰ باشد."}


def _complaint(world, **fields):
    return {"unit": world.county_a.pk, "kind": "complaint", "subject": "چاله در جاده", "text": "متن شکایت درباره چاله.",
            "citizen_mobile": "۰۹۱۲۱۲۳۴۵۶۷", "captcha_key": "k", "captcha_value": "PASSED", **fields}


def test_a_complaint_is_submitted_with_the_captcha_and_tracked_with_code_and_mobile(client, world):
    cache.clear()
    key = client.post("/api/v1/public/captcha").json()["key"]
    made = client.post("/api/v1/public/complaints", _complaint(world, captcha_key=key), content_type="application/json")
    assert made.status_code == 201, made.content
    case = Case.objects.get()
    assert case.citizen_mobile == "09121234567" and made.json()["tracking_code"].replace("-", "") == case.tracking_code
    tracked = client.post("/api/v1/public/complaints/track",
                          {"code": to_persian_digits(made.json()["tracking_code"]), "mobile": "09121234567"},
                          content_type="application/json")
    assert tracked.status_code == 200 and tracked.json()["state"] == "received"
    wrong = client.post("/api/v1/public/complaints/track", {"code": case.tracking_code, "mobile": "09120000000"},
                        content_type="application/json")
    assert wrong.status_code == 404 and "پرونده‌ای با این کد" in wrong.json()["detail"]


def test_a_wrong_captcha_and_a_sixth_submission_in_a_minute_are_refused(client, world):
    cache.clear()
    key = client.post("/api/v1/public/captcha").json()["key"]
    wrong = client.post("/api/v1/public/complaints", _complaint(world, captcha_key=key, captcha_value="wrong"),
                        content_type="application/json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["field"] == "captcha"
    assert "پرسش امنیتی" in wrong.json()["errors"][0]["message"]
    for _ in range(4):
        client.post("/api/v1/public/complaints", _complaint(world, subject=""), content_type="application/json")
    limited = client.post("/api/v1/public/complaints", _complaint(world), content_type="application/json")
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert not Case.objects.exists()


def test_an_open_public_survey_is_answered_through_the_same_form_and_service(client, world):
    cache.clear()
    survey = make_survey(world.county_a, state=State.OPEN)
    listed = client.get("/api/v1/public/surveys").json()
    assert [s["token"] for s in listed["items"]] == [survey.token]
    detail = client.get(f"/api/v1/public/surveys/{survey.token}").json()
    fields = {q["kind"]: q["fields"][0] for q in detail["questions"]}
    missing = client.post(f"/api/v1/public/surveys/{survey.token}/responses", {"answers": {fields["single"]: 0}},
                          content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["errors"] == [{"field": fields["rating"], "message": "به این پرسش پاسخ دهید."}]
    done = client.post(f"/api/v1/public/surveys/{survey.token}/responses",
                       {"answers": {fields["single"]: 0, fields["multiple"]: [0, 2], fields["rating"]: "۴"}},
                       content_type="application/json")
    assert done.status_code == 201, done.content
    assert Response.objects.filter(survey=survey).count() == 1
    assert sorted(Answer.objects.filter(response__survey=survey).values_list("value", flat=True)) == [0, 0, 2, 4]
    assert client.get(f"/api/v1/public/surveys/{make_survey(world.county_a).token}").status_code == 404  # a draft


def test_a_public_survey_over_the_api_shares_the_pages_daily_cap_per_address(client, world, settings):
    settings.RAVABET_SURVEY_ANSWERS_PER_DAY = 2
    cache.clear()
    survey = make_survey(world.county_a, state=State.OPEN)
    fields = {q["kind"]: q["fields"][0] for q in client.get(f"/api/v1/public/surveys/{survey.token}").json()["questions"]}
    answers = {"answers": {fields["single"]: 0, fields["multiple"]: [0], fields["rating"]: "۳"}}
    sent = [client.post(f"/api/v1/public/surveys/{survey.token}/responses", answers, content_type="application/json")
            for _ in range(3)]
    assert [r.status_code for r in sent] == [201, 201, 429]
    assert sent[2].json()["code"] == "rate_limited" and "امروز" in sent[2].json()["detail"]
    assert Response.objects.filter(survey=survey).count() == 2


def test_an_invitation_is_answered_until_the_event(client, world):
    guest = make_guest(make_event(world.county_a))
    assert client.get(f"/api/v1/public/invitations/{guest.token}").json()["rsvp"] == "pending"
    answer = client.post(f"/api/v1/public/invitations/{guest.token}/rsvp", {"answer": "accept", "companions": 2},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["companions"] == 2
    guest.refresh_from_db()
    assert guest.rsvp == Rsvp.ACCEPTED
    too_many = client.post(f"/api/v1/public/invitations/{guest.token}/rsvp", {"answer": "accept", "companions": 11},
                           content_type="application/json")
    assert too_many.status_code == 400 and too_many.json()["errors"][0]["field"] == "companions"


def test_the_units_and_surveys_lists_run_the_same_queries_for_few_and_many(client, world, django_assert_num_queries):
    from ravabet.offices.models import Unit

    make_survey(world.county_a, state=State.OPEN)
    with CaptureQueriesContext(connection) as units_few:
        client.get("/api/v1/public/units")
    with CaptureQueriesContext(connection) as surveys_few:
        client.get("/api/v1/public/surveys")
    for n in range(12):
        Unit.objects.create(code=f"county-{n}", name=f"اداره {n}", city="شیراز", parent=world.hq)
        make_survey(world.county_b, state=State.OPEN, title=f"نظرسنجی {n}")
    with django_assert_num_queries(len(units_few)):
        assert len(client.get("/api/v1/public/units").json()) == 15
    with django_assert_num_queries(len(surveys_few)):
        assert client.get("/api/v1/public/surveys").json()["count"] == 13
    assert len(units_few) == 1 and len(surveys_few) <= 2


def test_a_news_search_is_paged_like_the_public_page_without_a_count(client, world):
    """`?q=` reads the page as the public search page does (news.selectors.PublicSearchPaginator, no count over
    the search, issue 18 §5): the same items as the substring match on the folded key, newest first; `count`
    reaches one item past the page when a next page exists; a page past the end counts what there is."""
    from ravabet.news.selectors import public_news

    for seed in range(1, 8):
        published(world, photos=1, seed=seed, title=f"بازسازی راه‌های روستایی {seed}" if seed % 2 else f"خبر {seed}")
    expected = [n.pk for n in public_news({"q": "راههای روستایی"})]
    assert len(expected) == 4
    first = client.get("/api/v1/public/news", {"q": "راه‌های روستایی", "page_size": 3}).json()
    assert [item["id"] for item in first["items"]] == expected[:3]
    assert first["count"] == 4 and first["has_next"] is True
    assert len(first["items"][0]["photos"]) == 1
    second = client.get("/api/v1/public/news", {"q": "راه‌های روستایی", "page_size": 3, "page": 2}).json()
    assert [item["id"] for item in second["items"]] == expected[3:] and second == {**second, "count": 4,
                                                                                    "has_next": False}
    beyond = client.get("/api/v1/public/news", {"q": "راه‌های روستایی", "page_size": 3, "page": 5}).json()
    assert beyond["items"] == [] and beyond["count"] == 4 and beyond["has_next"] is False
    day = jalali.format_date(News.objects.get(pk=expected[0]).news_date)
    dated = client.get("/api/v1/public/news", {"q": "روستایی", "date_to": day}).json()
    assert [item["id"] for item in dated["items"]] == expected
    after = jalali.format_date(News.objects.get(pk=expected[0]).news_date + dt.timedelta(days=1))
    assert client.get("/api/v1/public/news", {"q": "روستایی", "date_from": after}).json() == {
        "items": [], "count": 0, "has_next": False}
    plain = client.get("/api/v1/public/news", {"page_size": 3}).json()
    assert plain["count"] == 7 and plain["has_next"] is True  # without q: the full count as before
