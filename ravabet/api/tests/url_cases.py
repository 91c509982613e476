"""Rows of the URL × role matrix for the API (issue 18). The staff endpoints accept the page session as well
as a token, so a logged-in actor sees there what their pages show; without either they answer 401 in the
API's error shape. POST-only endpoints answer 405 to a GET."""

from ravabet.testing import Case, public


def _news(world):
    from .helpers import published

    return {"news_id": published(world, photos=0).pk}


def _survey(world):
    from ravabet.surveys.models import State
    from ravabet.surveys.tests.factories import make_survey

    return {"token": make_survey(world.county_a, state=State.OPEN).token}


def _guest(world):
    from ravabet.events.tests.factories import make_event, make_guest

    return {"token": make_guest(make_event(world.county_a)).token}


def _staff_news(world):
    from ravabet.news.tests.helpers import make_news

    return {"news_id": make_news(world, photos=0).pk}


def _case(world):
    from ravabet.complaints.tests.factories import make_case

    return {"case_id": make_case(world.county_a).pk}


def _steps(world):
    return {"part": "news", "record_id": _staff_news(world)["news_id"]}


def _step(world):
    return {**_steps(world), "step": "submit"}


def staff_list() -> Case:
    return Case(anon=401)


def staff_record(kwargs) -> Case:
    return Case(kwargs=kwargs, anon=401, staff=404, outsider=404)


CASES = {
    "api:tokens": Case(staff=200),
    "api:token_revoke": Case(kwargs=lambda world: {"pk": 1}, anon=302, hq_head=405, hq_expert=405, manager=405,
                             officer=405, staff=405, outsider=405),
    "api_v1:api-root": public(status=404),  # django-ninja's root: "see the docs"
    "api_not_found": public(status=404),
    "api_v1:openapi-json": public(),
    "api_v1:openapi-view": public(),
    "api_v1:public_units": public(),
    "api_v1:public_news": public(),
    "api_v1:public_news_detail": public(_news),
    "api_v1:public_surveys": public(),
    "api_v1:public_survey": public(_survey),
    "api_v1:public_survey_answer": public(_survey, status=405),
    "api_v1:public_captcha": public(status=405),
    "api_v1:public_complaint": public(status=405),
    "api_v1:public_complaint_track": public(status=405),
    "api_v1:public_invitation": public(_guest),
    "api_v1:public_rsvp": public(_guest, status=405),
    "api_v1:staff_news": staff_list(),
    "api_v1:staff_news_detail": staff_record(_staff_news),
    "api_v1:staff_complaints": staff_list(),
    "api_v1:staff_complaint": staff_record(_case),
    "api_v1:staff_hqtasks": staff_list(),
    "api_v1:staff_scores": staff_list(),
    "api_v1:staff_steps": staff_record(_steps),
    "api_v1:staff_step": public(_step, status=405),
}
