import datetime as dt

from ravabet.lib import jalali
from ravabet.offices.models import Membership
from ravabet.offices.roles import Role
from ravabet.surveys import services
from ravabet.surveys.models import Audience, QuestionKind, State, Survey
from ravabet.workflow.engine import move


def officer_of(unit):
    return Membership.objects.filter(unit=unit, role=Role.PR_OFFICER).select_related("user").first().user


def make_survey(unit, *, audience=Audience.PUBLIC, state=State.DRAFT, title="رضایت مراجعان", by=None) -> Survey:
    """A survey of `unit` with four questions (single, multiple, rating, long), moved to `state` by the
    workflow's own steps (a reported survey has one answer). `by` defaults to the unit's PR officer; for
    HQ's own survey give an HQ user (the `_hq` steps are used)."""
    by = by or officer_of(unit)
    hq = "_hq" if unit.is_hq else ""
    today = jalali.today()
    survey = services.survey_create(unit=unit, by=by, title=title, intro="", audience=audience,
                                    opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=7))
    services.question_add(survey=survey, by=by, kind=QuestionKind.SINGLE, text="راضی بودید؟", required=True,
                          options=["بله", "خیر"])
    services.question_add(survey=survey, by=by, kind=QuestionKind.MULTIPLE, text="از چه راهی؟", required=False,
                          options=["تلفن", "حضوری", "وب"])
    services.question_add(survey=survey, by=by, kind=QuestionKind.RATING, text="امتیاز شما؟", required=True,
                          options=[])
    services.question_add(survey=survey, by=by, kind=QuestionKind.LONG, text="پیشنهاد؟", required=False, options=[])
    if state != State.DRAFT:
        move(survey, "open" + hq, by=by)
    if state == State.REPORTED:
        answer(survey)
    if state in (State.CLOSED, State.REPORTED):
        move(survey, "close" + hq, by=by)
    if state == State.REPORTED:
        move(survey, "report" + hq, by=by)
    survey.refresh_from_db()
    return survey


def answer(survey, *, user=None, single=0, multiple=(0,), rating=4, text=""):
    q = {question.kind: question.pk for question in survey.questions.all()}
    values = {q[QuestionKind.SINGLE]: single, q[QuestionKind.MULTIPLE]: list(multiple), q[QuestionKind.RATING]: rating}
    if text:
        values[q[QuestionKind.LONG]] = text
    return services.response_submit(survey=survey, answers=values, user=user)
