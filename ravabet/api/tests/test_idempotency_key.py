"""`Idempotency-Key` on the API's creating POSTs (issue 13 §7): the public complaint, the survey answer and the
RSVP sent again with the same key and body answer the first result — one case and one SMS, one response, one
notice — sequentially here and at the same moment on PostgreSQL (last test)."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from ravabet.complaints import services as complaint_services
from ravabet.complaints.forms import PublicCaseForm
from ravabet.complaints.models import Case
from ravabet.events.tests.factories import make_event, make_guest
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.surveys.models import Response, State
from ravabet.surveys.tests.factories import make_survey


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _complaint(world, client) -> dict:
    """A complaint with a fresh captcha and its real answer (used once: a second form with it is refused)."""
    from captcha.models import CaptchaStore

    key = client.post("/api/v1/public/captcha").json()["key"]
    return {"unit": world.county_a.pk, "kind": "complaint", "subject": "چاله در جاده", "text": "متن شکایت درباره چاله.",
            "citizen_mobile": "09121234567", "captcha_key": key,
            "captcha_value": CaptchaStore.objects.get(hashkey=key).response}


def _post(client, url, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, body, content_type="application/json", **headers)


def _sms():
    return OutboxMessage.objects.filter(recipient="09121234567", channel="sms").count()


@pytest.mark.django_db
def test_a_complaint_sent_again_with_the_same_key_is_the_first_case_and_its_one_sms(client, world):
    body, key = _complaint(world, client), str(uuid.uuid4())
    first = _post(client, "/api/v1/public/complaints", body, key)
    again = _post(client, "/api/v1/public/complaints", body, key)
    assert first.status_code == again.status_code == 201, again.content
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1 and _sms() == 1
    # Another key (or none) is another request: its captcha was used, so it is refused on its field, not made.
    other = _post(client, "/api/v1/public/complaints", body, str(uuid.uuid4()))
    assert other.status_code == 400 and other.json()["errors"][0]["field"] == "captcha"
    # The same key with another body is another request too; a key alone gives no one else's case.
    changed = _post(client, "/api/v1/public/complaints", {**body, "subject": "دیگر"}, key)
    assert changed.status_code == 400 and Case.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_complaint_with_a_key_still_uses_up_its_captcha(client, world):
    """The form is checked inside the key's claim (rolled back when refused); the picture stays used."""
    from captcha.models import CaptchaStore

    body = {**_complaint(world, client), "citizen_mobile": "123"}
    response = _post(client, "/api/v1/public/complaints", body, str(uuid.uuid4()))
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "citizen_mobile"
    assert not CaptchaStore.objects.filter(hashkey=body["captcha_key"]).exists() and not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", " ", "x" * 201, "کلید"])
def test_a_bad_key_is_a_persian_400_on_the_header(client, world, key):
    response = _post(client, "/api/v1/public/complaints", _complaint(world, client), key)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "Idempotency-Key" and "نویسه" in response.json()["detail"]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_survey_answer_sent_again_with_the_same_key_is_one_response(client, world):
    survey = make_survey(world.county_a, state=State.OPEN)
    fields = {q["kind"]: q["fields"][0] for q in client.get(f"/api/v1/public/surveys/{survey.token}").json()["questions"]}
    body = {"answers": {fields["single"]: 0, fields["multiple"]: [0], fields["rating"]: "۳"}}
    url, key = f"/api/v1/public/surveys/{survey.token}/responses", str(uuid.uuid4())
    first, again = _post(client, url, body, key), _post(client, url, body, key)
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Response.objects.filter(survey=survey).count() == 1
    assert _post(client, url, body).status_code == 201  # without a key every POST answers, as before
    assert Response.objects.filter(survey=survey).count() == 2


@pytest.mark.django_db
def test_an_rsvp_sent_again_with_the_same_key_tells_the_organiser_once(client, world):
    event = make_event(world.county_a)
    event.created_by = world.officer
    event.save(update_fields=["created_by"])
    guest = make_guest(event)
    url, key, body = f"/api/v1/public/invitations/{guest.token}/rsvp", str(uuid.uuid4()), {"answer": "accept",
                                                                                             "companions": 2}
    notices = Notification.objects.count()
    first, again = _post(client, url, body, key), _post(client, url, body, key)
    assert first.status_code == again.status_code == 200 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and first.json()["rsvp"] == "accepted"
    assert Notification.objects.count() == notices + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_two_identical_complaint_posts_with_one_key_at_once_are_one_case_and_one_sms(world, monkeypatch):
    original = complaint_services.case_submit

    def held_open(*args, **kwargs):  # the second POST surely meets the claimed key before the first commits
        case = original(*args, **kwargs)
        time.sleep(0.5)
        return case

    monkeypatch.setattr(complaint_services, "case_submit", held_open)
    checked = PublicCaseForm.clean

    def slow_clean(form):  # the captcha is used first, then a pause: the copy surely meets a used captcha
        cleaned = checked(form)
        time.sleep(0.3)
        return cleaned

    monkeypatch.setattr(PublicCaseForm, "clean", slow_clean)
    body, key = _complaint(world, Client()), str(uuid.uuid4())

    def post(second: int):
        try:
            time.sleep(0.1 * second)  # the copy comes while the first is between its captcha and its case
            return _post(Client(), "/api/v1/public/complaints", body, key)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(post, range(2)))
    assert sorted(r.status_code for r in responses) == [201, 201], [r.content for r in responses]
    assert responses[0].json() == responses[1].json()
    assert Case.objects.count() == 1 and _sms() == 1


@pytest.mark.django_db
def test_invitation_lookups_and_answers_are_rate_limited_per_address(client, world):
    """Issue 13 §3: an invitation's token is its guest's key; guessing from one address is slowed (lib.ratelimit)."""
    from ravabet.api.public import RSVP_LIMIT

    guest = make_guest(make_event(world.county_a))
    codes = [client.get(f"/api/v1/public/invitations/{guest.token}x").status_code for _ in range(RSVP_LIMIT.limit)]
    assert set(codes) == {404}
    limited = _post(client, f"/api/v1/public/invitations/{guest.token}/rsvp", {"answer": "accept"})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.get(f"/api/v1/public/invitations/{guest.token}").status_code == 200
