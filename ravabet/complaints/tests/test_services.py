import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ravabet.audit.models import ActionLog
from ravabet.complaints import services
from ravabet.complaints.models import Case, Channel, Kind, KindDeadline, State
from ravabet.complaints.tracking import group, normalize_code
from ravabet.lib import jalali
from ravabet.lib.workdays import add_working_days
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.workflow.engine import RoleRefused, move, steps_of

from .factories import make_case

pytestmark = pytest.mark.django_db


def test_the_declaration_leaves_a_closed_case_only_by_the_citizens_objection():
    steps = steps_of(Case)
    for closed in (State.CLOSED, State.CLOSED_UNANSWERED):
        assert [name for name, spec in steps.items() if closed in spec.sources] == ["reopen"]
    assert steps["reopen"].target == State.REOPENED and steps["reopen"].system and not steps["reopen"].roles


def test_a_new_case_gets_a_twelve_digit_code_grouped_for_the_phone(world):
    case = make_case(world.county_a)
    assert re.fullmatch(r"\d{12}", case.tracking_code)
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}", case.display_code)
    assert normalize_code("۱۲۳۴-۵۶۷۸ ٩٠١٢") == "123456789012"
    assert group("123456789012") == "1234-5678-9012"


def test_a_code_collision_draws_a_new_code(world, monkeypatch):
    first = make_case(world.county_a)
    codes = iter([first.tracking_code, first.tracking_code, "555566667777"])
    monkeypatch.setattr(services, "new_code", lambda: next(codes))
    second = make_case(world.county_a)
    assert second.tracking_code == "555566667777"
    assert Case.objects.count() == 2


def test_the_deadline_counts_working_days_that_hq_set_for_the_kind(world):
    KindDeadline.objects.create(kind=Kind.REQUEST, working_days=3)
    case = make_case(world.county_a, kind=Kind.REQUEST)
    assert case.deadline == add_working_days(jalali.today(), 3)
    assert case.deadline > jalali.today()


def test_filing_with_a_mobile_queues_the_code_by_sms_and_tells_the_pr_officer(world):
    case = make_case(world.county_a)
    sms = OutboxMessage.objects.get(idempotency_key=f"complaints.{case.pk}.received")
    assert case.display_code in sms.body and sms.recipient == "09121234567"
    assert Notification.objects.filter(user=world.officer, url__endswith=f"/complaints/{case.pk}/").exists()


def test_an_anonymous_case_sends_no_sms(world):
    case = make_case(world.county_a, mobile="", citizen_name="")
    assert not OutboxMessage.objects.filter(idempotency_key__startswith=f"complaints.{case.pk}.").exists()


def test_officer_refers_to_the_head_who_answers_and_the_citizen_gets_an_sms(world):
    case = make_case(world.county_a)
    move(case, "refer", by=world.officer, person=services.head_of(world.county_a))
    case.refresh_from_db()
    assert case.state == State.REFERRED and case.referred_to.user == world.manager
    assert Notification.objects.filter(user=world.manager, title__contains="ارجاعی").exists()
    move(case, "answer", by=world.manager, answer="چاله تا پایان هفته ترمیم می‌شود.")
    case.refresh_from_db()
    assert case.state == State.ANSWERED and case.answered_in_time is True and case.answer_working_days == 0
    assert case.answers.get().text == "چاله تا پایان هفته ترمیم می‌شود."
    # The SMS links to the answer instead of carrying it (two SMS parts at most).
    sms = OutboxMessage.objects.get(idempotency_key=f"complaints.{case.pk}.answered.1")
    assert "ترمیم" not in sms.body and f"/t/{case.tracking_code}" in sms.body
    move(case, "close", by=world.officer)
    case.refresh_from_db()
    assert case.state == State.CLOSED
    actions = list(ActionLog.objects.filter(target_id=str(case.pk)).order_by("pk").values_list("action", flat=True))
    assert actions == ["complaints.received", "complaints.referred", "complaints.answered", "complaints.closed"]


def test_a_plain_staff_member_referred_to_may_answer_but_not_close(world):
    case = make_case(world.county_a)
    move(case, "refer", by=world.officer, person=Person.objects.get(user=world.staff))
    move(case, "answer_as_referee", by=world.staff, answer="بررسی شد.")
    with pytest.raises(RoleRefused):
        move(Case.objects.get(pk=case.pk), "close", by=world.staff)


def test_a_case_referred_to_an_employee_waits_for_them_and_for_no_other_employee(world, client_for):
    """The employee a case is referred to finds it in «در انتظار شما» on their home page (their answer is the
    expected next step); another employee of the same unit does not, and it leaves the list once answered."""
    from ravabet.offices.access import Access
    from ravabet.testing import make_user
    from ravabet.workflow.waiting import waiting_for

    other = make_user("staff2", "کارمند دیگر", world.county_a, "staff")
    case = make_case(world.county_a, subject="چاله خیابان امام")
    move(case, "refer", by=world.officer, person=Person.objects.get(user=world.staff))

    def waiting(user) -> list[int]:
        return [record.pk for group in waiting_for(Access(user)) for record in group.records]

    assert waiting(world.staff) == [case.pk] and waiting(other) == []
    assert "چاله خیابان امام" in client_for("staff").get("/").content.decode()
    move(Case.objects.get(pk=case.pk), "answer_as_referee", by=world.staff, answer="بررسی شد.")
    assert waiting(world.staff) == []


def test_an_employee_answers_only_a_case_referred_to_them(world):
    from ravabet.testing import make_user

    other = make_user("staff2", "کارمند دیگر", world.county_a, "staff")
    case = make_case(world.county_a)
    move(case, "refer", by=world.officer, person=Person.objects.get(user=world.staff))
    with pytest.raises(RoleRefused, match="نام برده شده"):
        move(case, "answer_as_referee", by=other, answer="من هم پاسخ می‌دهم.")
    with pytest.raises(RoleRefused):
        move(case, "answer", by=world.staff, answer="پاسخ")
    case.refresh_from_db()
    assert case.state == State.REFERRED and not case.answers.exists()


def test_an_outsider_cannot_refer_or_answer_another_units_case(world):
    case = make_case(world.county_a)
    with pytest.raises(RoleRefused):
        move(case, "refer", by=world.outsider, person=services.head_of(world.county_a))
    with pytest.raises(RoleRefused):
        move(case, "answer", by=world.outsider, answer="x")


def test_referring_to_someone_of_another_unit_is_refused_on_the_person_field(world):
    case = make_case(world.county_a)
    with pytest.raises(ValidationError) as error:
        move(case, "refer", by=world.officer, person=Person.objects.get(user=world.outsider))
    assert "همین اداره" in error.value.message_dict["person"][0]
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_an_objection_reopens_the_case_with_a_fresh_deadline_and_tells_the_unit_and_the_referee(world):
    case = make_case(world.county_a)
    move(case, "refer", by=world.officer, person=Person.objects.get(user=world.staff))
    move(case, "answer_as_referee", by=world.staff, answer="انجام شد.")
    Case.objects.filter(pk=case.pk).update(deadline=dt.date(2020, 1, 1))
    move(Case.objects.get(pk=case.pk), "reopen", by=None, objection="هنوز ترمیم نشده است.")
    case.refresh_from_db()
    assert case.state == State.REOPENED and case.deadline > dt.date(2020, 1, 1)
    assert case.answered_at is None and case.answers.get().text == "انجام شد."
    for user in (world.officer, world.manager, world.staff):
        assert Notification.objects.filter(user=user, title__contains="اعتراض").count() == 1
    entry = ActionLog.objects.get(action="complaints.objected")
    assert entry.actor is None and "هنوز ترمیم نشده است" in entry.summary


def test_rating_needs_an_answer_and_a_value_from_one_to_five(world):
    case = make_case(world.county_a)
    with pytest.raises(ValidationError):
        services.case_rate(case=case, rating=4)
    move(case, "answer", by=world.officer, answer="پاسخ")
    with pytest.raises(ValidationError):
        services.case_rate(case=Case.objects.get(pk=case.pk), rating=6)
    services.case_rate(case=Case.objects.get(pk=case.pk), rating=5)
    assert case.answers.get().rating == 5


def test_overdue_cases_are_escalated_to_hq_once(world):
    case = make_case(world.county_a)
    Case.objects.filter(pk=case.pk).update(deadline=dt.date(2020, 1, 1))
    assert services.escalate_overdue() == 1
    assert services.escalate_overdue() == 0
    assert Notification.objects.filter(user=world.hq_head, key__startswith=f"complaints.{case.pk}.overdue").count() == 1
    assert Notification.objects.filter(user=world.hq_expert, key__startswith=f"complaints.{case.pk}.overdue").count() == 1
    assert not Notification.objects.filter(user=world.outsider, key__contains="overdue").exists()
    assert Case.objects.get(pk=case.pk).escalated_at is not None


def test_the_escalation_task_is_a_registered_periodic_job():
    from ravabet.jobs.registry import JOBS

    assert "complaints.escalate_overdue" in JOBS


def test_a_press_complaint_is_forwarded_to_the_office_head_at_once(world):
    case = services.press_register(unit=world.county_a, by=world.officer, subject="گلایه از جاده",
                                   text="روزنامه خبر داد که جاده خراب است.", press_outlet="روزنامه خبر جنوب",
                                   press_date=dt.date(2026, 11, 20), press_page="۳", press_link="https://example.ir/a")
    assert case.channel == Channel.PRESS and case.state == State.REFERRED
    assert case.referred_to.user == world.manager


def test_a_press_complaint_needs_a_clipping_or_a_link(world):
    with pytest.raises(ValidationError):
        services.press_register(unit=world.county_a, by=world.officer, subject="x", text="y", press_outlet="z",
                                press_date=None)


def test_hq_forwards_with_its_deadline_and_the_units_answer_goes_back_to_hq(world):
    deadline = add_working_days(dt.date.today(), 5)
    case = services.hq_forward(unit=world.county_a, by=world.hq_expert, deadline=deadline, subject="گلایه مطبوعاتی",
                               text="متن", press_outlet="همشهری", press_link="https://example.ir/b")
    assert case.channel == Channel.HQ_FORWARD and case.forwarded_by_hq and case.deadline == deadline
    assert Notification.objects.filter(user=world.officer, title__contains="ارجاع اداره کل").exists()
    assert Notification.objects.filter(user=world.manager, title__contains="ارجاع اداره کل").exists()
    Notification.objects.filter(title__contains="پاسخ").delete()
    move(case, "answer", by=world.officer, answer="پیگیری و رفع شد.")
    assert Notification.objects.filter(user=world.hq_expert, title__contains="پاسخ").exists()
    assert Notification.objects.filter(user=world.hq_head, title__contains="پاسخ").exists()


def test_only_hq_forwards_and_sets_deadlines(world):
    with pytest.raises(PermissionDenied):
        services.hq_forward(unit=world.county_a, by=world.officer, deadline=dt.date.today(), subject="x", text="y")
    with pytest.raises(PermissionDenied):
        services.kind_deadline_set(by=world.officer, kind=Kind.COMPLAINT, working_days=3)
    services.kind_deadline_set(by=world.hq_head, kind=Kind.COMPLAINT, working_days=3)
    assert KindDeadline.table()[Kind.COMPLAINT] == 3


def test_the_public_cannot_file_to_hq_itself(world):
    with pytest.raises(ValidationError):
        make_case(world.hq)
