"""Public endpoints (issue 18, point 1): what a citizen's page shows or accepts, as JSON, through the same
selectors, forms, services, captcha and rate limits as the pages under /public/."""

import datetime as dt
from typing import Literal

from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ravabet.complaints import views as complaint_views
from ravabet.complaints.forms import PublicCaseForm, TrackForm
from ravabet.complaints.models import Case, Kind
from ravabet.complaints.tracking import group, normalize_code
from ravabet.events import forms as event_forms
from ravabet.events import services as event_services
from ravabet.events import views as event_views
from ravabet.events.models import Guest
from ravabet.lib import idempotency, jalali, ratelimit
from ravabet.lib.digits import to_latin_digits
from ravabet.lib.validators import normalize_mobile
from ravabet.news.models import News, NewsPhoto
from ravabet.news.selectors import PublicSearchPaginator, public_news, search_words
from ravabet.offices.models import Unit
from ravabet.surveys import services as survey_services
from ravabet.surveys import views as survey_views
from ravabet.surveys.forms import AnswerForm
from ravabet.surveys.models import Audience, Survey
from ravabet.surveys.models import State as SurveyState

from . import once
from .base import ERRORS, ApiError, Error, Id, Pages, Text, from_form, from_validation, jalali_date, jalali_text

router = Router(tags=["عمومی"])
RATE = {429: Error}
CONFLICT = {409: Error}


# Units -------------------------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    code: Text = Field(description="The unit's Latin code, used in ?unit= of the news list.")
    name: str
    kind: Text = Field(description="hq | county")
    city: str
    address: str
    phone: str


@router.get("/units", response={200: list[UnitOut], **ERRORS}, url_name="public_units", summary="واحدها")
def units(request: HttpRequest):
    """Every active unit (HQ and the county offices), by name."""
    return Unit.objects.filter(is_active=True).order_by("path")


# News --------------------------------------------------------------------------------------------------------


class PhotoOut(Schema):
    url: Text = Field(description="Absolute URL of the public (resized, metadata-free) image.")
    thumbnail_url: str | None
    width: int
    height: int
    caption: str


class NewsOut(Schema):
    id: int
    title: str
    lead: str
    body: str
    kind: str
    unit: UnitOut
    news_date: dt.date = Field(description="Gregorian date of the news.")
    news_date_jalali: Text = Field(description="The same date, Jalali, Latin digits (1405/09/05).")
    published_at: dt.datetime | None
    published_at_jalali: str | None
    tags: list[str]
    url: Text = Field(description="Absolute URL of the public page.")
    photos: list[PhotoOut]


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def _photo(request: HttpRequest, photo) -> dict:
    return {"url": _absolute(request, photo.image.url) if photo.image else "",
            "thumbnail_url": _absolute(request, photo.thumbnail.url) if photo.thumbnail else None,
            "width": photo.width, "height": photo.height, "caption": photo.caption}


def news_out(request: HttpRequest, news: News) -> dict:
    """A News (with unit and prefetched `news_photos__photo`) as NewsOut's dict."""
    return {"id": news.pk, "title": news.title, "lead": news.lead, "body": news.body, "kind": news.kind,
            "unit": news.unit, "news_date": news.news_date, "news_date_jalali": jalali_text(news.news_date),
            "published_at": news.published_at, "published_at_jalali": jalali_text(news.published_at),
            "tags": [tag.strip() for tag in news.tags.split(",") if tag.strip()],
            "url": _absolute(request, reverse("news:public_detail", args=[news.pk])),
            "photos": [_photo(request, link.photo) for link in news.news_photos.all()]}


class NewsFilter(Schema):
    q: Text | None = Field(None, max_length=200, description="Words to find (matched on the folded search key).")
    unit: Text | None = Field(None, max_length=30, description="A unit's code.")
    date_from: Text | None = Field(None, max_length=20, description="Jalali news date from, e.g. ۱۴۰۵/۰۹/۰۱ or 1405-09-01.")
    date_to: Text | None = Field(None, max_length=20, description="Jalali news date to (inclusive).")


class NewsPage(Schema):
    items: list[NewsOut]
    count: int = Field(description="Without `q`: every matching item. With `q` the search is not counted (a "
                                   "frequent word matches most items): the items up to this page and one more "
                                   "when a next page exists, so `count > page * page_size` means there is one.")
    has_next: bool = Field(description="Whether a next page has items.")


def _photos() -> Prefetch:
    return Prefetch("news_photos", queryset=NewsPhoto.objects.select_related("photo"))


def _with_photos(queryset):
    return queryset.prefetch_related(_photos())


@router.get("/news", response={200: NewsPage, **ERRORS}, url_name="public_news", summary="خبرهای منتشرشده")
def news_list(request: HttpRequest, filters: Query[NewsFilter], page: int = Query(1, ge=1, le=100_000),
              page_size: int = Query(20, ge=1, le=100)):
    """Published news, newest first, with their photos: the newsroom's and the feeds' data. Paginated:
    ``{"items": [...], "count": N, "has_next": bool}``. Four queries whatever the page size without `q`; with
    `q` the page is read as the public search page reads it (news.selectors.PublicSearchPaginator: no count,
    the same rows as a substring match on the folded key, newest first)."""
    start, end = jalali_date(filters.date_from, "date_from"), jalali_date(filters.date_to, "date_to")
    params = {"q": filters.q or "", "unit": filters.unit or ""}
    offset = (page - 1) * page_size
    if search_words(params):
        paginator = PublicSearchPaginator(params, page_size, since=start, until=end)
        rows = paginator.read(page)
        prefetch_related_objects(rows[:page_size], _photos())
        if rows or page == 1:
            count = offset + len(rows)
        else:  # past the end: how many there are, counting no further than this page's start
            count = paginator.object_list.values_list("pk", flat=True)[:offset].count()
        return {"items": [news_out(request, n) for n in rows[:page_size]], "count": count,
                "has_next": len(rows) > page_size}
    queryset = public_news(params, start, end)
    items = [news_out(request, n) for n in _with_photos(queryset)[offset:offset + page_size]]
    count = queryset.count()
    return {"items": items, "count": count, "has_next": offset + page_size < count}


@router.get("/news/{news_id}", response={200: NewsOut, **ERRORS}, url_name="public_news_detail",
            summary="یک خبر منتشرشده")
def news_detail(request: HttpRequest, news_id: Id):
    """One published news item; 404 for any other state."""
    news = get_object_or_404(_with_photos(public_news()), pk=news_id)
    return news_out(request, news)


# Surveys -----------------------------------------------------------------------------------------------------


class SurveyOut(Schema):
    token: Text = Field(description="The survey's public key (the same as in its link).")
    title: str
    intro: str
    unit: str
    opens_on: dt.date
    closes_on: dt.date
    opens_on_jalali: str
    closes_on_jalali: str


class QuestionOut(Schema):
    id: int
    kind: Text = Field(description="single | multiple | rating | number | date | matrix | ranking | short | long")
    text: str
    required: bool
    options: list[str]
    rows: list[str]
    fields: list[str] = Field(description="The answer's keys in `answers`: q<id>, or q<id>_r<row> per matrix row, "
                                          "q<id>_i<item> per ranking item.")
    show_if: int | None = Field(description="Shown only when this question's answer is one of show_if_values.")
    show_if_values: list[int]


class SurveyDetail(SurveyOut):
    questions: list[QuestionOut]


def _open_public_surveys():
    today = jalali.today()
    return (Survey.objects.filter(audience=Audience.PUBLIC, state=SurveyState.OPEN, opens_on__lte=today,
                                  closes_on__gte=today).select_related("unit"))


def _survey_out(survey: Survey) -> dict:
    return {"token": survey.token, "title": survey.title, "intro": survey.intro, "unit": survey.unit.name,
            "opens_on": survey.opens_on, "closes_on": survey.closes_on,
            "opens_on_jalali": jalali_text(survey.opens_on), "closes_on_jalali": jalali_text(survey.closes_on)}


@router.get("/surveys", response={200: list[SurveyOut], **ERRORS}, url_name="public_surveys",
            summary="نظرسنجی‌های باز عمومی")
@paginate(Pages)
def surveys(request: HttpRequest):
    """Public surveys accepting answers today, closing soonest first."""
    return [_survey_out(s) for s in _open_public_surveys().order_by("closes_on", "pk")]


def _survey(token: str) -> Survey:
    survey = _open_public_surveys().filter(token=token).first()
    if survey is None:
        raise Http404
    return survey


@router.get("/surveys/{token}", response={200: SurveyDetail, **ERRORS}, url_name="public_survey",
            summary="پرسش‌های یک نظرسنجی")
def survey_detail(request: HttpRequest, token: Text):
    """An open public survey with its questions, in order."""
    survey = _survey(token)
    form = AnswerForm(questions=survey.questions.all())
    questions = [{"id": q.pk, "kind": q.kind, "text": q.text, "required": q.required, "options": q.options or [],
                  "rows": q.rows or [], "fields": form.groups.get(q.pk, []), "show_if": q.show_if_id,
                  "show_if_values": q.show_if_values or []} for q in form.questions]
    return {**_survey_out(survey), "questions": questions}


class AnswersIn(Schema):
    answers: dict[Text, Text | int | float | list[Text | int]] = Field(
        description="Field name (see `fields` of each question) → value: an option index, a list of indexes "
                    "(multiple), 1-5 (rating, matrix row), a number, a Jalali date, a rank, or a text.")


class Accepted(Schema):
    detail: str


@router.post("/surveys/{token}/responses", response={201: Accepted, **ERRORS, **RATE, **CONFLICT},
             url_name="public_survey_answer", summary="پاسخ به نظرسنجی")
def survey_answer(request: HttpRequest, response: HttpResponse, token: Text, payload: AnswersIn,
                  idempotency_key: str | None = once.KeyHeader):
    """Answer an open public survey through the page's form and `surveys.services.response_submit`, under the
    page's per-address limits (10 a minute, and the survey's daily cap per address; lib.ratelimit). The same
    `Idempotency-Key` and body again: the first answer's result, no second response (api/once.py)."""
    survey = _survey(token)
    if refusal := survey_views._limit_error(request, survey):
        raise ApiError(429, refusal, "rate_limited")
    key = once.token(request, "api.survey_answer", idempotency_key, payload.dict())
    if once.first(request, "api.survey_answer", key) is not None:
        once.replayed(response)
        return Status(201, {"detail": "سپاس؛ پاسخ شما ثبت شد."})
    questions = survey.questions.all()
    # Options, ratings and ranks are numbers a program may send in Persian digits; texts stay as typed.
    choices = {name for name, field in AnswerForm(questions=questions).fields.items()
               if isinstance(field, forms.TypedChoiceField | forms.TypedMultipleChoiceField)}
    data = QueryDict(mutable=True)
    for name, value in payload.answers.items():
        for item in value if isinstance(value, list) else [value]:
            data.appendlist(name, to_latin_digits(str(item)) if name in choices else str(item))
    form = AnswerForm(data, questions=questions)
    if not form.is_valid():
        raise from_form(form)
    try:
        _, created = once.create(request, "api.survey_answer", key, lambda: survey_services.response_submit(
            survey=survey, answers=form.answers()))
    except ValidationError as error:
        raise from_validation(error) from None
    if created:
        survey_views._answered_from(request, survey)
    else:
        once.replayed(response)
    return Status(201, {"detail": "سپاس؛ پاسخ شما ثبت شد."})


# Complaints --------------------------------------------------------------------------------------------------


class CaptchaOut(Schema):
    key: Text = Field(description="Send back as `captcha_key`.")
    image_url: Text = Field(description="The picture of the sum to solve (self-hosted math captcha).")


@router.post("/captcha", response={201: CaptchaOut, **ERRORS}, url_name="public_captcha",
             summary="پرسش امنیتی تازه")
def captcha(request: HttpRequest):
    """A new captcha (the same self-hosted math captcha as the complaint page) for one complaint."""
    key = CaptchaStore.generate_key()
    return Status(201, {"key": key, "image_url": _absolute(request, captcha_image_url(key))})


class ComplaintIn(Schema):
    unit: int = Field(description="Id of a county office (see /units).")
    kind: Literal[tuple(Kind.values)] = Field(description="complaint | request | criticism | suggestion | report | thanks")
    subject: Text = Field(max_length=200)
    text: Text = Field(max_length=5000)
    citizen_name: Text = Field("", max_length=120)
    citizen_mobile: Text = Field("", max_length=20, description="09xxxxxxxxx, any digits.")
    citizen_national_code: Text = Field("", max_length=20)
    captcha_key: Text = Field(max_length=64)
    captcha_value: Text = Field(max_length=20, description="The answer to the picture, any digits.")


class ComplaintCreated(Schema):
    tracking_code: Text = Field(description="1234-5678-9012: with the mobile, opens the case on /complaints/track.")
    state: str
    state_label: str
    deadline: dt.date
    deadline_jalali: str


def _created(case: Case) -> Status:
    return Status(201, {"tracking_code": group(case.tracking_code), "state": case.state,
                        "state_label": case.get_state_display(), "deadline": case.deadline,
                        "deadline_jalali": jalali_text(case.deadline)})


@router.post("/complaints", response={201: ComplaintCreated, **ERRORS, **RATE, **CONFLICT},
             url_name="public_complaint", summary="ثبت شکایت، درخواست یا پیشنهاد")
def complaint_submit(request: HttpRequest, response: HttpResponse, payload: ComplaintIn,
                     idempotency_key: str | None = once.KeyHeader):
    """Submit a case as the public form does: the same form (Persian field messages), captcha, per-address
    limit (5 a minute, shared with the page) and `complaints.services.case_submit`. No attachments here.
    The same `Idempotency-Key` and body again (even at the same moment): the first case's tracking code,
    no second case or SMS (api/once.py)."""
    if complaint_views.over_limit(request, complaint_views.SUBMIT_LIMIT):
        raise ApiError(429, "از این نشانی در یک دقیقه بیش از ۵ بار فرستاده شده است؛ یک دقیقه صبر کنید.",
                       "rate_limited")
    key = once.token(request, "api.complaint", idempotency_key, payload.dict())
    if (case := once.first(request, "api.complaint", key)) is not None:
        once.replayed(response)  # its captcha was used by the first POST: answered before the form
        return _created(case)
    data = payload.dict()
    data["captcha_0"], data["captcha_1"] = data.pop("captcha_key"), data.pop("captcha_value")
    form = PublicCaseForm(data)
    try:  # the form is checked after the key is claimed: a copy sent at the same moment waits for this one
        case, created = once.create(request, "api.complaint", key,
                                    lambda: form.file_case(complaint_views.client_ip(request)))
    except idempotency.Invalid:
        form.spend_captcha()
        raise from_form(form) from None
    except ValidationError as error:
        form.spend_captcha()
        raise from_validation(error) from None
    if not created:
        once.replayed(response)
    return _created(case)


class TrackIn(Schema):
    code: Text = Field(max_length=40, description="The tracking code, any digits, dashes allowed.")
    mobile: Text = Field("", max_length=20, description="The mobile given with the case (empty if none was).")


class AnswerOut(Schema):
    version: int
    text: str
    answered_at: dt.datetime
    answered_at_jalali: str


class CaseStatus(Schema):
    tracking_code: str
    subject: str
    unit: str
    state: str
    state_label: str
    created_at: dt.datetime
    created_at_jalali: str
    deadline: dt.date
    deadline_jalali: str
    answers: list[AnswerOut]


@router.post("/complaints/track", response={200: CaseStatus, **ERRORS, **RATE}, url_name="public_complaint_track",
             summary="پیگیری با کد رهگیری")
def complaint_track(request: HttpRequest, payload: TrackIn):
    """Where a case stands and its answers, for its tracking code and mobile, under the tracking page's limit
    (10 a minute per address). One 404 for an unknown code and a wrong mobile."""
    if complaint_views.over_limit(request, complaint_views.LOOKUP_LIMIT):
        raise ApiError(429, "در یک دقیقه بیش از اندازه جستجو شده است؛ یک دقیقه بعد دوباره بکوشید.", "rate_limited")
    form = TrackForm(payload.dict())
    if not form.is_valid():
        raise from_form(form)
    code = normalize_code(form.cleaned_data["code"])
    case = Case.objects.filter(tracking_code=code).select_related("unit").first() if code else None
    if case is None or case.citizen_mobile != normalize_mobile(form.cleaned_data["mobile"]):
        raise ApiError(404, complaint_views.NOT_FOUND, "not_found")
    return {"tracking_code": group(case.tracking_code), "subject": case.subject, "unit": case.unit.name,
            "state": case.state, "state_label": case.get_state_display(), "created_at": case.created_at,
            "created_at_jalali": jalali_text(case.created_at), "deadline": case.deadline,
            "deadline_jalali": jalali_text(case.deadline),
            "answers": [{"version": a.version, "text": a.text, "answered_at": a.answered_at,
                         "answered_at_jalali": jalali_text(a.answered_at)} for a in case.versions]}


# Invitations (RSVP) ------------------------------------------------------------------------------------------


class InvitationOut(Schema):
    guest: str
    event: str
    venue: str
    starts_at: dt.datetime
    starts_at_jalali: str
    unit: str
    rsvp: Text = Field(description="pending | accepted | declined")
    rsvp_label: str
    companions: int


# An invitation's token is its guest's key: one allowance per address for the page and the API (issue 13 §3).
RSVP_LIMIT = event_views.INVITATION_LIMIT


def _guest(token: str) -> Guest:
    return get_object_or_404(Guest.objects.select_related("event__unit"), token=token)


def _limit_invitations(request: HttpRequest) -> None:
    """Count this request against RSVP_LIMIT for the address (lib.ratelimit); ApiError 429 beyond it."""
    if ratelimit.over(RSVP_LIMIT, ratelimit.client_ip(request) or "unknown"):
        raise ApiError(429, "از این نشانی در یک دقیقه بیش از اندازه درخواست آمده است؛ یک دقیقه بعد دوباره بکوشید.",
                       "rate_limited")


def _invitation_out(guest: Guest) -> dict:
    event = guest.event
    return {"guest": guest.name, "event": event.title, "venue": event.venue, "starts_at": event.starts_at,
            "starts_at_jalali": jalali_text(event.starts_at), "unit": event.unit.name, "rsvp": guest.rsvp,
            "rsvp_label": guest.get_rsvp_display(), "companions": guest.companions}


@router.get("/invitations/{token}", response={200: InvitationOut, **ERRORS, **RATE}, url_name="public_invitation",
            summary="کارت دعوت")
def invitation(request: HttpRequest, token: Text):
    """The invitation of the card's token (the key in the card's link and QR); 30 a minute per address."""
    _limit_invitations(request)
    return _invitation_out(_guest(token))


class RsvpIn(Schema):
    answer: Literal["accept", "decline"]
    companions: int = Field(0, ge=0, le=10)


@router.post("/invitations/{token}/rsvp", response={200: InvitationOut, **ERRORS, **RATE, **CONFLICT},
             url_name="public_rsvp", summary="پاسخ به دعوت")
def rsvp(request: HttpRequest, response: HttpResponse, token: Text, payload: RsvpIn,
         idempotency_key: str | None = once.KeyHeader):
    """Accept or decline, through the page's form and `events.services.guest_respond` (until the event starts).
    The same `Idempotency-Key` and body again: the invitation as it stands, no second notice to the event's
    organiser (api/once.py). 30 requests a minute per address, with the invitation's GET."""
    _limit_invitations(request)
    guest = _guest(token)
    key = once.token(request, "api.rsvp", idempotency_key, payload.dict())
    if once.first(request, "api.rsvp", key) is not None:
        once.replayed(response)
        return _invitation_out(_guest(token))
    form = event_forms.RsvpForm(payload.dict())
    if not form.is_valid():
        raise from_form(form)
    try:
        guest, created = once.create(request, "api.rsvp", key, lambda: event_services.guest_respond(
            guest=guest, accept=form.cleaned_data["answer"] == "accept",
            companions=form.cleaned_data.get("companions") or 0))
    except ValidationError as error:
        raise from_validation(error) from None
    if not created:
        once.replayed(response)
        guest = _guest(token)
    return _invitation_out(guest)
