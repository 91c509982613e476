"""Staff endpoints (issue 18, point 1): views of news, complaints, HQ tasks and evaluation scores, and their
workflow steps through `workflow.engine.move` (the only writes),
scoped exactly like the pages through offices/access.py (the same roles per list, `scoped`,
`get_scoped_or_404`, `narrow` for ?unit=). Authenticated by a personal token or the page session."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from ravabet.complaints import selectors as complaint_selectors
from ravabet.complaints.models import Case
from ravabet.complaints.models import State as CaseState
from ravabet.compliance.evaluation import Period, PeriodError, evaluate
from ravabet.hqtasks import services as task_services
from ravabet.hqtasks.models import Assignment, AssignmentState
from ravabet.lib import jalali
from ravabet.news import selectors as news_selectors
from ravabet.news.models import News, NewsState
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.models import Unit, UnitKind
from ravabet.offices.roles import UNIT_ROLES, WORK_ROLES
from ravabet.workflow.engine import (
    RoleRefused,
    TransitionRefused,
    allowed,
    move,
    steps_of,
    unit_lookup,
    visible_roles,
    workflow_model,
)
from ravabet.workflow.forms import StepForm

from .base import (
    STAFF_AUTH,
    STAFF_ERRORS,
    Id,
    Text,
    access_of,
    from_form,
    from_validation,
    invalid,
    jalali_date,
    jalali_text,
)

router = Router(tags=["کارکنان"], auth=STAFF_AUTH)


class UnitRef(Schema):
    id: int
    code: str
    name: str


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=100, description="Items per page (default 20, at most 100).")


def _page(queryset, paging: PageQuery, convert) -> dict:
    offset = (paging.page - 1) * paging.page_size
    return {"items": [convert(row) for row in queryset[offset:offset + paging.page_size]],
            "count": queryset.count()}


def _date_range(queryset, lookup: str, date_from: str | None, date_to: str | None):
    start, end = jalali_date(date_from, "date_from"), jalali_date(date_to, "date_to")
    if start:
        queryset = queryset.filter(**{f"{lookup}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{lookup}__lte": end})
    return queryset


# News --------------------------------------------------------------------------------------------------------


class StaffNews(Schema):
    id: int
    unit: UnitRef
    kind: str
    state: str
    state_label: str
    title: str
    lead: str
    news_date: dt.date
    news_date_jalali: str
    photo_count: int
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    updated_at: dt.datetime


class StaffNewsDetail(StaffNews):
    body: str
    tags: str
    occasion: str


class StaffNewsPage(Schema):
    items: list[StaffNews]
    count: int


class StaffNewsFilter(Schema):
    state: NewsState | None = None
    kind: Text | None = Field(None, max_length=20, description="news | activity | achievement")
    q: Text | None = Field(None, max_length=200)
    unit: Text | None = Field(None, max_length=12, description="A unit id the user may see (any digits).")
    date_from: Text | None = Field(None, max_length=20, description="Jalali news date from (۱۴۰۵/۰۹/۰۱).")
    date_to: Text | None = Field(None, max_length=20, description="Jalali news date to (inclusive).")


def _news_out(news: News, detail: bool = False) -> dict:
    out = {"id": news.pk, "unit": news.unit, "kind": news.kind, "state": news.state,
           "state_label": news.get_state_display(), "title": news.title, "lead": news.lead,
           "news_date": news.news_date, "news_date_jalali": jalali_text(news.news_date),
           "photo_count": news.photo_count, "submitted_at": news.submitted_at, "published_at": news.published_at,
           "updated_at": news.updated_at}
    if detail:
        out.update(body=news.body, tags=news.tags, occasion=news.occasion)
    return out


@router.get("/news", response={200: StaffNewsPage, **STAFF_ERRORS}, url_name="staff_news", summary="خبرهای واحدها")
def news_list(request: HttpRequest, filters: Query[StaffNewsFilter], paging: Query[PageQuery]):
    """The news of the units where the person works (as /news/mine/): HQ roles see every unit's, a county's
    manager and PR officer their own; plain staff 403. Newest news date first."""
    access = access_of(request)
    access.require_any(WORK_ROLES)
    queryset = access.narrow(scoped(access, News.objects.all(), WORK_ROLES), filters.unit)
    params = {"state": filters.state or "", "kind": filters.kind or "", "q": filters.q or ""}
    queryset = news_selectors.filter_news(queryset.select_related("unit"), params)
    queryset = _date_range(queryset, "news_date", filters.date_from, filters.date_to)
    return _page(queryset.order_by("-news_date", "-pk"), paging, _news_out)


@router.get("/news/{news_id}", response={200: StaffNewsDetail, **STAFF_ERRORS}, url_name="staff_news_detail",
            summary="یک خبر")
def news_detail(request: HttpRequest, news_id: Id):
    """One news item of a unit the person works in; 404 otherwise (its existence is not revealed)."""
    news = get_scoped_or_404(access_of(request), News.objects.select_related("unit"), WORK_ROLES, pk=news_id)
    return _news_out(news, detail=True)


# Complaints --------------------------------------------------------------------------------------------------


class StaffCase(Schema):
    id: int
    tracking_code: str
    unit: UnitRef
    kind: str
    channel: str
    subject: str
    state: str
    state_label: str
    citizen_name: Text = Field(description="Masked (as in exports).")
    citizen_mobile: Text = Field(description="Masked (as in exports).")
    created_at: dt.datetime
    created_at_jalali: str
    deadline: dt.date
    deadline_jalali: str
    flag: Text = Field(description="danger: past the deadline unanswered; warning: within 2 working days; else empty.")
    answered_at: dt.datetime | None


class StaffCaseDetail(StaffCase):
    text: str


class StaffCasePage(Schema):
    items: list[StaffCase]
    count: int


class CaseFilter(Schema):
    state: CaseState | None = None
    kind: Text | None = Field(None, max_length=20)
    channel: Text | None = Field(None, max_length=20)
    due: Text | None = Field(None, max_length=10, description="overdue | soon")
    q: Text | None = Field(None, max_length=200, description="Words, or a 12-digit tracking code.")
    unit: Text | None = Field(None, max_length=12)
    date_from: Text | None = Field(None, max_length=20, description="Jalali registration date from.")
    date_to: Text | None = Field(None, max_length=20, description="Jalali registration date to (inclusive).")


def _case_out(flags, detail: bool = False):
    def convert(case: Case) -> dict:
        masked = case.masked
        out = {"id": case.pk, "tracking_code": case.display_code, "unit": case.unit, "kind": case.kind,
               "channel": case.channel, "subject": case.subject, "state": case.state,
               "state_label": case.get_state_display(), "citizen_name": masked["name"],
               "citizen_mobile": masked["mobile"], "created_at": case.created_at,
               "created_at_jalali": jalali_text(case.created_at), "deadline": case.deadline,
               "deadline_jalali": jalali_text(case.deadline), "flag": flags.level(case),
               "answered_at": case.answered_at}
        if detail:
            out["text"] = case.text
        return out
    return convert


def _cases(request: HttpRequest):
    access = access_of(request)
    if not Case.objects.filter(referred_to__user=request.user).exists():
        access.require_any(WORK_ROLES, "شما اجازه دیدن پرونده‌های مردمی را ندارید.")
    return access, complaint_selectors.cases_for(access)


@router.get("/complaints", response={200: StaffCasePage, **STAFF_ERRORS}, url_name="staff_complaints",
            summary="پرونده‌های مردمی")
def complaint_list(request: HttpRequest, filters: Query[CaseFilter], paging: Query[PageQuery]):
    """The cases of the units where the person works and those referred to them (as /complaints/), newest
    first, personal data masked. Jalali dates filter the registration day."""
    access, cases = _cases(request)
    flags = complaint_selectors.Flags.now()
    params = {key: value or "" for key, value in filters.dict().items() if key in ("state", "kind", "channel",
                                                                                     "due", "q")}
    cases = access.narrow(complaint_selectors.filter_cases(cases, params, flags), filters.unit)
    start, end = jalali_date(filters.date_from, "date_from"), jalali_date(filters.date_to, "date_to")
    if start:
        cases = cases.filter(created_at__gte=_midnight(start))
    if end:
        cases = cases.filter(created_at__lt=_midnight(end + dt.timedelta(days=1)))
    return _page(cases.select_related("unit").order_by("-created_at", "-pk"), paging, _case_out(flags))


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@router.get("/complaints/{case_id}", response={200: StaffCaseDetail, **STAFF_ERRORS},
            url_name="staff_complaint", summary="یک پرونده")
def complaint_detail(request: HttpRequest, case_id: Id):
    """One case the person may open (404 otherwise, as the case page), personal data masked."""
    case = complaint_selectors.cases_for(access_of(request)).select_related("unit").filter(pk=case_id).first()
    if case is None:
        raise Http404
    return _case_out(complaint_selectors.Flags.now(), detail=True)(case)


# HQ tasks ----------------------------------------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    task: str
    description: str
    unit: UnitRef
    state: str
    state_label: str
    due_date: dt.date
    due_date_jalali: str
    overdue: bool
    evidence: str
    done_at: dt.datetime | None
    review_comment: str


class AssignmentPage(Schema):
    items: list[AssignmentOut]
    count: int


class AssignmentFilter(Schema):
    state: Text | None = Field(None, max_length=12, description="open | done | accepted | returned | overdue")
    q: Text | None = Field(None, max_length=200, description="Words in the task's title.")
    unit: Text | None = Field(None, max_length=12)
    date_from: Text | None = Field(None, max_length=20, description="Jalali due date from.")
    date_to: Text | None = Field(None, max_length=20, description="Jalali due date to (inclusive).")


@router.get("/hqtasks", response={200: AssignmentPage, **STAFF_ERRORS}, url_name="staff_hqtasks",
            summary="مأموریت‌های اداره کل")
def assignment_list(request: HttpRequest, filters: Query[AssignmentFilter], paging: Query[PageQuery]):
    """HQ's tasks as assigned to the units the person works in (as /hqtasks/), by due date."""
    access = access_of(request)
    access.require_any(WORK_ROLES, "شما اجازه دیدن مأموریت‌ها را ندارید.")
    today = jalali.today()
    items = scoped(access, Assignment.objects.select_related("task", "unit"), WORK_ROLES)
    if filters.state == "overdue":
        items = items.filter(task_services.overdue_q(today))
    elif filters.state in AssignmentState.values:
        items = items.filter(state=filters.state)
    if filters.q and filters.q.strip():
        items = items.filter(task__title__icontains=filters.q.strip())
    items = _date_range(access.narrow(items, filters.unit), "task__due_date", filters.date_from, filters.date_to)

    def convert(a: Assignment) -> dict:
        return {"id": a.pk, "task": a.task.title, "description": a.task.description, "unit": a.unit,
                "state": a.state, "state_label": a.get_state_display(), "due_date": a.task.due_date,
                "due_date_jalali": jalali_text(a.task.due_date), "overdue": a.is_overdue(today),
                "evidence": a.evidence, "done_at": a.done_at, "review_comment": a.review_comment}

    return _page(items.order_by("task__due_date", "pk"), paging, convert)


# Evaluation scores -------------------------------------------------------------------------------------------


class CellOut(Schema):
    item: Text = Field(description="Instruction item code, e.g. B5.")
    value: float
    target: float
    attainment: float = Field(description="0-100.")
    weight: float


class ScoreOut(Schema):
    unit: UnitRef
    total: float = Field(description="Out of 100.")
    rank: int
    change: float | None = Field(description="Since the previous period of the same kind.")
    grade: str
    grade_label: str
    items: list[CellOut]


class ScoresOut(Schema):
    period: Text = Field(description="1405-09 (month), 1405-Q3 (quarter) or 1405 (year).")
    label: str
    start: dt.date
    end: dt.date
    frozen: bool = Field(description="True when HQ has closed the period (a stored snapshot).")
    units: int = Field(description="How many county offices are ranked.")
    rows: list[ScoreOut]


@router.get("/scores", response={200: ScoresOut, **STAFF_ERRORS}, url_name="staff_scores",
            summary="امتیاز ارزیابی واحدها")
def scores(request: HttpRequest, period: str | None = Query(None, max_length=20,
                                                          description="۱۴۰۵-۰۹, 1405-Q3 or 1405; "
                                                                      "the current month when empty.")):
    """The evaluation (compliance/evaluation.py) of a Jalali month, quarter or year: HQ roles get every county
    office (as /instruction/scorecard/), a county's manager and PR officer only their own row with its rank
    among all (as /instruction/mine/); others 403."""
    access = access_of(request)
    if not access.is_hq and not access.unit_ids(UNIT_ROLES):
        raise PermissionDenied("شما اجازه دیدن امتیاز ارزیابی را ندارید.")
    try:
        chosen = Period.parse(period) if period and period.strip() else Period.current_month()
    except PeriodError as error:
        raise invalid(str(error), "period") from None
    units = list(Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).order_by("name"))
    result = evaluate(chosen, units)
    rows = result.rows if access.is_hq else [r for r in result.rows if r.unit.pk in set(access.unit_ids(UNIT_ROLES))]
    return {"period": chosen.key, "label": chosen.label, "start": chosen.start, "end": chosen.end,
            "frozen": result.frozen is not None, "units": len(result.rows),
            "rows": [{"unit": r.unit, "total": r.total, "rank": r.rank, "change": r.change, "grade": r.grade[0],
                      "grade_label": r.grade[1],
                      "items": [{"item": c.item, "value": c.value, "target": c.target, "attainment": c.attainment,
                                 "weight": c.weight} for c in r.cells.values()]} for r in rows]}


# Workflow steps (the only writes): the generic step of /workflow/<app.model>/<pk>/<step>/ as JSON ---------


STEP_MODELS = {"news": "news.news", "complaints": "complaints.case", "hqtasks": "hqtasks.assignment"}


class NeedOut(Schema):
    name: str
    label: str
    required: bool


class StepOut(Schema):
    name: str = Field(description="The step's name, for POST …/steps/{step}.")
    label: str
    target: str = Field(description="The state the record reaches.")
    needs: list[NeedOut] = Field(description="Values the step needs, by name.")


class StepsOut(Schema):
    state: str
    steps: list[StepOut] = Field(description="The steps this person may make now (state, role and guards hold).")


class StepIn(Schema):
    values: dict[Text, Text] = Field(default_factory=dict, description="The step's needed values by name (a "
                                                                       "return comment, an answer, a reason...).")


def _step_record(request: HttpRequest, part: str, pk: int):
    label = STEP_MODELS.get(part)
    if label is None:
        raise Http404
    model = workflow_model(label)
    access = access_of(request)
    return model, get_scoped_or_404(access, model, visible_roles(model), field=unit_lookup(model), pk=pk), access


@router.get("/{part}/{record_id}/steps", response={200: StepsOut, **STAFF_ERRORS}, url_name="staff_steps",
            summary="کارهای ممکن روی یک پرونده")
def steps(request: HttpRequest, part: Literal["news", "complaints", "hqtasks"], record_id: Id):
    """The workflow steps (workflow/declare.py) the person may make now on a news item, a case or an HQ task
    assignment of their units (404 otherwise): the same list as the record's buttons."""
    _, obj, access = _step_record(request, part, record_id)
    return {"state": obj.state, "steps": [
        {"name": spec.name, "label": spec.label, "target": spec.target,
         "needs": [{"name": n.name, "label": n.label, "required": n.required} for n in spec.needs]}
        for spec in allowed(obj, access)]}


@router.post("/{part}/{record_id}/steps/{step}", response={200: StepsOut, **STAFF_ERRORS}, url_name="staff_step",
             summary="انجام یک کار گردش کار")
def make_step(request: HttpRequest, part: Literal["news", "complaints", "hqtasks"], record_id: Id,
              step: Text, payload: StepIn):
    """Make one step through `workflow.engine.move` (row lock, state, role, needed values and guards checked
    once, action log, notices), as the generic step page does. 404 outside the person's units or for an
    unknown step; 403 with the Persian reason when the state, a guard or the role refuses; 400 for a missing
    needed value (on its field). Answers the record's new state and next steps."""
    model, obj, access = _step_record(request, part, record_id)
    spec = steps_of(model).get(step)
    if spec is None:
        raise Http404
    form = StepForm(spec, payload.values)
    if not form.is_valid():
        raise from_form(form)
    try:
        obj = move(obj, step, by=request.user, **form.cleaned_data)
    except RoleRefused:
        raise PermissionDenied("شما اجازه این کار را ندارید.") from None
    except TransitionRefused as refusal:
        raise PermissionDenied(str(refusal)) from None
    except ValidationError as error:
        raise from_validation(error) from None
    obj.refresh_from_db()
    return steps(request, part, record_id)
