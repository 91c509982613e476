import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ravabet.audit.models import ActionLog
from ravabet.outbox.models import Notification
from ravabet.reports import services
from ravabet.reports.models import TRANSITIONS, Kind, ProfileState, State, UnitReport, check_transition

from .factories import jpeg, make_profile, make_report

pytestmark = pytest.mark.django_db


def _due():
    return timezone.localdate() + dt.timedelta(days=7)


def test_every_declared_transition_is_allowed_and_every_other_refused():
    for current in State.values:
        for target in State.values:
            if target in TRANSITIONS[current]:
                check_transition(current, target)
            else:
                with pytest.raises(ValidationError):
                    check_transition(current, target)


def test_a_draft_is_invisible_to_hq_until_the_officer_sends_it_and_hq_is_notified(world):
    report = make_report(world, send=False)
    assert report.state == State.DRAFT
    assert not Notification.objects.filter(user=world.hq_expert).exists()
    services.report_send(report=report, by=world.officer)
    report.refresh_from_db()
    assert report.state == State.SENT and report.sent_at is not None
    assert Notification.objects.filter(user=world.hq_expert, title__contains=report.subject).exists()
    assert Notification.objects.filter(user=world.hq_head).exists()
    assert not Notification.objects.filter(user=world.outsider).exists()


def test_hq_acknowledges_a_report_and_the_unit_hears_of_it(world):
    report = make_report(world)
    services.report_answer(report=report, by=world.hq_expert, action="acknowledge", comment="دیده شد، سپاس.")
    report.refresh_from_db()
    assert report.state == State.ACKNOWLEDGED and report.hq_comment == "دیده شد، سپاس."
    assert Notification.objects.filter(user=world.officer, title__contains="دیده‌شده").exists()
    assert Notification.objects.filter(user=world.manager).exists()


def test_hq_takes_action_with_a_follow_up_person_and_due_date_then_closes(world):
    report = make_report(world)
    services.report_answer(report=report, by=world.hq_head, action="act", comment="پیگیری می‌شود",
                           followup_by=world.hq_expert, followup_due=_due())
    report.refresh_from_db()
    assert report.state == State.ACTION and report.followup_by == world.hq_expert and report.followup_due == _due()
    assert Notification.objects.filter(user=world.hq_expert, title__startswith="پیگیری گزارش").exists()
    services.report_close(report=report, by=world.hq_expert, note="با شهرداری هماهنگ شد")
    report.refresh_from_db()
    assert report.state == State.CLOSED and report.closing_note == "با شهرداری هماهنگ شد"
    actions = set(ActionLog.objects.filter(target_id=str(report.pk), action__startswith="reports.").values_list("action", flat=True))
    assert {"reports.created", "reports.sent", "reports.action", "reports.closed"} <= actions


def test_action_without_follow_up_person_or_due_date_is_refused_in_persian(world):
    report = make_report(world)
    with pytest.raises(ValidationError) as error:
        services.report_answer(report=report, by=world.hq_expert, action="act")
    assert "followup_by" in error.value.message_dict and "followup_due" in error.value.message_dict


def test_a_unit_person_cannot_be_the_hq_follow_up(world):
    report = make_report(world)
    with pytest.raises(ValidationError) as error:
        services.report_answer(report=report, by=world.hq_expert, action="act", followup_by=world.officer,
                               followup_due=_due())
    assert "اداره کل" in error.value.message_dict["followup_by"][0]


def test_a_county_officer_cannot_answer_and_hq_cannot_write_reports(world):
    report = make_report(world)
    with pytest.raises(PermissionDenied):
        services.report_answer(report=report, by=world.officer, action="acknowledge")
    with pytest.raises(PermissionDenied):
        services.report_create(unit=world.county_a, by=world.hq_expert, kind=Kind.PROBLEM, source="people",
                               subject="x", description="y")
    with pytest.raises(PermissionDenied):
        services.report_send(report=make_report(world, send=False), by=world.outsider)


def test_a_sent_report_can_no_longer_be_edited(world):
    report = make_report(world)
    with pytest.raises(ValidationError):
        services.report_update(report=report, by=world.officer, subject="تغییر")


def test_a_solution_links_to_the_problem_it_solves_in_the_same_unit(world):
    problem = make_report(world)
    solution = make_report(world, kind=Kind.SOLUTION, subject="پارکینگ موقت", solves=problem)
    assert list(problem.solutions.all()) == [solution]


def test_a_problem_cannot_link_to_another_problem(world):
    problem = make_report(world)
    report = UnitReport(unit=world.county_a, kind=Kind.PROBLEM, source="people", subject="x", description="y",
                        solves=problem, created_by=world.officer)
    with pytest.raises(ValidationError):
        report.full_clean()


def test_a_solution_cannot_link_to_another_units_problem(world):
    from ravabet.offices.models import Membership
    from ravabet.offices.roles import Role

    problem = make_report(world)
    Membership.objects.get_or_create(user=world.outsider, unit=world.county_b, role=Role.PR_OFFICER)
    with pytest.raises(ValidationError):
        services.report_create(unit=world.county_b, by=world.outsider, kind=Kind.SOLUTION, source="people",
                               subject="x", description="y", solves=problem)


def test_profile_versions_start_from_the_last_one_and_reuse_an_open_draft(world):
    first = make_profile(world, acknowledge=True, photos=[jpeg()])
    second = services.profile_start(unit=world.county_a, by=world.officer)
    assert second.version == 2 and second.mission == first.mission and second.photos.count() == 1
    assert services.profile_start(unit=world.county_a, by=world.manager).pk == second.pk


def test_profile_photos_lose_their_exif_metadata(world):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    Image.new("RGB", (640, 480)).save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
    profile = make_profile(world, photos=[upload])
    with profile.photos.get().image.open("rb") as handle, Image.open(handle) as stored:
        assert not stored.getexif()


def test_hq_returns_a_profile_with_a_comment_and_then_acknowledges_the_resubmission(world):
    profile = make_profile(world, submit=True)
    with pytest.raises(ValidationError):
        services.profile_review(profile=profile, by=world.hq_expert, accept=False, comment="")
    services.profile_review(profile=profile, by=world.hq_expert, accept=False, comment="تصویر ساختمان را بیفزایید")
    profile.refresh_from_db()
    assert profile.state == ProfileState.RETURNED
    assert Notification.objects.filter(user=world.officer, title__contains="برگشت").exists()
    services.profile_update(profile=profile, by=world.officer, photos=[jpeg()], mission="مأموریت تازه")
    services.profile_submit(profile=profile, by=world.officer)
    services.profile_review(profile=profile, by=world.hq_head, accept=True)
    profile.refresh_from_db()
    assert profile.state == ProfileState.ACKNOWLEDGED and profile.mission == "مأموریت تازه"


def test_a_submitted_profile_cannot_be_changed(world):
    profile = make_profile(world, submit=True)
    with pytest.raises(ValidationError):
        services.profile_update(profile=profile, by=world.officer, mission="x")


def test_a_late_follow_up_reminds_the_hq_person_once(world):
    report = make_report(world)
    services.report_answer(report=report, by=world.hq_head, action="act", followup_by=world.hq_expert,
                           followup_due=_due())
    UnitReport.objects.filter(pk=report.pk).update(followup_due=dt.date(2020, 1, 1))
    assert services.remind_overdue_followups() == 1
    assert services.remind_overdue_followups() == 0
    assert Notification.objects.filter(user=world.hq_expert, title__contains="مهلت پیگیری").count() == 1


def test_the_officer_edits_a_draft_and_sends_it_from_the_edit_form(world, client_for):
    from django.urls import reverse

    report = make_report(world, send=False)
    response = client_for("officer").post(reverse("reports:edit", args=[report.pk]), {
        "kind": "problem", "source": "staff", "subject": "موضوع ویرایش‌شده", "urgency": "normal",
        "description": "شرح تازه", "send": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.subject == "موضوع ویرایش‌شده" and report.state == State.SENT
    assert client_for("officer").get(reverse("reports:edit", args=[report.pk])).status_code == 302
