"""Pages of the HQ tasks part (F7): the list of assignments, the head of HQ PR's task form, an
assignment with its evidence form. HQ's review (accept, return) is the assignment's workflow buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ravabet.lib import jalali
from ravabet.lib.actions import errors_to_form, save_form
from ravabet.lib.digits import to_persian_digits as fa
from ravabet.lib.excel import xlsx_response
from ravabet.lib.paging import BoundedPaginator
from ravabet.lib.uploads import private_file_response
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.models import Unit, UnitKind
from ravabet.offices.roles import WORK_ROLES

from . import forms, services
from .models import ASSIGNERS, OPEN_STATES, Assignment, AssignmentState

PAGE = 50


def _assignments(request, access):
    today = jalali.today()
    items = scoped(access, Assignment.objects.select_related("task", "unit"), WORK_ROLES)
    state = request.GET.get("state", "")
    if state == "overdue":
        items = items.filter(services.overdue_q(today))
    elif state in AssignmentState.values:
        items = items.filter(state=state)
    if request.GET.get("q"):
        items = items.filter(task__title__icontains=request.GET["q"].strip())
    items = access.narrow(items, request.GET.get("unit"))
    return items.order_by("task__due_date", "pk"), today


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES, "شما اجازه دیدن مأموریت‌ها را ندارید.")
    items, today = _assignments(request, access)
    if request.GET.get("export") == "xlsx":
        rows = ([a.task.title, a.unit.name, a.task.created_at, a.task.due_date, a.get_state_display(),
                 "بله" if a.is_overdue(today) else "", a.done_at, a.evidence, a.review_comment]
                for a in items[:50_000])
        return xlsx_response("مأموریت‌های اداره کل", "مأموریت‌ها",
                             ["مأموریت", "واحد", "زمان ابلاغ", "مهلت", "وضعیت", "دیرکرد", "زمان انجام", "گزارش",
                              "نظر اداره کل"], rows)
    page = BoundedPaginator(items, PAGE).get_page(request.GET.get("page"))
    for a in page:
        a.overdue = a.is_overdue(today)
    summary = scoped(access, Assignment.objects.all(), WORK_ROLES).aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        waiting=Count("pk", filter=Q(state=AssignmentState.DONE)),
        overdue=Count("pk", filter=services.overdue_q(today)))
    return render(request, "hqtasks/task_list.html",
                  {"page_obj": page, "units": access.filter_units(WORK_ROLES), "states": AssignmentState.choices,
                   "can_assign": bool(access.unit_ids(ASSIGNERS)), "summary": summary})


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(ASSIGNERS, "ابلاغ مأموریت فقط از رئیس روابط عمومی اداره کل ساخته است.")
    units = Unit.objects.filter(pk__in=access.unit_ids(ASSIGNERS), kind=UnitKind.COUNTY, is_active=True) \
        .order_by("name")
    form = forms.TaskForm(request.POST or None, units=units)
    if save_form(request, form, lambda data: services.task_assign(by=request.user, **data),
                 lambda task: f"مأموریت «{task.title}» به {fa(task.assignments.count())} واحد ابلاغ شد.",
                 once="hqtasks.task"):
        return redirect("hqtasks:list")
    return render(request, "hqtasks/form.html", {"form": form, "title": "ابلاغ مأموریت به واحدها",
                                                 "back": reverse("hqtasks:list")})


def _assignment(request, pk) -> Assignment:
    return get_scoped_or_404(request.access, Assignment.objects.select_related("task", "unit", "done_by"),
                             WORK_ROLES, pk=pk)


def _detail(request, assignment: Assignment, form=None, status: int = 200) -> HttpResponse:
    siblings = assignment.task.assignments.select_related("unit") if request.access.is_hq else []
    return render(request, "hqtasks/assignment_detail.html", {
        "assignment": assignment, "overdue": assignment.is_overdue(jalali.today()), "siblings": siblings,
        "submit_form": form or forms.SubmitForm(initial={"evidence": assignment.evidence})}, status=status)


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _assignment(request, pk))


@login_required
def assignment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The `submit` step's own page: a report and a file. GET shows the assignment with the form; a refused
    step answers 403, an empty report without a file shows the Persian message on the form."""
    assignment = _assignment(request, pk)
    if request.method != "POST":
        return _detail(request, assignment)
    form = forms.SubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.assignment_submit(assignment=assignment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "گزارش انجام کار برای اداره کل فرستاده شد.")
            return redirect("hqtasks:assignment", pk)
    return _detail(request, assignment, form, status=400)


@login_required
def assignment_file(request: HttpRequest, pk: int) -> FileResponse:
    assignment = _assignment(request, pk)
    if not assignment.evidence_file:
        raise Http404("پیوستی ندارد.")
    return private_file_response(assignment.evidence_file, download_name=f"task-{assignment.pk}")
