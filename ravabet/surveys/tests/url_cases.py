"""Rows of the URL × role matrix for the surveys part."""

from ravabet.testing import Case, post_only, public, unit_record


def _survey(world):
    from ravabet.surveys.tests.factories import make_survey

    return {"pk": make_survey(world.county_a).pk}


def _open_survey(world):
    from ravabet.surveys.models import State
    from ravabet.surveys.tests.factories import make_survey

    return {"pk": make_survey(world.county_a, state=State.OPEN).pk}


def _staff_survey(world):
    from ravabet.surveys.models import Audience, State
    from ravabet.surveys.tests.factories import make_survey

    return {"pk": make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN).pk}


def _question(world):
    from ravabet.surveys.tests.factories import make_survey

    return {"pk": make_survey(world.county_a).questions.first().pk}


def _token(world):
    from ravabet.surveys.models import State
    from ravabet.surveys.tests.factories import make_survey

    return {"token": make_survey(world.county_a, state=State.OPEN).token}


def _invitation(world):
    from ravabet.surveys import services
    from ravabet.surveys.models import State
    from ravabet.surveys.tests.factories import make_survey, officer_of

    survey = make_survey(world.county_a, state=State.OPEN)
    services.invite(survey=survey, by=officer_of(world.county_a), people=[("علی", "09121234567")])
    return {"token": survey.invitations.get().token}


def _panelist(world):
    from ravabet.surveys import services

    return {"token": services.panel_consent(unit=world.county_a, mobile="09121234567").token}


# Only the unit's own officer and manager (HQ for HQ's own surveys) change a survey.
BUILDER = unit_record(_survey, staff=404)
BUILDER.hq_head = BUILDER.hq_expert = 403
QUESTION = Case(kwargs=_question, hq_head=403, hq_expert=403, staff=404, outsider=404)

CASES = {
    "surveys:list": Case(staff=403),
    "surveys:create": Case(staff=403),
    "surveys:mine": Case(staff=200),
    "surveys:detail": unit_record(_survey),
    "surveys:edit": BUILDER,
    "surveys:question_add": BUILDER,
    "surveys:question_edit": QUESTION,
    "surveys:question_delete": post_only(_question),
    "surveys:question_move": post_only(_question),
    "surveys:share": unit_record(_open_survey),
    "surveys:qr": unit_record(_open_survey),
    "surveys:results": unit_record(_open_survey),
    "surveys:export": unit_record(_open_survey),
    "surveys:pdf": unit_record(_open_survey),
    # Staff surveys are answered by the unit's own members only; HQ oversees but does not answer.
    "surveys:staff_answer": Case(kwargs=_staff_survey, hq_head=404, hq_expert=404, staff=200, outsider=404),
    "surveys:public_answer": public(_token),
    "surveys:invite": Case(kwargs=_open_survey, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "surveys:invited_answer": public(_invitation),
    # Public, POST only (consent after an answer) — a GET is refused for everyone alike.
    "surveys:panel_join": Case(kwargs=_token, anon=405, hq_head=405, hq_expert=405, manager=405, officer=405,
                               staff=405, outsider=405),
    # The withdrawal link in an SMS: anyone holding it sees the question (GET changes nothing).
    "surveys:panel_withdraw": public(_panelist),
}
