import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ravabet.lib import jalali
from ravabet.outbox.models import Notification
from ravabet.surveys import selectors, services
from ravabet.surveys.models import TRANSITIONS, Audience, QuestionKind, Response, State

from .factories import answer, make_survey

pytestmark = pytest.mark.django_db


def test_every_allowed_transition_works_and_others_are_refused(world):
    survey = make_survey(world.county_a)
    for source, targets in TRANSITIONS.items():
        for target in State.values:
            survey.state = source
            survey.save(update_fields=["state"])
            if target in targets:
                assert services.survey_transition(survey=survey, by=world.officer, to=target).state == target
            else:
                with pytest.raises(ValidationError):
                    services.survey_transition(survey=survey, by=world.officer, to=target)


def test_a_survey_without_questions_cannot_be_opened(world):
    today = jalali.today()
    survey = services.survey_create(unit=world.county_a, by=world.officer, title="خالی", intro="",
                                    audience=Audience.PUBLIC, opens_on=today, closes_on=today)
    with pytest.raises(ValidationError, match="بدون پرسش|پرسش را"):
        services.survey_transition(survey=survey, by=world.officer, to=State.OPEN)


def test_close_date_before_open_date_is_refused(world):
    today = jalali.today()
    with pytest.raises(ValidationError) as error:
        services.survey_create(unit=world.county_a, by=world.officer, title="نادرست", intro="",
                               audience=Audience.PUBLIC, opens_on=today, closes_on=today - dt.timedelta(days=1))
    assert "closes_on" in error.value.message_dict


def test_staff_and_hq_cannot_build_a_county_survey(world):
    today = jalali.today()
    for user in (world.staff, world.hq_expert, world.outsider):
        with pytest.raises(PermissionDenied):
            services.survey_create(unit=world.county_a, by=user, title="x", intro="", audience=Audience.PUBLIC,
                                   opens_on=today, closes_on=today)


def test_a_choice_question_needs_two_distinct_options(world):
    survey = make_survey(world.county_a)
    with pytest.raises(ValidationError, match="دو گزینه"):
        services.question_add(survey=survey, by=world.officer, kind=QuestionKind.SINGLE, text="؟", required=True,
                              options=["تنها"])
    with pytest.raises(ValidationError, match="تکراری"):
        services.question_add(survey=survey, by=world.officer, kind=QuestionKind.MULTIPLE, text="؟", required=True,
                              options=["الف", "الف"])


def test_questions_change_only_in_draft(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    with pytest.raises(ValidationError, match="فقط در"):
        services.question_add(survey=survey, by=world.officer, kind=QuestionKind.SHORT, text="تازه", required=False,
                              options=[])
    with pytest.raises(ValidationError):
        services.question_delete(question=survey.questions.first(), by=world.officer)


def test_moving_a_question_up_swaps_it_with_the_one_before(world):
    survey = make_survey(world.county_a)
    first, second = list(survey.questions.all())[:2]
    services.question_move(question=second, by=world.officer, up=True)
    assert list(survey.questions.all())[:2] == [second, first]


def test_answers_are_counted_with_percentages_and_rating_average(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey, single=0, multiple=(0, 1), rating=5, text="خوب بود")
    answer(survey, single=0, multiple=(1,), rating=3)
    answer(survey, single=1, multiple=(), rating=4)
    survey.refresh_from_db()
    assert survey.responses_count == 3
    entries = {e["question"].kind: e for e in selectors.results(survey)}
    single = entries[QuestionKind.SINGLE]["rows"]
    assert [(r["count"], r["percent"]) for r in single] == [(2, 66.7), (1, 33.3)]
    multiple = entries[QuestionKind.MULTIPLE]
    assert multiple["answered"] == 2 and [r["count"] for r in multiple["rows"]] == [1, 2, 0]
    assert entries[QuestionKind.RATING]["average"] == 4.0
    assert entries[QuestionKind.LONG]["texts"] == ["خوب بود"]


def test_a_required_question_left_empty_is_refused(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    rating = survey.questions.get(kind=QuestionKind.RATING)
    single = survey.questions.get(kind=QuestionKind.SINGLE)
    with pytest.raises(ValidationError, match="الزامی"):
        services.response_submit(survey=survey, answers={single.pk: 0, rating.pk: None})
    assert not Response.objects.exists()


def test_a_closed_or_draft_survey_takes_no_answers(world):
    for state in (State.DRAFT, State.CLOSED):
        survey = make_survey(world.county_a, state=state)
        with pytest.raises(ValidationError, match="اکنون پاسخ"):
            answer(survey)


def test_a_staff_member_answers_a_staff_survey_once(world):
    survey = make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN)
    answer(survey, user=world.staff)
    with pytest.raises(ValidationError, match="پاسخ داده"):
        answer(survey, user=world.staff)
    with pytest.raises(PermissionDenied):
        answer(survey, user=world.outsider)
    assert Response.objects.filter(survey=survey).count() == 1


def test_the_report_notifies_the_unit_manager_and_hq_but_not_another_county(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    with pytest.raises(ValidationError, match="هنوز پاسخی"):
        services.survey_report(survey=survey, by=world.officer)
    answer(survey)
    survey.refresh_from_db()
    assert services.survey_report(survey=survey, by=world.officer) == 3
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"manager", "hq_head", "hq_expert"}
    survey.refresh_from_db()
    assert survey.reported_at is not None


def test_raw_rows_give_one_row_per_response_with_option_labels(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey, single=1, multiple=(0, 2), rating=2, text="متن")
    headers, rows = selectors.raw_rows(survey)
    assert headers[2:] == ["راضی بودید؟", "از چه راهی؟", "امتیاز شما؟", "پیشنهاد؟"]
    assert rows[0][2:] == ["خیر", "تلفن، وب", "2", "متن"]


def test_an_open_survey_past_its_last_day_is_closed_and_its_maker_reminded_once(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    later = survey.closes_on + dt.timedelta(days=1)
    assert services.close_expired(today=survey.closes_on) == 0
    assert services.close_expired(today=later) == 1
    survey.refresh_from_db()
    assert survey.state == State.CLOSED
    assert Notification.objects.filter(user=world.officer, title__contains="بسته شد").count() == 1
    assert services.close_expired(today=later) == 0


def test_opening_a_staff_survey_tells_every_member_of_the_unit_once(world):
    survey = make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN)
    services.survey_transition(survey=survey, by=world.officer, to=State.CLOSED)
    services.survey_transition(survey=survey, by=world.officer, to=State.OPEN)
    invited = list(Notification.objects.filter(title__contains="نظرسنجی کارکنان").values_list("user__username",
                                                                                               flat=True))
    assert sorted(invited) == ["manager", "officer", "staff"]
