"""Issue 17: new question kinds, conditions checked when a survey opens, personal invitations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from ravabet.lib import jalali
from ravabet.outbox.models import OutboxMessage
from ravabet.surveys import services
from ravabet.surveys.models import Answer, Audience, Invitation, QuestionKind, State
from ravabet.workflow.engine import TransitionRefused, move

from .factories import officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _draft(world):
    today = jalali.today()
    return services.survey_create(unit=world.county_a, by=world.officer, title="کیفیت خدمت", intro="",
                                  audience=Audience.PUBLIC, opens_on=today, closes_on=today + dt.timedelta(days=5))


def _build(world):
    """A survey with: single (visited?), a matrix shown only for «بله», a number, a date and a ranking."""
    survey = _draft(world)
    add = dict(survey=survey, by=world.officer)
    visited = services.question_add(**add, kind=QuestionKind.SINGLE, text="به دفتر آمدید؟", required=True,
                                    options=["بله", "خیر"])
    matrix = services.question_add(**add, kind=QuestionKind.MATRIX, text="این‌ها را امتیاز دهید", required=True,
                                   options=[], rows=["پاکیزگی", "رفتار کارکنان"], show_if=visited,
                                   show_if_values=[0])
    number = services.question_add(**add, kind=QuestionKind.NUMBER, text="چند بار آمدید؟", required=False,
                                   options=[])
    date = services.question_add(**add, kind=QuestionKind.DATE, text="آخرین بار کی؟", required=False, options=[])
    ranking = services.question_add(**add, kind=QuestionKind.RANKING, text="کدام مهم‌تر است؟", required=False,
                                    options=["سرعت", "ادب", "دقت"])
    return survey, visited, matrix, number, date, ranking


def test_new_kinds_are_stored_as_numbers_dates_cells_and_ranks(world):
    survey, visited, matrix, number, date, ranking = _build(world)
    move(survey, "open", by=world.officer)
    response = services.response_submit(survey=survey, answers={
        visited.pk: 0, matrix.pk: {0: 5, 1: 3}, number.pk: Decimal("2.5"), date.pk: dt.date(2026, 11, 20),
        ranking.pk: {0: 2, 1: 1, 2: 3}})
    answers = Answer.objects.filter(response=response)
    assert sorted(answers.filter(question=matrix).values_list("row", "value")) == [(0, 5), (1, 3)]
    assert answers.get(question=number).number == Decimal("2.5")
    assert answers.get(question=date).date == dt.date(2026, 11, 20)
    assert sorted(answers.filter(question=ranking).values_list("row", "value")) == [(0, 2), (1, 1), (2, 3)]


def test_a_hidden_question_is_not_required_and_its_answers_are_dropped(world):
    survey, visited, matrix, *_ = _build(world)
    move(survey, "open", by=world.officer)
    with pytest.raises(ValidationError, match="الزامی"):
        services.response_submit(survey=survey, answers={visited.pk: 0})
    response = services.response_submit(survey=survey, answers={visited.pk: 1, matrix.pk: {0: 5, 1: 5}})
    assert not Answer.objects.filter(response=response, question=matrix).exists()


def test_a_ranking_with_two_equal_ranks_is_refused(world):
    survey, visited, matrix, number, date, ranking = _build(world)
    move(survey, "open", by=world.officer)
    with pytest.raises(ValidationError, match="جدا بدهید"):
        services.response_submit(survey=survey, answers={visited.pk: 1, ranking.pk: {0: 1, 1: 1, 2: 2}})


def test_a_condition_on_a_later_or_open_question_is_refused_and_checked_again_when_opening(world):
    survey, visited, matrix, number, *_ = _build(world)
    with pytest.raises(ValidationError) as error:
        services.question_update(question=visited, by=world.officer, kind=QuestionKind.SINGLE, text=visited.text,
                                 required=True, options=["بله", "خیر"], show_if=number, show_if_values=[0])
    assert "show_if" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.question_add(survey=survey, by=world.officer, kind=QuestionKind.SHORT, text="چرا؟", required=False,
                              options=[], show_if=number, show_if_values=[1])
    assert "show_if" in error.value.message_dict
    # Moving the conditional question above the one it tests makes the survey refuse to open.
    services.question_move(question=matrix, by=world.officer, up=True)
    with pytest.raises(TransitionRefused, match="شرط"):
        move(survey, "open", by=world.officer)
    services.question_move(question=matrix, by=world.officer, up=False)
    assert move(survey, "open", by=world.officer).state == State.OPEN


def test_matrix_needs_rows_and_ranking_two_options(world):
    survey = _draft(world)
    with pytest.raises(ValidationError) as error:
        services.question_add(survey=survey, by=world.officer, kind=QuestionKind.MATRIX, text="جدول", required=True,
                              options=[], rows=[])
    assert "rows" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.question_add(survey=survey, by=world.officer, kind=QuestionKind.RANKING, text="رتبه",
                              required=True, options=["یک"])
    assert "options" in error.value.message_dict


def test_builder_adds_a_conditional_matrix_from_the_form_and_the_answer_page_shows_it(world, client_for):
    survey = _draft(world)
    visited = services.question_add(survey=survey, by=world.officer, kind=QuestionKind.SINGLE, text="آمدید؟",
                                    required=True, options=["بله", "خیر"])
    client = client_for("officer")
    response = client.post(reverse("surveys:question_add", args=[survey.pk]), {
        "text": "امتیاز دهید", "kind": "matrix", "rows": "پاکیزگی\nرفتار", "required": "on",
        "condition": [f"{visited.pk}:0"]})
    assert response.status_code == 302
    matrix = survey.questions.get(kind=QuestionKind.MATRIX)
    assert (matrix.show_if, matrix.show_if_values, matrix.rows) == (visited, [0], ["پاکیزگی", "رفتار"])
    move(survey, "open", by=world.officer)
    page = client.get(reverse("surveys:public_answer", args=[survey.token])).content.decode()
    assert f'data-show-if="q{visited.pk}"' in page and "پاکیزگی" in page
    # Persian digits in a number, a Jalali date; a required matrix row left empty is named on its row.
    bad = client.post(reverse("surveys:public_answer", args=[survey.token]),
                      {f"q{visited.pk}": "0", f"q{matrix.pk}_r0": "4"})
    assert "به این سطر امتیاز دهید" in bad.content.decode() and not survey.responses.exists()
    good = client.post(reverse("surveys:public_answer", args=[survey.token]),
                       {f"q{visited.pk}": "0", f"q{matrix.pk}_r0": "4", f"q{matrix.pk}_r1": "5"})
    assert good.status_code == 200 and survey.responses.count() == 1


def test_number_typed_in_persian_digits_and_a_bad_number_keeps_the_text(world, client):
    survey = _draft(world)
    number = services.question_add(survey=survey, by=world.officer, kind=QuestionKind.NUMBER, text="چند؟",
                                   required=True, options=[])
    date = services.question_add(survey=survey, by=world.officer, kind=QuestionKind.DATE, text="کی؟",
                                 required=True, options=[])
    move(survey, "open", by=world.officer)
    url = reverse("surveys:public_answer", args=[survey.token])
    bad = client.post(url, {f"q{number.pk}": "دوازده", f"q{date.pk}": "۱۴۰۵/۱۳/۰۱"}).content.decode()
    assert "یک عدد بنویسید" in bad and "دوازده" in bad
    client.post(url, {f"q{number.pk}": "۱۲٫۵", f"q{date.pk}": "۱۴۰۵/۰۹/۰۱"})
    assert Answer.objects.get(question=number).number == Decimal("12.5")
    assert Answer.objects.get(question=date).date == jalali.parse_date("1405/09/01")


# --- Invitations -------------------------------------------------------------------------------------------

def _open(world):
    from .factories import make_survey

    return make_survey(world.county_a, state=State.OPEN)


def test_invitations_send_absolute_personal_links_once_per_address(world, settings):
    settings.SITE_URL = "https://ravabet.example.ir"
    survey = _open(world)
    sent, skipped = services.invite(survey=survey, by=officer_of(world.county_a), people=[
        ("علی", "۰۹۱۲ ۱۲۳ ۴۵۶۷"), ("مریم", "maryam@example.ir"), ("", "+989121234567")])
    assert (sent, skipped) == (2, 1)
    sms = OutboxMessage.objects.get(channel="sms")
    invitation = Invitation.objects.get(address="09121234567")
    assert sms.recipient == "09121234567"
    assert f"https://ravabet.example.ir/public/surveys/i/{invitation.token}/" in sms.body
    mail = OutboxMessage.objects.get(channel="email")
    assert mail.recipient == "maryam@example.ir" and "https://ravabet.example.ir/" in mail.body
    # A double submit sends nothing twice.
    assert services.invite(survey=survey, by=officer_of(world.county_a), people=[("علی", "09121234567")]) == (0, 1)


def test_a_personal_link_answers_once_and_the_rate_and_reminders_follow(world, client):
    survey = _open(world)
    officer = officer_of(world.county_a)
    services.invite(survey=survey, by=officer, people=[("علی", "09121234567"), ("رضا", "09121234568")])
    first = Invitation.objects.get(address="09121234567")
    q = {question.kind: question.pk for question in survey.questions.all()}
    data = {f"q{q[QuestionKind.SINGLE]}": "0", f"q{q[QuestionKind.RATING]}": "4"}
    url = reverse("surveys:invited_answer", args=[first.token])
    assert "سپاسگزاریم" in client.post(url, data).content.decode()
    client.cookies.clear()
    again = client.post(url, data).content.decode()
    assert "پیش‌تر پاسخ داده شده" in again and survey.responses.count() == 1
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="پاسخ داده شده"):
        services.response_submit(survey=survey, answers={q[QuestionKind.SINGLE]: 0, q[QuestionKind.RATING]: 3},
                                 invitation=Invitation.objects.get(pk=first.pk))
    assert services.response_rate(survey) == {"invited": 2, "answered": 1, "percent": 50.0}
    assert services.remind(survey=survey, by=officer) == 1
    assert services.remind(survey=survey, by=officer) == 0  # once a day
    reminder = OutboxMessage.objects.filter(recipient="09121234568").order_by("pk").last()
    assert "یادآوری" in reminder.body


def test_invite_page_takes_an_uploaded_list_and_names_bad_lines(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    survey = _open(world)
    client = client_for("officer")
    url = reverse("surveys:invite", args=[survey.pk])
    bad = client.post(url, {"source": "list", "people": "علی، ۰۹۱۲\nرضا، 09121234568"}).content.decode()
    assert "علی، ۰۹۱۲" in bad and not Invitation.objects.exists()
    upload = SimpleUploadedFile("list.csv", "نام,همراه\nزهرا,09351234567\n".encode("utf-8-sig"))
    response = client.post(url, {"source": "list", "people": "", "file": upload})
    assert response.status_code == 302
    assert Invitation.objects.get().address == "09351234567"
    page = client.get(url).content.decode()
    assert "نرخ پاسخ" in page and "زهرا" in page


def test_invite_to_staff_directory(world, client_for):
    from ravabet.offices.models import Person

    survey = _open(world)
    Person.objects.create(unit=world.county_a, full_name="کارمند بی‌حساب", mobile="09131112233")
    client = client_for("officer")
    client.post(reverse("surveys:invite", args=[survey.pk]), {"source": "staff"})
    assert Invitation.objects.filter(survey=survey, address="09131112233", source="staff").exists()


# --- Results: filters, cross-tab, Excel, PDF -----------------------------------------------------------------

def _answered(world):
    survey, visited, matrix, number, date, ranking = _build(world)
    move(survey, "open", by=world.officer)
    services.response_submit(survey=survey, answers={visited.pk: 0, matrix.pk: {0: 5, 1: 4}, number.pk: Decimal(3),
                                                     ranking.pk: {0: 1, 1: 2, 2: 3}})
    services.response_submit(survey=survey, answers={visited.pk: 0, matrix.pk: {0: 3, 1: 2}, number.pk: Decimal(1)})
    services.response_submit(survey=survey, answers={visited.pk: 1, number.pk: Decimal("0.5")})
    return survey, visited, matrix, number, date, ranking


def test_results_filter_by_a_closed_answer_and_a_crosstab_counts_both(world, client_for):
    from ravabet.surveys import selectors

    survey, visited, matrix, number, *_ = _answered(world)
    flt, errors = selectors.read_filter(survey, {f"f{visited.pk}": "0", "from": "۱۴۰۰/۰۱/۰۱"})
    assert not errors and flt.answers == {visited.pk: 0}
    entries = {e["question"].pk: e for e in selectors.results(survey, flt)}
    assert entries[matrix.pk]["matrix"][0]["average"] == 4.0
    assert [label for label, _ in entries[number.pk]["summary"]] == ["میانگین", "کمینه", "بیشینه"]
    cross = selectors.crosstab(survey, visited, visited)
    assert cross["cells"] == [[2, 0], [0, 1]] and cross["total"] == 3
    client = client_for("officer")
    page = client.get(reverse("surveys:results", args=[survey.pk]),
                      {f"f{visited.pk}": "0", "x": visited.pk, "y": visited.pk}).content.decode()
    assert "۲ پاسخ از ۳" in page and "دو پرسش گزینه‌ای" in page  # the same question twice is refused
    bad = client.get(reverse("surveys:results", args=[survey.pk]), {"from": "۱۴۰۵/۱۵/۰۱"}).content.decode()
    assert "is-invalid" in bad and "۱۴۰۵/۱۵/۰۱" in bad


def test_the_crosstab_of_two_questions_shows_on_the_page(world, client_for):
    survey = _draft(world)
    a = services.question_add(survey=survey, by=world.officer, kind=QuestionKind.SINGLE, text="جنس", required=True,
                              options=["زن", "مرد"])
    b = services.question_add(survey=survey, by=world.officer, kind=QuestionKind.RATING, text="امتیاز",
                              required=True, options=[])
    move(survey, "open", by=world.officer)
    for sex, rating in ((0, 5), (0, 5), (1, 2)):
        services.response_submit(survey=survey, answers={a.pk: sex, b.pk: rating})
    from ravabet.surveys import selectors

    cross = selectors.crosstab(survey, a, b)
    assert cross["cells"] == [[0, 0, 0, 0, 2], [0, 1, 0, 0, 0]]
    page = client_for("officer").get(reverse("surveys:results", args=[survey.pk]), {"x": a.pk, "y": b.pk})
    assert 'id="crosstab"' in page.content.decode() and "survey-crosstab-data" in page.content.decode()


def test_excel_keeps_numbers_as_numbers_with_a_sheet_per_kind_and_follows_the_filter(world, client_for):
    import io

    from openpyxl import load_workbook

    survey, visited, matrix, number, *_ = _answered(world)
    client = client_for("officer")
    data = client.get(reverse("surveys:export", args=[survey.pk]), {f"f{visited.pk}": "0"}).content
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[:1] == ["پاسخ‌ها"] and {"گزینه‌ای", "جدولی", "رتبه‌بندی", "عددی و تاریخ"} <= set(
        workbook.sheetnames)
    raw = list(workbook["پاسخ‌ها"].values)
    assert len(raw) == 3  # header + the two responses that answered «بله»
    headers = raw[0]
    cell = raw[1][headers.index("این‌ها را امتیاز دهید — پاکیزگی")]
    assert cell == 5 and isinstance(cell, int)
    assert isinstance(raw[1][headers.index("چند بار آمدید؟")], (int, float))
    counts = list(workbook["گزینه‌ای"].values)[1:]
    assert all(isinstance(row[2], int) for row in counts)


def test_the_pdf_names_the_filter_it_reflects(world, client_for, monkeypatch):
    from ravabet.surveys import views

    survey, visited, *_ = _answered(world)
    seen = {}

    def fake(template, context):
        seen.update(context)
        return b"%PDF-1.4"

    monkeypatch.setattr(views, "render_pdf", fake)
    response = client_for("officer").get(reverse("surveys:pdf", args=[survey.pk]), {f"f{visited.pk}": "1"})
    assert response.status_code == 200 and seen["shown"] == 1
    assert seen["filter_words"] == ["«به دفتر آمدید؟» = خیر"]


def test_every_link_the_survey_sends_or_prints_is_absolute_on_site_url(world, client_for, settings):
    from .factories import answer, make_survey

    settings.SITE_URL = "https://ravabet.example.ir"
    survey = make_survey(world.county_a, state=State.OPEN)
    page = client_for("officer").get(reverse("surveys:share", args=[survey.pk])).content.decode()
    assert f"https://ravabet.example.ir/public/surveys/{survey.token}/" in page
    answer(survey)
    move(survey, "close", by=world.officer)
    from ravabet.offices.models import User

    User.objects.filter(pk=world.manager.pk).update(email="manager@example.ir")
    move(survey, "report", by=world.officer)
    mail = OutboxMessage.objects.get(channel="email", recipient="manager@example.ir")
    assert f"https://ravabet.example.ir/surveys/{survey.pk}/results/" in mail.body
    for message in OutboxMessage.objects.filter(source__startswith="surveys"):
        for word in message.body.split():
            if "/surveys/" in word:
                assert word.startswith("https://ravabet.example.ir/"), word


# --- Pages with conditions, invitations to groups and units, the unit filter (issue 17 §1-3) ------------------

def _paged(world):
    """visited (single) → page «درباره‌ی دفتر» shown only for «بله» holding a required rating → a last
    question on no condition after a second, unconditional page."""
    survey = _draft(world)
    add = dict(survey=survey, by=world.officer)
    visited = services.question_add(**add, kind=QuestionKind.SINGLE, text="به دفتر آمدید؟", required=True,
                                    options=["بله", "خیر"])
    page = services.question_add(**add, kind=QuestionKind.PAGE, text="درباره‌ی دفتر", required=True, options=["x"],
                                 show_if=visited, show_if_values=[0])
    rating = services.question_add(**add, kind=QuestionKind.RATING, text="برخورد کارکنان", required=True, options=[])
    services.question_add(**add, kind=QuestionKind.PAGE, text="پایان", required=False, options=[])
    last = services.question_add(**add, kind=QuestionKind.SHORT, text="سخن پایانی", required=False, options=[])
    return survey, visited, page, rating, last


def test_a_page_condition_hides_every_question_on_the_page_and_the_page_is_not_a_question(world, client):
    survey, visited, page, rating, last = _paged(world)
    assert page.required is False and page.options == []
    move(survey, "open", by=world.officer)
    # «خیر»: the page is hidden, its required rating is not asked and an answer to it is dropped.
    services.response_submit(survey=survey, answers={visited.pk: 1, rating.pk: 5, last.pk: "هیچ"})
    assert not Answer.objects.filter(question=rating).exists()
    assert Answer.objects.get(question=last).text == "هیچ"
    # «بله»: the page shows and its rating is required.
    with pytest.raises(ValidationError, match="برخورد کارکنان"):
        services.response_submit(survey=survey, answers={visited.pk: 0})
    url = reverse("surveys:public_answer", args=[survey.token])
    html = client.get(url).content.decode()
    assert f'<section class="survey-page" id="question-{page.pk}"' in html
    assert f'data-show-if="q{visited.pk}" data-show-values="0"' in html
    assert "۲. برخورد کارکنان" in html and "۳. سخن پایانی" in html  # page breaks are not numbered
    refused = client.post(url, {f"q{visited.pk}": "0"}).content.decode()
    assert "به این پرسش پاسخ دهید" in refused
    from ravabet.surveys import selectors

    assert page.pk not in [entry["question"].pk for entry in selectors.results(survey)]
    headers, _ = selectors.raw_rows(survey)
    assert "درباره‌ی دفتر" not in headers


def test_a_page_condition_on_a_later_question_is_refused_when_opening(world):
    survey, visited, page, rating, last = _paged(world)
    from ravabet.surveys.models import Question, condition_problems

    Question.objects.filter(pk=page.pk).update(show_if=rating, show_if_values=[5])
    problems = condition_problems(survey)
    assert problems and "درباره‌ی دفتر" in problems[0]
    with pytest.raises(TransitionRefused):
        move(survey, "open", by=world.officer)


def test_invite_a_staff_group_and_hq_invites_the_staff_of_chosen_units(world, client_for):
    from ravabet.messaging.models import StaffGroup
    from ravabet.offices.models import Person

    survey = _open(world)
    team = StaffGroup.objects.create(unit=world.county_a, name="کارکنان پیشخوان")
    team.members.add(Person.objects.create(unit=world.county_a, full_name="عضو گروه", mobile="09131112244"))
    Person.objects.create(unit=world.county_a, full_name="بیرون از گروه", mobile="09131112255")
    StaffGroup.objects.create(unit=world.county_b, name="گروه شهرستان دیگر")
    client = client_for("officer")
    url = reverse("surveys:invite", args=[survey.pk])
    page = client.get(url).content.decode()
    assert "کارکنان پیشخوان" in page and "گروه شهرستان دیگر" not in page  # groups of the survey's reach only
    assert client.post(url, {"source": "group", "group": ""}).status_code == 200  # no group chosen
    client.post(url, {"source": "group", "group": team.pk})
    invitation = Invitation.objects.get(survey=survey)
    assert (invitation.address, invitation.source, invitation.unit) == ("09131112244", "group", world.county_a)

    today = jalali.today()
    hq_survey = services.survey_create(unit=world.hq, by=world.users["hq_expert"], title="رضایت کارکنان استان",
                                       intro="", audience=Audience.PUBLIC, opens_on=today,
                                       closes_on=today + dt.timedelta(days=5))
    services.question_add(survey=hq_survey, by=world.users["hq_expert"], kind=QuestionKind.RATING, text="رضایت",
                          required=True, options=[])
    move(hq_survey, "open_hq", by=world.users["hq_expert"])
    Person.objects.create(unit=world.county_b, full_name="کارمند ب", mobile="09131112266")
    hq = client_for("hq_expert")
    response = hq.post(reverse("surveys:invite", args=[hq_survey.pk]),
                       {"source": "staff", "units": [world.county_a.pk, world.county_b.pk]})
    assert response.status_code == 302
    invited = Invitation.objects.filter(survey=hq_survey)
    assert invited.filter(unit=world.county_b, address="09131112266").exists()
    assert not invited.filter(unit=world.hq).exists()  # HQ's own staff were not chosen


def test_results_filter_by_the_respondents_unit(world, client_for, django_assert_max_num_queries):
    from ravabet.surveys import selectors
    from ravabet.surveys.models import Response

    today = jalali.today()
    hq_user = world.users["hq_expert"]
    survey = services.survey_create(unit=world.hq, by=hq_user, title="رضایت کارکنان استان", intro="",
                                    audience=Audience.PUBLIC, opens_on=today, closes_on=today + dt.timedelta(days=5))
    rating = services.question_add(survey=survey, by=hq_user, kind=QuestionKind.RATING, text="رضایت",
                                   required=True, options=[])
    move(survey, "open_hq", by=hq_user)
    services.invite(survey=survey, by=hq_user, people=[("الف", "09121110001", world.county_a.pk),
                                                        ("ب", "09121110002", world.county_b.pk),
                                                        ("ب۲", "09121110003", world.county_b.pk)])
    for invitation, value in zip(Invitation.objects.order_by("pk"), (5, 2, 1), strict=True):
        services.response_submit(survey=survey, answers={rating.pk: value}, invitation=invitation)
    services.response_submit(survey=survey, answers={rating.pk: 3})  # the public link: no unit
    assert Response.objects.filter(survey=survey, unit=world.county_b).count() == 2
    flt, errors = selectors.read_filter(survey, {"unit": str(world.county_b.pk)})
    assert not errors and selectors.responses_for(survey, flt).count() == 2
    assert selectors.read_filter(survey, {"unit": "999999"})[1] == {"unit": "واحدی از فهرست برگزینید."}
    client = client_for("hq_expert")
    url = reverse("surveys:results", args=[survey.pk])
    with django_assert_max_num_queries(40):
        page = client.get(url, {"unit": "".join("۰۱۲۳۴۵۶۷۸۹"[int(d)] for d in str(world.county_b.pk))})
    html = page.content.decode()
    assert "۲ پاسخ از ۴" in html and "واحد پاسخ‌دهنده: اداره شهرستان ب" in html
    assert f"unit={world.county_b.pk}" in html  # the Excel and PDF links carry the unit
    headers, rows = selectors.raw_rows(survey, flt)
    assert headers[2] == "واحد پاسخ‌دهنده" and {row[2] for row in rows} == {"اداره شهرستان ب"}


def test_a_staff_member_answer_counts_for_their_unit(world):
    from ravabet.surveys.models import Response

    survey = services.survey_create(unit=world.county_a, by=world.officer, title="کارکنان", intro="",
                                    audience=Audience.STAFF, opens_on=jalali.today(),
                                    closes_on=jalali.today() + dt.timedelta(days=3))
    rating = services.question_add(survey=survey, by=world.officer, kind=QuestionKind.RATING, text="رضایت",
                                   required=True, options=[])
    move(survey, "open", by=world.officer)
    services.response_submit(survey=survey, answers={rating.pk: 4}, user=world.users["staff"])
    assert Response.objects.get().unit == world.county_a


def test_the_invite_page_runs_the_same_number_of_queries_for_2_and_for_40_invitations(
        world, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ravabet.messaging.models import StaffGroup

    survey = _open(world)
    client = client_for("officer")
    url = reverse("surveys:invite", args=[survey.pk])
    services.invite(survey=survey, by=world.officer, people=[("الف", "09120000001"), ("ب", "09120000002")])
    StaffGroup.objects.create(unit=world.county_a, name="گروه ۱")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    services.invite(survey=survey, by=world.officer,
                    people=[(f"نفر {n}", f"0912100{n:04d}", world.county_a.pk) for n in range(38)])
    for n in range(2, 6):
        StaffGroup.objects.create(unit=world.county_a, name=f"گروه {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["page_obj"]) == 40


def test_citizens_are_invited_only_with_their_consent_and_can_withdraw_it(world, client, client_for, settings):
    """Issue 17 §2: a citizen ticks the consent after answering a public survey; the next survey of the
    unit invites them with a one-time link and a withdrawal link; after withdrawing nobody reminds them."""
    from ravabet.surveys.models import Panelist

    settings.SITE_URL = "https://ravabet.example.ir"
    survey = _open(world)
    q = {question.kind: question.pk for question in survey.questions.all()}
    join = reverse("surveys:panel_join", args=[survey.token])
    assert client.post(join, {"mobile": "09121234567", "consent": "on"}).status_code == 404  # not answered here
    thanks = client.post(reverse("surveys:public_answer", args=[survey.token]),
                         {f"q{q[QuestionKind.SINGLE]}": "0", f"q{q[QuestionKind.RATING]}": "4"}).content.decode()
    assert 'id="panel-form"' in thanks
    refused = client.post(join, {"mobile": "۰۹۱۲ ۱۲۳ ۴۵۶۷"})
    assert refused.status_code == 400 and "رضایت خود" in refused.content.decode()
    assert "۰۹۱۲ ۱۲۳ ۴۵۶۷" in refused.content.decode() and not Panelist.objects.exists()
    assert "panel-joined" in client.post(join, {"mobile": "۰۹۱۲ ۱۲۳ ۴۵۶۷", "consent": "on"}).content.decode()
    panelist = Panelist.objects.get()
    assert (panelist.unit, panelist.mobile) == (world.county_a, "09121234567")

    from .factories import make_survey

    later = make_survey(world.county_a, state=State.OPEN, title="نظرسنجی بعدی")
    response = client_for("officer").post(reverse("surveys:invite", args=[later.pk]), {"source": "panel"})
    assert response.status_code == 302
    sms = OutboxMessage.objects.get(recipient="09121234567", source="surveys")
    assert "https://ravabet.example.ir/public/surveys/i/" in sms.body
    withdraw = f"https://ravabet.example.ir/public/surveys/panel/{panelist.token}/withdraw/"
    assert withdraw in sms.body
    path = withdraw.removeprefix("https://ravabet.example.ir")
    assert "انصراف از دعوت‌ها" in client.get(path).content.decode()  # a preview of the link changes nothing
    panelist.refresh_from_db()
    assert panelist.withdrawn_at is None
    assert "panel-withdrawn" in client.post(path).content.decode()
    assert services.panel_recipients([world.county_a]) == []
    assert services.remind(survey=later, by=world.officer) == 0  # no reminder after withdrawing



@pytest.mark.parametrize("ticked", [True, False])
def test_the_complaint_form_tick_box_puts_the_citizen_in_the_panel_only_when_ticked(
        world, client, client_for, monkeypatch, settings, ticked):
    """Issue 17 §2 ("citizens' mobiles from complaints with consent"): the public complaint form asks,
    unticked by default, whether the citizen may be invited to surveys and says how to withdraw; ticked,
    the case's mobile joins the unit's panel and the next survey invites it; unticked, it does not."""
    from captcha.conf import settings as captcha_settings

    from ravabet.complaints.models import Case
    from ravabet.complaints.tests.helpers import public_data
    from ravabet.surveys.models import Panelist

    from .factories import make_survey

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    settings.SITE_URL = "https://ravabet.example.ir"
    form = client.get(reverse("complaints:public_new")).content.decode()
    box = form[form.index('name="survey_consent"') - 200:form.index('name="survey_consent"') + 200]
    assert 'type="checkbox"' in box and "checked" not in box
    assert "انصراف" in form and "نظرسنجی" in form  # what the tick means and how to withdraw, in Persian
    data = public_data(world.county_a, citizen_mobile="۰۹۱۲۷۶۵۴۳۲۱")
    if ticked:
        data["survey_consent"] = "on"
    assert client.post(reverse("complaints:public_new"), data).status_code == 302
    assert Case.objects.get().citizen_mobile == "09127654321"
    later = make_survey(world.county_a, state=State.OPEN, title="نظرسنجی پس از شکایت")
    assert client_for("officer").post(reverse("surveys:invite", args=[later.pk]), {"source": "panel"}).status_code in (
        200, 302)
    invited = OutboxMessage.objects.filter(recipient="09127654321", source="surveys")
    if ticked:
        assert Panelist.objects.get().unit == world.county_a
        assert services.panel_recipients([world.county_a]) == [("", "09127654321", world.county_a.pk)]
        assert invited.count() == 1 and "https://ravabet.example.ir/public/surveys/i/" in invited.get().body
    else:
        assert not Panelist.objects.exists() and services.panel_recipients([world.county_a]) == []
        assert not invited.exists()


def test_the_complaint_form_consent_without_a_mobile_is_refused_on_the_box(world, client, monkeypatch):
    from captcha.conf import settings as captcha_settings

    from ravabet.complaints.models import Case
    from ravabet.complaints.tests.helpers import public_data

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    response = client.post(reverse("complaints:public_new"),
                           public_data(world.county_a, citizen_mobile="", survey_consent="on"))
    assert response.status_code == 200 and not Case.objects.exists()
    assert "شماره همراه را بنویسید" in str(response.context["form"].errors["survey_consent"])
    assert "چاله در جاده روستا" in response.content.decode()  # what was typed is kept


def test_a_cycle_of_conditions_or_a_question_on_itself_is_refused_when_opening(world):
    """Issue 17 §1: conditions are checked when the survey opens; two questions shown only for each other's
    answer (forced past the builder's checks) or a question shown for its own answer keep it closed."""
    from ravabet.surveys.models import Question, condition_problems

    survey, visited, *_ = _build(world)
    second = services.question_add(survey=survey, by=world.officer, kind=QuestionKind.SINGLE, text="از کدام در؟",
                                   required=False, options=["شمالی", "جنوبی"], show_if=visited, show_if_values=[0])
    Question.objects.filter(pk=visited.pk).update(show_if=second, show_if_values=[0])
    problems = condition_problems(survey)
    assert len(problems) == 1 and "پس از خودش" in problems[0] and "۱" in problems[0]
    with pytest.raises(TransitionRefused, match="شرط"):
        move(survey, "open", by=world.officer)
    Question.objects.filter(pk=visited.pk).update(show_if=None, show_if_values=[])
    Question.objects.filter(pk=second.pk).update(show_if=second)
    assert len(condition_problems(survey)) == 1
    with pytest.raises(TransitionRefused):
        move(survey, "open", by=world.officer)
    survey.refresh_from_db()
    assert survey.state == State.DRAFT


def test_results_filter_by_date_keeps_the_answers_of_those_days(world, client_for):
    """Issue 17 §3: the date filter (Jalali, any digits) keeps the responses given in those days."""
    from django.utils import timezone

    from ravabet.surveys import selectors
    from ravabet.surveys.models import Response

    survey, visited, *_ = _answered(world)
    old = Response.objects.filter(survey=survey).order_by("pk").first()
    Response.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    today = jalali.format_date(jalali.today())
    flt, errors = selectors.read_filter(survey, {"from": today})
    assert not errors and set(selectors.responses_for(survey, flt)) == set(Response.objects.exclude(pk=old.pk))
    page = client_for("officer").get(reverse("surveys:results", args=[survey.pk]), {"from": today})
    assert "۲ پاسخ از ۳" in page.content.decode()
    earlier = jalali.format_date(jalali.today() - dt.timedelta(days=10))
    flt, _ = selectors.read_filter(survey, {"to": earlier})
    assert list(selectors.responses_for(survey, flt)) == [old]


def test_invite_page_takes_an_excel_list_with_a_title_row_and_numbers_stored_as_numbers(world, client_for):
    """Issue 17 §2 (an uploaded list): an office's Excel sheet — a merged title row, «نام» and «شماره همراه»
    columns, a mobile kept as a number without its 0, an e-mail column — is read like a typed list; a file
    that is not a workbook is refused on the file box."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    survey = _open(world)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["فهرست ارباب رجوع دفتر پیشخوان"])
    sheet.merge_cells("A1:C1")
    sheet.append(["نام", "شماره همراه", "رایانامه"])
    sheet.append(["زهرا کریمی", 9351234567, ""])
    sheet.append(["رضا نوروزی", "", "reza@example.ir"])
    sheet.append([None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for("officer")
    url = reverse("surveys:invite", args=[survey.pk])
    upload = SimpleUploadedFile("list.xlsx", buffer.getvalue())
    assert client.post(url, {"source": "list", "people": "", "file": upload}).status_code == 302
    assert sorted(Invitation.objects.values_list("name", "address", "channel")) == [
        ("رضا نوروزی", "reza@example.ir", "email"), ("زهرا کریمی", "09351234567", "sms")]
    broken = client.post(url, {"source": "list", "people": "", "file": SimpleUploadedFile("list.xlsx", b"not a zip")})
    assert broken.status_code == 200 and "xlsx" in str(broken.context["form"].errors["file"])
