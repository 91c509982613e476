"""Personal API tokens (issue 18, point 1): made and revoked on the user's own page, shown once, stored
hashed; a county officer's token sees only their unit, exactly as their pages do."""

import re

from django.test import Client
from django.urls import reverse

from ravabet.api.models import ApiToken
from ravabet.api.tokens import digest
from ravabet.complaints.tests.factories import make_case
from ravabet.hqtasks.tests.factories import make_assignment
from ravabet.news.tests.helpers import make_news

TOKENS = reverse("api:tokens")


def _make_token(client, name="وبگاه اداره کل") -> str:
    page = client.post(TOKENS, {"name": name}).content.decode()
    return re.search(r'id="new-token"[^>]*value="(rvb_[^"]+)"', page)[1]


def test_a_county_token_sees_only_its_unit_and_stops_working_once_revoked(client_for, world):
    mine = make_news(world, photos=0, title="خبر الف")
    theirs = make_news(world, photos=0, unit=world.county_b, by=world.outsider, title="خبر ب")
    case_a, case_b = make_case(world.county_a), make_case(world.county_b)
    task_a, task_b = make_assignment(world.county_a), make_assignment(world.county_b)
    page = client_for("officer")
    text = _make_token(page)
    row = ApiToken.objects.get(user=world.officer)
    # Stored hashed: the text is nowhere in the table, only its digest; the page never shows it again.
    assert row.digest == digest(text) and text not in str(ApiToken.objects.values().get())
    assert text not in page.get(TOKENS).content.decode()
    assert f"rvb_{row.prefix}" in page.get(TOKENS).content.decode()

    api = Client(HTTP_AUTHORIZATION=f"Bearer {text}")
    news = api.get("/api/v1/staff/news").json()
    assert [n["id"] for n in news["items"]] == [mine.pk] and news["count"] == 1
    assert api.get(f"/api/v1/staff/news/{theirs.pk}").status_code == 404
    assert api.get(f"/api/v1/staff/news/{mine.pk}").json()["title"] == "خبر الف"
    assert [c["id"] for c in api.get("/api/v1/staff/complaints").json()["items"]] == [case_a.pk]
    assert api.get(f"/api/v1/staff/complaints/{case_b.pk}").status_code == 404
    assert [a["id"] for a in api.get("/api/v1/staff/hqtasks").json()["items"]] == [task_a.pk]
    # ?unit= of another county is ignored, as on the pages (narrow only to units the user may see).
    assert api.get(f"/api/v1/staff/hqtasks?unit={world.county_b.pk}").json()["count"] == 1
    scores = api.get("/api/v1/staff/scores").json()
    assert [r["unit"]["id"] for r in scores["rows"]] == [world.county_a.pk] and scores["units"] == 2
    assert task_b.pk not in [a["id"] for a in api.get("/api/v1/staff/hqtasks").json()["items"]]

    response = page.post(reverse("api:token_revoke", args=[row.pk]), follow=True)
    assert "باطل شد" in response.content.decode()
    refused = api.get("/api/v1/staff/news")
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthorized" and "کلید" in refused.json()["detail"]


def test_an_hq_token_sees_every_unit(client_for, world):
    make_news(world, photos=0)
    make_news(world, photos=0, unit=world.county_b, by=world.outsider)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {_make_token(client_for('hq_expert'))}")
    assert api.get("/api/v1/staff/news").json()["count"] == 2
    assert api.get(f"/api/v1/staff/news?unit={world.county_b.pk}").json()["count"] == 1
    assert len(api.get("/api/v1/staff/scores?period=۱۴۰۵-۰۸").json()["rows"]) == 2


def test_plain_staff_get_403_in_persian_and_a_wrong_token_401(client_for, world):
    api = Client(HTTP_AUTHORIZATION=f"Bearer {_make_token(client_for('staff'))}")
    refused = api.get("/api/v1/staff/complaints")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "شما اجازه دیدن پرونده‌های مردمی را ندارید.", "code": "forbidden",
                              "errors": []}
    assert Client(HTTP_AUTHORIZATION="Bearer rvb_00000000_nope").get("/api/v1/staff/news").status_code == 401
    assert Client().get("/api/v1/staff/news").status_code == 401


def test_someone_else_cannot_revoke_a_token_and_a_name_is_required(client_for, world):
    _make_token(client_for("officer"))
    row = ApiToken.objects.get(user=world.officer)
    assert client_for("outsider").post(reverse("api:token_revoke", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.is_active
    page = client_for("officer").post(TOKENS, {"name": "  "}).content.decode()
    assert "این بخش را پر کنید" in page or "نامی بنویسید" in page
    assert ApiToken.objects.filter(user=world.officer).count() == 1
