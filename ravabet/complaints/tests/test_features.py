import datetime as dt

import pytest

from ravabet.complaints import services
from ravabet.complaints.features import complaints_review, complaints_todo
from ravabet.complaints.models import Case
from ravabet.compliance.registry import FEATURES, INDICATORS, REPORT_SECTIONS, features_for_item
from ravabet.lib import jalali
from ravabet.offices.access import access_for
from ravabet.workflow.engine import move

from .factories import make_case

pytestmark = pytest.mark.django_db


def test_d1_d2_and_d4_each_have_features_and_the_form_and_tracking_page_are_public():
    for item in ("D1", "D2", "D4"):
        assert any(f.key.startswith("complaints.") for f in features_for_item(item))
    assert FEATURES["complaints.public_new"].public and FEATURES["complaints.public_track"].public


def test_the_officers_home_lists_waiting_and_overdue_cases(world):
    make_case(world.county_a)
    late = make_case(world.county_a)
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2020, 1, 1))
    entries = {entry.title: entry for entry in complaints_todo(access_for(world.officer), world.county_a)}
    assert entries["شکایت و درخواست در انتظار ارجاع"].count == 2
    assert entries["شکایت گذشته از مهلت پاسخ"].level == "danger"


def test_hqs_home_lists_overdue_cases_and_press_complaints_waiting(world):
    late = make_case(world.county_a)
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2020, 1, 1))
    services.hq_forward(unit=world.county_a, by=world.hq_expert, deadline=dt.date.today() + dt.timedelta(days=7),
                        subject="گلایه مطبوعاتی", text="متن", press_link="https://example.ir/x")
    titles = {entry.title: entry.count for entry in complaints_review(access_for(world.hq_head))}
    assert titles["شکایت مردمی گذشته از مهلت"] == 1
    assert titles["شکایت مطبوعاتی ارجاعی در انتظار پاسخ واحد"] == 1


def test_hqs_home_counts_the_units_answers_to_forwarded_press_complaints_and_no_other_answers(world):
    forwarded = services.hq_forward(unit=world.county_a, by=world.hq_expert, subject="گلایه مطبوعاتی", text="متن",
                                    deadline=dt.date.today() + dt.timedelta(days=7), press_link="https://example.ir/x")
    move(forwarded, "answer", by=world.officer, answer="پاسخ واحد به گلایه")
    move(make_case(world.county_a), "answer", by=world.officer, answer="پاسخ به شهروند")
    titles = {entry.title: entry.count for entry in complaints_review(access_for(world.hq_head))}
    assert titles == {"پاسخ واحدها به شکایات مطبوعاتی ارجاعی": 1}


def test_indicators_and_the_monthly_report_section_count_the_months_cases(world):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="پاسخ")
    today = jalali.today()
    d2 = next(i for i in INDICATORS["D2"] if i.count.__module__.startswith("ravabet.complaints"))
    assert d2.count(world.county_a, today, today) == 1
    assert d2.count(world.county_b, today, today) == 0
    section = REPORT_SECTIONS["complaints"].build(world.county_a, today, today)
    assert ["همه پرونده‌ها", 1] in section["counts"] and ["پاسخ در مهلت (درصد)", 100] in section["counts"]
