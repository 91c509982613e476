"""B2: the register of the region's officials, and a published achievement sent to them through
the outbox as B2's evidence."""

import pytest
from django.urls import reverse

from ravabet.messaging.models import AchievementDispatch, Official
from ravabet.news import services as news_services
from ravabet.news.tests.helpers import make_news
from ravabet.outbox.models import OutboxMessage
from ravabet.workflow.engine import move

pytestmark = pytest.mark.django_db


def _publish_achievement(world):
    news = news_services.news_submit(news=make_news(world, kind="achievement"), by=world.officer)
    move(news, "manager_approve", by=world.manager)
    news = move(news, "approve_achievement", by=world.hq_head)
    return move(news, "publish", by=world.hq_expert)


def test_a_published_achievement_goes_to_the_chosen_officials_of_its_region_by_sms_and_email(world):
    governor = Official.objects.create(unit=world.county_a, full_name="محمد فرمانی", title="فرماندار",
                                       body="governor", mobile="09171110000", email="farmandar@example.ir")
    mp = Official.objects.create(unit=world.hq, full_name="علی وکیلی", title="نماینده مردم در مجلس", body="mp",
                                 mobile="09171110001")
    Official.objects.create(unit=world.county_a, full_name="نخواسته", title="عضو شورا", body="council",
                            mobile="09171110002", receives_achievements=False)
    Official.objects.create(unit=world.county_b, full_name="دیگری", title="فرماندار", body="governor",
                            mobile="09171110003")
    news = _publish_achievement(world)
    sent = set(AchievementDispatch.objects.filter(news=news).values_list("official__full_name", "channel"))
    assert sent == {("محمد فرمانی", "sms"), ("محمد فرمانی", "email"), ("علی وکیلی", "sms")}
    sms = OutboxMessage.objects.get(recipient="09171110000")
    assert "فرماندار محترم" in sms.body and news.title in sms.body and news.get_public_url() in sms.body
    assert OutboxMessage.objects.filter(recipient="farmandar@example.ir", channel="email").exists()
    # Evidence page lists each sending for the county and HQ.
    assert governor.dispatches.count() == 2 and mp.dispatches.count() == 1


def test_a_plain_news_item_is_sent_to_no_official(world):
    Official.objects.create(unit=world.county_a, full_name="محمد فرمانی", title="فرماندار", body="governor",
                            mobile="09171110000")
    news = news_services.news_submit(news=make_news(world), by=world.officer)
    move(news, "approve", by=world.hq_expert)
    assert not AchievementDispatch.objects.exists()


def test_the_officer_registers_an_official_with_persian_errors_kept_as_typed(world, client_for):
    client = client_for("officer")
    response = client.post(reverse("messaging:official_create"), {
        "full_name": "محمد فرمانی", "title": "فرماندار", "body": "governor", "mobile": "۰۹۱۷۱۱",
        "receives_achievements": "on", "is_active": "on"})
    html = response.content.decode()
    assert response.status_code == 200 and "شماره همراه باید ۱۱ رقم" in html and "محمد فرمانی" in html
    response = client.post(reverse("messaging:official_create"), {
        "full_name": "محمد فرمانی", "title": "فرماندار", "body": "governor", "mobile": "۰۹۱۷۱۱۱۰۰۰۰",
        "receives_achievements": "on", "is_active": "on"})
    assert response.status_code == 302
    official = Official.objects.get()
    assert official.unit == world.county_a and official.mobile == "09171110000"
    missing = client.post(reverse("messaging:official_create"), {
        "full_name": "بی‌شماره", "title": "عضو شورا", "body": "council", "receives_achievements": "on"})
    assert "شماره همراه یا ایمیل را بنویسید" in missing.content.decode()


def test_the_register_and_the_evidence_lists_are_scoped_and_cheap(world, client_for, django_assert_max_num_queries):
    for n in range(5):
        Official.objects.create(unit=world.county_a, full_name=f"مسئول {n}", title="عضو شورا", body="council",
                                mobile=f"0917111000{n}")
    Official.objects.create(unit=world.county_b, full_name="مسئول ب", title="فرماندار", body="governor")
    _publish_achievement(world)
    client = client_for("officer")
    with django_assert_max_num_queries(25):
        html = client.get(reverse("messaging:official_list")).content.decode()
    assert "مسئول ۴" in html or "مسئول 4" in html
    assert "مسئول ب" not in html
    with django_assert_max_num_queries(25):
        evidence = client.get(reverse("messaging:achievement_dispatches")).content.decode()
    assert evidence.count("<tr>") >= 6
    assert client_for("outsider").get(reverse("messaging:achievement_dispatches")).content.decode().count(
        "مسئول 0") == 0
