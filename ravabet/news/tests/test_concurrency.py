"""Steps on one news item racing each other on PostgreSQL (issue 9): `move` locks the row, so
exactly one wins, the others get a Persian refusal, and only the winner's log entry and notice exist."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from ravabet.audit.models import ActionLog
from ravabet.news.models import News, NewsComment, NewsState
from ravabet.offices.roles import Role
from ravabet.outbox.models import Notification
from ravabet.testing import make_user
from ravabet.workflow.engine import TransitionRefused, move

from .helpers import submitted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def _race(calls):
    """Run each (user, step, values) at the same moment, each thread on its own connection and its
    own copy of the record read before the others move it; returns "ok" or the refusal per call."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        pk, user, name, values = call
        try:
            news = News.objects.get(pk=pk)  # everyone reads "submitted" before anyone moves
            barrier.wait(timeout=10)
            move(news, name, by=user, **values)
            return "ok"
        except TransitionRefused as refusal:
            return refusal
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _author_notices(world, news) -> list[str]:
    return list(Notification.objects.filter(user=world.officer).values_list("title", flat=True))


def test_three_hq_users_approving_one_news_at_once_approve_it_once(world):
    second_expert = make_user("hq_expert2", "کارشناس دوم اداره کل", world.hq, Role.HQ_EXPERT, "09170000010")
    news = submitted(world)
    results = _race([(news.pk, user, "approve", {}) for user in (world.hq_head, world.hq_expert, second_expert)])
    assert results.count("ok") == 1
    refusals = [result for result in results if result != "ok"]
    assert len(refusals) == 2 and all("هم‌اکنون «تأییدشده» است" in str(refusal) for refusal in refusals)
    news.refresh_from_db()
    assert news.state == NewsState.APPROVED
    assert ActionLog.objects.filter(action="news.approved", target_id=str(news.pk)).count() == 1
    assert _author_notices(world, news) == [f"خبر «{news.title}» تأیید شد"]


@pytest.mark.parametrize("round_", range(3))
def test_an_approve_racing_a_return_lets_one_win_and_sends_only_its_notice(world, round_):
    news = submitted(world, seed=round_ + 1)
    results = _race([(news.pk, world.hq_expert, "approve", {}),
                     (news.pk, world.hq_head, "return_to_unit", {"comment": "عکس بهتر بفرستید."})])
    assert sorted(result == "ok" for result in results) == [False, True]
    news.refresh_from_db()
    notices = _author_notices(world, news)
    if results[0] == "ok":
        assert news.state == NewsState.APPROVED and notices == [f"خبر «{news.title}» تأیید شد"]
        assert not NewsComment.objects.filter(news=news).exists()
        assert not ActionLog.objects.filter(action="news.returned").exists()
    else:
        assert news.state == NewsState.RETURNED and notices == [f"خبر «{news.title}» برای اصلاح برگشت"]
        assert NewsComment.objects.filter(news=news, is_return=True).count() == 1
        assert not ActionLog.objects.filter(action="news.approved").exists()
