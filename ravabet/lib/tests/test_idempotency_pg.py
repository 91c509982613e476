"""Idempotent creates under real concurrency on PostgreSQL (issue 13, point 7): the same form POSTed
twice at the same moment, each POST on its own connection, makes one record and one SMS, and both
POSTs are led to that record — none answers 500."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from ravabet.complaints import services as complaint_services
from ravabet.complaints.models import Case
from ravabet.complaints.tests.helpers import public_data
from ravabet.lib import idempotency
from ravabet.lib.models import SubmitToken
from ravabet.news.models import News
from ravabet.outbox.models import OutboxMessage

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_test_captcha(monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()


def _at_once(*posts):
    """Run the POSTs at the same moment, each on its own thread and database connection."""
    start = threading.Barrier(len(posts))

    def run(post):
        try:
            start.wait()
            return post()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return list(pool.map(run, posts))


def _slowed(monkeypatch, module, name, seconds=0.5):
    """Hold the record's transaction open a moment after it is made, so the other POST surely meets the
    claimed token while the first has not committed (the blocking path of the unique index)."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    monkeypatch.setattr(module, name, slow)


@pytest.mark.parametrize("hold", [False, True], ids=["as-they-come", "first-held-open"])
def test_two_identical_public_complaints_at_once_are_one_case_and_one_sms(world, monkeypatch, hold):
    if hold:
        _slowed(monkeypatch, complaint_services, "case_submit")
    data = {**public_data(world.county_a), "submit_token": idempotency.new_token()}
    url = reverse("complaints:public_new")
    clients = [Client(), Client()]
    responses = _at_once(*(lambda c=c: c.post(url, data) for c in clients))
    assert [r.status_code for r in responses] == [302, 302]
    assert all(r["Location"] == reverse("complaints:public_done") for r in responses)
    case = Case.objects.get()
    assert OutboxMessage.objects.filter(recipient="09121234567", channel="sms").count() == 1
    assert SubmitToken.objects.get().object_id == case.pk
    for client in clients:  # each citizen's page shows the one case's code
        assert client.session["complaints_done"] == case.pk


def test_two_identical_news_forms_at_once_are_one_draft_not_a_500(world, monkeypatch):
    from ravabet.news import services as news_services

    _slowed(monkeypatch, news_services, "news_create")
    data = {"kind": "news", "title": "افتتاح پل روستای کوشک", "lead": "لید", "body": "متن خبر",
            "news_date": "۱۴۰۵/۰۹/۰۵", "occasion": "", "tags": "", "submit_token": idempotency.new_token()}
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(world.officer)
    responses = _at_once(*(lambda c=c: c.post(reverse("news:create"), data) for c in clients))
    news = News.objects.get()
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {reverse("news:detail", args=[news.pk])}


def test_two_identical_staff_complaints_at_once_are_one_case_and_one_sms(world, monkeypatch):
    _slowed(monkeypatch, complaint_services, "case_submit")
    data = {"channel": "phone", "kind": "complaint", "subject": "چاله", "text": "چاله بزرگ در جاده",
            "citizen_name": "", "citizen_mobile": "09121234567", "citizen_national_code": "",
            "submit_token": idempotency.new_token()}
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(world.officer)
    responses = _at_once(*(lambda c=c: c.post(reverse("complaints:create"), data) for c in clients))
    case = Case.objects.get()
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {reverse("complaints:detail", args=[case.pk])}
    assert OutboxMessage.objects.filter(recipient="09121234567", channel="sms").count() == 1


def test_two_identical_staff_people_without_a_mobile_at_once_are_one_person(world, monkeypatch):
    from ravabet.offices import services as office_services
    from ravabet.offices.models import Person

    _slowed(monkeypatch, office_services, "person_create")
    data = {"full_name": "مریم احمدی", "position": "کارشناس", "submit_token": idempotency.new_token()}
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(world.officer)
    responses = _at_once(*(lambda c=c: c.post(reverse("offices:staff_create"), data) for c in clients))
    assert [r.status_code for r in responses] == [302, 302]
    assert Person.objects.filter(full_name="مریم احمدی").count() == 1
