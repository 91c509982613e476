"""Cases of county A in a chosen state, and the values a person would type, for the generated
transition × role test (ravabet/workflow/tests/test_matrix.py)."""

from ravabet.offices.models import Person
from ravabet.workflow.engine import move

from .factories import make_case

VALUES = {
    "answer": {"answer": "چاله تا پایان هفته ترمیم می‌شود."},
    "answer_as_referee": {"answer": "بازدید شد؛ تا پایان هفته ترمیم می‌شود."},
    "close": {},
    "close_unanswered": {"close_reason": "تکراری است؛ همین شکایت با کد دیگری پاسخ گرفته است."},
    "reopen": {"objection": "هنوز ترمیم نشده است."},
}


def case_in(world, state: str, *, referee=None):
    """A case of county A in `state`, referred to `referee` (a user of county A) on the way when given."""
    case = make_case(world.county_a)
    referee_person = Person.objects.get(user=referee) if referee else None
    if state == "referred" or referee_person:
        move(case, "refer", by=world.officer, person=referee_person or "head")
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


def complaint_case(world, step: str, state: str):
    if step == "refer":
        return case_in(world, state), {"person": str(Person.objects.get(user=world.manager).pk),
                                       "referral_note": "بازدید میدانی شود."}
    # The step of an employee the case is referred to: referred to the world's staff member.
    referee = world.staff if step == "answer_as_referee" else None
    return case_in(world, state, referee=referee), VALUES[step]


SAMPLES = {"complaints.case": complaint_case}
