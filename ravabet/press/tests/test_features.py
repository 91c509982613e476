import datetime as dt

import pytest
from django.utils import timezone

from ravabet.compliance.registry import INDICATORS, REPORT_SECTIONS
from ravabet.offices.access import access_for
from ravabet.press import features
from ravabet.press.models import ItemState, RequestKind, RequestState, VisitState
from ravabet.workflow.engine import move

from .factories import make_contact, make_item, make_request, make_visit

pytestmark = pytest.mark.django_db


def _month():
    today = timezone.localdate()
    return today - dt.timedelta(days=15), today + dt.timedelta(days=15)


def test_every_item_of_the_part_has_an_indicator():
    for item in ("C1", "C2", "C3", "C4", "D1"):
        assert any(indicator.count.__module__ == "ravabet.press.features" for indicator in INDICATORS[item])


def test_indicators_count_the_units_evidence_only(world):
    start, end = _month()
    make_request(world.county_a, kind=RequestKind.INTERVIEW)
    make_request(world.county_a, kind=RequestKind.CONFERENCE)
    make_request(world.county_a, kind=RequestKind.NEWS, state=RequestState.CANCELLED)
    make_request(world.county_b)
    make_visit(world.county_a, state=VisitState.PERMITTED)
    make_visit(world.county_a)
    make_contact(world.county_a)
    make_item(world.county_a, 1, state=ItemState.RELEVANT, reviewed_at=timezone.now())
    make_item(world.county_a, 2)
    unit = world.county_a
    assert (features.count_c1(unit, start, end), features.count_c2(unit, start, end)) == (1, 2)
    assert features.count_c3(unit, start, end) == 1
    assert features.count_c4(unit, start, end) == 1
    assert features.count_d1(unit, start, end) == 1


def test_the_monthly_report_section_lists_requests_and_complaints_found_in_the_press(world):
    start, end = _month()
    make_request(world.county_a, subject="مصاحبه ماه")
    make_item(world.county_a, title="گلایه مردم", state=ItemState.COMPLAINT, reviewed_at=timezone.now())
    section = REPORT_SECTIONS["press.media"].build(world.county_a, start, end)
    counts = dict(section["counts"])
    assert counts["درخواست‌های مجوز به اداره کل"] == 1
    assert counts["شکایت‌های مطبوعاتی منعکس‌شده به رئیس اداره"] == 1
    assert section["table"]["rows"][0][2] == "مصاحبه ماه"
    assert any("گلایه مردم" in line for line in section["highlights"])


def test_home_pages_show_what_waits_for_the_officer_and_for_hq(world):
    request = make_request(world.county_a)
    make_visit(world.county_a)
    make_item(world.county_a)
    review = {entry.title: entry.count for entry in features.press_review(access_for(world.hq_head))}
    assert review["درخواست‌های مجوز رسانه‌ای در انتظار تصمیم"] == 1
    assert review["خبرنگاران در انتظار مجوز تلفنی"] == 1
    move(request, "ask_more", by=world.hq_head, decision_note="چرا؟")
    todo = {entry.title: entry.count for entry in features.press_todo(access_for(world.officer), world.county_a)}
    assert todo["درخواست‌های رسانه‌ای که اداره کل توضیح خواسته"] == 1
    assert todo["مطالب تازه پایش مطبوعات برای بررسی"] == 1
    assert features.press_todo(access_for(world.staff), world.county_a) == []


def test_the_office_head_sees_the_press_complaints_forwarded_to_him(world):
    item = make_item(world.county_a)
    move(item, "forward_complaint", by=world.officer, note="رسیدگی شود")
    todo = {entry.title: entry for entry in features.press_todo(access_for(world.manager), world.county_a)}
    entry = todo["شکایت‌های مردمی در مطبوعات که به شما منعکس شد و دستور رسیدگی می‌خواهد"]
    assert entry.count == 1 and entry.url.endswith("?state=complaint")
    # Once he has given his instruction it no longer waits for him.
    move(item, "acknowledge", by=world.manager, head_instruction="آقای کارگر بازدید کند.")
    todo = {entry.title for entry in features.press_todo(access_for(world.manager), world.county_a)}
    assert "شکایت‌های مردمی در مطبوعات که به شما منعکس شد و دستور رسیدگی می‌خواهد" not in todo


def test_the_demo_has_requests_in_most_states_and_a_second_run_adds_nothing():
    from ravabet.offices.demo import seed_platform
    from ravabet.press.demo import seed_demo
    from ravabet.press.models import ContactLog, JournalistVisit, MediaRequest, PressItem

    seed_demo(seed_platform())
    counts = [M.objects.count() for M in (MediaRequest, JournalistVisit, ContactLog, PressItem)]
    assert set(MediaRequest.objects.values_list("state", flat=True)) >= {
        RequestState.SUBMITTED, RequestState.APPROVED, RequestState.MORE_INFO, RequestState.REJECTED,
        RequestState.DONE}
    assert PressItem.objects.filter(state=ItemState.COMPLAINT).exists()
    seed_demo(seed_platform())
    assert [M.objects.count() for M in (MediaRequest, JournalistVisit, ContactLog, PressItem)] == counts


def test_the_benchmark_seed_fills_years_of_history_once(world):
    from ravabet.offices.demo import BenchContext
    from ravabet.press.demo import BENCH_ITEMS_PER_UNIT, seed_bench
    from ravabet.press.models import PressItem

    ctx = BenchContext(hq=world.hq, units=[world.county_a], officer_by_unit={world.county_a.pk: world.officer},
                       hq_expert=world.hq_expert, years=2)
    seed_bench(ctx)
    assert PressItem.objects.count() == BENCH_ITEMS_PER_UNIT
    oldest = PressItem.objects.order_by("fetched_at").first().fetched_at
    assert (timezone.now() - oldest).days > 300
    seed_bench(ctx)
    assert PressItem.objects.count() == BENCH_ITEMS_PER_UNIT
