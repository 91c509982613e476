"""Pages of the reports part (B4 problems, D3 solutions). State changes are the declared steps of
`UnitReport`: buttons from `{% workflow_buttons %}` post to the generic step view; only "act" (a
person and a date to choose) has a page of its own here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from ravabet.lib.actions import save_form
from ravabet.lib.excel import xlsx_response
from ravabet.lib.paging import BoundedPaginator
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.lib.text import search_key
from ravabet.lib.uploads import private_file_response
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES
from ravabet.workflow.declare import hq_role
from ravabet.workflow.engine import allowed, check, move, steps_of

from . import services
from .forms import ActForm, ReportForm
from .models import Kind, Source, State, UnitReport, Urgency

LIST_RELATED = ("unit", "created_by", "followup_by", "solves")


def _reports_for(access):
    """Reports the person may open: everything of the units where they hold a work role, except
    the drafts of units where they hold no unit role (a unit's draft is its own until sent)."""
    return scoped(access, UnitReport.objects.all(), WORK_ROLES) \
        .filter(~Q(state=State.DRAFT) | Q(unit__in=access.unit_ids(UNIT_ROLES)))


def _get_report(request, pk: int) -> UnitReport:
    return get_scoped_or_404(request.access, _reports_for(request.access).select_related(*LIST_RELATED, "answered_by"),
                             WORK_ROLES, pk=pk)


def _filter(reports, request):
    params = request.GET
    for name, choices in (("kind", Kind), ("source", Source), ("state", State), ("urgency", Urgency)):
        value = params.get(name, "")
        if value in choices.values:
            reports = reports.filter(**{name: value})
    reports = request.access.narrow(reports, params.get("unit"))
    if params.get("followup") == "overdue":
        reports = reports.filter(state=State.ACTION, followup_due__lt=timezone.localdate())
    text = search_key(params.get("q", ""))
    if text:
        reports = reports.filter(search_key__contains=text)
    return reports


def _export(reports) -> HttpResponse:
    rows = ([r.pk, r.unit.name, r.get_kind_display(), r.get_source_display(), r.subject, r.description,
             r.get_urgency_display(), r.get_state_display(), r.sent_at, r.hq_comment,
             r.followup_by.full_name if r.followup_by else "", r.followup_due, r.solves.subject if r.solves else ""]
            for r in reports.select_related(*LIST_RELATED).order_by("-created_at", "-pk")[:50_000])
    return xlsx_response("گزارش‌های واحدها", "گزارش‌ها",
                         ["شماره", "واحد", "نوع", "خاستگاه", "موضوع", "شرح", "فوریت", "وضعیت", "زمان ارسال",
                          "نظر اداره کل", "پیگیری‌کننده", "مهلت پیگیری", "مشکل مربوط"], rows)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES, "گزارش‌های واحد برای روابط عمومی، رئیس اداره و اداره کل است.")
    reports = _filter(_reports_for(access), request)
    if request.GET.get("export") == "xlsx":
        return _export(reports)
    page = BoundedPaginator(reports.select_related(*LIST_RELATED).order_by("-created_at", "-pk"), 50) \
        .get_page(request.GET.get("page"))
    return render(request, "reports/report_list.html", {
        "page_obj": page, "units": access.filter_units(WORK_ROLES), "is_hq": access.is_hq,
        "can_write": access.work_unit_or_none(UNIT_ROLES, county=True) is not None, "kinds": Kind.choices, "sources": Source.choices, "states": State.choices,
        "urgencies": Urgency.choices, "today": timezone.localdate()})


def _saved_message(report) -> str:
    return ("گزارش به اداره کل فرستاده شد." if report.state == State.SENT
            else "پیش‌نویس ذخیره شد؛ هر وقت آماده بود آن را به اداره کل بفرستید.")


def _form_kwargs(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "attachments"}


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(UNIT_ROLES, county=True)
    initial = {"kind": request.GET.get("kind", Kind.PROBLEM)}
    solves = request.GET.get("solves", "")
    if solves.isdigit():
        initial.update(kind=Kind.SOLUTION, solves=int(solves))
    form = ReportForm(request.POST or None, request.FILES or None, unit=unit, initial=initial)
    report = save_form(request, form, lambda data: services.report_create(
        unit=unit, by=request.user, send=request.POST.get("send") == "1", attachments=data["attachments"],
        **_form_kwargs(data)), _saved_message, once="reports.report")
    if report:
        return redirect("reports:detail", report.pk)
    return render(request, "reports/report_form.html", {"form": form, "unit": unit, "title": "گزارش تازه به اداره کل"})


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    request.access.require(report.unit, UNIT_ROLES)
    if not report.is_editable:
        messages.error(request, "گزارش فرستاده‌شده را نمی‌توان ویرایش کرد.")
        return redirect("reports:detail", report.pk)
    initial = {"kind": report.kind, "source": report.source, "subject": report.subject,
               "description": report.description, "urgency": report.urgency, "solves": report.solves_id}
    form = ReportForm(request.POST or None, request.FILES or None, unit=report.unit, exclude_pk=report.pk,
                      initial=initial)
    if save_form(request, form, lambda data: services.report_update(
            report=report, by=request.user, attachments=data["attachments"], send=request.POST.get("send") == "1",
            **_form_kwargs(data)), _saved_message):
        return redirect("reports:detail", report.pk)
    return render(request, "reports/report_form.html",
                  {"form": form, "unit": report.unit, "report": report, "title": "ویرایش گزارش"})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    access = request.access
    author = access.has_role(report.unit, UNIT_ROLES)
    return render(request, "reports/report_detail.html", {
        "report": report, "author": author, "steps": allowed(report, access),
        "can_edit": author and report.is_editable,
        "attachments": list(report.attachments.all()),
        "solutions": list(report.solutions.exclude(state=State.DRAFT).order_by("pk")),
        "overdue": report.state == State.ACTION and report.followup_due
        and report.followup_due < timezone.localdate()})


@login_required
def report_act(request: HttpRequest, pk: int) -> HttpResponse:
    """The "act" step's page: HQ names the follow-up person (from HQ above the unit) and the due date;
    the form says on its fields what the step's guards would refuse."""
    report = _get_report(request, pk)
    spec = steps_of(UnitReport)["act"]
    check(report, spec, request.access, typed=False)  # the guards about what the form gives run on POST
    hq_people = hq_role(*HQ_ROLES)(report, request.user)
    form = ActForm(request.POST or None, hq_people=hq_people)
    if save_form(request, form, lambda data: move(report, "act", by=request.user, **data), spec.done):
        return redirect("reports:detail", report.pk)
    return render(request, "reports/report_act.html", {"report": report, "form": form},
                  status=400 if form.errors else 200)


@login_required
def report_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    item = get_object_or_404(report.attachments, pk=attachment_pk)
    return private_file_response(item.file, download_name=item.name, pdf_inline=False)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    content = render_pdf("reports/pdf/report.html", {"report": report,
                                                     "solutions": list(report.solutions.exclude(state=State.DRAFT))})
    return pdf_response(f"گزارش-{report.pk}", content)
