"""The data migration of issue 9: existing answers become version 1 (with their ratings), a case the old
workflow reopened is "reopened", and a case closed with no answer is "closed_unanswered"."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("complaints", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_answers_become_version_one_and_the_states_tell_the_truth(world):
    from ravabet.complaints.models import Answer, Case, State

    old = _migrate(BEFORE)
    OldCase = old.get_model("complaints", "Case")  # noqa: N806
    now = timezone.now()
    common = {"unit_id": world.county_a.pk, "subject": "چاله", "text": "متن", "deadline": dt.date(2026, 1, 1)}
    answered = OldCase.objects.create(tracking_code="100000000001", state="closed", answer="ترمیم شد.", rating=4,
                                      answered_at=now, answered_by_id=world.officer.pk, answered_in_time=True,
                                      answer_working_days=3, **common)
    reopened = OldCase.objects.create(tracking_code="100000000002", state="referred", answer="پاسخ نخست",
                                      answered_at=now, answered_in_time=True, objection="راضی نیستم.",
                                      objected_at=now, **common)
    bare = OldCase.objects.create(tracking_code="100000000003", state="closed", **common)
    waiting = OldCase.objects.create(tracking_code="100000000004", state="received", **common)
    try:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        first = Answer.objects.get(case_id=answered.pk)
        assert (first.version, first.text, first.rating, first.in_time, first.working_days) == (1, "ترمیم شد.", 4, True, 3)
        assert first.answered_by_id == world.officer.pk and Case.objects.get(pk=answered.pk).state == State.CLOSED
        case = Case.objects.get(pk=reopened.pk)
        assert case.state == State.REOPENED and case.answered_at is None and case.answered_in_time is None
        assert case.answers.get().text == "پاسخ نخست"
        assert Case.objects.get(pk=bare.pk).state == State.CLOSED_UNANSWERED and not Answer.objects.filter(case_id=bare.pk)
        assert Case.objects.get(pk=waiting.pk).state == State.RECEIVED
    finally:
        # Every app's newest: going back to complaints 0001 also unapplied what depends on it (press 0004).
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
