"""Idempotent creates (issue 13, point 7): every listed create form carries a one-time token and the
same form POSTed twice makes one record (and one SMS), the second POST led to the first record."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from ravabet.complaints.models import Case
from ravabet.complaints.tests.helpers import public_data
from ravabet.events.models import Guest
from ravabet.events.tests.factories import make_event
from ravabet.jobs.registry import JOBS
from ravabet.lib import idempotency
from ravabet.lib.models import SubmitToken
from ravabet.messaging.models import Announcement, Delivery
from ravabet.news.models import News
from ravabet.offices.models import Person
from ravabet.outbox.models import OutboxMessage
from ravabet.surveys.models import Audience, QuestionKind, Response, State
from ravabet.surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_test_captcha(monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()


def token_on(client, url, action: str | None = None) -> str:
    """The one-time token the form page at `url` carries (exactly one; in the form posting to `action`
    when the page has several)."""
    html = client.get(url).content.decode()
    if action is not None:
        html = html[html.index(f'action="{action}"'):]
        html = html[:html.index("</form>")]
    [token] = re.findall(r'name="submit_token" value="([0-9a-f]{32})"', html)
    return token


def twice(client, url, data):
    """POST the same form twice, as a double click or a resend does; the two responses."""
    return client.post(url, data), client.post(url, data)


# The mechanism ---------------------------------------------------------------------------------------------

def test_every_form_page_gets_a_fresh_token_and_a_form_shown_again_keeps_its_own(client, world):
    url = reverse("complaints:public_new")
    assert token_on(client, url) != token_on(client, url)
    token = idempotency.new_token()
    html = client.post(url, {**public_data(world.county_a), "subject": "", "submit_token": token}).content.decode()
    assert "هنوز ثبت نشده است" in html and f'name="submit_token" value="{token}"' in html
    assert not SubmitToken.objects.exists()  # refused: nothing claimed, the corrected form can go


def test_a_refused_create_claims_nothing_so_the_corrected_form_is_filed(client, world):
    url = reverse("complaints:public_new")
    token = token_on(client, url)
    client.post(url, {**public_data(world.county_a), "unit": world.hq.pk, "submit_token": token})
    assert not Case.objects.exists()
    assert client.post(url, {**public_data(world.county_a), "submit_token": token}).status_code == 302
    assert Case.objects.count() == 1


def test_a_form_without_a_token_is_created_as_before(client, world):
    url = reverse("complaints:public_new")
    twice(client, url, public_data(world.county_a))
    assert Case.objects.count() == 2 and not SubmitToken.objects.exists()


def test_a_token_sent_by_another_person_is_a_persian_message_not_a_500(world, client_for):
    url = reverse("offices:staff_create")
    token = token_on(client_for("officer"), url)
    client_for("officer").post(url, {"full_name": "رضا کریمی", "submit_token": token})
    response = client_for("manager").post(url, {"full_name": "رضا کریمی", "submit_token": token})
    assert response.status_code == 200 and idempotency.ANOTHER_PERSON in response.content.decode()
    assert Person.objects.filter(full_name="رضا کریمی").count() == 1


def test_a_repeat_after_the_first_record_was_deleted_is_a_persian_message(world, client_for):
    event = make_event(world.county_a)
    client = client_for("officer")
    data = {"name": "مهندس کریمی", "submit_token": idempotency.new_token()}
    client.post(reverse("events:guest_add", args=[event.pk]), data)
    Guest.objects.all().delete()
    response = client.post(reverse("events:guest_add", args=[event.pk]), data)
    assert response.status_code == 400 and idempotency.GONE in response.content.decode()


def test_create_once_returns_the_first_record_without_running_create_again(world):
    request = RequestFactory().post("/", {"submit_token": idempotency.new_token()})
    request.user = world.officer
    calls = []

    def create():
        calls.append(1)
        return Person.objects.create(unit=world.county_a, full_name=f"نفر {len(calls)}")

    first, created = idempotency.create_once(request, "test.person", create)
    again, created_again = idempotency.create_once(request, "test.person", create)
    assert (created, created_again) == (True, False) and first == again and calls == [1]
    claim = SubmitToken.objects.get()
    assert claim.user_id == world.officer.pk and claim.object_id == first.pk and claim.scope == "test.person"


def test_tokens_older_than_the_kept_days_are_purged_by_a_daily_job(world):
    SubmitToken.objects.create(token="a" * 32, scope="x")
    SubmitToken.objects.create(token="b" * 32, scope="x")
    SubmitToken.objects.filter(token="a" * 32).update(
        created_at=timezone.now() - dt.timedelta(days=idempotency.KEEP_DAYS + 1))
    assert idempotency.purge_old() == 1
    assert list(SubmitToken.objects.values_list("token", flat=True)) == ["b" * 32]
    assert JOBS["lib.purge_submit_tokens"].every == dt.timedelta(days=1)


# Every listed create: the same form twice -> one record ------------------------------------------------------

def test_public_complaint_twice_is_one_case_one_sms_and_both_see_its_code(client, world):
    url = reverse("complaints:public_new")
    data = {**public_data(world.county_a), "submit_token": token_on(client, url)}
    first, second = twice(client, url, data)
    assert first.status_code == second.status_code == 302 and second["Location"] == reverse("complaints:public_done")
    case = Case.objects.get()
    assert OutboxMessage.objects.filter(recipient="09121234567", channel="sms").count() == 1
    assert client.get(second["Location"]).content.decode().count("هنوز ثبت نشده") == 0
    assert SubmitToken.objects.get().object_id == case.pk


def test_public_complaint_repeat_is_led_to_its_case_even_when_the_captcha_was_used(client, world, monkeypatch):
    from captcha.conf import settings as captcha_settings

    url = reverse("complaints:public_new")
    data = {**public_data(world.county_a), "submit_token": token_on(client, url)}
    assert client.post(url, data).status_code == 302
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)  # the one-time captcha is now used up
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("complaints:public_done")
    assert Case.objects.count() == 1


def test_staff_quick_complaint_twice_is_one_case_and_one_sms(world, client_for):
    client = client_for("officer")
    url = reverse("complaints:create")
    data = {"channel": "phone", "kind": "complaint", "subject": "چاله", "text": "چاله بزرگ در جاده",
            "citizen_name": "", "citizen_mobile": "09121234567", "citizen_national_code": "",
            "submit_token": token_on(client, url)}
    first, second = twice(client, url, data)
    case = Case.objects.get()
    assert first["Location"] == second["Location"] == reverse("complaints:detail", args=[case.pk])
    assert OutboxMessage.objects.filter(recipient="09121234567", channel="sms").count() == 1
    assert idempotency.ALREADY_SAVED in client.get(second["Location"]).content.decode()


def test_staff_person_without_a_mobile_twice_is_one_person(world, client_for):
    client = client_for("officer")
    url = reverse("offices:staff_create")
    data = {"full_name": "مریم احمدی", "position": "کارشناس", "submit_token": token_on(client, url)}
    first, second = twice(client, url, data)
    assert first.status_code == second.status_code == 302
    assert Person.objects.filter(full_name="مریم احمدی").count() == 1


def test_news_twice_is_one_item(world, client_for):
    client = client_for("officer")
    url = reverse("news:create")
    data = {"kind": "news", "title": "افتتاح پل روستای کوشک", "lead": "لید", "body": "متن خبر",
            "news_date": "۱۴۰۵/۰۹/۰۵", "occasion": "", "tags": "", "submit_token": token_on(client, url)}
    first, second = twice(client, url, data)
    news = News.objects.get()
    assert first["Location"] == second["Location"] == reverse("news:detail", args=[news.pk])


def test_announcement_twice_is_one_announcement_and_one_sms_each(world, client_for):
    client = client_for("officer")
    url = reverse("messaging:announcement_create")
    data = {"kind": "general", "title": "همایش ایمنی راه", "body": "همایش ایمنی راه پنجشنبه برگزار می‌شود.",
            "via_app": "on", "via_sms": "on", "target_units": [world.county_a.pk],
            "submit_token": token_on(client, url)}
    first, second = twice(client, url, data)
    announcement = Announcement.objects.get()
    assert first["Location"] == second["Location"] == reverse("messaging:announcement_detail",
                                                               args=[announcement.pk])
    people = Person.objects.filter(unit=world.county_a, is_active=True).count()
    assert Delivery.objects.filter(announcement=announcement, channel="sms").count() == people


def test_guest_twice_is_one_guest(world, client_for):
    event = make_event(world.county_a)
    client = client_for("officer")
    token = token_on(client, reverse("events:detail", args=[event.pk]), reverse("events:guest_add", args=[event.pk]))
    data = {"name": "دکتر رضایی", "mobile": "09121234567", "submit_token": token}
    first, second = twice(client, reverse("events:guest_add", args=[event.pk]), data)
    assert first.status_code == second.status_code == 302
    assert Guest.objects.filter(event=event).count() == 1


def _answers(survey) -> dict:
    q = {question.kind: question.pk for question in survey.questions.all()}
    return {f"q{q[QuestionKind.SINGLE]}": "0", f"q{q[QuestionKind.RATING]}": "5"}


def test_public_survey_answer_twice_before_the_cookie_is_one_response(world, client):
    survey = make_survey(world.county_a, state=State.OPEN)
    url = reverse("surveys:public_answer", args=[survey.token])
    data = {**_answers(survey), "submit_token": token_on(client, url)}
    first = client.post(url, data)
    client.cookies.clear()  # the second click left before the first answer's cookie came back
    second = client.post(url, data)
    assert "پاسخ شما ثبت شد" in first.content.decode() and "پاسخ شما ثبت شد" in second.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1


def test_staff_survey_answer_twice_is_one_response(world, client_for):
    survey = make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN)
    client = client_for("staff")
    url = reverse("surveys:staff_answer", args=[survey.pk])
    data = {**_answers(survey), "submit_token": token_on(client, url)}
    first, second = twice(client, url, data)
    assert first["Location"] == second["Location"] == reverse("surveys:mine")
    assert Response.objects.filter(survey=survey).count() == 1


def test_an_invited_answer_sent_twice_is_one_response_and_both_are_thanked(world, client):
    from ravabet.surveys import services as survey_services
    from ravabet.surveys.models import Invitation
    from ravabet.surveys.tests.factories import officer_of

    survey = make_survey(world.county_a, state=State.OPEN)
    survey_services.invite(survey=survey, by=officer_of(world.county_a), people=[("علی", "09121234567")])
    url = reverse("surveys:invited_answer", args=[Invitation.objects.get().token])
    data = {**_answers(survey), "submit_token": token_on(client, url)}
    first, second = twice(client, url, data)
    assert "پاسخ شما ثبت شد" in first.content.decode() and "پاسخ شما ثبت شد" in second.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1


def test_the_token_costs_a_create_at_most_five_queries_and_a_repeat_few(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("officer")
    url = reverse("offices:staff_create")
    client.get(url)  # warm the session and content-type caches
    # and whatever a first create, with and without a token, loads once per process (content types...)
    client.post(url, {"full_name": "نفر صفرم"})
    client.post(url, {"full_name": "نفر صفرم دوم", "submit_token": idempotency.new_token()})
    with CaptureQueriesContext(connection) as plain:
        client.post(url, {"full_name": "نفر یکم"})
    token = idempotency.new_token()
    with CaptureQueriesContext(connection) as once:
        client.post(url, {"full_name": "نفر دوم", "submit_token": token})
    with CaptureQueriesContext(connection) as repeat:
        client.post(url, {"full_name": "نفر دوم", "submit_token": token})
    print(f"staff create: {len(plain)} queries without a token, {len(once)} with, a repeat {len(repeat)}")
    assert len(once) - len(plain) <= 5  # look-up, claim, object recorded, savepoint and its release
    assert len(repeat) < len(once)
