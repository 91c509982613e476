"""Cases of county A in a chosen state, and the values a person would type, for the generated
transition × role test (ravabet/workflow/tests/test_matrix.py)."""

import datetime as dt

from ravabet.complaints.models import Case, UnitCaseSettings
from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.workflow.engine import move

from .factories import make_case

VALUES = {
    "answer": {"answer": "چاله تا پایان هفته ترمیم می‌شود."},
    "answer_as_referee": {"answer": "بازدید شد؛ تا پایان هفته ترمیم می‌شود."},
    "close": {},
    "close_unanswered": {"close_reason": "تکراری است؛ همین شکایت با کد دیگری پاسخ گرفته است."},
    "reopen": {"objection": "هنوز ترمیم نشده است."},
    "escalate": {"escalation_note": "پاسخی نرسید."},
    "remind": {"remind_note": "لطفاً تا فردا پاسخ دهید."},
    "extend": {"new_deadline": "", "extend_reason": "نیاز به بازدید کارشناس"},
    "take_over": {"takeover_reason": "اداره پاسخ نمی‌دهد."},
    "answer_as_hq": {"answer": "اداره کل پیگیری کرد؛ ترمیم انجام می‌شود."},
    "return_insufficient": {"return_reason": "به پرسش شهروند پاسخ نداده است."},
    "submit_draft": {"answer": "پیش‌نویس: تا پایان هفته ترمیم می‌شود."},
    "return_draft": {"review_note": "روز دقیق را بنویسید."},
}
FOLLOWUP_STEPS = ("remind", "extend", "take_over", "escalate")


def case_in(world, state: str, *, referee=None):
    """A case of county A in `state`, referred to `referee` (a user of county A) on the way when given."""
    case = make_case(world.county_a)
    referee_person = Person.objects.get(user=referee) if referee else None
    if state == "pending_review":
        # The unit reviews staff answers: its employee's draft waits for the PR officer (issue 14 §9).
        UnitCaseSettings.objects.update_or_create(unit=world.county_a, defaults={"review_staff_answers": True})
        referee_person = referee_person or Person.objects.get(user=world.staff)
    if state in ("referred", "pending_review") or referee_person:
        move(case, "refer", by=world.officer, person=referee_person or "head")
    if state == "pending_review":
        move(case, "submit_draft", by=referee_person.user, answer="پیش‌نویس کارمند")
    if state in ("answered", "closed", "reopened"):
        move(case, "answer", by=world.officer, answer="پاسخ نخست")
    if state == "closed":
        move(case, "close", by=world.officer)
    if state == "reopened":
        move(case, "reopen", by=None, objection="راضی نیستم.")
    if state == "closed_unanswered":
        move(case, "close_unanswered", by=world.officer, close_reason="تکراری")
    assert case.state == state
    return case


def _overdue(case):
    Case.objects.filter(pk=case.pk).update(deadline=jalali.today() - dt.timedelta(days=3))
    case.refresh_from_db()
    return case


def followup_case(world, step: str, state: str):
    """An open, overdue case of county A whose HQ follow-up is `state`."""
    case = _overdue(make_case(world.county_a))
    if state == "escalated":
        move(case, "escalate", by=None)
    elif state == "reminded":
        move(case, "remind", by=world.users["hq_expert"])
    elif state == "extended":
        move(case, "extend", by=world.users["hq_expert"], new_deadline=jalali.today() + dt.timedelta(days=5),
             extend_reason="بازدید")
        case = _overdue(case)
    elif state == "taken_over":
        move(case, "take_over", by=world.users["hq_expert"], takeover_reason="بی‌پاسخ")
    assert case.followup == state
    return case


def complaint_case(world, step: str, state: str):
    if step in FOLLOWUP_STEPS:
        values = dict(VALUES[step])
        if step == "extend":
            values["new_deadline"] = jalali.format_date(jalali.today() + dt.timedelta(days=10))
        return followup_case(world, step, state), values
    if step == "answer_as_hq":
        case = case_in(world, state)
        move(_overdue(case), "take_over", by=world.users["hq_expert"], takeover_reason="بی‌پاسخ")
        return case, VALUES[step]
    if step == "return_insufficient":
        case = make_case(world.county_a, forwarded_by_hq=True)
        move(case, "answer", by=world.officer, answer="پاسخ کوتاه")
        return case, VALUES[step]
    if step == "transfer":
        return case_in(world, state), {"to_unit": str(world.county_b.pk), "transfer_reason": "ثبت در شهرستان نادرست"}
    if step == "merge":
        main = make_case(world.county_a, mobile="09350000001")
        return case_in(world, state), {"main_case": main.tracking_code, "merge_note": "همان چاله"}
    if step == "refer":
        return case_in(world, state), {"person": str(Person.objects.get(user=world.manager).pk),
                                       "referral_note": "بازدید میدانی شود."}
    # The step of an employee the case is referred to: referred to the world's staff member.
    if step == "submit_draft":
        UnitCaseSettings.objects.update_or_create(unit=world.county_a, defaults={"review_staff_answers": True})
    referee = world.staff if step in ("answer_as_referee", "submit_draft") else None
    return case_in(world, state, referee=referee), VALUES[step]


SAMPLES = {"complaints.case": complaint_case}
