"""E1-E3: the occasions calendar, reminders, participation and programmes, occasion content sent to HQ."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.lib import jalali
from ravabet.occasions import services
from ravabet.occasions.calendar import seed_year
from ravabet.occasions.models import Activity, ContentState, Occasion, OccasionContent
from ravabet.outbox.models import Notification
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move

from .factories import make_activity, make_content, make_occasion

pytestmark = pytest.mark.django_db


def _step(content, name):
    return reverse("workflow:transition", args=["occasions.occasioncontent", content.pk, name])


def test_the_year_is_seeded_with_solar_and_lunar_occasions_once():
    added = seed_year(1405)
    assert added > 30 and seed_year(1405) == 0
    bahman = Occasion.objects.get(title="سالروز پیروزی انقلاب اسلامی")
    assert jalali.format_date(bahman.date, persian=False) == "1405/11/22" and not bahman.lunar
    ashura = Occasion.objects.get(title="عاشورای حسینی")
    assert ashura.lunar and ashura.kind == "religious"
    assert Occasion.objects.filter(title="روز جهانی قدس", lunar=True).exists()


def test_a_lunar_date_hq_moved_is_kept_when_the_year_is_seeded_again(client_for, world):
    seed_year(1405)
    ashura = Occasion.objects.get(title="عاشورای حسینی")
    moved = ashura.date + dt.timedelta(days=1)
    client_for("hq_head").post(reverse("occasions:edit", args=[ashura.pk]), {
        "title": ashura.title, "date": jalali.format_date(moved, persian=False), "kind": "religious",
        "lunar": "on", "remind_days": "7"})
    assert seed_year(1405) == 0
    assert Occasion.objects.get(title="عاشورای حسینی").date == moved


def test_only_hq_edits_the_calendar(client_for, world):
    occasion = make_occasion()
    assert client_for("officer").get(reverse("occasions:edit", args=[occasion.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.occasion_save(by=world.officer, occasion=occasion, title="x")
    assert client_for("hq_expert").get(reverse("occasions:edit", args=[occasion.pk])).status_code == 200


def test_hq_seeds_the_year_from_the_calendar_page(client_for, world):
    response = client_for("hq_expert").post(reverse("occasions:seed"), {"year": "1405"})
    assert response.status_code == 302 and Occasion.objects.count() > 30


def test_a_bad_date_on_the_occasion_form_keeps_the_title(client_for, world):
    response = client_for("hq_head").post(reverse("occasions:create"), {
        "title": "روز اداره", "date": "1405/02/40", "kind": "organisational", "remind_days": "7"})
    assert response.status_code == 200 and "روز اداره" in response.content.decode()
    assert not Occasion.objects.exists()


def test_pr_officers_are_reminded_once_ahead_of_an_occasion(world):
    make_occasion(title="دهه فجر", days=5)
    make_occasion(title="دور", days=40)
    assert services.remind_occasions() == 1 and services.remind_occasions() == 0
    assert Notification.objects.filter(user=world.officer, title__contains="دهه فجر").count() == 1
    assert Notification.objects.filter(user=world.outsider, title__contains="دهه فجر").count() == 1
    assert not Notification.objects.filter(title__contains="دور").exists()


def test_a_moved_date_is_reminded_again(world):
    occasion = make_occasion(days=2)
    services.remind_occasions()
    services.occasion_save(by=world.hq_head, occasion=occasion, date=occasion.date + dt.timedelta(days=1))
    assert services.remind_occasions() == 1


def test_the_officer_records_a_march_and_a_future_date_is_refused(client_for, world):
    occasion = make_occasion(days=-1)
    client = client_for("officer")
    url = reverse("occasions:activity_create")
    future = jalali.format_date(jalali.today() + dt.timedelta(days=3), persian=False)
    bad = client.post(url, {"kind": "march", "title": "راهپیمایی ۲۲ بهمن", "date": future, "participants": "40"})
    assert "هنوز انجام نشده" in bad.content.decode() and "راهپیمایی ۲۲ بهمن" in bad.content.decode()
    client.post(url, {"kind": "march", "title": "راهپیمایی ۲۲ بهمن", "occasion": occasion.pk,
                      "date": jalali.format_date(jalali.today(), persian=False), "participants": "40"})
    activity = Activity.objects.get()
    assert activity.unit == world.county_a and activity.participants == 40 and activity.occasion == occasion


def test_content_goes_from_draft_to_hq_who_acknowledges_it(client_for, world):
    occasion = make_occasion()
    officer = client_for("officer")
    officer.post(reverse("occasions:content_create"), {"occasion": occasion.pk, "title": "ویژه‌نامه دهه فجر",
                                                       "text": "گزارش برنامه‌های اداره در دهه فجر"})
    content = OccasionContent.objects.get()
    assert content.state == ContentState.DRAFT
    assert content not in client_for("hq_head").get(reverse("occasions:contents")).context["page_obj"]
    page = officer.get(reverse("occasions:content", args=[content.pk])).content.decode()
    assert "فرستادن برای اداره کل" in page
    officer.post(_step(content, "send"))
    content.refresh_from_db()
    assert content.state == ContentState.SENT and content.sent_at
    assert Notification.objects.filter(user=world.hq_head, title__contains=occasion.title).exists()
    assert Notification.objects.filter(user=world.hq_expert, title__contains=occasion.title).exists()
    assert "دیدم" in client_for("hq_expert").get(reverse("occasions:content", args=[content.pk])).content.decode()
    client_for("hq_expert").post(_step(content, "acknowledge"), {"hq_comment": "عالی بود"})
    content.refresh_from_db()
    assert content.state == ContentState.ACKNOWLEDGED and content.hq_comment == "عالی بود"
    assert Notification.objects.filter(user=world.officer, body="عالی بود").exists()
    assert ActionLog.objects.filter(action="occasions.content_acknowledged", target_id=str(content.pk)).count() == 1


def test_content_cannot_be_acknowledged_before_it_is_sent_or_by_the_unit(world):
    content = make_content(world.county_a)
    with pytest.raises(TransitionRefused):
        move(content, "acknowledge", by=world.hq_head)
    with pytest.raises(RoleRefused):
        move(content, "send", by=world.hq_head)
    move(content, "send", by=world.officer)
    with pytest.raises(RoleRefused):
        move(content, "acknowledge", by=world.manager)
    with pytest.raises(TransitionRefused):
        move(content, "send", by=world.officer)


def test_staff_cannot_send_content(client_for, world):
    content = make_content(world.county_a)
    assert client_for("staff").post(_step(content, "send")).status_code == 404
    content.refresh_from_db()
    assert content.state == ContentState.DRAFT


def test_county_b_cannot_see_county_a_content(client_for, world):
    content = make_content(world.county_a)
    assert client_for("outsider").get(reverse("occasions:content", args=[content.pk])).status_code == 404


@pytest.mark.parametrize("url_name,make", [
    ("occasions:activities", lambda unit, n: make_activity(unit)),
    ("occasions:contents", lambda unit, n: make_content(unit, make_occasion(title=f"مناسبت {n}"))),
])
def test_lists_run_the_same_number_of_queries_for_3_and_30_rows(client_for, world, url_name, make,
                                                                django_assert_num_queries):
    client = client_for("officer")
    for n in range(3):
        make(world.county_a, n)
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    for n in range(3, 30):
        make(world.county_a, n)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse(url_name))
    assert len(response.context["page_obj"]) == 30


def test_the_calendar_runs_the_same_number_of_queries_for_a_seeded_year(client_for, world,
                                                                         django_assert_num_queries):
    client = client_for("officer")
    make_occasion()
    client.get(reverse("occasions:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("occasions:list"))
    seed_year(jalali.current_month()[0])
    with django_assert_num_queries(len(few)):
        client.get(reverse("occasions:list"))
