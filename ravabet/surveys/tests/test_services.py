import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ravabet.lib import jalali
from ravabet.outbox.models import Notification
from ravabet.surveys import selectors, services
from ravabet.surveys.models import Audience, QuestionKind, Response, State, Survey
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move, steps_of

from .factories import answer, make_survey

pytestmark = pytest.mark.django_db


def test_the_declared_workflow_runs_draft_open_closed_reported_and_back_to_open(world):
    assert {(s.name, s.sources, s.target) for s in steps_of(Survey).values() if not s.name.endswith("_hq")} == {
        ("open", (State.DRAFT,), State.OPEN), ("close", (State.OPEN,), State.CLOSED),
        ("reopen", (State.CLOSED, State.REPORTED), State.OPEN), ("report", (State.CLOSED,), State.REPORTED)}
    survey = make_survey(world.county_a, state=State.REPORTED)
    move(survey, "reopen", by=world.officer)
    assert survey.state == State.OPEN
    with pytest.raises(TransitionRefused):
        move(survey, "report", by=world.officer)


def test_a_survey_without_questions_cannot_be_opened(world):
    today = jalali.today()
    survey = services.survey_create(unit=world.county_a, by=world.officer, title="خالی", intro="",
                                    audience=Audience.PUBLIC, opens_on=today, closes_on=today)
    with pytest.raises(TransitionRefused, match="بی‌پرسش"):
        move(survey, "open", by=world.officer)
    survey.refresh_from_db()
    assert survey.state == State.DRAFT


def test_a_survey_past_its_last_day_is_neither_opened_nor_reopened_until_the_date_moves(world):
    survey = make_survey(world.county_a)
    Survey.objects.filter(pk=survey.pk).update(closes_on=jalali.today() - dt.timedelta(days=1))
    with pytest.raises(TransitionRefused, match="تاریخ پایان گذشته"):
        move(survey, "open", by=world.officer)
    closed = make_survey(world.county_a, state=State.CLOSED)
    Survey.objects.filter(pk=closed.pk).update(closes_on=jalali.today() - dt.timedelta(days=1))
    with pytest.raises(TransitionRefused, match="تاریخ پایان گذشته"):
        move(closed, "reopen", by=world.officer)


def test_hq_runs_its_own_surveys_but_not_a_countys(world):
    county = make_survey(world.county_a)
    for name in ("open", "open_hq"):
        with pytest.raises(TransitionRefused):
            move(county, name, by=world.hq_expert)
    own = make_survey(world.hq, by=world.hq_expert, state=State.CLOSED)
    with pytest.raises(RoleRefused):
        move(own, "report_hq", by=world.officer)
    assert move(own, "reopen_hq", by=world.hq_head).state == State.OPEN


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
    for state in (State.DRAFT, State.CLOSED, State.REPORTED):
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
    from ravabet.outbox.models import OutboxMessage

    survey = make_survey(world.county_a, state=State.CLOSED)
    with pytest.raises(TransitionRefused, match="هنوز پاسخی"):
        move(survey, "report", by=world.officer)
    move(survey, "reopen", by=world.officer)
    answer(survey)
    move(survey, "close", by=world.officer)
    Notification.objects.all().delete()
    move(survey, "report", by=world.officer)
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"manager", "hq_head", "hq_expert"}
    assert Notification.objects.filter(title__contains=survey.title, url=f"/surveys/{survey.pk}/results/").count() == 3
    mailed = set(OutboxMessage.objects.filter(source="surveys").values_list("recipient", flat=True))
    assert mailed == {"manager@example.ir", "hq_head@example.ir", "hq_expert@example.ir"}
    survey.refresh_from_db()
    assert survey.state == State.REPORTED and survey.reported_at is not None


def test_only_the_units_manager_or_officer_sends_the_report(world):
    survey = make_survey(world.county_a, state=State.CLOSED)
    Survey.objects.filter(pk=survey.pk).update(responses_count=1)
    for user in (world.staff, world.hq_head, world.hq_expert):
        with pytest.raises(RoleRefused):
            move(survey, "report", by=user)
    assert move(survey, "report", by=world.manager).state == State.REPORTED


def test_raw_rows_give_one_row_per_response_with_option_labels(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey, single=1, multiple=(0, 2), rating=2, text="متن")
    headers, rows = selectors.raw_rows(survey)
    assert headers[3:] == ["راضی بودید؟", "از چه راهی؟", "امتیاز شما؟", "پیشنهاد؟"]
    assert rows[0][2] == ""  # a public answer has no known unit
    assert rows[0][3:] == ["خیر", "تلفن، وب", 2, "متن"]  # a rating stays a number (issue 17)


def test_an_open_survey_past_its_last_day_is_closed_and_its_maker_reminded_once(world):
    survey = make_survey(world.county_a, state=State.OPEN)
    later = survey.closes_on + dt.timedelta(days=1)
    assert services.close_expired(today=survey.closes_on) == 0
    assert services.close_expired(today=later) == 1
    survey.refresh_from_db()
    assert survey.state == State.CLOSED
    assert Notification.objects.filter(user=world.officer, title__contains="بسته شد").count() == 1
    assert services.close_expired(today=later) == 0
    assert survey.closed_at is not None


def test_opening_a_staff_survey_tells_every_member_of_the_unit_once(world):
    survey = make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN)
    move(survey, "close", by=world.officer)
    move(survey, "reopen", by=world.officer)
    invited = list(Notification.objects.filter(title__contains="نظرسنجی کارکنان").values_list("user__username",
                                                                                               flat=True))
    # The officer who opened it is not told (the engine skips the actor); the home page lists it for them.
    assert sorted(invited) == ["manager", "staff"]


def test_a_closed_survey_with_answers_waits_for_its_units_people_not_for_hq(world):
    from ravabet.offices.access import Access
    from ravabet.workflow.engine import waiting_filter

    unanswered = make_survey(world.county_a, state=State.CLOSED, title="بی‌پاسخ")
    answered = make_survey(world.county_a, state=State.CLOSED, title="پاسخ‌گرفته")
    Survey.objects.filter(pk=answered.pk).update(responses_count=2)
    make_survey(world.county_a, state=State.REPORTED, title="گزارش‌شده")

    def waiting(user):
        return set(Survey.objects.filter(waiting_filter(Survey, Access(user))).values_list("title", flat=True))

    assert waiting(world.officer) == waiting(world.manager) == {"پاسخ‌گرفته"}
    assert unanswered.title not in waiting(world.officer)
    assert waiting(world.hq_head) == set() and waiting(world.outsider) == set()
    make_survey(world.hq, by=world.hq_expert, title="پیش‌نویس اداره کل")
    assert waiting(world.hq_head) == {"پیش‌نویس اداره کل"}
