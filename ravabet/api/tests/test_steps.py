"""Staff writes go only through the declared workflow (`workflow.engine.move`), scoped like the pages."""

from ravabet.audit.models import ActionLog
from ravabet.news.models import NewsState
from ravabet.news.tests.helpers import make_news

from .helpers import token_client


def test_an_officer_submits_news_and_hq_returns_it_with_a_comment_through_the_steps(world):
    news = make_news(world, photos=1)
    officer = token_client(world.officer)
    offered = officer.get(f"/api/v1/staff/news/{news.pk}/steps").json()
    assert offered["state"] == "draft" and "submit" in [s["name"] for s in offered["steps"]]
    done = officer.post(f"/api/v1/staff/news/{news.pk}/steps/submit", {}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    news.refresh_from_db()
    assert news.state == NewsState.SUBMITTED
    assert ActionLog.objects.filter(action="news.submitted", actor=world.officer).exists()
    # HQ's step by the officer: 403 with the Persian reason; the same step again: the state refuses it.
    refused = officer.post(f"/api/v1/staff/news/{news.pk}/steps/approve", {}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    hq = token_client(world.hq_expert)
    missing = hq.post(f"/api/v1/staff/news/{news.pk}/steps/return_to_unit", {"values": {}},
                      content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["errors"] == [{"field": "comment",
                                         "message": "علت برگشت را بنویسید تا واحد بداند چه را اصلاح کند."}]
    returned = hq.post(f"/api/v1/staff/news/{news.pk}/steps/return_to_unit",
                       {"values": {"comment": "عکس دیگری بفرستید."}}, content_type="application/json")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"


def test_another_county_and_unknown_steps_get_404(world):
    news = make_news(world, photos=1)
    outsider = token_client(world.outsider)
    assert outsider.get(f"/api/v1/staff/news/{news.pk}/steps").status_code == 404
    assert outsider.post(f"/api/v1/staff/news/{news.pk}/steps/submit", {},
                         content_type="application/json").status_code == 404
    officer = token_client(world.officer)
    assert officer.post(f"/api/v1/staff/news/{news.pk}/steps/fly", {}, content_type="application/json").status_code == 404
    news.refresh_from_db()
    assert news.state == NewsState.DRAFT
