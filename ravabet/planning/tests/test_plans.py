import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ravabet.compliance import registry
from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move

from ..models import Plan, PlanItem, PlanState
from ..selectors import plan_progress
from .factories import make_plan, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_b5():
    """A B5 indicator whose count the test sets, registered only for the test."""
    counter = {"value": 0}

    def count(unit, start, end):
        return counter["value"]

    registry.register_indicator("B5", "خبر آزمایشی")(count)
    yield counter
    registry.INDICATORS["B5"] = [i for i in registry.INDICATORS["B5"] if i.count is not count]
    if not registry.INDICATORS["B5"]:
        del registry.INDICATORS["B5"]


def plan_post(year, month, items, title="برنامه آذر"):
    data = {"year": str(year), "month": str(month or ""), "title": title,
            "items-TOTAL_FORMS": str(max(len(items), 2)), "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"}
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"items-{index}-{key}"] = value
    return data


def month_end_text():
    year, month = jalali.current_month()
    return jalali.format_date(jalali.month_bounds(year, month)[1], persian=False)


def test_officer_drafts_a_monthly_plan_with_an_item_through_the_form(world, client_for):
    year, month = jalali.current_month()
    response = client_for("officer").post(reverse("planning:plan_create"), plan_post(year, month, [
        {"title": "ارسال خبر روزانه", "codes": "B5", "target_count": "20", "due_date": month_end_text()}]))
    plan = Plan.objects.get(unit=world.county_a)
    assert response.status_code == 302 and response.url == reverse("planning:plan_detail", args=[plan.pk])
    item = plan.items.get()
    assert item.codes == ["B5"] and item.target_count == 20 and plan.state == PlanState.DRAFT


def test_plan_item_with_no_instruction_item_gets_a_persian_error_and_keeps_the_title(world, client_for):
    year, month = jalali.current_month()
    response = client_for("officer").post(reverse("planning:plan_create"), plan_post(year, month, [
        {"title": "کار بی‌بند", "target_count": "5", "due_date": month_end_text()}]))
    assert response.status_code == 200
    assert "دست‌کم یک بند دستورالعمل" in response.content.decode()
    assert "کار بی‌بند" in response.content.decode()
    assert not Plan.objects.exists()


def test_due_date_outside_the_plan_year_is_refused_with_a_persian_message(world, client_for):
    year, _ = jalali.current_month()
    response = client_for("officer").post(reverse("planning:plan_create"), plan_post(year, None, [
        {"title": "جشنواره", "codes": "F2", "target_count": "1", "due_date": f"{year + 1}/02/10"}]))
    assert response.status_code == 200
    assert "سررسید باید در بازه برنامه" in response.content.decode()
    assert f"{year + 1}/02/10" in response.content.decode()
    assert not Plan.objects.exists()


def test_plan_item_needs_a_target_count_or_date(world):
    plan = make_plan(world.county_a, items=0)
    item = PlanItem(plan=plan, title="بی‌هدف", codes=["B5"], due_date=plan.period()[1])
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "target_count" in error.value.message_dict


def test_unknown_instruction_code_is_refused(world):
    plan = make_plan(world.county_a, items=0)
    item = PlanItem(plan=plan, title="کار", codes=["Z9"], target_count=1, due_date=plan.period()[1])
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "ناشناخته" in error.value.message_dict["codes"][0]


def test_a_second_plan_for_the_same_month_is_refused(world, client_for):
    plan = make_plan(world.county_a)
    response = client_for("officer").post(reverse("planning:plan_create"), plan_post(plan.year, plan.month, [
        {"title": "کار", "codes": "B5", "target_count": "3", "due_date": month_end_text()}]))
    assert "پیش‌تر ساخته شده" in response.content.decode()
    assert Plan.objects.count() == 1


def test_progress_is_computed_from_the_indicator_and_moves_with_records(world, fake_b5):
    plan = make_plan(world.county_a, target_count=20)
    [before] = plan_progress(plan)
    fake_b5["value"] = 10
    [after] = plan_progress(plan)
    assert (before.actual, before.percent) == (0, 0)
    assert (after.actual, after.percent) == (10, 50)
    fake_b5["value"] = 25
    [done] = plan_progress(plan)
    assert done.done and done.percent == 100 and not done.behind


def test_item_behind_pro_rata_is_flagged_and_past_due_is_overdue(world, fake_b5):
    plan = make_plan(world.county_a, target_count=30)
    start, end = plan.period()
    middle = start + (end - start) / 2
    [behind] = plan_progress(plan, today=middle)
    assert behind.behind and not behind.overdue and behind.level == "danger"
    fake_b5["value"] = 20
    [on_track] = plan_progress(plan, today=middle)
    assert not on_track.behind
    [late] = plan_progress(plan, today=end + dt.timedelta(days=1))
    assert late.overdue and late.behind


def test_plan_with_no_indicator_yet_shows_zero_and_says_so(world):
    plan = make_plan(world.county_a, codes=("A1",))
    registry_backup = registry.INDICATORS.pop("A1", None)
    try:
        [progress] = plan_progress(plan)
    finally:
        if registry_backup is not None:
            registry.INDICATORS["A1"] = registry_backup
    assert progress.actual == 0 and not progress.measured


def test_detail_page_shows_progress_bar_and_behind_flag(world, client_for, fake_b5):
    plan = make_plan(world.county_a, target_count=10)
    PlanItem.objects.filter(plan=plan).update(due_date=plan.period()[0])
    response = client_for("officer").get(reverse("planning:plan_detail", args=[plan.pk]))
    body = response.content.decode()
    assert "<progress" in body
    assert "سررسید گذشته" in body or "عقب از برنامه" in body
    assert "row-behind" in body


def signed_off(plan, world):
    """The plan as the unit manager signed it off (A1: before it goes to HQ)."""
    return move(plan, "sign_off", by=world.manager)


def test_plan_goes_draft_signed_off_submitted_returned_signed_off_again_submitted_approved(world):
    plan = make_plan(world.county_a)
    plan = move(plan, "ask_sign_off", by=world.officer)
    assert plan.state == PlanState.AWAITING_SIGN_OFF
    plan = signed_off(plan, world)
    assert plan.state == PlanState.SIGNED_OFF and plan.signed_off_by == world.manager
    move(plan, "submit", by=world.officer)
    plan = move(plan, "send_back", by=world.hq_expert, comment="هدف خبر کم است")
    assert plan.state == PlanState.RETURNED and plan.hq_comment == "هدف خبر کم است" and plan.signed_off_by is None
    with pytest.raises(TransitionRefused):
        move(plan, "submit", by=world.manager)
    move(signed_off(plan, world), "submit", by=world.manager)
    plan = move(plan, "approve", by=world.hq_head)
    assert plan.state == PlanState.APPROVED and plan.hq_comment == "" and plan.reviewed_at
    actions = list(plan_actions(plan))
    assert actions == ["planning.plan_sign_off_asked", "planning.plan_signed_off", "planning.plan_submitted",
                       "planning.plan_returned", "planning.plan_signed_off", "planning.plan_submitted",
                       "planning.plan_approved"]


def test_only_the_unit_manager_signs_off_and_the_officer_is_told(world):
    from ravabet.outbox.models import Notification

    plan = move(make_plan(world.county_a), "ask_sign_off", by=world.officer)
    assert Notification.objects.filter(user=world.manager, title__contains="منتظر تأیید").exists()
    with pytest.raises(RoleRefused):
        move(plan, "sign_off", by=world.officer)
    with pytest.raises(RoleRefused):
        move(plan, "sign_off", by=world.hq_head)
    signed_off(plan, world)
    assert Notification.objects.filter(user=world.officer, title__contains="را تأیید کرد").exists()


def test_a_draft_plan_does_not_go_to_hq_without_the_managers_sign_off(world):
    plan = make_plan(world.county_a)
    with pytest.raises(TransitionRefused):
        move(plan, "submit", by=world.officer)
    assert Plan.objects.get(pk=plan.pk).state == PlanState.DRAFT


def plan_actions(plan):
    from ravabet.audit.services import timeline_for

    return timeline_for(plan).values_list("action", flat=True)


def test_returning_a_plan_needs_a_comment(world):
    plan = make_plan(world.county_a, state="submitted")
    with refused("نظر"):
        move(plan, "send_back", by=world.hq_expert, comment=" ")
    assert Plan.objects.get(pk=plan.pk).state == PlanState.SUBMITTED


def test_a_plan_cannot_be_submitted_twice(world):
    plan = make_plan(world.county_a, state=PlanState.SIGNED_OFF)
    move(plan, "submit", by=world.officer)
    with pytest.raises(TransitionRefused, match="پیش‌تر"):
        move(plan, "submit", by=world.officer)


def test_a_plan_without_items_is_not_submitted(world):
    plan = make_plan(world.county_a, items=0)
    with pytest.raises(TransitionRefused, match="بی‌بند"):
        move(plan, "ask_sign_off", by=world.officer)
    with pytest.raises(TransitionRefused, match="بی‌بند"):
        move(plan, "sign_off", by=world.manager)


def test_county_people_cannot_approve_their_own_plan(world):
    plan = make_plan(world.county_a, state="submitted")
    with pytest.raises(RoleRefused):
        move(plan, "approve", by=world.manager)


def test_submitting_a_plan_tells_hq_and_reviewing_it_tells_the_unit(world):
    from ravabet.outbox.models import Notification

    plan = make_plan(world.county_a, state=PlanState.SIGNED_OFF)
    move(plan, "submit", by=world.officer)
    told = set(Notification.objects.filter(title__contains="برای بررسی رسید").values_list("user__username", flat=True))
    assert told == {"hq_head", "hq_expert"}
    move(plan, "send_back", by=world.hq_expert, comment="هدف خبر کم است")
    notice = Notification.objects.get(user=world.officer, title__contains="برگشت خورد")
    assert notice.body == "هدف خبر کم است" and notice.url == plan.get_absolute_url()


def test_submitted_plan_cannot_be_edited(world, client_for):
    plan = make_plan(world.county_a, state="submitted")
    response = client_for("officer").get(reverse("planning:plan_edit", args=[plan.pk]), follow=True)
    assert "نمی‌توان ویرایش کرد" in response.content.decode()


def test_hq_returns_a_plan_from_the_page_with_a_comment(world, client_for):
    plan = make_plan(world.county_a, state="submitted")
    client = client_for("hq_expert")
    page = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    url = reverse("workflow:transition", args=["planning.plan", plan.pk, "send_back"])
    assert f'action="{url}"' in page and "تأیید برنامه" in page
    response = client.post(url, {"comment": "بند آموزش را بیفزایید"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.RETURNED and "آموزش" in plan.hq_comment


def test_plan_page_shows_each_person_only_the_steps_they_may_take(world, client_for):
    plan = make_plan(world.county_a, state=PlanState.SIGNED_OFF)
    officer_page = client_for("officer").get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    hq_page = client_for("hq_head").get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    assert "ارسال به اداره کل" in officer_page and "تأیید برنامه" not in officer_page
    assert "ارسال به اداره کل" not in hq_page and "تأیید برنامه" not in hq_page


def test_outsider_cannot_see_another_units_plan(world, client_for):
    plan = make_plan(world.county_a)
    assert client_for("outsider").get(reverse("planning:plan_detail", args=[plan.pk])).status_code == 404
    url = reverse("workflow:transition", args=["planning.plan", plan.pk, "ask_sign_off"])
    assert client_for("outsider").post(url).status_code == 404


def test_staff_cannot_open_the_plan_list(world, client_for):
    assert client_for("staff").get(reverse("planning:plans")).status_code == 403


def test_plan_list_runs_the_same_queries_for_3_and_30_plans(world, client_for, django_assert_max_num_queries):
    client = client_for("hq_expert")
    for year in range(1380 + 20, 1380 + 23):
        make_plan(world.county_a, year=year, month=0 or None)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("planning:plans"))
    for year in range(1380 + 23, 1380 + 50):
        make_plan(world.county_b, year=year)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("planning:plans"))


def test_hq_review_queue_lists_submitted_plans(world, client_for):
    make_plan(world.county_a, state="submitted")
    body = client_for("hq_head").get(reverse("planning:plan_queue")).content.decode()
    assert world.county_a.name in body


def test_owner_must_be_in_the_units_staff_directory(world, client_for):
    year, month = jalali.current_month()
    other = Person.objects.get(user=world.outsider)
    response = client_for("officer").post(reverse("planning:plan_create"), plan_post(year, month, [
        {"title": "کار", "codes": "B5", "target_count": "3", "due_date": month_end_text(), "owner": str(other.pk)}]))
    assert response.status_code == 200 and not Plan.objects.exists()


def test_officer_edits_a_returned_plan_removing_one_item_and_adding_another(world, client_for):
    plan = make_plan(world.county_a, state=PlanState.RETURNED, items=2)
    first, second = plan.items.all()
    end = jalali.format_date(plan.period()[1], persian=False)
    data = {"year": str(plan.year), "month": str(plan.month), "title": "برنامه اصلاح‌شده",
            "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "2", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000"}
    for index, item in enumerate([first, second]):
        data.update({f"items-{index}-id": str(item.pk), f"items-{index}-plan": str(plan.pk),
                     f"items-{index}-title": item.title, f"items-{index}-codes": "B5",
                     f"items-{index}-target_count": "10", f"items-{index}-due_date": end})
    data["items-1-DELETE"] = "on"
    data.update({"items-2-title": "جلسه با مدیران", "items-2-codes": ["A3", "F6"], "items-2-target_count": "2",
                 "items-2-due_date": end})
    response = client_for("officer").post(reverse("planning:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 302
    titles = list(plan.items.values_list("title", flat=True))
    assert titles == [first.title, "جلسه با مدیران"]
    assert plan.items.get(title="جلسه با مدیران").codes == ["A3", "F6"]


def test_plan_list_exports_to_excel(world, client_for):
    make_plan(world.county_a)
    response = client_for("officer").get(reverse("planning:plans") + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- A1: the year broken into months; per-item measures; linked records -----------------------------

def test_a_monthly_plan_is_filed_under_the_yearly_plan_whichever_comes_first(world, client_for):
    from .. import services

    year, month = jalali.current_month()
    monthly = make_plan(world.county_a, year=year, month=month)
    yearly = Plan(unit=world.county_a, year=year, title="برنامه سال")
    start, end = yearly.period()
    services.plan_save(plan=yearly, by=world.officer,
                       items=[PlanItem(title="خبر", codes=["B5"], target_count=120, due_date=end)])
    assert Plan.objects.get(pk=monthly.pk).yearly_plan == yearly
    page = client_for("officer").get(reverse("planning:plan_detail", args=[yearly.pk])).content.decode()
    assert reverse("planning:plan_detail", args=[monthly.pk]) in page
    other_month = 1 if month != 1 else 2
    assert f"?from_yearly={yearly.pk}&amp;month={other_month}" in page


def test_breaking_down_the_year_prefills_the_monthly_plan_from_the_yearly_items(world, client_for):
    year, _ = jalali.current_month()
    yearly = Plan.objects.create(unit=world.county_a, year=year)
    PlanItem.objects.create(plan=yearly, title="کار 0", codes=["B5"], target_count=120, due_date=yearly.period()[1])
    response = client_for("officer").get(reverse("planning:plan_create"), {"from_yearly": yearly.pk, "month": "1"})
    formset = response.context["formset"]
    first = formset.forms[0]
    assert first.initial["title"] == "کار 0" and first.initial["codes"] == ["B5"]
    assert first.initial["target_count"] == 10  # 120 over the twelve months left
    assert response.context["form"].initial["month"] == 1


def records_item(world, code="A4", **fields):
    plan = make_plan(world.county_a, codes=(code,), target_count=1)
    PlanItem.objects.filter(plan=plan).update(measure="records", title="دوره خبرنویسی", **fields)
    return plan, plan.items.get()


def test_a_records_item_counts_only_the_records_linked_to_it(world, client_for):
    from .factories import make_training

    plan, item = records_item(world)
    news_writing = make_training(world.county_a)
    make_training(world.county_a)  # another course: it does not complete the news-writing one
    assert plan_progress(plan)[0].actual == 0
    client = client_for("officer")
    page = client.get(reverse("planning:plan_item_links", args=[item.pk])).content.decode()
    assert page.count('name="records"') == 2
    from django.contrib.contenttypes.models import ContentType

    key = f"{ContentType.objects.get_for_model(news_writing).pk}:{news_writing.pk}"
    assert client.post(reverse("planning:plan_item_links", args=[item.pk]), {"records": [key]}).status_code == 302
    progress = plan_progress(plan)[0]
    assert progress.actual == 1 and progress.done
    assert Plan.objects.get(pk=plan.pk).done_count == 1
    assert "نگارش خبر" in client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()


def test_two_items_of_the_same_instruction_item_count_their_own_records(world):
    from django.contrib.contenttypes.models import ContentType

    from .. import services
    from .factories import make_training

    plan, first = records_item(world)
    second = PlanItem.objects.create(plan=plan, title="دوره عکاسی", codes=["A4"], measure="records", target_count=1,
                                     due_date=first.due_date)
    training = make_training(world.county_a)
    key = f"{ContentType.objects.get_for_model(training).pk}:{training.pk}"
    services.plan_item_links_set(item=first, chosen=[key], by=world.officer)
    done = {p.item.pk: p.done for p in plan_progress(plan)}
    assert done == {first.pk: True, second.pk: False}


def test_a_record_from_another_unit_or_outside_the_candidates_is_refused(world, client_for):
    from django.contrib.contenttypes.models import ContentType

    from ..models import Training
    from .factories import make_training

    plan, item = records_item(world)
    foreign = make_training(world.county_b)
    key = f"{ContentType.objects.get_for_model(Training).pk}:{foreign.pk}"
    response = client_for("officer").post(reverse("planning:plan_item_links", args=[item.pk]), {"records": [key]})
    assert response.status_code == 400 and "از بندها و دوره این برنامه نیست" in response.content.decode()
    assert not item.links.exists()
    assert client_for("outsider").get(reverse("planning:plan_item_links", args=[item.pk])).status_code == 404
