"""Races on PostgreSQL: one personal link answered from two devices at once answers once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ravabet.surveys import services
from ravabet.surveys.models import Invitation, QuestionKind, Response, State, Survey

from .factories import make_survey, officer_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def test_one_personal_link_sent_from_two_devices_at_once_answers_once(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    services.invite(survey=survey, by=officer_of(world.county_a), people=[("علی", "09121234567")])
    token = Invitation.objects.get().token
    q = {question.kind: question.pk for question in survey.questions.all()}
    barrier = threading.Barrier(2)

    def attempt(rating: int) -> str:
        try:
            barrier.wait()
            invitation = Invitation.objects.select_related("survey").get(token=token)
            services.response_submit(survey=invitation.survey, invitation=invitation,
                                     answers={q[QuestionKind.SINGLE]: 0, q[QuestionKind.RATING]: rating})
            return "answered"
        except ValidationError as refusal:
            assert "پیش‌تر پاسخ داده شده" in " ".join(refusal.messages)
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(attempt, [2, 5]))
    assert results == ["answered", "refused"]
    assert Response.objects.filter(survey=survey).count() == 1
    invitation = Invitation.objects.get()
    assert invitation.response_id == Response.objects.get().pk
    assert Survey.objects.get(pk=survey.pk).responses_count == 1
