import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.offices.access import access_for
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.reports import services
from ravabet.reports.models import Kind, State, UnitReport, Urgency
from ravabet.workflow.engine import RoleRefused, TransitionRefused, allowed, move, steps_of

from .factories import make_report

pytestmark = pytest.mark.django_db


def _due():
    return timezone.localdate() + dt.timedelta(days=7)


def test_the_declared_steps_and_who_makes_them():
    from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES

    steps = steps_of(UnitReport)
    assert list(steps) == ["send", "acknowledge", "act", "close", "archive"]
    assert steps["send"].roles == UNIT_ROLES
    # Reviewing reports is HQ's, both its head and its experts (DESIGN §1).
    assert all(steps[name].roles == HQ_ROLES for name in ("acknowledge", "act", "close", "archive"))
    # Expected next: HQ answers a sent report and closes one it acts on; closing a seen one is possible.
    assert [name for name, spec in steps.items() if spec.aside] == ["archive"]


def test_a_draft_is_invisible_to_hq_until_the_officer_sends_it_and_hq_is_told_in_app_only(world):
    report = make_report(world, send=False)
    assert report.state == State.DRAFT
    assert not Notification.objects.filter(user=world.hq_expert).exists()
    move(report, "send", by=world.officer)
    report.refresh_from_db()
    assert report.state == State.SENT and report.sent_at is not None
    assert Notification.objects.filter(user=world.hq_expert, title__contains=report.subject).count() == 1
    assert Notification.objects.filter(user=world.hq_head, title__contains=report.subject).count() == 1
    assert not Notification.objects.filter(user=world.outsider).exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("urgency", [Urgency.NORMAL, Urgency.URGENT])
def test_a_report_that_is_not_very_urgent_sends_no_sms(world, urgency):
    make_report(world, urgency=urgency)
    assert Notification.objects.filter(user__in=[world.hq_head, world.hq_expert]).count() == 2
    assert not OutboxMessage.objects.exists()


def test_a_very_urgent_problem_reaches_hq_by_sms_too_and_once_in_app(world):
    report = make_report(world, urgency=Urgency.CRITICAL, subject="ریزش سنگ در محور کوهستانی")
    for person in (world.hq_head, world.hq_expert):
        notices = Notification.objects.filter(user=person)
        assert notices.count() == 1 and "بسیار فوری" in notices.get().title
    sms = OutboxMessage.objects.order_by("recipient")
    assert [m.recipient for m in sms] == [world.hq_head.mobile, world.hq_expert.mobile]
    assert all("ریزش سنگ" in m.body and report.get_absolute_url() in m.body for m in sms)
    # The unit's own people are not paged about their own report.
    assert not OutboxMessage.objects.filter(recipient__in=[world.officer.mobile, world.manager.mobile]).exists()


def test_an_hq_person_who_turned_sms_off_gets_the_notice_only(world):
    world.hq_head.sms_notices = False
    world.hq_head.save(update_fields=["sms_notices"])
    make_report(world, urgency=Urgency.CRITICAL)
    assert Notification.objects.filter(user=world.hq_head).count() == 1
    assert [m.recipient for m in OutboxMessage.objects.all()] == [world.hq_expert.mobile]


@pytest.mark.parametrize("reviewer", ["hq_expert", "hq_head"])
def test_hq_acknowledges_a_report_and_the_unit_hears_of_it(world, reviewer):
    report = make_report(world)
    move(report, "acknowledge", by=world.users[reviewer], comment="دیده شد، سپاس.")
    report.refresh_from_db()
    assert report.state == State.ACKNOWLEDGED and report.hq_comment == "دیده شد، سپاس."
    assert report.answered_by == world.users[reviewer]
    assert Notification.objects.filter(user=world.officer, title__contains="دیده شد").exists()
    assert Notification.objects.filter(user=world.manager, title__contains="دیده شد").exists()


def test_hq_takes_action_with_a_follow_up_person_and_due_date_then_closes_with_the_result(world):
    report = make_report(world)
    move(report, "act", by=world.hq_head, comment="پیگیری می‌شود", followup_by=world.hq_expert, followup_due=_due())
    report.refresh_from_db()
    assert report.state == State.ACTION and report.followup_by == world.hq_expert and report.followup_due == _due()
    assert Notification.objects.filter(user=world.hq_expert, title__startswith="پیگیری گزارش").exists()
    assert Notification.objects.filter(user=world.officer, title__contains="در دست اقدام").exists()
    with pytest.raises(ValidationError) as error:
        move(report, "close", by=world.hq_expert, closing_note="  ")
    assert error.value.message_dict == {"closing_note": ["نتیجه پیگیری را بنویسید."]}
    move(report, "close", by=world.hq_expert, closing_note="با شهرداری هماهنگ شد")
    report.refresh_from_db()
    assert report.state == State.CLOSED and report.closing_note == "با شهرداری هماهنگ شد" and report.closed_at
    assert Notification.objects.filter(user=world.manager, title__contains="به پایان رسید").exists()
    actions = list(ActionLog.objects.filter(target_id=str(report.pk), action__startswith="reports.")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["reports.created", "reports.sent", "reports.action", "reports.closed"]


def test_acting_on_an_acknowledged_report_keeps_hqs_earlier_comment_when_none_is_given(world):
    report = make_report(world)
    move(report, "acknowledge", by=world.hq_expert, comment="دیده شد")
    move(report, "act", by=world.hq_head, comment="", followup_by=world.hq_expert, followup_due=_due())
    report.refresh_from_db()
    assert report.state == State.ACTION and report.hq_comment == "دیده شد"


def test_action_without_follow_up_person_or_due_date_is_refused_in_persian_and_changes_nothing(world):
    report = make_report(world)
    with pytest.raises(TransitionRefused, match="پیگیری‌کننده و مهلت پیگیری را تعیین کنید"):
        move(report, "act", by=world.hq_expert, followup_by=world.hq_expert)
    report.refresh_from_db()
    assert report.state == State.SENT and report.followup_by is None
    assert not ActionLog.objects.filter(action="reports.action").exists()


def test_a_unit_person_cannot_be_the_hq_follow_up_and_the_due_date_cannot_be_past(world):
    report = make_report(world)
    with pytest.raises(TransitionRefused, match="از کارکنان روابط عمومی اداره کل"):
        move(report, "act", by=world.hq_expert, followup_by=world.officer, followup_due=_due())
    with pytest.raises(TransitionRefused, match="پیش از امروز"):
        move(report, "act", by=world.hq_expert, followup_by=world.hq_head, followup_due=dt.date(2020, 1, 1))
    report.refresh_from_db()
    assert report.state == State.SENT and report.followup_due is None


def test_county_people_cannot_answer_hq_cannot_write_and_outsiders_cannot_send(world):
    report = make_report(world)
    with pytest.raises(RoleRefused):
        move(report, "acknowledge", by=world.officer)
    with pytest.raises(RoleRefused):
        move(report, "acknowledge", by=world.manager)
    with pytest.raises(PermissionDenied):
        services.report_create(unit=world.county_a, by=world.hq_expert, kind=Kind.PROBLEM, source="people",
                               subject="x", description="y")
    with pytest.raises(PermissionDenied):
        services.report_create(unit=world.hq, by=world.hq_expert, kind=Kind.PROBLEM, source="people",
                               subject="x", description="y")
    with pytest.raises(RoleRefused):
        move(make_report(world, send=False), "send", by=world.outsider)


def test_a_report_answered_twice_is_refused_the_second_time(world):
    report = make_report(world)
    move(report, "acknowledge", by=world.hq_expert)
    with pytest.raises(TransitionRefused, match="هم‌اکنون"):
        move(report, "acknowledge", by=world.hq_head)
    assert ActionLog.objects.filter(action="reports.acknowledged").count() == 1


def test_buttons_follow_the_state_and_the_role(world):
    draft, sent = make_report(world, send=False), make_report(world)
    assert [s.name for s in allowed(draft, access_for(world.officer))] == ["send"]
    assert allowed(draft, access_for(world.hq_head)) == []
    assert [s.name for s in allowed(sent, access_for(world.hq_expert))] == ["acknowledge", "act"]
    assert allowed(sent, access_for(world.officer)) == []


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
    problem = make_report(world)
    with pytest.raises(ValidationError):
        services.report_create(unit=world.county_b, by=world.outsider, kind=Kind.SOLUTION, source="people",
                               subject="x", description="y", solves=problem)


def test_a_late_follow_up_reminds_the_hq_person_once(world):
    report = make_report(world)
    move(report, "act", by=world.hq_head, followup_by=world.hq_expert, followup_due=_due())
    UnitReport.objects.filter(pk=report.pk).update(followup_due=dt.date(2020, 1, 1))
    assert services.remind_overdue_followups() == 1
    assert services.remind_overdue_followups() == 0
    assert Notification.objects.filter(user=world.hq_expert, title__contains="مهلت پیگیری").count() == 1


def test_the_officer_edits_a_draft_and_sends_it_from_the_edit_form(world, client_for):
    report = make_report(world, send=False)
    response = client_for("officer").post(reverse("reports:edit", args=[report.pk]), {
        "kind": "problem", "source": "staff", "subject": "موضوع ویرایش‌شده", "urgency": "normal",
        "description": "شرح تازه", "send": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.subject == "موضوع ویرایش‌شده" and report.state == State.SENT
    assert Notification.objects.filter(user=world.hq_head, title__contains="موضوع ویرایش‌شده").exists()
    assert client_for("officer").get(reverse("reports:edit", args=[report.pk])).status_code == 302
