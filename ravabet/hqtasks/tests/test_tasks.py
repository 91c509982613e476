"""F7: tasks the head of HQ PR assigns to units, their evidence, HQ's review, overdue flags and reminders."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.hqtasks import services
from ravabet.hqtasks.models import Assignment, AssignmentState, Task
from ravabet.lib import jalali
from ravabet.outbox.models import Notification
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move, steps_of

from .factories import PDF, make_assignment, make_task

pytestmark = pytest.mark.django_db
TASKS = reverse("hqtasks:list")


def _due(days=5):
    return jalali.format_date(jalali.today() + dt.timedelta(days=days), persian=False)


def _step(label, pk, name):
    return reverse("workflow:transition", args=[label, pk, name])


def test_hq_head_assigns_one_task_to_two_units_and_each_unit_gets_its_own_copy_and_a_notice(client_for, world):
    response = client_for("hq_head").post(reverse("hqtasks:create"), {
        "title": "گزارش هفته دولت", "description": "عکس و گزارش افتتاح‌ها را بفرستید.", "due_date": _due(),
        "units": [world.county_a.pk, world.county_b.pk]})
    assert response.status_code == 302
    task = Task.objects.get()
    assert set(task.assignments.values_list("unit", flat=True)) == {world.county_a.pk, world.county_b.pk}
    for user in (world.officer, world.manager, world.outsider):
        assert Notification.objects.filter(user=user, title__contains="گزارش هفته دولت").exists()
    assert not Notification.objects.filter(user=world.staff).exists()
    assert ActionLog.objects.filter(action="hqtasks.task_assigned").count() == 1


def test_only_the_hq_head_assigns_tasks_not_the_hq_expert(client_for, world):
    """DESIGN §1 and issue 9: hq_expert could assign HQ tasks."""
    expert = client_for("hq_expert")
    assert expert.get(reverse("hqtasks:create")).status_code == 403
    response = expert.post(reverse("hqtasks:create"), {
        "title": "x", "description": "y", "due_date": _due(), "units": [world.county_a.pk]})
    assert response.status_code == 403 and not Task.objects.exists()
    with pytest.raises(PermissionDenied):
        services.task_assign(by=world.hq_expert, title="x", description="y", due_date=jalali.today(),
                             units=[world.county_a])
    assert "ابلاغ مأموریت" not in expert.get(TASKS).content.decode()
    assert "ابلاغ مأموریت" in client_for("hq_head").get(TASKS).content.decode()


def test_the_task_form_keeps_what_was_typed_and_says_in_persian_what_is_wrong(client_for, world):
    response = client_for("hq_head").post(reverse("hqtasks:create"), {
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
    response = client_for("officer").post(reverse("hqtasks:submit", args=[assignment.pk]), {
        "evidence": "گزارش با ۱۲ عکس فرستاده شد.",
        "evidence_file": SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DONE and assignment.evidence_type == "application/pdf"
    assert assignment.done_by == world.officer and "report" not in assignment.evidence_file.name
    assert Notification.objects.filter(user=world.hq_expert, title__contains="انجام مأموریت").exists()
    assert Notification.objects.filter(user=world.hq_head, title__contains="انجام مأموریت").exists()
    file_response = client_for("hq_expert").get(reverse("hqtasks:file", args=[assignment.pk]))
    assert file_response.status_code == 200


def test_a_file_alone_is_enough_evidence(world):
    assignment = make_assignment(world.county_a)
    upload = SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf")
    upload.checked_type = "application/pdf"
    services.assignment_submit(assignment=assignment, by=world.officer, evidence="", evidence_file=upload)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DONE and assignment.evidence_file.name.endswith(".pdf")


def test_done_without_any_evidence_is_refused_in_persian(client_for, world):
    assignment = make_assignment(world.county_a)
    response = client_for("officer").post(reverse("hqtasks:submit", args=[assignment.pk]), {"evidence": ""})
    assert response.status_code == 400 and "گزارش انجام کار را بنویسید" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OPEN
    generic = client_for("officer").post(_step("hqtasks.assignment", assignment.pk, "submit"), {"evidence": " "})
    assert generic.status_code == 400 and "گزارش انجام کار را بنویسید" in generic.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OPEN and not ActionLog.objects.exists()


def test_a_file_that_is_not_an_image_or_pdf_is_refused(client_for, world):
    assignment = make_assignment(world.county_a)
    response = client_for("officer").post(reverse("hqtasks:submit", args=[assignment.pk]), {
        "evidence": "گزارش", "evidence_file": SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="image/png")})
    assert response.status_code == 400 and "مجاز نیست" in response.content.decode()


def test_hq_returns_with_a_comment_then_the_unit_completes_and_hq_accepts(client_for, world):
    assignment = make_assignment(world.county_a)
    services.assignment_submit(assignment=assignment, by=world.officer, evidence="انجام شد")
    hq = client_for("hq_expert")
    refused = hq.post(_step("hqtasks.assignment", assignment.pk, "send_back"), {"review_comment": ""})
    assert refused.status_code == 400 and "بنویسید چه چیزی باید تکمیل شود" in refused.content.decode()
    hq.post(_step("hqtasks.assignment", assignment.pk, "send_back"), {"review_comment": "عکس‌ها کم است."})
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.RETURNED and assignment.review_comment == "عکس‌ها کم است."
    assert Notification.objects.filter(user=world.officer, body="عکس‌ها کم است.", title__contains="برگشت").exists()
    assert Notification.objects.filter(user=world.manager, title__contains="برگشت").exists()
    services.assignment_submit(assignment=assignment, by=world.officer, evidence="عکس‌های بیشتر")
    assert hq.post(_step("hqtasks.assignment", assignment.pk, "accept"), {}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED and assignment.reviewed_at
    assert Notification.objects.filter(user=world.officer, title__contains="پذیرفته شد").exists()


def test_the_declaration_gives_review_to_hq_and_evidence_to_the_unit():
    steps = steps_of(Assignment)
    assert set(steps) == {"submit", "accept", "send_back"}
    assert steps["submit"].roles == {"unit_manager", "pr_officer"}
    assert steps["accept"].roles == steps["send_back"].roles == {"hq_head", "hq_expert"}
    assert steps["send_back"].required and steps["submit"].view == "hqtasks:submit"


def test_an_accepted_assignment_moves_no_more(world):
    assignment = make_assignment(world.county_a, state=AssignmentState.ACCEPTED)
    for name, user in (("submit", world.officer), ("accept", world.hq_head), ("send_back", world.hq_head)):
        with pytest.raises(TransitionRefused):
            move(assignment, name, by=user, review_comment="x")


def test_the_unit_cannot_review_its_own_work_and_hq_cannot_report_it_done(world):
    assignment = make_assignment(world.county_a)
    with pytest.raises(RoleRefused):
        services.assignment_submit(assignment=assignment, by=world.hq_head, evidence="x")
    services.assignment_submit(assignment=assignment, by=world.officer, evidence="x")
    with pytest.raises(RoleRefused):
        move(assignment, "accept", by=world.manager)


def test_the_page_shows_the_evidence_form_to_the_unit_and_the_review_buttons_to_hq(client_for, world):
    assignment = make_assignment(world.county_a)
    url = reverse("hqtasks:assignment", args=[assignment.pk])
    assert "فرستادن گزارش به اداره کل" in client_for("officer").get(url).content.decode()
    assert "فرستادن گزارش به اداره کل" not in client_for("hq_head").get(url).content.decode()
    services.assignment_submit(assignment=assignment, by=world.officer, evidence="x")
    hq_page = client_for("hq_expert").get(url).content.decode()
    assert "برگشت برای تکمیل" in hq_page and "send_back" in hq_page
    assert "send_back" not in client_for("officer").get(url).content.decode()


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
    assert len(officer_page.context["page_obj"]) == 1 and officer_page.context["units"] == []
    hq_page = client_for("hq_expert").get(TASKS)
    assert len(hq_page.context["page_obj"]) == 2 and len(hq_page.context["units"]) == 2
    assert len(client_for("hq_expert").get(TASKS + f"?unit={world.county_b.pk}").context["page_obj"]) == 1
    other = Assignment.objects.get(unit=world.county_b)
    assert client_for("officer").get(reverse("hqtasks:assignment", args=[other.pk])).status_code == 404
    assert client_for("officer").post(_step("hqtasks.assignment", other.pk, "submit"),
                                      {"evidence": "x"}).status_code == 404


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
