import datetime as dt
import io
from urllib.parse import quote

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ravabet.lib import idempotency, jalali, ratelimit
from ravabet.lib.actions import errors_to_form as _errors_to_form
from ravabet.lib.actions import save_form
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.excel import XLSX, xlsx_response
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.messaging.models import StaffGroup
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.roles import ALL_ROLES, WORK_ROLES

from . import selectors, services
from .forms import AnswerForm, InviteForm, PanelForm, QuestionForm, SurveyForm
from .models import (
    Audience,
    Invitation,
    Panelist,
    Question,
    QuestionKind,
    Response,
    State,
    Survey,
    condition_problems,
    report_recipients,
)

ANSWER_LIMIT = 10  # public answers per minute per address
COOKIE_SALT = "surveys.answered"
COOKIE_AGE = 365 * 24 * 3600
PUBLIC_ANSWER = "surveys.public_answer"  # idempotency scopes of the answer forms
STAFF_ANSWER = "surveys.staff_answer"
INVITED_ANSWER = "surveys.invited_answer"


def _survey(request, pk, roles=WORK_ROLES) -> Survey:
    return get_scoped_or_404(request.access, Survey.objects.select_related("unit", "created_by"), roles, pk=pk)


def _builder_survey(request, pk) -> Survey:
    survey = _survey(request, pk)
    if not services.can_build(request.access, survey.unit):
        raise PermissionDenied("فقط مسئول روابط عمومی و رئیس همین واحد نظرسنجی را تغییر می‌دهند.")
    return survey


def _public_url(request, survey: Survey) -> str:
    """The public link as printed and shared (QR, posters, SMS): on settings.SITE_URL, not on the host the
    builder happens to reach the site by (issue 17, point 4)."""
    return settings.SITE_URL + reverse("surveys:public_answer", args=[survey.token])


# Staff side ------------------------------------------------------------------------------------------------

@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES, "فهرست نظرسنجی‌ها برای روابط عمومی و رئیس واحد است.")
    surveys = scoped(access, Survey.objects.select_related("unit")).order_by("-created_at")
    surveys = access.narrow(surveys, request.GET.get("unit"))
    state, audience = request.GET.get("state", ""), request.GET.get("audience", "")
    if state in State.values:
        surveys = surveys.filter(state=state)
    if audience in Audience.values:
        surveys = surveys.filter(audience=audience)
    if request.GET.get("reported") == "1":
        surveys = surveys.filter(reported_at__isnull=False).order_by("-reported_at")
    if request.GET.get("export") == "xlsx":
        return xlsx_response("نظرسنجی‌ها", "نظرسنجی‌ها",
                             ["واحد", "عنوان", "مخاطب", "وضعیت", "شروع", "پایان", "پاسخ‌ها", "گزارش به مدیر و اداره کل"],
                             [[s.unit.name, s.title, s.get_audience_display(), s.get_state_display(), s.opens_on,
                               s.closes_on, s.responses_count, s.reported_at or ""] for s in surveys[:5000]])
    page = Paginator(surveys, 30).get_page(request.GET.get("page"))
    return render(request, "surveys/survey_list.html", {
        "page_obj": page, "states": State.choices, "audiences": Audience.choices, "is_hq": access.is_hq,
        "can_create": access.work_unit_or_none(WORK_ROLES) is not None,
        "unit_filter": access.filter_units(WORK_ROLES)})


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(WORK_ROLES)
    today = jalali.today()
    form = SurveyForm(request.POST or None, initial={"opens_on": today, "closes_on": today + dt.timedelta(days=14)})
    if survey := save_form(request, form, lambda data: services.survey_create(unit=unit, by=request.user, **data),
                           "نظرسنجی ساخته شد؛ اکنون پرسش‌ها را بیفزایید.", once="surveys.survey"):
        return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "title": "نظرسنجی تازه"})


@login_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _builder_survey(request, pk)
    form = SurveyForm(request.POST or None, initial={
        "title": survey.title, "intro": survey.intro, "audience": survey.audience, "opens_on": survey.opens_on,
        "closes_on": survey.closes_on, "invited_only": survey.invited_only})
    if survey.state != State.DRAFT:
        form.fields["audience"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "مشخصات نظرسنجی ذخیره شد.")
            return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey,
                                                         "title": f"ویرایش «{survey.title}»"})


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    can_build = services.can_build(request.access, survey.unit)
    questions = list(survey.questions.select_related("show_if"))
    number = 0
    for question in questions:  # questions are numbered as the respondent sees them: page breaks aside
        number += not question.is_page
        question.number = number
    return render(request, "surveys/survey_detail.html", {
        "survey": survey, "questions": questions, "can_build": can_build,
        "question_form": QuestionForm(initial={"required": True}, earlier=survey.questions.all())
        if can_build and survey.state == State.DRAFT else None, "public_url": _public_url(request, survey),
        "condition_problems": condition_problems(survey) if survey.state == State.DRAFT else [],
        "rate": services.response_rate(survey),
        "accepts": services.accepts_answers(survey)})


@login_required
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _builder_survey(request, pk)
    form = QuestionForm(request.POST or None, initial={"required": True}, earlier=survey.questions.all())
    if save_form(request, form, lambda data: services.question_add(survey=survey, by=request.user,
                                                                    **form.service_values()),
                 "پرسش افزوده شد.", once="surveys.question"):
        return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/question_form.html", {"form": form, "survey": survey, "title": "پرسش تازه"})


def _question(request, pk) -> Question:
    question = get_scoped_or_404(request.access, Question.objects.select_related("survey__unit"), WORK_ROLES,
                                 field="survey__unit", pk=pk)
    if not services.can_build(request.access, question.survey.unit):
        raise PermissionDenied("فقط مسئول روابط عمومی و رئیس همین واحد نظرسنجی را تغییر می‌دهند.")
    return question


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    earlier = [q for q in question.survey.questions.all() if (q.order, q.pk) < (question.order, question.pk)]
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question), earlier=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, by=request.user, **form.service_values())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "پرسش ذخیره شد.")
            return redirect("surveys:detail", question.survey_id)
    return render(request, "surveys/question_form.html", {"form": form, "survey": question.survey,
                                                           "title": "ویرایش پرسش"})


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    try:
        services.question_delete(question=question, by=request.user)
        messages.success(request, "پرسش حذف شد.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:detail", question.survey_id)


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    try:
        services.question_move(question=question, by=request.user, up=request.POST.get("direction") == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:detail", question.survey_id)


@login_required
def survey_share(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    return render(request, "surveys/survey_share.html", {"survey": survey, "public_url": _public_url(request, survey),
                                                          "staff_url": settings.SITE_URL + reverse(
                                                              "surveys:staff_answer", args=[survey.pk])})


@login_required
def survey_qr(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    target = _public_url(request, survey) if survey.audience == Audience.PUBLIC else \
        settings.SITE_URL + reverse("surveys:staff_answer", args=[survey.pk])
    image = qrcode.make(target, box_size=10, border=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.png"'
    return response


def _filtered(request, survey: Survey, units=None):
    """The results filter in the request's query and its Persian errors per field (`units`: the
    respondents' units when already read)."""
    return selectors.read_filter(survey, request.GET, units)


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Results with filters (answer dates, any closed question) and a cross-tab of two closed questions."""
    survey = _survey(request, pk)
    units = selectors.respondent_units(survey)
    flt, errors = _filtered(request, survey, units)
    entries = selectors.results(survey, flt)
    questions = {entry["question"].pk: entry["question"] for entry in entries}
    closed = [q for q in questions.values() if q.is_closed]
    cross, cross_error = None, ""
    x, y = request.GET.get("x", ""), request.GET.get("y", "")
    if x or y:
        first = next((q for q in closed if str(q.pk) == x), None)
        second = next((q for q in closed if str(q.pk) == y), None)
        if first is None or second is None or first == second:
            cross_error = "دو پرسش گزینه‌ای یا امتیازیِ جدا برگزینید."
        else:
            cross = selectors.crosstab(survey, first, second, flt)
    return render(request, "surveys/survey_results.html", {
        "survey": survey, "entries": entries, "chart_data": selectors.chart_data(entries),
        "can_build": services.can_build(request.access, survey.unit),
        "recipients": report_recipients(survey), "flt": flt, "filter_errors": errors, "closed": closed,
        "filter_words": flt.describe(questions), "shown": selectors.responses_for(survey, flt).count(),
        "cross": cross, "cross_error": cross_error, "x": x, "y": y,
        "cross_chart": {"labels": cross["rows"], "series": [
            {"label": label, "counts": [line[i] for line in cross["cells"]]} for i, label in enumerate(cross["columns"])]}
        if cross else None,
        "query": flt.querystring(), "rate": services.response_rate(survey), "units": units})


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The results as Excel (numbers as numbers, one sheet per question type), under the page's filter."""
    survey = _survey(request, pk)
    flt, _ = _filtered(request, survey)
    response = HttpResponse(selectors.workbook_bytes(survey, flt), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'پاسخ‌های نظرسنجی {survey.pk}')}.xlsx"
    return response


def report_pdf_bytes(survey: Survey, flt=None) -> bytes:
    """The PDF report of `survey`'s results under `flt` (a selectors.ResultFilter, or all responses)."""
    entries = selectors.results(survey, flt)
    questions = {entry["question"].pk: entry["question"] for entry in entries}
    return render_pdf("surveys/survey_pdf.html", {
        "survey": survey, "entries": entries, "printed": jalali.today(),
        "filter_words": flt.describe(questions) if flt else [],
        "shown": selectors.responses_for(survey, flt).count()})


@login_required
def survey_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    flt, _ = _filtered(request, survey)
    return pdf_response(f"نتیجه نظرسنجی {survey.pk}", report_pdf_bytes(survey, flt), inline=True)


# Staff members answering -------------------------------------------------------------------------------------

@login_required
def my_surveys(request: HttpRequest) -> HttpResponse:
    today = jalali.today()
    surveys = Survey.objects.filter(unit__in=request.access.units, audience=Audience.STAFF, state=State.OPEN,
                                    opens_on__lte=today, closes_on__gte=today).select_related("unit").annotate(
        answered=Exists(Response.objects.filter(survey=OuterRef("pk"), user=request.user))).order_by("closes_on")
    return render(request, "surveys/my_surveys.html", {"surveys": surveys})


@login_required
def staff_answer(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_scoped_or_404(request.access, Survey.objects.select_related("unit"), ALL_ROLES, pk=pk,
                               audience=Audience.STAFF)
    if not services.can_answer_as_staff(request.user, survey):
        raise Http404("پیدا نشد.")
    answered = Response.objects.filter(survey=survey, user=request.user).exists()
    form = AnswerForm(request.POST or None, questions=survey.questions.all())
    if request.method == "POST":
        try:
            # The same answer form sent twice (issue 13 point 7): one response, the second led on as the first.
            if idempotency.first_made(request, STAFF_ANSWER) is not None:
                messages.info(request, idempotency.ALREADY_SAVED)
                return redirect("surveys:mine")
            if not answered and form.is_valid():
                idempotency.create_once(request, STAFF_ANSWER, lambda: services.response_submit(
                    survey=survey, answers=form.answers(), user=request.user))
                messages.success(request, "پاسخ شما ثبت شد. سپاس از همکاری‌تان.")
                return redirect("surveys:mine")
        except ValidationError as error:
            form.is_valid()
            _errors_to_form(form, error)
    return render(request, "surveys/answer.html", {"survey": survey, "form": form, "answered": answered,
                                                    "accepts": services.accepts_answers(survey), "public": False})


# Public side -----------------------------------------------------------------------------------------------

# Public answers (issue 13 §3): through the one rate-limit helper, so every worker shares the allowance —
# a burst per address across surveys, and a daily cap per address on each survey.
ANSWERS_PER_MINUTE = ratelimit.Limit("surveys-answer-minute", ANSWER_LIMIT, 60)


def answers_per_day() -> ratelimit.Limit:
    """The daily cap of answers from one address to one survey (settings.RAVABET_SURVEY_ANSWERS_PER_DAY,
    30 by default: an office or a family behind one address still answers)."""
    return ratelimit.Limit("surveys-answer-day", getattr(settings, "RAVABET_SURVEY_ANSWERS_PER_DAY", 30), 24 * 3600)


TOO_FAST = ("از این نشانی در یک دقیقه پاسخ‌های زیادی رسیده است. یک دقیقه صبر کنید و دوباره «ثبت پاسخ» را بزنید؛ "
            "پاسخ‌هایتان سر جایش است.")
DAILY_CAP = "از این نشانی امروز پاسخ‌های زیادی به این نظرسنجی رسیده است؛ فردا دوباره بیازمایید."


def _client_address(request: HttpRequest) -> str:
    """The answering browser's address (lib.ratelimit.client_ip: the proxy's header when configured)."""
    return ratelimit.client_ip(request) or "unknown"


def _limit_error(request: HttpRequest, survey: Survey) -> str:
    """The Persian refusal when this address sent too many answers (a burst this minute, or the survey's
    daily cap), counting this attempt toward the minute; "" when the answer may go on."""
    address = _client_address(request)
    if ratelimit.over(ANSWERS_PER_MINUTE, address):
        return TOO_FAST
    if ratelimit.exceeded(answers_per_day(), f"{survey.pk}:{address}"):
        return DAILY_CAP
    return ""


def _answered_from(request: HttpRequest, survey: Survey) -> None:
    """Count one recorded answer toward the address's daily cap on `survey`."""
    ratelimit.hit(answers_per_day(), f"{survey.pk}:{_client_address(request)}")


def _cookie_name(survey: Survey) -> str:
    return f"survey_{survey.pk}"


def _thanks(request: HttpRequest, survey: Survey) -> HttpResponse:
    """The thank-you page of a public answer (with the offer to be invited to later surveys), with the
    cookie that marks this browser as answered."""
    response = render(request, "surveys/answer.html", {"survey": survey, "thanks": True, "public": True,
                                                        "panel_form": PanelForm()})
    response.set_signed_cookie(_cookie_name(survey), "1", salt=COOKIE_SALT, max_age=COOKIE_AGE,
                               httponly=True, samesite="Lax")
    return response


def public_answer(request: HttpRequest, token: str) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("unit"), token=token, audience=Audience.PUBLIC)
    if survey.state == State.DRAFT:
        raise Http404("پیدا نشد.")
    answered = request.get_signed_cookie(_cookie_name(survey), default=None, salt=COOKIE_SALT) is not None
    form = AnswerForm(request.POST or None, questions=survey.questions.all())
    accepts = services.accepts_answers(survey)
    if request.method == "POST" and accepts:
        try:
            # The same answer form sent twice, even before the first answer's cookie arrived (issue 13
            # point 7): one response, and the second is thanked as the first.
            if idempotency.first_made(request, PUBLIC_ANSWER) is not None:
                return _thanks(request, survey)
            if answered or survey.invited_only:
                pass
            elif refusal := _limit_error(request, survey):
                form.add_error(None, refusal)
            elif form.is_valid():
                idempotency.create_once(request, PUBLIC_ANSWER,
                                        lambda: services.response_submit(survey=survey, answers=form.answers()))
                _answered_from(request, survey)
                return _thanks(request, survey)
        except ValidationError as error:
            form.is_valid()
            _errors_to_form(form, error)
    return render(request, "surveys/answer.html", {"survey": survey, "form": form, "answered": answered,
                                                    "accepts": accepts, "public": True,
                                                    "kinds": QuestionKind})


@require_POST
def panel_join(request: HttpRequest, token: str) -> HttpResponse:
    """After answering a public survey: the citizen's mobile and consent to be invited to the unit's later
    surveys (issue 17 §2). Only from a browser that answered it, within the answers' rate limit."""
    survey = get_object_or_404(Survey.objects.select_related("unit"), token=token, audience=Audience.PUBLIC)
    if request.get_signed_cookie(_cookie_name(survey), default=None, salt=COOKIE_SALT) is None:
        raise Http404("پیدا نشد.")
    form = PanelForm(request.POST)
    context = {"survey": survey, "thanks": True, "public": True, "panel_form": form}
    if ratelimit.over(ANSWERS_PER_MINUTE, _client_address(request)):
        form.add_error(None, TOO_FAST)
    elif form.is_valid():
        try:
            services.panel_join(survey=survey, mobile=form.cleaned_data["mobile"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return render(request, "surveys/answer.html", {**context, "panel_form": None, "joined": True})
    return render(request, "surveys/answer.html", context, status=400)


def panel_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """The withdrawal link in an invitation sent to a consenting citizen: asks first (a link opened by a
    message preview changes nothing), withdraws on POST."""
    panelist = get_object_or_404(Panelist.objects.select_related("unit"), token=token)
    done = False
    if request.method == "POST":
        services.panel_withdraw(token=token)
        done = True
    return render(request, "surveys/panel_withdraw.html", {"panelist": panelist, "done": done or
                                                           panelist.withdrawn_at is not None})


# Personal invitations (issue 17) -------------------------------------------------------------------------------

@login_required
def survey_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one-time personal links (to the unit's staff directory or a typed/uploaded list), remind those
    who have not answered, and see who was invited and the response rate."""
    survey = _builder_survey(request, pk)
    reach = services.invitation_reach(survey)
    groups = StaffGroup.objects.filter(unit__in=reach).select_related("unit").order_by("unit__path", "name")
    form = InviteForm(request.POST or None, request.FILES or None, reach=reach, groups=groups)
    if request.method == "POST" and request.POST.get("action") == "remind":
        try:
            count = services.remind(survey=survey, by=request.user)
            messages.success(request, f"به {to_persian_digits(count)} نفر که پاسخ نداده‌اند یادآوری فرستاده شد.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("surveys:invite", survey.pk)
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        people = services.staff_recipients(form.cleaned_data["units_chosen"]) if source == "staff" else \
            services.group_recipients(form.cleaned_data["group_chosen"]) if source == "group" else \
            services.panel_recipients(reach) if source == "panel" else form.cleaned_data["people_list"]
        try:
            sent, skipped = services.invite(survey=survey, by=request.user, people=people,
                                            source=form.cleaned_data["source"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{to_persian_digits(sent)} پیوند شخصی فرستاده شد"
                             + (f"؛ {to_persian_digits(skipped)} نفر پیش‌تر دعوت شده بودند." if skipped else "."))
            return redirect("surveys:invite", survey.pk)
    invitations = Paginator(survey.invitations.order_by("-sent_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "surveys/survey_invite.html", {
        "survey": survey, "form": form, "page_obj": invitations, "rate": services.response_rate(survey),
        "accepts": services.accepts_answers(survey), "staff_count": len(services.staff_recipients([survey.unit])),
        "panel_count": len(services.panel_recipients(reach))})


def invited_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The answer page behind a personal link: it answers once, whoever holds the link (no cookie)."""
    invitation = get_object_or_404(Invitation.objects.select_related("survey__unit"), token=token)
    survey = invitation.survey
    if survey.state == State.DRAFT:
        raise Http404("پیدا نشد.")
    answered = invitation.answered_at is not None
    form = AnswerForm(request.POST or None, questions=survey.questions.select_related("show_if"))
    accepts = services.accepts_answers(survey)
    if request.method == "POST" and accepts and idempotency.earlier(request, INVITED_ANSWER) is not None:
        # The same answer form sent twice (issue 13 point 7): thanked as the first, not told "already answered".
        return render(request, "surveys/answer.html", {"survey": survey, "thanks": True, "public": True})
    if request.method == "POST" and accepts and not answered:
        if ratelimit.over(ANSWERS_PER_MINUTE, _client_address(request)):
            form.add_error(None, TOO_FAST)
        elif form.is_valid():
            try:
                idempotency.create_once(request, INVITED_ANSWER, lambda: services.response_submit(
                    survey=survey, answers=form.answers(), invitation=invitation))
            except ValidationError as error:
                _errors_to_form(form, error)
                answered = Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=False).exists()
            else:
                return render(request, "surveys/answer.html", {"survey": survey, "thanks": True, "public": True})
    return render(request, "surveys/answer.html", {"survey": survey, "form": form, "answered": answered,
                                                    "accepts": accepts, "public": True,
                                                    "invited": invitation})
