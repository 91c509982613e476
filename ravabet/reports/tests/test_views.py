import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ravabet.compliance.registry import FEATURES, INDICATORS, REPORT_SECTIONS
from ravabet.lib import jalali
from ravabet.offices.access import access_for
from ravabet.offices.tests.factories import make_profile
from ravabet.outbox.models import Notification
from ravabet.reports.features import b4_count, d3_count, reports_review, reports_section, reports_todo
from ravabet.reports.models import Kind, State, UnitReport

from .factories import make_report, pdf

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {"kind": "problem", "source": "media", "subject": "گلایه رسانه‌ای از ترافیک", "urgency": "urgent",
            "description": "روزنامه محلی از ترافیک جلوی اداره نوشته است.", **extra}


def test_the_officer_writes_and_sends_a_problem_with_an_attachment(world, client_for):
    client = client_for("officer")
    response = client.post(reverse("reports:create"), {**_form(), "send": "1", "attachments": [pdf("news.pdf")]})
    report = UnitReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.state == State.SENT and report.unit == world.county_a and report.attachments.count() == 1
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "فرستاده‌شده به اداره کل" in page and "news.pdf" in page
    download = client.get(reverse("reports:attachment", args=[report.pk, report.attachments.get().pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_bad_input_gets_persian_messages_and_keeps_what_was_typed(world, client_for):
    fake = io.BytesIO(b"MZ not a pdf")
    fake.name = "virus.pdf"
    response = client_for("officer").post(reverse("reports:create"), {
        **_form(subject="", source="aliens"), "attachments": [fake]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "این بخش را پر کنید." in page
    assert "گزینه‌ای از فهرست برگزینید." in page
    assert "پرونده‌ی مجاز نیست" in page
    assert "روزنامه محلی از ترافیک جلوی اداره نوشته است." in page
    assert not UnitReport.objects.exists()


def test_a_problem_cannot_be_linked_as_solved_and_the_form_says_so(world, client_for):
    problem = make_report(world)
    response = client_for("officer").post(reverse("reports:create"), _form(solves=problem.pk))
    assert "فقط گزارش راهکار" in response.content.decode()


def test_a_solution_is_written_from_the_problems_page_and_linked_to_it(world, client_for):
    problem = make_report(world)
    client = client_for("officer")
    form = client.get(reverse("reports:create") + f"?solves={problem.pk}").content.decode()
    assert f'value="{problem.pk}" selected' in form
    client.post(reverse("reports:create"), _form(kind="solution", subject="نوبت‌دهی اینترنتی", solves=problem.pk,
                                                 send="1"))
    solution = UnitReport.objects.get(kind=Kind.SOLUTION)
    assert solution.solves == problem
    assert "نوبت‌دهی اینترنتی" in client.get(reverse("reports:detail", args=[problem.pk])).content.decode()


def _step(report, name):
    return reverse("workflow:transition", args=["reports.unitreport", report.pk, name])


def test_hq_acts_on_its_own_page_a_bad_due_date_is_refused_on_the_field_then_closes(world, client_for):
    report = make_report(world)
    client = client_for("hq_head")
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:act", args=[report.pk]) in detail and _step(report, "acknowledge") in detail
    response = client.post(reverse("reports:act", args=[report.pk]),
                           {"comment": "پیگیری شود", "followup_by": world.hq_expert.pk, "followup_due": "۱۴۰۵/۱۳/۴۰"})
    assert response.status_code == 400
    assert "پیگیری شود" in response.content.decode()
    due = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(reverse("reports:act", args=[report.pk]),
                           {"comment": "پیگیری شود", "followup_by": world.hq_expert.pk,
                            "followup_due": jalali.format_date(due, persian=False)})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.ACTION and report.followup_due == due and report.hq_comment == "پیگیری شود"
    empty = client.post(_step(report, "close"), {"closing_note": ""})
    assert empty.status_code == 400 and "نتیجه پیگیری را بنویسید." in empty.content.decode()
    client.post(_step(report, "close"), {"closing_note": "انجام شد"})
    report.refresh_from_db()
    assert report.state == State.CLOSED
    assert client.get(reverse("reports:act", args=[report.pk])).status_code == 403


def test_the_act_page_offers_only_hq_people_and_refuses_anyone_else(world, client_for):
    report = make_report(world)
    page = client_for("hq_expert").get(reverse("reports:act", args=[report.pk])).content.decode()
    assert world.hq_head.full_name in page and world.officer.full_name not in page
    response = client_for("hq_expert").post(reverse("reports:act", args=[report.pk]), {
        "followup_by": world.officer.pk, "followup_due": "1499/01/01"})
    assert response.status_code == 400 and "از کارکنان روابط عمومی اداره کل" in response.content.decode()
    assert client_for("officer").get(reverse("reports:act", args=[report.pk])).status_code == 403


def test_the_officer_sends_a_draft_with_the_button_and_hq_then_sees_its_buttons(world, client_for):
    draft = make_report(world, send=False)
    officer = client_for("officer")
    page = officer.get(reverse("reports:detail", args=[draft.pk])).content.decode()
    assert _step(draft, "send") in page and reverse("reports:edit", args=[draft.pk]) in page
    response = officer.post(_step(draft, "send"), {"next": reverse("reports:detail", args=[draft.pk])})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.SENT
    page = officer.get(reverse("reports:detail", args=[draft.pk])).content.decode()
    assert _step(draft, "send") not in page and 'id="report-steps"' not in page
    hq = client_for("hq_expert").get(reverse("reports:detail", args=[draft.pk])).content.decode()
    assert _step(draft, "acknowledge") in hq


def test_county_b_cannot_see_county_as_report_and_hq_does_not_see_drafts(world, client_for):
    sent, draft = make_report(world), make_report(world, send=False, subject="پیش‌نویس محرمانه")
    assert client_for("outsider").get(reverse("reports:detail", args=[sent.pk])).status_code == 404
    hq_list = client_for("hq_expert").get(reverse("reports:list")).content.decode()
    assert sent.subject in hq_list and draft.subject not in hq_list
    assert client_for("hq_expert").get(reverse("reports:detail", args=[draft.pk])).status_code == 404
    assert client_for("outsider").post(_step(draft, "send")).status_code == 404


def test_the_hq_list_filters_by_unit_kind_source_and_overdue_follow_up(world, client_for):
    make_report(world, subject="مشکل مردمی")
    make_report(world, subject="گلایه کارکنان", source="staff")
    late = make_report(world, subject="دیرکرد پیگیری")
    UnitReport.objects.filter(pk=late.pk).update(state=State.ACTION, followup_due=dt.date(2020, 1, 1),
                                                 followup_by=world.hq_expert)
    client = client_for("hq_expert")
    page = client.get(reverse("reports:list") + "?source=staff").content.decode()
    assert "گلایه کارکنان" in page and "مشکل مردمی" not in page
    page = client.get(reverse("reports:list") + "?followup=overdue").content.decode()
    assert "دیرکرد پیگیری" in page and "گلایه کارکنان" not in page
    page = client.get(reverse("reports:list") + f"?unit={world.county_b.pk}").content.decode()
    assert "گزارشی پیدا نشد" in page


def test_the_list_exports_to_excel_with_the_filters(world, client_for):
    make_report(world, subject="مشکل مردمی")
    make_report(world, subject="گلایه کارکنان", source="staff")
    response = client_for("hq_head").get(reverse("reports:list") + "?source=staff&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][4] == "موضوع" and len(rows) == 2 and rows[1][4] == "گلایه کارکنان"
    assert rows[1][1] == world.county_a.name


@pytest.mark.parametrize("actor", ["hq_expert", "officer"])
def test_the_list_runs_the_same_number_of_queries_for_3_and_30_reports(world, client_for, actor,
                                                                          django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(actor)
    problem = make_report(world)
    for index in range(2):
        make_report(world, kind=Kind.SOLUTION, subject=f"راهکار {index}", solves=problem)
    client.get(reverse("reports:list"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reports:list"))
    small = len(small)  # now: the connection's query log keeps the last 9,000 and the loop below runs many
    for index in range(27):
        report = make_report(world, kind=Kind.SOLUTION, subject=f"راهکار بیشتر {index}", solves=problem)
        UnitReport.objects.filter(pk=report.pk).update(followup_by=world.hq_expert, followup_due=dt.date(2030, 1, 1))
    client.get(reverse("reports:list"))  # the new reports' notices changed the bell's kept count: read it again
    with django_assert_max_num_queries(small):
        response = client.get(reverse("reports:list"))
    assert response.content.decode().count("راهکار بیشتر") == 27


def test_the_report_prints_as_a_persian_pdf(world, client_for):
    report = make_report(world)
    response = client_for("hq_expert").get(reverse("reports:pdf", args=[report.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_features_indicators_and_the_monthly_section_cover_b4_d3_and_b9(world):
    from ravabet.offices.features import b9_count

    problem = make_report(world, source="media")
    make_report(world, kind=Kind.SOLUTION, subject="راه حل", solves=problem)
    make_report(world, send=False)
    make_profile(world, submit=True)
    today = timezone.localdate()
    assert b4_count(world.county_a, today, today) == 1
    assert d3_count(world.county_a, today, today) == 1
    assert b9_count(world.county_a, today, today) == 1
    assert b4_count(world.county_b, today, today) == 0
    assert {"B4", "D3", "B9"} <= set(INDICATORS)
    assert FEATURES["reports.achievements"].url_name == "news:mine" and "B3" in FEATURES["reports.achievements"].items
    section = REPORT_SECTIONS["reports"].build(world.county_a, today, today)
    assert section == reports_section(world.county_a, today, today)
    assert ["مشکل مورد توجه رسانه‌ها", 1] in section["counts"]
    assert len(section["table"]["rows"]) == 2
    assert any("راه حل" in line for line in section["highlights"])
    assert any("معرفی‌نامه" in line for line in section["highlights"])


def test_home_pages_list_drafts_for_the_unit_and_waiting_reports_for_hq(world):
    from ravabet.offices.access import Access
    from ravabet.workflow.waiting import waiting_for

    draft = make_report(world, send=False)
    sent = make_report(world)
    todo = {entry.title: entry.count for entry in reports_todo(access_for(world.officer), world.county_a)}
    assert todo["گزارش پیش‌نویس که به اداره کل فرستاده نشده"] == 1
    review = {entry.title: entry.count for entry in reports_review(access_for(world.hq_head))}
    assert review["گزارش مشکل و راهکار واحدها در انتظار پاسخ"] == 1
    # What waits for whom, by name: the sent report for HQ, the draft for the unit.
    waiting = {group.title: group.records for group in waiting_for(Access(world.hq_head))}
    assert waiting["گزارش‌های واحد به اداره کل"] == [sent]
    waiting = {group.title: group.records for group in waiting_for(Access(world.officer))}
    assert waiting["گزارش‌های واحد به اداره کل"] == [draft]


def test_an_acknowledged_report_waits_for_nobody_and_one_in_action_waits_for_hq(world):
    from ravabet.offices.access import Access
    from ravabet.workflow.waiting import waiting_for

    seen, acted = make_report(world, subject="دیده‌شده"), make_report(world, subject="در دست اقدام")
    from ravabet.workflow.engine import move

    move(seen, "acknowledge", by=world.hq_expert)
    move(acted, "act", by=world.hq_head, followup_by=world.hq_expert,
         followup_due=timezone.localdate() + dt.timedelta(days=3))
    # Neither waits for "act" (no follow-up is named on them yet), and only the one in action waits to be closed.
    waiting = {group.title: group.records for group in waiting_for(Access(world.hq_expert))}
    assert waiting["گزارش‌های واحد به اداره کل"] == [acted]


def test_writes_by_the_wrong_people_are_refused_and_change_nothing(world, client_for):
    report, draft = make_report(world), make_report(world, send=False)
    # A county officer cannot answer for HQ; county B does not learn the record exists.
    assert client_for("officer").post(_step(report, "acknowledge")).status_code == 403
    assert client_for("manager").post(reverse("reports:act", args=[report.pk]), {
        "followup_by": world.hq_expert.pk, "followup_due": "1499/01/01"}).status_code == 403
    assert client_for("outsider").post(_step(report, "acknowledge")).status_code == 404
    assert client_for("outsider").post(reverse("reports:act", args=[report.pk])).status_code == 404
    assert client_for("staff").post(_step(draft, "send")).status_code == 404  # no part in reports
    assert client_for("hq_head").post(_step(draft, "send")).status_code == 403
    report.refresh_from_db()
    draft.refresh_from_db()
    assert report.state == State.SENT and draft.state == State.DRAFT
    assert not Notification.objects.filter(title__contains="دیده شد").exists()


def test_a_follow_up_due_date_in_the_past_is_refused_on_the_field_and_the_typed_text_kept(world, client_for):
    report = make_report(world)
    response = client_for("hq_expert").post(reverse("reports:act", args=[report.pk]), {
        "followup_by": world.hq_expert.pk, "followup_due": "1400/01/01", "comment": "نوشته من"})
    page = response.content.decode()
    assert response.status_code == 400 and "نمی‌تواند پیش از امروز باشد" in page and "نوشته من" in page
    report.refresh_from_db()
    assert report.state == State.SENT
