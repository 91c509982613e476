"""200 citizens filing at once on PostgreSQL: every case persists under its own code."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from ravabet.complaints import services
from ravabet.complaints.models import Case

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]
SUBMISSIONS = 200


def test_two_hundred_concurrent_submissions_all_persist_with_distinct_codes(world):
    from ravabet.offices.models import Unit

    unit_ids = [world.county_a.pk, world.county_b.pk]

    def submit(number: int) -> str:
        try:
            case = services.case_submit(unit=Unit.objects.get(pk=unit_ids[number % 2]), kind="complaint",
                                        subject=f"شکایت شماره {number}", text="متن شکایت همزمان",
                                        citizen_mobile=f"0912{number:07d}")
            return case.tracking_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(submit, range(SUBMISSIONS)))
    assert len(set(codes)) == SUBMISSIONS
    assert Case.objects.count() == SUBMISSIONS
    assert set(Case.objects.values_list("tracking_code", flat=True)) == set(codes)
    assert Case.objects.values("subject").distinct().count() == SUBMISSIONS


def test_concurrent_submissions_survive_tracking_code_collisions(world, monkeypatch):
    """With codes drawn from a tiny space, collisions happen under load and are retried."""
    import itertools
    import threading

    lock = threading.Lock()
    counter = itertools.count()

    def crowded_code() -> str:
        with lock:
            return f"{next(counter) // 2:012d}"  # every code is handed out twice

    monkeypatch.setattr(services, "new_code", crowded_code)

    def submit(number: int) -> str:
        try:
            return services.case_submit(unit=world.county_a, kind="request", subject=f"درخواست {number}",
                                        text="متن").tracking_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(submit, range(50)))
    assert len(set(codes)) == 50 and Case.objects.count() == 50


def test_an_answer_racing_a_close_without_answer_lets_exactly_one_through(world):
    """The officer answers while the manager closes the same case without an answer: the row lock lets
    one in; the other re-reads the new state and is refused in Persian; one log entry, one outcome."""
    import threading

    from ravabet.audit.models import ActionLog
    from ravabet.complaints.models import Answer, State
    from ravabet.complaints.tests.factories import make_case
    from ravabet.workflow.engine import TransitionRefused, move

    case = make_case(world.county_a)
    barrier = threading.Barrier(2)

    def attempt(args) -> str:
        name, user, values = args
        try:
            barrier.wait()
            move(Case.objects.get(pk=case.pk), name, by=user, **values)
            return name
        except TransitionRefused as refusal:
            assert "هم‌اکنون" in str(refusal) or "در وضعیت" in str(refusal)
            return "refused"
        finally:
            connection.close()

    moves = [("answer", world.officer, {"answer": "چاله ترمیم شد."}),
             ("close_unanswered", world.manager, {"close_reason": "تکراری است."})]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(attempt, moves))
    winners = [result for result in results if result != "refused"]
    assert len(winners) == 1 and results.count("refused") == 1
    case.refresh_from_db()
    assert case.state == {"answer": State.ANSWERED, "close_unanswered": State.CLOSED_UNANSWERED}[winners[0]]
    assert ActionLog.objects.filter(action__in=["complaints.answered", "complaints.closed_unanswered"]).count() == 1
    assert Answer.objects.filter(case=case).count() == (1 if winners[0] == "answer" else 0)
