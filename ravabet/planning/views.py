from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ravabet.compliance.measures import months_between
from ravabet.lib import idempotency, jalali
from ravabet.lib.actions import run_service
from ravabet.lib.digits import to_latin_digits, to_persian_digits
from ravabet.lib.excel import xlsx_response
from ravabet.lib.paging import BoundedPaginator, count_related
from ravabet.lib.pdf import pdf_response
from ravabet.lib.uploads import private_file_response
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.models import Unit, UnitKind
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES

from . import services
from .forms import (
    ChannelForm,
    DecisionFormSet,
    FigureForm,
    GuestFormSet,
    MeetingForm,
    MonthForm,
    PlanForm,
    PlanItemFormSet,
    ReportTextForm,
    SettingsForm,
    SignedMinutesForm,
    TrainingForm,
)
from .models import (
    Attendance,
    Channel,
    ChannelFigure,
    Decision,
    Meeting,
    MeetingKind,
    MonthlyReport,
    Plan,
    PlanItem,
    PlanningSettings,
    PlanState,
    ReportState,
    Training,
    period_label,
    report_due_date,
    year_bounds,
)
from .pdf import meeting_pdf_bytes, report_pdf_bytes, warm_up_in_background
from .selectors import link_candidates, plan_progress, store_summary, training_hours, training_summary

HQ_PAGE = "این صفحه از آنِ روابط عمومی اداره کل است."


def _int_param(request, name: str, default: int | None) -> int | None:
    value = to_latin_digits(request.GET.get(name, "")).strip()
    return int(value) if value.isdecimal() else default


def _archived_view(request) -> bool:
    """Lists show the live records; ?archived=1 shows the archived ones (to bring one back)."""
    return request.GET.get("archived") == "1"


# --- Plans ----------------------------------------------------------------------------------

@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    plans = scoped(request.access, Plan.objects.all()).select_related("unit")
    plans = request.access.narrow(plans, request.GET.get("unit"))
    units = request.access.filter_units()
    year = _int_param(request, "year", None)
    if year:
        plans = plans.filter(year=year)
    plans = plans.order_by("-year", "-month", "unit__name")
    if request.GET.get("export") == "xlsx":
        return xlsx_response("برنامه‌ها", "برنامه‌ها",
                             ["واحد", "برنامه", "دوره", "بندها", "وضعیت", "پیشرفت (درصد)", "انجام‌شده", "عقب از برنامه"],
                             ([p.unit.name, str(p), p.period_label, p.item_count, p.get_state_display(),
                               p.progress_percent if p.progress_at else "", p.done_count, p.behind_count]
                              for p in plans.annotate(item_count=Count("items"))))
    page = Paginator(plans, 30).get_page(request.GET.get("page"))
    page.object_list = count_related(list(page.object_list), PlanItem, "plan", item_count=None)
    can_create = request.access.work_unit_or_none(UNIT_ROLES) is not None
    return render(request, "planning/plan_list.html", {"page_obj": page, "can_create": can_create, "year": year,
                                                       "units": units})


def _breakdown(request, unit) -> tuple[dict, list[dict]]:
    """For ?from_yearly=<pk>&month=<m> (the "monthly plan" button of a yearly plan): the new monthly
    plan's initial year and month and its items prefilled from the yearly plan's (A1: the year broken
    into months) — a count target split evenly over the months left, dates at the month's end."""
    yearly_pk, month = _int_param(request, "from_yearly", None), _int_param(request, "month", None)
    if request.method != "GET" or not yearly_pk or month not in range(1, 13):
        return {}, []
    yearly = Plan.objects.filter(pk=yearly_pk, unit=unit, month__isnull=True).first()
    if yearly is None:
        return {}, []
    start, end = jalali.month_bounds(yearly.year, month)
    items = []
    for item in yearly.items.all():
        if item.due_date < start:
            continue
        months_left = max(1, len(months_between(start, item.due_date)))
        target = -(-item.target_count // months_left) if item.target_count else None
        items.append({"title": item.title, "codes": item.codes, "measure": item.measure, "target_count": target,
                      "target_date": None if target else min(item.target_date or end, end),
                      "owner": item.owner_id, "due_date": end})
    return {"year": yearly.year, "month": month, "title": f"{yearly.title or 'برنامه'} — {jalali.month_name(month)}"}, items


def _plan_form_page(request, plan: Plan | None):
    unit = plan.unit if plan else request.access.work_unit(UNIT_ROLES)
    initial, item_initial = (({}, []) if plan else _breakdown(request, unit))
    form = PlanForm(request.POST or None, instance=plan, unit=unit, initial=initial)
    formset = PlanItemFormSet(request.POST or None, instance=form.instance, form_kwargs={"unit": unit},
                              initial=item_initial)
    if item_initial:
        formset.extra = len(item_initial)
    scope = None if plan else "planning.plan"  # a new plan's form is made once (issue 13)
    if request.method == "POST" and (first := idempotency.earlier(request, scope)) is not None:
        messages.info(request, idempotency.ALREADY_SAVED)
        return redirect("planning:plan_detail", first.pk)
    if request.method == "POST":
        plan_ok = form.is_valid()
        for item_form in formset.forms:
            item_form.instance.plan = form.instance
        if plan_ok and formset.is_valid():
            items = [f.instance for f in formset.forms
                     if (f.has_changed() or f.instance.pk) and not formset._should_delete_form(f)]
            removed = [f.instance for f in formset.deleted_forms if f.instance.pk]
            try:
                saved, _ = idempotency.create_once(request, scope, lambda: services.plan_save(
                    plan=form.instance, items=items, removed=removed, by=request.user))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"برنامه {saved.period_label} ذخیره شد.")
                return redirect("planning:plan_detail", saved.pk)
    return render(request, "planning/plan_form.html", {"form": form, "formset": formset, "plan": plan,
                                                       "unit": unit})


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    return _plan_form_page(request, None)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_scoped_or_404(request.access, Plan.objects.select_related("unit"), pk=pk)
    request.access.require(plan.unit, UNIT_ROLES)
    if not plan.is_editable:
        messages.error(request, "برنامه فرستاده یا تأییدشده را نمی‌توان ویرایش کرد.")
        return redirect("planning:plan_detail", plan.pk)
    return _plan_form_page(request, plan)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_scoped_or_404(request.access, Plan.objects.select_related("unit", "yearly_plan", "signed_off_by"),
                             pk=pk)
    items = plan.items.select_related("owner").prefetch_related("links")
    progress = plan_progress(plan, items=items)
    store_summary(plan, progress)
    access = request.access
    monthly = {p.month: p for p in plan.monthly_plans.only("pk", "month", "year", "state", "progress_percent",
                                                            "progress_at", "unit_id")} if plan.is_yearly else {}
    can_work = access.has_role(plan.unit, UNIT_ROLES)
    return render(request, "planning/plan_detail.html", {
        "plan": plan, "progress": progress, "behind_count": sum(p.behind for p in progress),
        "can_edit": plan.is_editable and can_work, "can_link": can_work,
        "months": [(m, jalali.month_name(m), monthly.get(m)) for m in range(1, 13)] if plan.is_yearly else [],
    })


@login_required
def plan_item_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the records that count toward a plan item measured by linked records (A1)."""
    item = get_object_or_404(PlanItem.objects.select_related("plan__unit"), pk=pk)
    plan = get_scoped_or_404(request.access, Plan.objects.select_related("unit"), pk=item.plan_id)
    request.access.require(plan.unit, UNIT_ROLES)
    item.plan = plan
    candidates = link_candidates(item)
    linked = {f"{link.content_type_id}:{link.object_id}" for link in item.links.all()}
    error = ""
    if request.method == "POST":
        chosen = request.POST.getlist("records")
        try:
            services.plan_item_links_set(item=item, chosen=chosen, by=request.user)
        except ValidationError as failure:
            error, linked = " ".join(failure.messages), set(chosen)
        else:
            messages.success(request, f"سوابق بند «{item.title}» ذخیره شد.")
            return redirect("planning:plan_detail", plan.pk)
    return render(request, "planning/plan_item_links.html", {
        "item": item, "plan": plan, "candidates": candidates, "linked": linked, "error": error},
        status=400 if error else 200)


@login_required
def plan_queue(request: HttpRequest) -> HttpResponse:
    request.access.require_any(HQ_ROLES, HQ_PAGE)
    plans = scoped(request.access, Plan.objects.filter(state=PlanState.SUBMITTED), HQ_ROLES) \
        .select_related("unit").annotate(item_count=Count("items")).order_by("submitted_at")
    return render(request, "planning/plan_queue.html", {"plans": plans})


@login_required
def plan_overview(request: HttpRequest) -> HttpResponse:
    """HQ's view of every county's yearly and monthly plans for one Jalali year, from the progress
    summaries stored on the plans: two queries whatever the number of units and plans."""
    request.access.require_any(HQ_ROLES, HQ_PAGE)
    year = _int_param(request, "year", jalali.current_month()[0])
    unit_ids = request.access.unit_ids(HQ_ROLES)
    units = list(Unit.objects.filter(pk__in=unit_ids, kind=UnitKind.COUNTY, is_active=True).order_by("name"))
    plans = {}
    for plan in scoped(request.access, Plan.objects.filter(year=year), HQ_ROLES) \
            .annotate(item_count=Count("items")).only("pk", "unit_id", "year", "month", "title", "state", "progress_percent", "done_count",
                  "behind_count", "progress_at"):
        plans[(plan.unit_id, plan.month)] = plan
    months = list(range(1, 13))
    rows = [{"unit": unit, "yearly": plans.get((unit.pk, None)),
             "months": [plans.get((unit.pk, month)) for month in months]} for unit in units]
    if request.GET.get("export") == "xlsx":
        def cell(plan):
            return "" if plan is None else f"{plan.get_state_display()} — {plan.progress_percent}% — {plan.behind_count} عقب"
        return xlsx_response(f"پیشرفت-برنامه‌ها-{year}", "پیشرفت برنامه‌ها",
                             ["واحد", "برنامه سالانه"] + [jalali.month_name(m) for m in months],
                             ([row["unit"].name, cell(row["yearly"])] + [cell(p) for p in row["months"]]
                              for row in rows))
    behind_units = sum(1 for row in rows if row["yearly"] and row["yearly"].behind_count)
    return render(request, "planning/plan_overview.html", {
        "rows": rows, "year": year, "months": [(m, jalali.month_name(m)) for m in months],
        "without_yearly": sum(1 for row in rows if row["yearly"] is None), "behind_units": behind_units})


# --- Meetings -------------------------------------------------------------------------------

@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    archived = _archived_view(request)
    meetings = scoped(request.access, Meeting.objects.filter(is_archived=archived)).select_related("unit")
    meetings = request.access.narrow(meetings, request.GET.get("unit"))
    units = request.access.filter_units()
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    meetings = meetings.order_by("-starts_at")
    if request.GET.get("export") == "xlsx":
        return xlsx_response("جلسه‌ها", "جلسه‌ها", ["واحد", "موضوع", "نوع", "آغاز", "پایان", "محل", "حاضران", "مصوبات"],
                             ([m.unit.name, m.title, m.get_kind_display(), m.starts_at, m.ends_at, m.place,
                               m.present_count, m.decision_count] for m in meetings.annotate(
                                  present_count=Count("attendances", filter=Q(attendances__present=True), distinct=True),
                                  decision_count=Count("decisions", distinct=True))))
    page = Paginator(meetings, 30).get_page(request.GET.get("page"))
    page.object_list = count_related(list(page.object_list), Attendance, "meeting", present_count=Q(present=True))
    count_related(page.object_list, Decision, "meeting", decision_count=None)
    return render(request, "planning/meeting_list.html", {
        "page_obj": page, "kinds": MeetingKind.choices, "kind": kind, "units": units, "archived": archived,
        "can_create": request.access.work_unit_or_none(UNIT_ROLES) is not None})


def _meeting_form_page(request, meeting: Meeting | None):
    unit = meeting.unit if meeting else request.access.work_unit(UNIT_ROLES)
    form = MeetingForm(request.POST or None, instance=meeting, unit=unit)
    formset = DecisionFormSet(request.POST or None, instance=form.instance, form_kwargs={"unit": unit})
    guest_formset = GuestFormSet(request.POST or None, instance=form.instance)
    scope = None if meeting else "planning.meeting"  # a new meeting's form is made once (issue 13)
    if request.method == "POST" and (first := idempotency.earlier(request, scope)) is not None:
        messages.info(request, idempotency.ALREADY_SAVED)
        return redirect("planning:meeting_detail", first.pk)
    if request.method == "POST" and form.is_valid() and formset.is_valid() and guest_formset.is_valid():
        decisions, removed = _kept_and_removed(formset)
        guests, removed_guests = _kept_and_removed(guest_formset)

        def save():
            return services.meeting_save(meeting=form.instance, present=list(form.cleaned_data["present"]),
                                         absent=list(form.cleaned_data["absent"]), decisions=decisions,
                                         removed=removed, guests=guests, removed_guests=removed_guests,
                                         by=request.user)
        try:
            saved, _ = idempotency.create_once(request, scope, save)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"جلسه «{saved.title}» ذخیره شد.")
            return redirect("planning:meeting_detail", saved.pk)
    return render(request, "planning/meeting_form.html", {"form": form, "formset": formset, "meeting": meeting,
                                                          "guest_formset": guest_formset})


def _kept_and_removed(formset) -> tuple[list, list]:
    """A valid inline formset's rows to save (filled or already saved, not ticked for deletion) and
    its saved rows ticked for deletion."""
    kept = [f.instance for f in formset.forms if (f.has_changed() or f.instance.pk) and not formset._should_delete_form(f)]
    return kept, [f.instance for f in formset.deleted_forms if f.instance.pk]


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _meeting_form_page(request, None)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_scoped_or_404(request.access, Meeting.objects.select_related("unit"), pk=pk)
    request.access.require(meeting.unit, UNIT_ROLES)
    return _meeting_form_page(request, meeting)


MEETING_DETAILS = (Prefetch("attendances", queryset=Attendance.objects.select_related("person")),
                   Prefetch("decisions", queryset=Decision.objects.select_related("owner")), "guests")


def _meeting_with_details(request, pk: int) -> Meeting:
    return get_scoped_or_404(request.access, Meeting.objects.select_related("unit")
                             .prefetch_related(*MEETING_DETAILS), pk=pk)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_with_details(request, pk)
    warm_up_in_background()
    return render(request, "planning/meeting_detail.html", {
        "meeting": meeting, "can_edit": request.access.has_role(meeting.unit, UNIT_ROLES),
        "minutes_form": SignedMinutesForm(), "upcoming": meeting.starts_at > timezone.now()})


def _meeting_of_participant(request, pk: int) -> Meeting:
    """A meeting for its unit's PR people and HQ, and for anyone who attended it or was given one of its
    decisions (F6: staff see the minutes of their meetings and the decisions given to them); else 404."""
    meeting = Meeting.objects.select_related("unit").prefetch_related(*MEETING_DETAILS) \
        .filter(pk=pk, is_archived=False).first()
    if meeting is None:
        raise Http404
    if scoped(request.access, Meeting.objects.filter(pk=pk)).exists():
        return meeting
    mine = Q(attendances__person__user=request.user) | Q(decisions__owner__user=request.user)
    if not Meeting.objects.filter(mine, pk=pk).exists():
        raise Http404
    return meeting


@login_required
def meeting_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The read-only page of a meeting: agenda, minutes, attendance, guests, decisions, signed minutes."""
    meeting = _meeting_of_participant(request, pk)
    return render(request, "planning/meeting_detail.html", {"meeting": meeting, "can_edit": False, "read_only": True})


@login_required
def meeting_signed_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_of_participant(request, pk)
    if not meeting.signed_minutes:
        raise Http404("صورت‌جلسه امضاشده ندارد.")
    return private_file_response(meeting.signed_minutes, download_name=f"صورت‌جلسه-امضاشده-{meeting.pk}{PurePosixPath(meeting.signed_minutes.name).suffix}")


@login_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_with_details(request, pk)
    request.access.require(meeting.unit, UNIT_ROLES)
    try:
        reached = services.meeting_invite(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"دعوت‌نامه و دستور جلسه برای {to_persian_digits(reached)} نفر فرستاده شد.")
    return redirect("planning:meeting_detail", meeting.pk)


@login_required
@require_POST
def meeting_minutes_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_with_details(request, pk)
    request.access.require(meeting.unit, UNIT_ROLES)
    form = SignedMinutesForm(request.POST, request.FILES)
    if form.is_valid():
        services.meeting_sign_minutes(meeting=meeting, upload=form.cleaned_data["signed_minutes"], by=request.user)
        messages.success(request, "صورت‌جلسه امضاشده بارگذاری شد.")
        return redirect("planning:meeting_detail", meeting.pk)
    return render(request, "planning/meeting_detail.html", {
        "meeting": meeting, "can_edit": True, "minutes_form": form, "upcoming": meeting.starts_at > timezone.now()},
        status=400)


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    """A person's own page (any role, staff included): the meeting decisions given to them and the
    meetings they attended or were invited to, newest first (F6, A3)."""
    decisions = Decision.objects.filter(owner__user=request.user, meeting__is_archived=False) \
        .select_related("meeting", "unit").order_by("done", "due_date", "pk")
    meetings = Meeting.objects.filter(attendances__person__user=request.user, is_archived=False) \
        .select_related("unit").order_by("-starts_at")
    return render(request, "planning/my_meetings.html", {
        "decisions": Paginator(decisions, 50).get_page(request.GET.get("page")),
        "meetings": meetings[:50]})


@login_required
@require_POST
def meeting_announce(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting announces itself in one step (B6): an announcement with its subject, time and
    place, to the unit's staff for a staff meeting and to its attendees otherwise, linked back to
    the meeting. A duplicate or a bad audience sends the person to the prefilled form instead."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from ravabet.lib.jalali import format_datetime
    from ravabet.messaging import services as messaging

    meeting = _meeting_with_details(request, pk)
    request.access.require(meeting.unit, UNIT_ROLES)
    title = f"جلسه: {meeting.title}"[:150]
    body = f"{meeting.get_kind_display()}\nزمان: {format_datetime(meeting.starts_at)}\nمحل: {meeting.place}"
    staff = meeting.kind == "staff"
    people = [] if staff else [a.person for a in meeting.attendances.all()]
    try:
        announcement = messaging.announcement_create(
            unit=meeting.unit, by=request.user, kind="ceremony_programme", title=title, body=body,
            occasion=title, target_units=[meeting.unit] if staff else [], people=people,
            about_url=reverse("planning:meeting_detail", args=[meeting.pk]), about_label=meeting.title)
    except (ValidationError, messaging.DuplicateFound):
        messages.warning(request, "اطلاعیه جلسه را در این فرم بررسی کنید و بفرستید.")
        query = urlencode({"kind": "ceremony_programme", "title": title, "body": body, "occasion": title,
                           "meeting": meeting.pk})
        return redirect(f"{reverse('messaging:announcement_create')}?{query}")
    messages.success(request, "اطلاعیه جلسه فرستاده شد.")
    return redirect(announcement.get_absolute_url())


@login_required
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_with_details(request, pk)
    return pdf_response(f"صورت‌جلسه-{meeting.pk}", meeting_pdf_bytes(meeting))


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    decisions = scoped(request.access, Decision.objects.filter(meeting__is_archived=False)
                       .select_related("owner", "meeting", "unit"))
    show = request.GET.get("show", "open")
    if show != "all":
        decisions = decisions.filter(done=False)
    decisions = decisions.order_by("done", "due_date", "pk")
    if request.GET.get("export") == "xlsx":
        return xlsx_response("مصوبات", "مصوبات", ["واحد", "جلسه", "مصوبه", "مسئول", "مهلت", "انجام شد"],
                             ([d.unit.name, d.meeting.title, d.text, d.owner.full_name if d.owner else "",
                               d.due_date, "بله" if d.done else ""] for d in decisions))
    page = BoundedPaginator(decisions, 50).get_page(request.GET.get("page"))
    return render(request, "planning/decision_list.html", {"page_obj": page, "show": show,
                                                           "editable_units": request.access.unit_ids(UNIT_ROLES)})


@login_required
@require_POST
def decision_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_scoped_or_404(request.access, Decision.objects.select_related("meeting", "unit"), pk=pk)
    services.decision_set_done(decision=decision, done=not decision.done, by=request.user)
    messages.success(request, "مصوبه انجام‌شده ثبت شد." if decision.done else "مصوبه دوباره باز شد.")
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/planning/")
                    else "planning:decisions")


# --- Trainings ------------------------------------------------------------------------------

@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    """The year's trainings (A4), 30 a page, above the hours of each person against HQ's yearly target; for
    someone who sees several units, one row per unit until a unit is chosen (`?unit=`). GET `year`, `unit`,
    `archived`, `page`; `export=xlsx` gives every person's hours of the units seen (or of the chosen unit)."""
    request.access.require_any(WORK_ROLES)
    year = _int_param(request, "year", jalali.current_month()[0])
    archived = _archived_view(request)
    trainings = request.access.narrow(scoped(request.access, Training.objects.filter(
        is_archived=archived, date__range=year_bounds(year)).select_related("person", "unit")), request.GET.get("unit"))
    units = request.access.filter_units()
    unit_ids = request.access.unit_ids(WORK_ROLES)
    chosen = _int_param(request, "unit", None)
    target = PlanningSettings.load().yearly_training_hours
    if request.GET.get("export") == "xlsx":  # every person of the units seen (or of the chosen one)
        people = training_hours([chosen] if chosen in unit_ids else unit_ids, year)
        return xlsx_response(f"آموزش-{year}", "آموزش", ["واحد", "نام", "دوره‌ها", "ساعت", "هدف"],
                             ([p.unit.name, p.full_name, p.courses, float(p.hours), target] for p in people))
    # Someone who sees several units and chose none gets one row per unit, each leading to its people
    # (?unit=): the province's every trained person was a 150 KB page (issue 11).
    summary, people = None, None
    if len(unit_ids) > 1 and chosen not in unit_ids:
        summary = training_summary(unit_ids, year, target, units)
    else:
        people = training_hours([chosen] if chosen in unit_ids else unit_ids, year)
    page = BoundedPaginator(trainings.order_by("-date", "-pk"), 30).get_page(request.GET.get("page"))
    untrained = _units_without_training(request, year) if request.access.is_hq else None
    return render(request, "planning/training_list.html", {
        "page_obj": page, "people": people, "summary": summary, "year": year,
        "target": target, "units": units, "archived": archived, "untrained": untrained,
        "editable_units": request.access.unit_ids(UNIT_ROLES),
        "can_create": request.access.work_unit_or_none(UNIT_ROLES) is not None})


def _units_without_training(request, year: int) -> list[Unit]:
    """HQ's counties with no training recorded (not archived) in the Jalali year (A4): one query."""
    trained = Training.objects.filter(date__range=year_bounds(year), is_archived=False).values("unit_id")
    return list(Unit.objects.filter(pk__in=request.access.unit_ids(HQ_ROLES), kind=UnitKind.COUNTY, is_active=True)
                .exclude(pk__in=trained).order_by("name"))


def _training_form_page(request, training: Training | None):
    unit = training.unit if training else request.access.work_unit(UNIT_ROLES)
    form = TrainingForm(request.POST or None, request.FILES or None, instance=training, unit=unit)
    scope = None if training else "planning.training"  # a new training's form is made once (issue 13)
    if request.method == "POST" and idempotency.earlier(request, scope) is not None:
        messages.info(request, idempotency.ALREADY_SAVED)
        return redirect("planning:trainings")
    if request.method == "POST" and form.is_valid():
        try:
            saved, _ = idempotency.create_once(
                request, scope, lambda: services.training_save(training=form.instance, by=request.user))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"آموزش «{saved.title}» ذخیره شد.")
            return redirect("planning:trainings")
    return render(request, "planning/training_form.html", {"form": form, "training": training})


@login_required
def training_create(request: HttpRequest) -> HttpResponse:
    return _training_form_page(request, None)


@login_required
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_scoped_or_404(request.access, Training.objects.select_related("unit"), pk=pk)
    request.access.require(training.unit, UNIT_ROLES)
    return _training_form_page(request, training)


@login_required
def training_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_scoped_or_404(request.access, Training, pk=pk)
    if not training.certificate:
        raise Http404("گواهی ندارد.")
    # Sent by a unit: a PDF is downloaded rather than shown (issue 13 §2).
    return private_file_response(training.certificate, download_name=f"certificate-{training.pk}", pdf_inline=False)


@login_required
def planning_settings(request: HttpRequest) -> HttpResponse:
    request.access.require_any(HQ_ROLES, HQ_PAGE)
    form = SettingsForm(request.POST or None, instance=PlanningSettings.load())
    if request.method == "POST" and form.is_valid():
        services.settings_update(by=request.user, **form.cleaned_data)
        messages.success(request, "تنظیمات ذخیره شد.")
        return redirect("planning:settings")
    return render(request, "planning/settings.html", {"form": form})


# --- Electronic PR --------------------------------------------------------------------------

@login_required
def channel_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    archived = _archived_view(request)
    channels = scoped(request.access, Channel.objects.filter(is_archived=archived).select_related("unit")).annotate(
        figure_count=Count("figures")).order_by("unit__name", "platform", "name")
    unit = request.access.work_unit_or_none(UNIT_ROLES)
    form = ChannelForm(request.POST or None, unit=unit) if unit else None
    if request.method == "POST":
        unit = request.access.work_unit(UNIT_ROLES)
        if form.is_valid():
            channel = services.channel_save(channel=form.instance, by=request.user)
            messages.success(request, f"کانال «{channel.name}» ثبت شد.")
            return redirect("planning:channel_detail", channel.pk)
    return render(request, "planning/channel_list.html", {"channels": channels, "form": form, "archived": archived})


COMPARE_MONTHS = 6


@login_required
def channel_compare(request: HttpRequest) -> HttpResponse:
    """HQ compares the counties' electronic PR (A5) over the last COMPARE_MONTHS Jalali months: per unit
    and month the posts of its live channels and the members at the month's end, with the trend (the
    last month against the first). Two queries whatever the number of units, channels and months."""
    request.access.require_any(HQ_ROLES, HQ_PAGE)
    year, month = jalali.current_month()
    months = []
    for _ in range(COMPARE_MONTHS):
        months.insert(0, (year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    units = list(Unit.objects.filter(pk__in=request.access.unit_ids(HQ_ROLES), kind=UnitKind.COUNTY, is_active=True)
                 .order_by("name"))
    in_months = Q()
    for y, m in months:
        in_months |= Q(year=y, month=m)
    sums = {(row["channel__unit_id"], row["year"], row["month"]): row for row in
            ChannelFigure.objects.filter(in_months, channel__unit__in=units, channel__is_archived=False)
            .values("channel__unit_id", "year", "month").annotate(posts=Sum("posts"), members=Sum("members"))}
    rows = []
    for unit in units:
        cells = [sums.get((unit.pk, y, m)) for y, m in months]
        posts = [cell["posts"] if cell else None for cell in cells]
        known = [value for value in posts if value is not None]
        trend = (known[-1] - known[0]) if len(known) >= 2 else None
        rows.append({"unit": unit, "cells": cells, "total": sum(known), "trend": trend,
                     "missing_last": cells[-2] is None})
    rows.sort(key=lambda row: -row["total"])
    labels = [period_label(y, m) for y, m in months]
    if request.GET.get("export") == "xlsx":
        return xlsx_response("مقایسه-کانال‌ها", "مطالب کانال‌ها", ["واحد", *labels, "جمع", "روند"],
                             ([row["unit"].name, *[c["posts"] if c else "" for c in row["cells"]], row["total"],
                               row["trend"] if row["trend"] is not None else ""] for row in rows))
    return render(request, "planning/channel_compare.html", {"rows": rows, "labels": labels})


@login_required
def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_scoped_or_404(request.access, Channel.objects.select_related("unit"), pk=pk)
    can_edit = request.access.has_role(channel.unit, UNIT_ROLES)
    form = FigureForm(request.POST or None)
    if request.method == "POST":
        request.access.require(channel.unit, UNIT_ROLES)
        if form.is_valid():
            services.figure_record(channel=channel, by=request.user, **form.cleaned_data)
            messages.success(request, "آمار ماه ثبت شد.")
            return redirect("planning:channel_detail", channel.pk)
    figures = list(ChannelFigure.objects.filter(channel=channel).order_by("year", "month"))
    chart = {"labels": [f.period_label for f in figures], "posts": [f.posts for f in figures],
             "members": [f.members for f in figures], "views": [f.views for f in figures]}
    return render(request, "planning/channel_detail.html", {
        "channel": channel, "figures": figures, "chart": chart, "can_edit": can_edit,
        "form": form if can_edit and not channel.is_archived else None})


@login_required
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_scoped_or_404(request.access, Channel.objects.select_related("unit"), pk=pk)
    request.access.require(channel.unit, UNIT_ROLES)
    form = ChannelForm(request.POST or None, instance=channel, unit=channel.unit)
    if request.method == "POST" and form.is_valid():
        services.channel_save(channel=form.instance, by=request.user)
        messages.success(request, "کانال ذخیره شد.")
        return redirect("planning:channel_detail", channel.pk)
    return render(request, "planning/channel_form.html", {"form": form, "channel": channel})


# --- Archive -------------------------------------------------------------------------------

def _archive(request, model, pk: int, list_url: str, detail_url: str | None = None) -> HttpResponse:
    record = get_scoped_or_404(request.access, model.objects.select_related("unit"), pk=pk)
    archived = request.POST.get("archived", "1") == "1"
    noun = services.ARCHIVE_NOUNS[model]
    run_service(request, lambda: services.archive_set(record=record, archived=archived, by=request.user),
                f"{noun} بایگانی شد و از فهرست‌ها، شمارش‌ها و گزارش ماهانه کنار رفت." if archived
                else f"{noun} از بایگانی بازگشت.")
    if detail_url:
        return redirect(detail_url, record.pk)
    return redirect(list_url)


@login_required
@require_POST
def meeting_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive(request, Meeting, pk, "planning:meetings", "planning:meeting_detail")


@login_required
@require_POST
def training_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive(request, Training, pk, "planning:trainings")


@login_required
@require_POST
def channel_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive(request, Channel, pk, "planning:channels", "planning:channel_detail")


# --- Monthly report -------------------------------------------------------------------------

def _previous_month() -> tuple[int, int]:
    year, month = jalali.current_month()
    return (year - 1, 12) if month == 1 else (year, month - 1)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    reports = request.access.narrow(scoped(request.access, MonthlyReport.objects.select_related("unit"))
                                    .defer("sections"), request.GET.get("unit"))
    units = request.access.filter_units()
    state = request.GET.get("state", "")
    if state in ReportState.values:
        reports = reports.filter(state=state)
    unit = request.access.work_unit_or_none(UNIT_ROLES)
    year, month = _previous_month()
    form = MonthForm(request.POST or None, initial={"year": year, "month": month}) if unit else None
    if request.method == "POST":
        unit = request.access.work_unit(UNIT_ROLES)
        if form.is_valid():
            report = services.report_start(unit=unit, by=request.user, **form.cleaned_data)
            return redirect("planning:report_detail", report.pk)
    page = Paginator(reports.order_by("-year", "-month", "unit__name"), 30).get_page(request.GET.get("page"))
    return render(request, "planning/report_list.html", {"page_obj": page, "form": form, "units": units,
                                                         "states": ReportState.choices, "state": state})


def _report(request, pk: int) -> MonthlyReport:
    return get_scoped_or_404(request.access, MonthlyReport.objects.select_related("unit", "approved_by"), pk=pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    warm_up_in_background()
    due_date = report.due_date()
    late = (timezone.localdate(report.submitted_at) if report.submitted_at else jalali.today()) > due_date
    return render(request, "planning/report_detail.html", {
        "report": report, "due_date": due_date, "late": late,
        "can_edit": request.access.has_role(report.unit, UNIT_ROLES) and report.is_editable,
        "chart_max": _chart_max(report.sections),
    })


def _chart_max(sections) -> int:
    return max([value for section in sections for _, value in section.get("counts", [])
                if isinstance(value, (int, float))] + [1])


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    request.access.require(report.unit, UNIT_ROLES)
    form = ReportTextForm(request.POST or None, instance=report)
    if not report.is_editable:
        messages.error(request, "گزارش فرستاده یا تأییدشده را نمی‌توان ویرایش کرد.")
        return redirect("planning:report_detail", report.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "متن گزارش ذخیره شد.")
            return redirect("planning:report_detail", report.pk)
    return render(request, "planning/report_form.html", {"form": form, "report": report})


@login_required
@require_POST
def report_compile(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    run_service(request, lambda: services.report_compile(report=report, by=request.user),
                "ارقام گزارش از کارهای ثبت‌شده ماه دوباره گردآوری شد.")
    return redirect("planning:report_detail", report.pk)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return pdf_response(f"گزارش-عملکرد-{report.unit.code}-{report.year}-{report.month:02d}",
                        report_pdf_bytes(report))


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    rows = [[section["title"], label, value] for section in report.sections for label, value in section["counts"]]
    return xlsx_response(f"گزارش-{report.unit.code}-{report.year}-{report.month:02d}", "ارقام گزارش",
                         ["بخش", "شاخص", "مقدار"], rows)


@login_required
def report_states(request: HttpRequest) -> HttpResponse:
    """Every county's report state for one Jalali month: two queries whatever the number of units."""
    request.access.require_any(HQ_ROLES, HQ_PAGE)
    default_year, default_month = _previous_month()
    form = MonthForm(request.GET or None, initial={"year": default_year, "month": default_month})
    year, month = (form.cleaned_data["year"], form.cleaned_data["month"]) if form.is_valid() \
        else (default_year, default_month)
    unit_ids = request.access.unit_ids(HQ_ROLES)
    units = list(Unit.objects.filter(pk__in=unit_ids, kind=UnitKind.COUNTY, is_active=True).order_by("name"))
    reports = {r.unit_id: r for r in scoped(request.access, MonthlyReport.objects.filter(year=year, month=month),
                                            HQ_ROLES).only("pk", "unit_id", "state", "submitted_at", "reviewed_at")}
    due = report_due_date(year, month)
    today = jalali.today()
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        late = (timezone.localdate(report.submitted_at) if report and report.submitted_at else today) > due
        rows.append({"unit": unit, "report": report, "late": late})
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"وضعیت-گزارش-{year}-{month:02d}", "وضعیت گزارش‌ها", ["واحد", "وضعیت", "ارسال", "دیرکرد"],
                             ([row["unit"].name, row["report"].get_state_display() if row["report"] else "ساخته نشده",
                               row["report"].submitted_at if row["report"] else "", "بله" if row["late"] else ""]
                              for row in rows))
    summary = [(label, sum(1 for r in reports.values() if r.state == value)) for value, label in ReportState.choices]
    return render(request, "planning/report_states.html", {
        "form": form, "rows": rows, "year": year, "month": month, "due": due, "summary": summary,
        "missing": sum(1 for row in rows if row["report"] is None)})
