import datetime as dt

import pytest
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.complaints import services
from ravabet.complaints.models import Case, Channel, State
from ravabet.lib import jalali
from ravabet.lib.digits import to_latin_digits, to_persian_digits
from ravabet.offices.models import Person
from ravabet.workflow.engine import move

from .factories import make_case
from .helpers import jpeg

pytestmark = pytest.mark.django_db
LIST = reverse("complaints:list")


def _many(unit, count, **fields):
    for n in range(count):
        make_case(unit, mobile=f"0912{n:07d}", subject=f"موضوع {n}", **fields)


def test_the_officer_list_shows_masked_citizens_and_flags_overdue_cases_in_red(client_for, world):
    late = make_case(world.county_a, subject="پرونده دیرکرد")
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2020, 1, 1))
    page = client_for("officer").get(LIST).content.decode()
    assert "پرونده دیرکرد" in page and 'data-flag="danger"' in page
    assert "09121234567" not in page and to_persian_digits("09121234567") not in page
    assert to_persian_digits("0912") in page


def test_a_case_due_within_two_working_days_is_yellow(client_for, world):
    from ravabet.lib import jalali
    from ravabet.lib.workdays import add_working_days

    case = make_case(world.county_a)
    Case.objects.filter(pk=case.pk).update(deadline=add_working_days(jalali.today(), 1))
    assert 'data-flag="warning"' in client_for("officer").get(LIST).content.decode()


def test_hq_lists_show_personal_data_masked(client_for, world):
    case = make_case(world.county_a, citizen_name="زهرا کریمی")
    page = client_for("hq_expert").get(LIST).content.decode()
    assert "زهرا کریمی" not in page and case.masked["name"] == "ز*** ک****" and "ز*** ک****" in page


def test_hq_cannot_reveal_personal_data_but_the_officer_can_and_it_is_logged(client_for, world):
    case = make_case(world.county_a, citizen_name="زهرا کریمی")
    url = reverse("complaints:personal", args=[case.pk])
    assert client_for("hq_head").post(url).status_code == 403
    detail = client_for("hq_head").get(reverse("complaints:detail", args=[case.pk])).content.decode()
    assert "زهرا کریمی" not in detail
    response = client_for("officer").post(url)
    assert response.status_code == 200 and "زهرا کریمی" in response.content.decode()
    assert ActionLog.objects.filter(action="complaints.personal_data_viewed", actor=world.officer,
                                    target_id=str(case.pk)).exists()


def test_the_person_referred_to_may_reveal_personal_data(client_for, world):
    case = make_case(world.county_a, citizen_name="زهرا کریمی")
    move(case, "refer", by=world.officer, person=Person.objects.get(user=world.staff))
    response = client_for("staff").post(reverse("complaints:personal", args=[case.pk]))
    assert response.status_code == 200 and "زهرا کریمی" in response.content.decode()


def test_an_outsider_gets_404_for_another_units_case(client_for, world):
    case = make_case(world.county_a)
    client = client_for("outsider")
    assert client.get(reverse("complaints:detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("complaints:answer", args=[case.pk]), {"answer": "x"}).status_code == 404
    assert "چاله" not in client.get(LIST).content.decode()


@pytest.mark.parametrize("url_name", ["complaints:list", "complaints:hq_overdue"])
def test_staff_and_hq_lists_run_the_same_number_of_queries_for_3_and_30_cases(client_for, world, url_name,
                                                                               django_assert_num_queries):
    client = client_for("hq_expert")
    _many(world.county_a, 3)
    Case.objects.update(deadline=dt.date(2020, 1, 1))
    client.get(reverse(url_name))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    _many(world.county_a, 27)
    _many(world.county_b, 3)
    Case.objects.update(deadline=dt.date(2020, 1, 1))
    with django_assert_num_queries(len(few)):
        response = client.get(reverse(url_name))
    assert len(response.context["page_obj"]) == 33


@pytest.mark.parametrize("actor", ["hq_head", "manager"])
def test_figures_run_the_same_number_of_queries_for_2_and_32_cases(client_for, world, actor,
                                                                   django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(actor)
    _many(world.county_a, 2)
    Case.objects.update(deadline=dt.date(2020, 1, 1))
    fresh = {"fresh": "1"}  # counted now, not read from the shared figures
    client.get(reverse("complaints:figures"), fresh)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("complaints:figures"), fresh)
    _many(world.county_a, 20)
    _many(world.county_b, 10)
    Case.objects.update(deadline=dt.date(2020, 1, 1))
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("complaints:figures"), fresh)
    if actor == "manager":
        assert response.context["figures"]["total"] == 22
        return
    assert response.context["figures"]["total"] == 32
    assert len(response.context["by_unit"]) == 2


def test_figures_are_shared_per_scope_for_a_few_minutes_and_recounted_on_demand(client_for, world,
                                                                               django_assert_max_num_queries):
    url = reverse("complaints:figures")
    make_case(world.county_a)
    manager, hq = client_for("manager"), client_for("hq_head")
    assert manager.get(url).context["figures"]["total"] == 1
    make_case(world.county_a, mobile="09127654321")
    make_case(world.county_b, mobile="09127654322")
    with django_assert_max_num_queries(12):  # the aggregates from the cache; the overdue list stays live
        page = manager.get(url)
    assert page.context["figures"]["total"] == 1 and "شمارش‌ها تا ساعت" in page.content.decode()
    assert hq.get(url).context["figures"]["total"] == 3  # another scope: counted for itself
    assert manager.get(url, {"fresh": "1"}).context["figures"]["total"] == 2
    assert manager.get(url).context["figures"]["total"] == 2  # the recount is what is kept now
    import time
    from unittest import mock

    make_case(world.county_a, mobile="09127654323")
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=time.time() + 301):
        assert manager.get(url).context["figures"]["total"] == 3  # five minutes on: counted again


def test_figures_count_answers_in_time_and_the_average_rating(client_for, world):
    first, second, _not_due = make_case(world.county_a), make_case(world.county_a), make_case(world.county_a)
    move(first, "answer", by=world.officer, answer="پاسخ")
    services.case_rate(case=Case.objects.get(pk=first.pk), rating=4)
    Case.objects.filter(pk=second.pk).update(deadline=dt.date(2020, 1, 1))
    figures = client_for("manager").get(reverse("complaints:figures")).context["figures"]
    # Of the cases that are due (one answered in time, one past its deadline), half were answered in time;
    # the third is not due yet.
    assert figures["in_time_percent"] == 50 and figures["avg_rating"] == 4 and figures["overdue"] == 1
    assert figures["rated"] == 1 and figures["total"] == 3


def test_the_list_filters_by_state_kind_channel_and_overdue(client_for, world):
    make_case(world.county_a, subject="تلفنی", channel=Channel.PHONE)
    late = make_case(world.county_a, subject="دیرکرد")
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2020, 1, 1))
    client = client_for("officer")
    assert [c.subject for c in client.get(LIST + "?channel=phone").context["page_obj"]] == ["تلفنی"]
    assert [c.subject for c in client.get(LIST + "?due=overdue").context["page_obj"]] == ["دیرکرد"]
    assert len(client.get(LIST + "?state=answered").context["page_obj"]) == 0
    assert len(client.get(LIST + "?kind=nonsense&state=<script>").context["page_obj"]) == 2


def test_the_officer_registers_a_phone_complaint_on_the_quick_form(client_for, world):
    response = client_for("officer").post(reverse("complaints:create"), {
        "channel": "phone", "kind": "request", "subject": "درخواست آسفالت", "text": "کوچه خاکی است.",
        "citizen_name": "", "citizen_mobile": "09123334444", "citizen_national_code": "0012345679"})
    case = Case.objects.get()
    assert response.status_code == 302 and case.channel == Channel.PHONE and case.created_by == world.officer


def test_the_quick_form_refuses_bad_input_in_persian(client_for, world):
    response = client_for("officer").post(reverse("complaints:create"), {
        "channel": "web", "kind": "complaint", "subject": "", "text": "", "citizen_mobile": "123"})
    page = response.content.decode()
    assert response.status_code == 200 and "این بخش را پر کنید" in page and "شماره همراه معتبر نیست" in page
    assert not Case.objects.exists()


def test_the_quick_form_needs_only_the_text_and_makes_the_subject_from_it(client_for, world):
    text = "تماس تلفنی: چراغ‌های بزرگراه ورودی شهر از دیشب خاموش است و رانندگان در تاریکی می‌رانند و خطر تصادف هست."
    response = client_for("officer").post(reverse("complaints:create"), {
        "channel": "phone", "kind": "complaint", "subject": "", "text": text, "citizen_mobile": "09123334444"})
    case = Case.objects.get()
    assert response.status_code == 302 and case.subject.endswith("…") and len(case.subject) <= 61
    assert text.startswith(case.subject[:-1]) and not case.subject[:-1].endswith(" ")


def test_the_quick_form_puts_the_text_first_and_focuses_it(client_for, world):
    page = client_for("officer").get(reverse("complaints:create")).content.decode()
    assert page.index('name="text"') < page.index('name="subject"') < page.index('name="citizen_mobile"')
    assert "autofocus" in page[page.index('<textarea name="text"'):].split(">")[0]


def test_the_saved_message_keeps_the_code_groups_in_order_inside_persian_text(client_for, world):
    officer = client_for("officer")
    response = officer.post(reverse("complaints:create"), {
        "channel": "phone", "kind": "complaint", "subject": "", "text": "گودال جلوی مدرسه"}, follow=True)
    case = Case.objects.get()
    # Without the left-to-right isolate the browser shows the groups right to left: a wrong code read out.
    isolated = "\u2066" + to_persian_digits(case.display_code) + "\u2069"
    assert isolated in response.content.decode()
    assert isolated in ActionLog.objects.get(action="complaints.received").summary


def test_a_closed_case_is_not_offered_for_referral(client_for, world):
    case = make_case(world.county_a)
    move(case, "close_unanswered", by=world.officer, close_reason="تکراری")
    page = client_for("officer").get(reverse("complaints:detail", args=[case.pk])).content.decode()
    assert 'id="refer-submit"' not in page and "/workflow/complaints.case/" not in page


def test_rows_near_and_past_the_deadline_are_coloured_through_the_table_variables(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("complaints/complaints.css"), encoding="utf-8").read()
    # Bootstrap paints table cells from these variables; a plain background on the row never shows.
    assert ".flag-warning { --bs-table-bg:" in css and ".flag-danger { --bs-table-bg:" in css
    assert "--bs-table-color-state" in css


def test_figures_carry_chart_data_for_the_trend_and_for_each_unit(client_for, world):
    make_case(world.county_a)
    late = make_case(world.county_b)
    move(late, "answer", by=world.b_manager, answer="انجام شد.")
    page = client_for("hq_expert").get(reverse("complaints:figures"))
    chart = page.context["chart"]
    assert sum(chart["trend"]["total"]) == 2 and sum(chart["trend"]["in_time"]) == 1
    assert len(chart["trend"]["labels"]) == 12
    assert sorted(chart["units"]["labels"]) == sorted(["الف", "ب"])
    body = page.content.decode()
    assert 'id="complaints-chart-data"' in body and "complaints/figures.js" in body and "chart.umd.min.js" in body
    assert "<script>" not in body.replace('<script id="complaints-chart-data" type="application/json">', "")


def test_the_trend_follows_the_chosen_period_in_jalali_months(world):
    from ravabet.complaints.selectors import monthly_trend

    make_case(world.county_a)
    start, end = jalali.month_bounds(1404, 11)[0], jalali.month_bounds(1405, 2)[1]
    trend = monthly_trend(Case.objects.all(), start, end)
    assert trend["labels"] == ["بهمن ۱۴۰۴", "اسفند ۱۴۰۴", "فروردین ۱۴۰۵", "اردیبهشت ۱۴۰۵"]


def test_refer_answer_and_close_through_the_pages(client_for, world):
    case = make_case(world.county_a)
    officer, manager = client_for("officer"), client_for("manager")
    page = officer.get(reverse("complaints:refer", args=[case.pk])).content.decode()
    assert "رئیس اداره" in page and 'id="step-submit"' in page
    assert officer.post(reverse("complaints:refer", args=[case.pk]), {"person": "head"}).status_code == 302
    assert Case.objects.get(pk=case.pk).referred_to.user == world.manager
    manager.post(reverse("complaints:answer", args=[case.pk]), {"answer": "ترمیم می‌شود."})
    assert Case.objects.get(pk=case.pk).state == State.ANSWERED
    close = reverse("workflow:transition", args=["complaints.case", case.pk, "close"])
    assert close in officer.get(case.get_absolute_url()).content.decode()
    assert officer.post(close, {"next": case.get_absolute_url()}).url == case.get_absolute_url()
    assert Case.objects.get(pk=case.pk).state == State.CLOSED
    page = officer.get(reverse("complaints:detail", args=[case.pk])).content.decode()
    assert "ارجاع به" in page and "پاسخ ۱" in page and "ترمیم می‌شود." in page and "بسته‌شده" in page


def test_an_empty_answer_gets_a_persian_message_on_its_field(client_for, world):
    case = make_case(world.county_a)
    response = client_for("officer").post(reverse("complaints:answer", args=[case.pk]), {"answer": ""})
    assert response.status_code == 400 and "این بخش را پر کنید" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_closing_a_closed_case_gets_a_persian_refusal_not_an_error(client_for, world):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="پاسخ")
    move(case, "close", by=world.officer)
    response = client_for("officer").post(reverse("workflow:transition", args=["complaints.case", case.pk, "close"]))
    assert response.status_code == 403 and "هم‌اکنون «بسته‌شده»" in response.content.decode()
    assert ActionLog.objects.filter(action="complaints.closed").count() == 1


def test_a_similar_text_from_the_same_mobile_is_suggested_as_a_duplicate(client_for, world):
    first = make_case(world.county_a)
    second = make_case(world.county_a, text="در کیلومتر ۱۲ جاده روستای خیرآباد چاله‌ای بزرگ هست که خطرناک است!")
    other = make_case(world.county_a, mobile="09350000000", subject="درخواست نصب تابلو",
                      text="لطفاً در ورودی شهر تابلوی راهنما نصب کنید.")
    page = client_for("officer").get(reverse("complaints:detail", args=[second.pk]))
    assert [c.pk for c in page.context["duplicates"]][:1] == [first.pk]
    assert client_for("officer").get(reverse("complaints:detail", args=[other.pk])).context["duplicates"] == []


def test_a_similar_case_from_another_citizen_of_the_same_unit_is_suggested_on_the_folded_key(client_for, world):
    """Issue 14: the same pothole reported by two people, one typing Arabic ي/ك and no ZWNJ."""
    first = make_case(world.county_a)
    neighbour = make_case(world.county_a, mobile="09350000001", subject="چاله بزرگ در جاده روستا",
                          text="در کيلومتر ۱۲ جاده روستاي خيرآباد چاله اي بزرگ هست که خطرناك است.")
    elsewhere = make_case(world.county_b, mobile="09350000002")
    page = client_for("officer").get(reverse("complaints:detail", args=[neighbour.pk]))
    assert [c.pk for c in page.context["duplicates"]] == [first.pk]
    assert elsewhere.pk not in [c.pk for c in page.context["duplicates"]]


def test_the_pr_officer_records_a_press_complaint_with_a_clipping(client_for, world):
    response = client_for("officer").post(reverse("complaints:press_create"), {
        "kind": "complaint", "subject": "گلایه در روزنامه", "text": "متن خبر", "press_outlet": "خبر جنوب",
        "press_date": "۱۴۰۵/۰۹/۰۱", "press_page": "۲", "press_link": "", "clipping": jpeg("clip.jpg")})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.PRESS and case.clipping and case.referred_to.user == world.manager


def test_hq_forwards_a_press_complaint_and_follows_it_on_its_list(client_for, world):
    from ravabet.lib import jalali
    from ravabet.lib.workdays import add_working_days

    deadline = jalali.format_date(add_working_days(jalali.today(), 4), persian=False)
    client = client_for("hq_expert")
    response = client.post(reverse("complaints:hq_forward"), {
        "unit": world.county_a.pk, "deadline": deadline, "kind": "complaint", "subject": "گلایه مطبوعاتی",
        "text": "متن", "press_outlet": "همشهری", "press_date": "", "press_link": "https://example.ir/x"})
    assert response.status_code == 302
    page = client.get(reverse("complaints:hq_forwarded")).content.decode()
    assert "گلایه مطبوعاتی" in page


def test_the_forward_form_suggests_the_complaint_deadline_and_names_its_buttons(client_for, world):
    page = to_latin_digits(client_for("hq_expert").get(reverse("complaints:hq_forward")).content.decode())
    suggested = jalali.format_date(services.deadline_for("complaint"), persian=False)
    assert f'value="{suggested}"' in page and "ثبت و ارجاع به اداره" in page
    press = client_for("officer").get(reverse("complaints:press_create")).content.decode()
    assert "ثبت و ارجاع به رئیس اداره" in press


def test_hq_sets_the_working_day_deadlines(client_for, world):
    data = {"complaint": "۷", "request": "10", "criticism": "15", "suggestion": "15", "report": "7", "thanks": "5"}
    assert client_for("hq_head").post(reverse("complaints:deadlines"), data).status_code == 302
    from ravabet.complaints.models import KindDeadline

    assert KindDeadline.table()["complaint"] == 7
    bad = client_for("hq_head").post(reverse("complaints:deadlines"), {**data, "complaint": "0"})
    assert 'دست‌کم ۱ روز کاری' in bad.content.decode()
    page = client_for("hq_head").get(reverse("complaints:deadlines")).content.decode()
    assert 'type="number"' not in page and 'data-number="integer"' in page and 'value="۷"' in page


def test_lists_export_to_excel(client_for, world):
    make_case(world.county_a)
    response = client_for("officer").get(LIST + "?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_case_file_prints_as_pdf(client_for, world):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="پاسخ نخست")
    response = client_for("officer").get(reverse("complaints:pdf", args=[case.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_an_attachment_is_served_only_to_those_who_see_the_case(client_for, world):
    case = make_case(world.county_a, attachments=[])
    from ravabet.complaints.services import _save_attachments

    upload = jpeg()
    upload.checked_type = "image/jpeg"
    _save_attachments(case, [upload])
    item = case.attachments.get()
    url = reverse("complaints:attachment", args=[case.pk, item.pk])
    assert client_for("officer").get(url).status_code == 200
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("anon").get(url).status_code == 302


def test_an_employee_sees_the_cases_referred_to_them_in_the_list_and_nothing_else(client_for, world):
    mine, other = make_case(world.county_a, subject="ارجاع به کارمند"), make_case(world.county_a, subject="دیگری")
    move(mine, "refer", by=world.officer, person=Person.objects.get(user=world.staff))
    client = client_for("staff")
    assert [c.subject for c in client.get(LIST).context["page_obj"]] == ["ارجاع به کارمند"]
    assert client.get(reverse("complaints:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("complaints:figures")).status_code == 403


def test_figures_count_only_the_chosen_period_and_the_trend_places_each_case_in_its_month(client_for, world):
    from django.utils import timezone

    older = make_case(world.county_a)
    Case.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    make_case(world.county_a)
    officer = client_for("officer")
    url = reverse("complaints:figures")
    recent = officer.get(url, {"start": jalali.format_date(jalali.today() - dt.timedelta(days=10))})
    assert recent.context["figures"]["total"] == 1 and sum(recent.context["chart"]["trend"]["total"]) == 1
    early = officer.get(url, {"end": jalali.format_date(jalali.today() - dt.timedelta(days=20))})
    assert early.context["figures"]["total"] == 1
    trend = early.context["chart"]["trend"]
    month = jalali.to_jalali(timezone.localdate(Case.objects.get(pk=older.pk).created_at))
    assert trend["total"][trend["labels"].index(f"{jalali.month_name(month.month)} {to_persian_digits(month.year)}")] == 1


def test_figures_default_to_the_last_twelve_jalali_months_and_emptied_boxes_ask_for_every_case(client_for, world):
    from django.utils import timezone

    old = make_case(world.county_a)
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    make_case(world.county_a)
    officer = client_for("officer")
    url = reverse("complaints:figures")
    page = officer.get(url)
    assert page.context["figures"]["total"] == 1
    year, month = jalali.current_month()
    first = jalali.to_jalali(page.context["period"].cleaned_data["start"])
    assert first.day == 1 and (first.year * 12 + first.month) == (year * 12 + month) - 11
    # The period is shown in its boxes, in Persian digits.
    assert jalali.format_date(jalali.today()) in page.content.decode()
    assert officer.get(url, {"start": "", "end": ""}).context["figures"]["total"] == 2


def test_figures_draw_the_20_most_overdue_cases_and_link_the_list_of_every_late_one(client_for, world):
    # Issue 11: HQ's figures drew up to 100 overdue cases live on every request.
    from urllib.parse import parse_qs, urlsplit

    from ravabet.complaints.views import OVERDUE_SHOWN

    _many(world.county_a, OVERDUE_SHOWN + 5)
    for n, case in enumerate(Case.objects.order_by("pk")):
        Case.objects.filter(pk=case.pk).update(deadline=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    make_case(world.county_b, subject="در مهلت")
    client = client_for("hq_expert")
    page = client.get(reverse("complaints:figures"))
    shown = page.context["overdue"]
    assert [case.subject for case in shown] == [f"موضوع {n}" for n in range(OVERDUE_SHOWN)]  # most overdue first
    body = page.content.decode()
    total = to_persian_digits(str(OVERDUE_SHOWN + 5))
    assert page.context["figures"]["overdue"] == OVERDUE_SHOWN + 5 and f"همه {total} پرونده" in body
    # The link leads to the case list's «late» filter over the same period: every late case, none other.
    url = page.context["late_url"]
    assert f'href="{url.replace("&", "&amp;")}"' in body
    query = parse_qs(urlsplit(url).query)
    assert query["due"] == ["late"] and set(query) == {"due", "start", "end"}
    listed = client.get(url)
    assert listed.context["page_obj"].paginator.count == OVERDUE_SHOWN + 5
    assert 'id="received-period"' in listed.content.decode()
    # A unit chosen on the figures is kept in the link.
    narrowed = client.get(reverse("complaints:figures"), {"unit": str(world.county_b.pk)})
    assert parse_qs(urlsplit(narrowed.context["late_url"]).query)["unit"] == [str(world.county_b.pk)]
    assert client.get(narrowed.context["late_url"]).context["page_obj"].paginator.count == 0


def test_the_most_overdue_cases_are_chosen_with_the_kept_figures_and_drawn_live(client_for, world,
                                                                               django_assert_max_num_queries):
    """Which cases are the most overdue is kept with the figures (no search of the period's cases on every
    request); their rows are read live, so a case answered since then leaves the list before the recount."""
    _many(world.county_a, 3)
    Case.objects.update(deadline=dt.date(2020, 1, 1))
    client, url = client_for("hq_expert"), reverse("complaints:figures")
    first = [case.pk for case in client.get(url).context["overdue"]]
    assert len(first) == 3
    Case.objects.filter(pk=first[0]).update(state=State.ANSWERED)
    _many(world.county_b, 2)
    Case.objects.filter(unit=world.county_b).update(deadline=dt.date(2019, 1, 1))  # more overdue, counted later
    with django_assert_max_num_queries(12):
        kept = client.get(url).context["overdue"]
    assert [case.pk for case in kept] == first[1:]
    assert len(client.get(url, {"fresh": "1"}).context["overdue"]) == 4  # the recount finds the newer ones


def test_the_list_filters_late_cases_closed_without_an_answer_and_by_received_period(client_for, world):
    from django.utils import timezone

    open_late = make_case(world.county_a, subject="باز دیرکرد")
    Case.objects.filter(pk=open_late.pk).update(deadline=dt.date(2020, 1, 1))
    Case.objects.filter(pk=make_case(world.county_a, subject="بسته دیرکرد").pk).update(
        state=State.CLOSED_UNANSWERED, closed_late=True)
    Case.objects.filter(pk=make_case(world.county_a, subject="بسته در مهلت").pk).update(
        state=State.CLOSED_UNANSWERED, closed_late=False)
    make_case(world.county_a, subject="تازه")
    client = client_for("officer")
    assert sorted(c.subject for c in client.get(LIST, {"due": "late"}).context["page_obj"]) == \
        ["باز دیرکرد", "بسته دیرکرد"]
    assert [c.subject for c in client.get(LIST, {"due": "overdue"}).context["page_obj"]] == ["باز دیرکرد"]
    Case.objects.filter(pk=open_late.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    since = jalali.format_date(jalali.today() - dt.timedelta(days=10))  # Persian digits, as typed
    assert [c.subject for c in client.get(LIST, {"due": "late", "start": since}).context["page_obj"]] == ["بسته دیرکرد"]
    until = to_latin_digits(jalali.format_date(jalali.today() - dt.timedelta(days=20)))
    assert [c.subject for c in client.get(LIST, {"due": "late", "end": until}).context["page_obj"]] == ["باز دیرکرد"]
    assert len(client.get(LIST, {"start": "۱۴۰۵/۱۳/۴۰", "end": "nonsense"}).context["page_obj"]) == 4  # ignored


@pytest.mark.parametrize("actor", ["hq_expert", "officer"])
def test_the_late_list_and_the_figures_run_the_same_queries_for_3_and_60_late_cases(client_for, world, actor,
                                                                                    django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(actor)
    _many(world.county_a, 3)
    Case.objects.update(deadline=dt.date(2020, 1, 1))
    # The figures counted afresh each time (not read from the shared aggregates), the late list as linked.
    pages = [(reverse("complaints:figures"), {"fresh": "1"}),
             (client.get(reverse("complaints:figures")).context["late_url"], {})]
    counts = []
    for url, params in pages:
        client.get(url, params)
        with CaptureQueriesContext(connection) as few:
            client.get(url, params)
        counts.append(len(few))
    _many(world.county_a, 57)
    Case.objects.update(deadline=dt.date(2020, 1, 1))
    for (url, params), count in zip(pages, counts, strict=True):
        client.get(url, params)  # the new cases' notices changed the bell's kept count: read it again
        with django_assert_num_queries(count):
            client.get(url, params)
