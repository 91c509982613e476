"""F7: tasks HQ assigns to units, their evidence, HQ's review, overdue flags and reminders."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.events import services
from ravabet.events.models import ASSIGNMENT_TRANSITIONS, Assignment, AssignmentState, Task
from ravabet.lib import jalali
from ravabet.outbox.models import Notification

from .factories import PDF, make_assignment, make_task

pytestmark = pytest.mark.django_db
TASKS = reverse("events:tasks")


def _due(days=5):
    return jalali.format_date(jalali.today() + dt.timedelta(days=days), persian=False)


def test_hq_assigns_one_task_to_two_units_and_each_unit_gets_its_own_copy_and_a_notice(client_for, world):
    response = client_for("hq_head").post(reverse("events:task_create"), {
        "title": "گزارش هفته دولت", "description": "عکس و گزارش افتتاح‌ها را بفرستید.", "due_date": _due(),
        "units": [world.county_a.pk, world.county_b.pk]})
    assert response.status_code == 302
    task = Task.objects.get()
    assert set(task.assignments.values_list("unit", flat=True)) == {world.county_a.pk, world.county_b.pk}
    assert Notification.objects.filter(user=world.officer, title__contains="گزارش هفته دولت").exists()
    assert Notification.objects.filter(user=world.outsider, title__contains="گزارش هفته دولت").exists()
    assert ActionLog.objects.filter(action="events.task_assigned").count() == 1


def test_the_task_form_keeps_what_was_typed_and_says_in_persian_what_is_wrong(client_for, world):
    response = client_for("hq_expert").post(reverse("events:task_create"), {
        "title": "گزارش هفته دولت", "description": "", "due_date": "1405/13/40"})
    page = response.content.decode()
    assert response.status_code == 200 and "گزارش هفته دولت" in page
    assert "این بخش را پر کنید." in page and "دست‌کم یک واحد را برگزینید." in page and "ماه باید بین" in page
    assert not Task.objects.exists()


def test_a_due_date_in_the_past_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.task_assign(by=world.hq_head, title="x", description="y", due_date=dt.date(2020, 1, 1),
                             units=[world.county_a])
    assert "due_date" in error.value.message_dict


def test_a_county_officer_cannot_assign_tasks(world):
    with pytest.raises(PermissionDenied):
        services.task_assign(by=world.officer, title="x", description="y", due_date=jalali.today(),
                             units=[world.county_a])


def test_the_unit_reports_done_with_a_file_and_hq_is_told(client_for, world):
    assignment = make_assignment(world.county_a)
    response = client_for("officer").post(reverse("events:assignment_done", args=[assignment.pk]), {
        "evidence": "گزارش با ۱۲ عکس فرستاده شد.",
        "evidence_file": SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DONE and assignment.evidence_type == "application/pdf"
    assert Notification.objects.filter(user=world.hq_expert, title__contains="انجام مأموریت").exists()
    file_response = client_for("hq_expert").get(reverse("events:assignment_file", args=[assignment.pk]))
    assert file_response.status_code == 200


def test_done_without_any_evidence_is_refused_in_persian(client_for, world):
    assignment = make_assignment(world.county_a)
    response = client_for("officer").post(reverse("events:assignment_done", args=[assignment.pk]), {"evidence": ""})
    assert response.status_code == 400 and "گزارش انجام کار را بنویسید" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OPEN


def test_a_file_that_is_not_an_image_or_pdf_is_refused(client_for, world):
    assignment = make_assignment(world.county_a)
    response = client_for("officer").post(reverse("events:assignment_done", args=[assignment.pk]), {
        "evidence": "گزارش", "evidence_file": SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="image/png")})
    assert response.status_code == 400 and "مجاز نیست" in response.content.decode()


def test_hq_returns_with_a_comment_then_the_unit_completes_and_hq_accepts(client_for, world):
    assignment = make_assignment(world.county_a)
    services.assignment_done(assignment=assignment, by=world.officer, evidence="انجام شد")
    hq = client_for("hq_head")
    url = reverse("events:assignment_review", args=[assignment.pk])
    refused = hq.post(url, {"decision": "return", "comment": ""})
    assert refused.status_code == 400 and "بنویسید چه چیزی باید تکمیل شود" in refused.content.decode()
    hq.post(url, {"decision": "return", "comment": "عکس‌ها کم است."})
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.RETURNED
    assert Notification.objects.filter(user=world.officer, body="عکس‌ها کم است.").exists()
    services.assignment_done(assignment=assignment, by=world.officer, evidence="عکس‌های بیشتر")
    hq.post(url, {"decision": "accept"})
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED


@pytest.mark.parametrize("state", list(AssignmentState))
def test_every_state_allows_exactly_its_declared_transitions(world, state):
    assignment = make_assignment(world.county_a)
    for target in AssignmentState:
        Assignment.objects.filter(pk=assignment.pk).update(state=state, evidence="x")
        assignment.refresh_from_db()
        allowed = target in ASSIGNMENT_TRANSITIONS[state]
        try:
            if target == AssignmentState.DONE:
                services.assignment_done(assignment=assignment, by=world.officer, evidence="x")
            elif target in (AssignmentState.ACCEPTED, AssignmentState.RETURNED):
                services.assignment_review(assignment=assignment, by=world.hq_head,
                                           accept=target == AssignmentState.ACCEPTED, comment="c")
            else:
                continue
        except ValidationError:
            assert not allowed
        else:
            assert allowed


def test_the_unit_cannot_review_its_own_work_and_hq_cannot_report_it_done(world):
    assignment = make_assignment(world.county_a)
    with pytest.raises(PermissionDenied):
        services.assignment_done(assignment=assignment, by=world.hq_head, evidence="x")
    services.assignment_done(assignment=assignment, by=world.officer, evidence="x")
    with pytest.raises(PermissionDenied):
        services.assignment_review(assignment=assignment, by=world.manager, accept=True)


def test_overdue_copies_are_flagged_on_the_list_and_reminded_once(client_for, world):
    late = make_assignment(world.county_a, title="مأموریت دیرکرد")
    Task.objects.filter(pk=late.task_id).update(due_date=dt.date(2020, 1, 1))
    page = client_for("officer").get(TASKS + "?state=overdue").content.decode()
    assert "مأموریت دیرکرد" in page and "گذشته از مهلت" in page
    assert services.remind_overdue_assignments() == 1
    assert services.remind_overdue_assignments() == 0
    assert Notification.objects.filter(user=world.officer, title__contains="مهلت مأموریت").count() == 1
    assert Notification.objects.filter(user=world.hq_head, title__contains="مهلت مأموریت").count() == 1


def test_a_county_sees_only_its_own_copy_and_hq_sees_every_unit(client_for, world):
    make_task(world.county_a, world.county_b, title="مأموریت مشترک")
    officer_page = client_for("officer").get(TASKS)
    assert len(officer_page.context["page_obj"]) == 1
    assert len(client_for("hq_expert").get(TASKS).context["page_obj"]) == 2
    other = Assignment.objects.get(unit=world.county_b)
    assert client_for("officer").get(reverse("events:assignment", args=[other.pk])).status_code == 404


def test_hq_exports_the_list_of_every_unit_to_excel(client_for, world):
    import io

    from openpyxl import load_workbook

    make_task(world.county_a, world.county_b, title="مأموریت مشترک")
    response = client_for("hq_head").get(TASKS + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3 and sheet.cell(2, 1).value == "مأموریت مشترک"


def test_the_task_list_runs_the_same_number_of_queries_for_3_and_30_rows(client_for, world,
                                                                          django_assert_num_queries):
    client = client_for("hq_expert")
    for n in range(3):
        make_task(world.county_a, title=f"مأموریت {n}")
    client.get(TASKS)
    with CaptureQueriesContext(connection) as few:
        client.get(TASKS)
    for n in range(27):
        make_task(world.county_a, world.county_b, title=f"مأموریت بیشتر {n}")
    with django_assert_num_queries(len(few)):
        response = client.get(TASKS)
    assert len(response.context["page_obj"]) == 50
