import json

import pytest
from django.urls import reverse

from ravabet.compliance import registry
from ravabet.lib import jalali
from ravabet.offices.access import Access

from ..models import Channel, ChannelFigure, PlanState, ReportState
from .factories import make_channel, make_meeting, make_plan, make_report, make_training

pytestmark = pytest.mark.django_db


def test_officer_registers_a_channel_and_records_monthly_figures(world, client_for):
    client = client_for("officer")
    client.post(reverse("planning:channels"), {"platform": "social", "name": "صفحه اداره",
                                               "url": "https://example.ir/page", "is_active": "on"})
    channel = Channel.objects.get()
    client.post(reverse("planning:channel_detail", args=[channel.pk]),
                {"year": "1405", "month": "8", "posts": "30", "members": "1200", "views": "9000"})
    client.post(reverse("planning:channel_detail", args=[channel.pk]),
                {"year": "1405", "month": "8", "posts": "32", "members": "1200", "views": "9100"})
    figure = ChannelFigure.objects.get()
    assert (figure.posts, figure.views) == (32, 9100)


def test_negative_figures_are_refused_in_persian(world, client_for):
    channel = make_channel(world.county_a, figures=0)
    response = client_for("officer").post(reverse("planning:channel_detail", args=[channel.pk]),
                                          {"year": "1405", "month": "8", "posts": "-1", "members": "5", "views": "5"})
    assert "عدد منفی" in response.content.decode() and not ChannelFigure.objects.exists()


def test_trend_chart_gets_its_data_from_json_script_without_inline_code(world, client_for):
    channel = make_channel(world.county_a, figures=3)
    body = client_for("officer").get(reverse("planning:channel_detail", args=[channel.pk])).content.decode()
    start = body.index('<script id="channel-chart-data" type="application/json">')
    data = json.loads(body[body.index(">", start) + 1:body.index("</script>", start)])
    assert len(data["posts"]) == 3
    assert "planning/channel_chart.js" in body


def test_channel_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for("officer")
    for _ in range(3):
        make_channel(world.county_a)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("planning:channels"))
    for _ in range(27):
        make_channel(world.county_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("planning:channels"))


def test_catalog_links_every_item_of_the_planning_part():
    served = {item for feature in registry.FEATURES.values() if feature.key.startswith("planning.")
              for item in feature.items}
    assert {"A1", "A2", "A3", "A4", "A5", "F1", "F6"} <= served


def test_catalog_page_links_the_planning_pages(world, client_for):
    body = client_for("officer").get(reverse("compliance:catalog")).content.decode()
    for name in ("plans", "reports", "meetings", "trainings", "channels"):
        assert reverse(f"planning:{name}") in body


def test_own_indicators_count_the_units_records(world):
    make_meeting(world.county_a, kind="coordination")
    make_training(world.county_a)
    start, end = jalali.month_bounds(*jalali.current_month())
    counts = {item: sum(i.count(world.county_a, start, end) for i in registry.INDICATORS[item])
              for item in ("F1", "A4")}
    assert counts == {"F1": 1, "A4": 1}
    assert sum(i.count(world.county_b, start, end) for i in registry.INDICATORS["F1"]) == 0


def test_home_page_lists_open_decisions_and_the_unsent_report(world, client_for):
    make_meeting(world.county_a)
    body = client_for("officer").get(reverse("home")).content.decode()
    assert "مصوبات جلسه‌ها" in body and "هنوز فرستاده نشده" in body


def test_home_todo_lists_plan_items_behind(world):
    from ..features import planning_todo

    make_plan(world.county_a, state=PlanState.APPROVED, codes=("A4",), target_count=1000)
    from ..models import PlanItem

    PlanItem.objects.update(due_date=make_plan_period_start(world))
    entries = planning_todo(Access(world.officer), world.county_a)
    # Due on the first day with nothing done: behind from that day on.
    assert any("عقب‌مانده" in entry.title and entry.level == "danger" for entry in entries)


def make_plan_period_start(world):
    return jalali.month_bounds(*jalali.current_month())[0]


def test_hq_home_lists_plans_and_reports_waiting_for_review(world, client_for):
    make_plan(world.county_a, state=PlanState.SUBMITTED)
    make_report(world.county_a, state=ReportState.SUBMITTED)
    body = client_for("hq_expert").get(reverse("home")).content.decode()
    assert "برنامه‌های عملیاتی در انتظار بررسی" in body and "گزارش‌های ماهانه در انتظار بررسی" in body


def test_manager_home_shows_a_report_waiting_for_approval(world, client_for):
    from ravabet.workflow.engine import move

    from .. import services

    year, month = jalali.current_month()
    report = services.report_start(unit=world.county_a, year=year, month=month, by=world.officer)
    move(report, "ask_approval", by=world.officer)
    link = f'href="{report.get_absolute_url()}"'
    assert link in client_for("manager").get(reverse("home")).content.decode().split("در انتظار شما")[1]
    assert "منتظر تأیید رئیس اداره" in client_for("manager").get(reverse("home")).content.decode()


def test_figures_for_a_month_that_has_not_come_are_refused(world, client_for):
    # Found in use (A5): statistics for a future month were accepted.
    from ravabet.lib import jalali

    year, month = jalali.current_month()
    later = (year, month + 1) if month < 12 else (year + 1, 1)
    channel = make_channel(world.county_a, figures=0)
    response = client_for("officer").post(reverse("planning:channel_detail", args=[channel.pk]), {
        "year": str(later[0]), "month": str(later[1]), "posts": "3", "members": "5", "views": "5"})
    assert "آمار ماهی که هنوز نیامده ثبت نمی‌شود." in response.content.decode()
    assert not ChannelFigure.objects.exists()


# --- A5: HQ compares the units; officers are reminded to enter the month ---------------------------

def test_hq_compares_channels_across_units_with_trends_in_constant_queries(world, client_for,
                                                                          django_assert_max_num_queries):
    make_channel(world.county_a, figures=3)  # posts 12, 11, 10 over the last three months: falling
    client = client_for("hq_head")
    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("planning:channel_compare"))
    rows = {row["unit"].pk: row for row in response.context["rows"]}
    assert rows[world.county_a.pk]["total"] == 33 and rows[world.county_a.pk]["trend"] == -2
    assert rows[world.county_b.pk]["total"] == 0 and rows[world.county_b.pk]["trend"] is None
    assert "▼" in response.content.decode()
    for _ in range(5):
        make_channel(world.county_b, figures=6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("planning:channel_compare"))
    assert client_for("officer").get(reverse("planning:channel_compare")).status_code == 403


def test_officers_are_reminded_early_in_the_month_to_enter_last_months_statistics(world):
    from ravabet.outbox.models import Notification

    from ..tasks import remind_channel_figures

    make_channel(world.county_a, figures=0)
    entered = make_channel(world.county_b, figures=0)
    first = jalali.parse_date("1405/09/02")
    ChannelFigure.objects.create(channel=entered, year=1405, month=8, posts=5, members=50, views=90)
    assert remind_channel_figures(today=first) == 1
    assert remind_channel_figures(today=first) == 0  # once a month
    notice = Notification.objects.get(title__contains="آمار ماهانه")
    assert notice.user == world.officer and "آبان" in notice.body
    assert remind_channel_figures(today=jalali.parse_date("1405/09/20")) == 0  # not after the first days
