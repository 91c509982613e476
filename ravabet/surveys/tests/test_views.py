import io
import itertools
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from ravabet.outbox.models import Notification
from ravabet.surveys.models import Audience, QuestionKind, Response, State, Survey
from ravabet.workflow.engine import move

from .factories import answer, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _form_data(survey, **override):
    q = {question.kind: question.pk for question in survey.questions.all()}
    data = {f"q{q[QuestionKind.SINGLE]}": "0", f"q{q[QuestionKind.MULTIPLE]}": ["1", "2"],
            f"q{q[QuestionKind.RATING]}": "5", f"q{q[QuestionKind.LONG]}": "پیشنهاد من"}
    data.update(override)
    return data


def test_officer_builds_a_survey_from_the_browser_forms(world, client_for):
    client = client_for("officer")
    response = client.post(reverse("surveys:create"), {"title": "رضایت از پاسخگویی", "intro": "",
                                                      "audience": "public", "opens_on": "1405/09/01",
                                                      "closes_on": "1405/09/30"})
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.unit == world.county_a and survey.state == State.DRAFT
    client.post(reverse("surveys:question_add", args=[survey.pk]),
                {"text": "راضی بودید؟", "kind": "single", "options": "بله\nخیر\n", "required": "on"})
    assert survey.questions.get().options == ["بله", "خیر"]


def test_bad_survey_dates_get_a_persian_message_and_keep_the_title(world, client_for):
    response = client_for("officer").post(reverse("surveys:create"), {
        "title": "عنوان نگه‌داشته", "audience": "public", "opens_on": "1405/09/10", "closes_on": "1405/09/01"})
    content = response.content.decode()
    assert response.status_code == 200 and "تاریخ پایان نمی‌تواند پیش از تاریخ شروع باشد" in content
    assert "عنوان نگه‌داشته" in content and not Survey.objects.exists()


def test_a_choice_question_with_one_option_is_refused_on_the_options_field(world, client_for):
    survey = make_survey(world.county_a)
    response = client_for("officer").post(reverse("surveys:question_add", args=[survey.pk]),
                                          {"text": "پرسش نگه‌داشته", "kind": "single", "options": "تنها"})
    content = response.content.decode()
    assert response.status_code == 200 and "دست‌کم دو گزینه" in content and "پرسش نگه‌داشته" in content


def _step(survey, name):
    return reverse("workflow:transition", args=["surveys.survey", survey.pk, name])


def test_officer_opens_and_closes_a_survey_with_the_state_buttons(world, client_for):
    survey = make_survey(world.county_a)
    client = client_for("officer")
    page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert _step(survey, "open") in page and _step(survey, "close") not in page
    client.post(_step(survey, "open"))
    survey.refresh_from_db()
    assert survey.state == State.OPEN and survey.opened_at
    page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert _step(survey, "close") in page and _step(survey, "open") not in page
    client.post(_step(survey, "close"))
    survey.refresh_from_db()
    assert survey.state == State.CLOSED


def test_hq_sees_no_state_buttons_on_a_countys_survey_and_is_refused(world, client_for):
    survey = make_survey(world.county_a)
    client = client_for("hq_head")
    assert "/workflow/" not in client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    response = client.post(_step(survey, "open"))
    assert response.status_code == 403 and "نقش شما" in response.content.decode()
    survey.refresh_from_db()
    assert survey.state == State.DRAFT


def test_staff_member_cannot_change_a_survey(world, client_for):
    survey = make_survey(world.county_a)
    response = client_for("staff").post(_step(survey, "open"))
    assert response.status_code == 404  # plain staff have no part in a survey's workflow
    survey.refresh_from_db()
    assert survey.state == State.DRAFT


def test_a_citizen_answers_once_per_browser(world, client):
    survey = make_survey(world.county_a, state=State.OPEN)
    url = reverse("surveys:public_answer", args=[survey.token])
    response = client.post(url, _form_data(survey))
    assert "پاسخ شما ثبت شد" in response.content.decode()
    assert Response.objects.filter(survey=survey, user=None).count() == 1
    again = client.post(url, _form_data(survey))
    assert "پیش‌تر به این نظرسنجی پاسخ داده‌اید" in again.content.decode()
    assert Response.objects.count() == 1


def test_a_missing_required_answer_keeps_the_other_answers(world, client):
    survey = make_survey(world.county_a, state=State.OPEN)
    rating = survey.questions.get(kind=QuestionKind.RATING)
    response = client.post(reverse("surveys:public_answer", args=[survey.token]),
                           _form_data(survey, **{f"q{rating.pk}": ""}))
    content = response.content.decode()
    assert "به این پرسش پاسخ دهید" in content and "پیشنهاد من" in content
    assert not Response.objects.exists()


def test_too_many_answers_from_one_address_are_slowed_down(world, client, monkeypatch):
    from ravabet.lib import ratelimit
    from ravabet.surveys import views

    # One minute window for the whole test, whatever the clock does meanwhile.
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_000.0)
    survey = make_survey(world.county_a, state=State.OPEN)
    url = reverse("surveys:public_answer", args=[survey.token])
    from django.test import Client

    for _ in range(views.ANSWER_LIMIT):
        Client().post(url, _form_data(survey))
    response = Client().post(url, _form_data(survey))
    assert "یک دقیقه صبر کنید" in response.content.decode()
    assert Response.objects.count() == views.ANSWER_LIMIT


def test_one_address_answers_a_survey_at_most_the_daily_cap_across_processes(world, settings, monkeypatch):
    """Issue 13 §3: the cap is counted by lib.ratelimit (the database here), not in one process's memory;
    spread over the day so the per-minute limit never bites, and another survey keeps its own cap."""
    from django.test import Client

    from ravabet.lib import ratelimit
    from ravabet.lib.models import RateCounter

    settings.RAVABET_SURVEY_ANSWERS_PER_DAY = 3
    day = 1_800_000_000 // 86400 * 86400
    ticks = itertools.count()
    monkeypatch.setattr(ratelimit.time, "time", lambda: float(day + 30 * next(ticks)))  # every call 30 s later
    survey = make_survey(world.county_a, state=State.OPEN)
    other = make_survey(world.county_a, state=State.OPEN, title="دیگری")
    for _ in range(3):
        Client().post(reverse("surveys:public_answer", args=[survey.token]), _form_data(survey))
    refused = Client().post(reverse("surveys:public_answer", args=[survey.token]), _form_data(survey))
    assert "امروز پاسخ‌های زیادی" in refused.content.decode()
    assert "پیشنهاد من" in refused.content.decode()  # what was typed is kept
    assert Response.objects.filter(survey=survey).count() == 3
    assert RateCounter.objects.filter(key__startswith="rl:surveys-answer-day").exists()
    Client().post(reverse("surveys:public_answer", args=[other.token]), _form_data(other))
    assert Response.objects.filter(survey=other).count() == 1


def test_an_invited_only_survey_refuses_its_public_link_but_takes_personal_links(world, client):
    from ravabet.surveys import services
    from ravabet.surveys.models import Invitation

    survey = make_survey(world.county_a, state=State.OPEN)
    Survey.objects.filter(pk=survey.pk).update(invited_only=True)
    survey.refresh_from_db()
    url = reverse("surveys:public_answer", args=[survey.token])
    page = client.get(url).content.decode()
    assert "فقط با پیوند شخصی" in page and "ثبت پاسخ" not in page
    client.post(url, _form_data(survey))
    assert not Response.objects.exists()
    with pytest.raises(ValidationError):
        services.response_submit(survey=survey, answers={})
    services.invite(survey=survey, by=world.officer, people=[("علی", "09121234567")])
    invitation = Invitation.objects.get()
    client.post(reverse("surveys:invited_answer", args=[invitation.token]), _form_data(survey))
    assert Response.objects.filter(survey=survey).count() == 1


def test_invited_only_is_for_public_surveys(world, client_for):
    response = client_for("officer").post(reverse("surveys:create"), {
        "title": "کارکنان", "audience": "staff", "invited_only": "on", "opens_on": "۱۴۰۵/۰۹/۰۱",
        "closes_on": "۱۴۰۵/۰۹/۳۰"})
    assert response.status_code == 200 and "برای نظرسنجی مردمی است" in response.content.decode()
    assert not Survey.objects.exists()


def test_an_unguessable_token_of_a_draft_survey_answers_404(world, client):
    survey = make_survey(world.county_a)
    assert client.get(reverse("surveys:public_answer", args=[survey.token])).status_code == 404
    assert client.get(reverse("surveys:public_answer", args=["not-a-token"])).status_code == 404


def test_staff_see_their_open_survey_and_answer_it_once(world, client_for):
    survey = make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN)
    client = client_for("staff")
    assert "در انتظار پاسخ شما" in client.get(reverse("surveys:mine")).content.decode()
    client.post(reverse("surveys:staff_answer", args=[survey.pk]), _form_data(survey))
    assert Response.objects.get().user == world.staff
    assert "پاسخ داده‌اید" in client.get(reverse("surveys:mine")).content.decode()
    client.post(reverse("surveys:staff_answer", args=[survey.pk]), _form_data(survey))
    assert Response.objects.count() == 1


def test_results_show_counts_percentages_and_chart_data(world, client_for):
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey, single=0, rating=5, text="متن آزاد شهروند")
    answer(survey, single=1, rating=3)
    content = client_for("manager").get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "۵۰٪" in content and "متن آزاد شهروند" in content and 'id="survey-chart-data"' in content
    assert "<script>" not in content.replace('<script id="survey-chart-data" type="application/json">', "")


def test_the_excel_export_has_one_row_per_response(world, client_for):
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey)
    answer(survey, single=1)
    response = client_for("officer").get(reverse("surveys:export", args=[survey.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3 and sheet.cell(1, 3).value == "واحد پاسخ‌دهنده" and sheet.cell(1, 4).value == "راضی بودید؟"


def test_the_results_pdf_is_a_pdf(world, client_for):
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey)
    response = client_for("hq_expert").get(reverse("surveys:pdf", args=[survey.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_sending_the_report_tells_the_manager_and_hq(world, client_for):
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey)
    client = client_for("officer")
    results = reverse("surveys:results", args=[survey.pk])
    assert _step(survey, "report") not in client.get(results).content.decode()
    move(survey, "close", by=world.officer)
    assert _step(survey, "report") in client.get(results).content.decode()
    response = client.post(_step(survey, "report"), {"next": results})
    assert response.status_code == 302 and response["Location"] == results
    assert Notification.objects.filter(user=world.manager).exists()
    assert Notification.objects.filter(user=world.hq_head).exists()
    assert not Notification.objects.filter(user=world.b_manager).exists()


def test_hq_sees_every_units_surveys_and_a_county_only_its_own(world, client_for):
    make_survey(world.county_a, title="نظرسنجی الف")
    make_survey(world.county_b, title="نظرسنجی ب")
    hq = client_for("hq_expert").get(reverse("surveys:list")).content.decode()
    assert "نظرسنجی الف" in hq and "نظرسنجی ب" in hq
    county = client_for("officer").get(reverse("surveys:list")).content.decode()
    assert "نظرسنجی الف" in county and "نظرسنجی ب" not in county


def test_the_list_runs_the_same_number_of_queries_for_3_and_for_30_surveys(world, client_for,
                                                                            django_assert_max_num_queries):
    client = client_for("hq_expert")
    url = reverse("surveys:list")
    for n in range(3):
        make_survey(world.county_a, title=f"ن{n}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(27):
        make_survey(world.county_b if n % 2 else world.county_a, title=f"م{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["page_obj"]) == 30


def test_the_qr_code_is_a_png(world, client_for):
    survey = make_survey(world.county_a, state=State.OPEN)
    response = client_for("officer").get(reverse("surveys:qr", args=[survey.pk]))
    assert response["Content-Type"] == "image/png" and response.content.startswith(b"\x89PNG")


def test_my_surveys_runs_the_same_number_of_queries_for_3_and_for_30_surveys(world, client_for,
                                                                             django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("staff")
    for n in range(3):
        answer(make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN, title=f"ک{n}"), user=world.staff)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("surveys:mine"))
    for n in range(27):
        make_survey(world.county_a, audience=Audience.STAFF, state=State.OPEN, title=f"ب{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("surveys:mine"))
    assert response.content.decode().count("در انتظار پاسخ شما") == 27


def test_behind_a_proxy_the_limit_counts_the_address_the_proxy_reports(world, settings, monkeypatch):
    from django.test import Client

    from ravabet.lib import ratelimit
    from ravabet.surveys import views

    settings.RAVABET_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_000.0)
    survey = make_survey(world.county_a, state=State.OPEN)
    url = reverse("surveys:public_answer", args=[survey.token])
    for n in range(views.ANSWER_LIMIT + 2):
        Client(HTTP_X_REAL_IP=f"10.0.0.{n + 1}").post(url, _form_data(survey))
    assert Response.objects.count() == views.ANSWER_LIMIT + 2


def test_hq_filters_the_surveys_whose_results_were_reported(world, client_for):
    make_survey(world.county_a, state=State.REPORTED, title="گزارش‌شده")
    make_survey(world.county_b, title="گزارش‌نشده")
    content = client_for("hq_head").get(reverse("surveys:list"), {"reported": "1"}).content.decode()
    assert "گزارش‌شده" in content and "گزارش‌نشده" not in content


def test_the_excel_export_goes_through_the_one_writer_with_ratings_as_numbers(world, client_for):
    """Issue 12 §6: right-to-left sheets with a frozen, filtered header; a rating is a number cell; a typed
    answer that looks like a formula stays text."""
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey, rating=4, text="=1+2")
    response = client_for("officer").get(reverse("surveys:export", args=[survey.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        assert sheet.sheet_view.rightToLeft and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    raw = workbook["پاسخ‌ها"]
    headers = [cell.value for cell in raw[1]]
    rating = raw.cell(2, headers.index("امتیاز شما؟") + 1)
    assert rating.value == 4 and rating.data_type == "n"
    typed = raw.cell(2, headers.index("پیشنهاد؟") + 1)
    assert typed.value == "=1+2" and typed.data_type == "s"
    ratings = list(workbook["امتیازی"].values)[1:]
    assert ratings and all(isinstance(row[2], int) and isinstance(row[4], int | float) for row in ratings)
    assert isinstance(raw.cell(2, 1).value, int)  # the row number
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", raw.cell(2, 2).value)  # Jalali, Latin digits
