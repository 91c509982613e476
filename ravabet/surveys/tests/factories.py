import datetime as dt

from ravabet.lib import jalali
from ravabet.offices.models import Membership
from ravabet.offices.roles import Role
from ravabet.surveys import services
from ravabet.surveys.models import Audience, QuestionKind, State, Survey


def officer_of(unit):
    return Membership.objects.filter(unit=unit, role=Role.PR_OFFICER).select_related("user").first().user


def make_survey(unit, *, audience=Audience.PUBLIC, state=State.DRAFT, title="رضایت مراجعان") -> Survey:
    by = officer_of(unit)
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
    if state in (State.OPEN, State.CLOSED):
        services.survey_transition(survey=survey, by=by, to=State.OPEN)
    if state == State.CLOSED:
        services.survey_transition(survey=survey, by=by, to=State.CLOSED)
    survey.refresh_from_db()
    return survey


def answer(survey, *, user=None, single=0, multiple=(0,), rating=4, text=""):
    q = {question.kind: question.pk for question in survey.questions.all()}
    values = {q[QuestionKind.SINGLE]: single, q[QuestionKind.MULTIPLE]: list(multiple), q[QuestionKind.RATING]: rating}
    if text:
        values[q[QuestionKind.LONG]] = text
    return services.response_submit(survey=survey, answers=values, user=user)
