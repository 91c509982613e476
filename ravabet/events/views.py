import base64
import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ravabet.lib import jalali
from ravabet.lib.actions import errors_to_form as _form_error
from ravabet.lib.actions import run_service
from ravabet.lib.digits import to_persian_digits as fa
from ravabet.lib.excel import xlsx_response
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.models import Person, Unit, UnitKind
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES

from . import forms, services
from .models import (
    ASSIGNMENT_OPEN_STATES,
    ASSIGNMENT_TRANSITIONS,
    EVENT_TRANSITIONS,
    Activity,
    ActivityKind,
    Assignment,
    AssignmentState,
    ContentState,
    Event,
    EventKind,
    EventState,
    Guest,
    Occasion,
    OccasionContent,
    OccasionKind,
    Rsvp,
    RunSheetItem,
    RunSheetState,
    SupplyItem,
    SupplyLoan,
)

PAGE = 50




def _page(request, queryset):
    return Paginator(queryset, PAGE).get_page(request.GET.get("page"))


def _unit_filter(request, queryset, access, roles=WORK_ROLES):
    units = Unit.objects.filter(pk__in=access.unit_ids(roles), kind=UnitKind.COUNTY).order_by("name")
    if request.GET.get("unit", "").isdigit():
        queryset = queryset.filter(unit_id=int(request.GET["unit"]))
    return queryset, units


def _work_unit(access, roles=WORK_ROLES) -> Unit:
    """The unit the user is working in now, where they must hold one of `roles`."""
    unit = access.current_unit
    if unit is None or not access.has_role(unit, roles):
        raise PermissionDenied("این کار از شما در واحد کنونی ساخته نیست.")
    return unit


def _county_unit(access) -> Unit:
    unit = _work_unit(access, UNIT_ROLES)
    if unit.is_hq:
        raise PermissionDenied("این فرم برای روابط عمومی ادارات شهرستان است.")
    return unit


def _file_response(field, content_type: str, name: str) -> FileResponse:
    if not field:
        raise Http404("پیوستی ندارد.")
    return FileResponse(field.open("rb"), content_type=content_type or "application/octet-stream",
                        as_attachment=not content_type.startswith("image/"), filename=name)


# F7: tasks ------------------------------------------------------------------------------------------------


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
    items, units = _unit_filter(request, items, access)
    return items.order_by("task__due_date", "pk"), units, today


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    if not access.unit_ids(WORK_ROLES):
        raise PermissionDenied("شما اجازه دیدن مأموریت‌ها را ندارید.")
    items, units, today = _assignments(request, access)
    if request.GET.get("export") == "xlsx":
        rows = ([a.task.title, a.unit.name, a.task.created_at, a.task.due_date, a.get_state_display(),
                 "بله" if a.is_overdue(today) else "", a.done_at, a.evidence, a.review_comment]
                for a in items[:50_000])
        return xlsx_response("مأموریت‌های اداره کل", "مأموریت‌ها",
                             ["مأموریت", "واحد", "زمان ابلاغ", "مهلت", "وضعیت", "دیرکرد", "زمان انجام", "گزارش",
                              "نظر اداره کل"], rows)
    page = _page(request, items)
    for a in page:
        a.overdue = a.is_overdue(today)
    summary = scoped(access, Assignment.objects.all(), WORK_ROLES).aggregate(
        open=Count("pk", filter=Q(state__in=ASSIGNMENT_OPEN_STATES)),
        waiting=Count("pk", filter=Q(state=AssignmentState.DONE)),
        overdue=Count("pk", filter=services.overdue_q(today)))
    return render(request, "events/task_list.html",
                  {"page_obj": page, "units": units, "states": AssignmentState.choices, "is_hq": access.is_hq,
                   "summary": summary})


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_hq()
    units = Unit.objects.filter(pk__in=access.unit_ids(HQ_ROLES), kind=UnitKind.COUNTY, is_active=True) \
        .order_by("name")
    form = forms.TaskForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_assign(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"مأموریت «{task.title}» به {fa(task.assignments.count())} واحد ابلاغ شد.")
            return redirect("events:tasks")
    return render(request, "events/form.html", {"form": form, "title": "ابلاغ مأموریت به واحدها",
                                                "back": "events:tasks", "multipart": False})


def _assignment(request, pk) -> Assignment:
    return get_scoped_or_404(request.access, Assignment.objects.select_related("task", "unit", "done_by"),
                             WORK_ROLES, pk=pk)


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    access = request.access
    can_do = access.has_role(assignment.unit, UNIT_ROLES) and \
        AssignmentState.DONE in ASSIGNMENT_TRANSITIONS[assignment.state]
    can_review = access.has_role(assignment.unit, HQ_ROLES) and assignment.state == AssignmentState.DONE
    return render(request, "events/assignment_detail.html",
                  {"assignment": assignment, "overdue": assignment.is_overdue(jalali.today()),
                   "done_form": forms.DoneForm(initial={"evidence": assignment.evidence}) if can_do else None,
                   "review_form": forms.ReviewForm() if can_review else None,
                   "siblings": assignment.task.assignments.select_related("unit") if access.is_hq else []})


@login_required
@require_POST
def assignment_done(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    form = forms.DoneForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.assignment_done(assignment=assignment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "گزارش انجام کار برای اداره کل فرستاده شد.")
            return redirect("events:assignment", pk)
    return render(request, "events/assignment_detail.html",
                  {"assignment": assignment, "overdue": assignment.is_overdue(jalali.today()), "done_form": form},
                  status=400)


@login_required
@require_POST
def assignment_review(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_review(assignment=assignment, by=request.user,
                                       accept=request.POST.get("decision") == "accept",
                                       comment=form.cleaned_data["comment"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "نتیجه بررسی ثبت و به واحد خبر داده شد.")
            return redirect("events:assignment", pk)
    return render(request, "events/assignment_detail.html",
                  {"assignment": assignment, "review_form": form}, status=400)


@login_required
def assignment_file(request: HttpRequest, pk: int) -> FileResponse:
    assignment = _assignment(request, pk)
    return _file_response(assignment.evidence_file, assignment.evidence_type, f"task-{assignment.pk}")


# F2 and F5: events ----------------------------------------------------------------------------------------


def _events(request, access):
    items = scoped(access, Event.objects.select_related("unit", "occasion"), WORK_ROLES) \
        .annotate(guest_count=Count("guests", distinct=True),
                  ready=Count("items", filter=Q(items__state__in=("ready", "not_needed")), distinct=True))
    if request.GET.get("state") in EventState.values:
        items = items.filter(state=request.GET["state"])
    if request.GET.get("kind") in EventKind.values:
        items = items.filter(kind=request.GET["kind"])
    items, units = _unit_filter(request, items, access)
    return items.order_by("-starts_at", "-pk"), units


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    if not access.unit_ids(WORK_ROLES):
        raise PermissionDenied("شما اجازه دیدن مراسم را ندارید.")
    items, units = _events(request, access)
    if request.GET.get("export") == "xlsx":
        rows = ([e.title, e.get_kind_display(), e.unit.name, e.starts_at, e.venue, e.get_state_display(),
                 e.guest_count, e.attendance] for e in items[:50_000])
        return xlsx_response("مراسم و همایش‌ها", "مراسم",
                             ["عنوان", "نوع", "واحد", "زمان", "محل", "وضعیت", "مهمانان", "حاضران"], rows)
    return render(request, "events/event_list.html",
                  {"page_obj": _page(request, items), "units": units, "states": EventState.choices,
                   "kinds": EventKind.choices, "can_create": access.current_unit is not None
                   and access.has_role(access.current_unit, WORK_ROLES)})


def _occasions_near():
    today = jalali.today()
    return Occasion.objects.filter(date__gte=today - dt.timedelta(days=30)).order_by("date")


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    unit = _work_unit(request.access)
    form = forms.EventForm(request.POST or None, occasions=_occasions_near())
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "مراسم ثبت شد؛ برنامه اجرایی و فهرست مهمانان را کامل کنید.")
            return redirect("events:detail", event.pk)
    return render(request, "events/form.html", {"form": form, "title": f"مراسم تازه — {unit.name}",
                                                "back": "events:list"})


def _event(request, pk) -> Event:
    return get_scoped_or_404(request.access, Event.objects.select_related("unit", "occasion"), WORK_ROLES, pk=pk)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    request.access.require(event.unit, WORK_ROLES)
    initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    form = forms.EventForm(request.POST or None, initial=initial, occasions=_occasions_near())
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "مشخصات مراسم ذخیره شد.")
            return redirect("events:detail", event.pk)
    return render(request, "events/form.html", {"form": form, "title": f"ویرایش «{event.title}»",
                                                "back_url": event.pk})


def _runsheet_context(event: Event) -> dict:
    """The run-sheet rows and the unit's people, read once for all twelve row forms."""
    people = list(Person.objects.filter(unit=event.unit_id, is_active=True).order_by("full_name"))
    rows = list(event.items.select_related("person"))
    return {"event": event, "rows": rows, "people": people, "states": RunSheetState.choices}


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return render(request, "events/event_detail.html", {
        **_runsheet_context(event), "guests": list(event.guests.all()),
        "figures": services.attendance_figures(event), "guest_form": forms.GuestForm(),
        "held_form": forms.HeldForm(), "next_states": EVENT_TRANSITIONS[event.state],
        "loans": list(SupplyLoan.objects.filter(event=event).select_related("item")),
        "editable": event.state == EventState.PLANNED})


@login_required
@require_POST
def event_state(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    state = request.POST.get("state", "")
    form = forms.HeldForm(request.POST)
    if state not in EventState.values or not form.is_valid():
        messages.error(request, "وضعیت خواسته‌شده درست نیست." if form.is_valid()
                       else " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("events:detail", pk)
    run_service(request, lambda: services.event_set_state(event=event, by=request.user, state=state,
                                                       attendance=form.cleaned_data.get("attendance")), f"مراسم «{EventState(state).label}» شد.")
    return redirect("events:detail", pk)


@login_required
@require_POST
def runsheet_update(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    event = _event(request, pk)
    item = get_object_or_404(RunSheetItem.objects.select_related("event__unit"), pk=item_pk, event=event)
    people = Person.objects.filter(unit=event.unit_id, is_active=True)
    form = forms.RunSheetForm(request.POST, people=people, prefix=f"r{item.pk}")
    if form.is_valid():
        run_service(request, lambda: services.runsheet_update(item=item, by=request.user, **form.cleaned_data), f"«{item.get_kind_display()}» ذخیره شد.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("events:detail", pk)


@login_required
@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = forms.GuestForm(request.POST)
    if form.is_valid():
        try:
            guest = services.guest_add(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"«{guest.name}» به فهرست مهمانان افزوده شد.")
            return redirect("events:detail", pk)
    # Back to the page with the form's errors and what was typed.
    return render(request, "events/event_detail.html", {
        **_runsheet_context(event), "guests": list(event.guests.all()),
        "figures": services.attendance_figures(event), "guest_form": form, "held_form": forms.HeldForm(),
        "next_states": EVENT_TRANSITIONS[event.state], "loans": [], "editable": True}, status=400)


@login_required
def guest_export(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    rows = ([g.name, g.title, g.mobile, g.invited_at, g.get_rsvp_display(), g.companions, g.checked_in_at]
            for g in event.guests.all())
    return xlsx_response(f"مهمانان {event.title}", "مهمانان",
                         ["نام", "سمت", "همراه", "ارسال دعوت", "پاسخ", "همراهان", "ورود"], rows)


@login_required
@require_POST
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    try:
        count = services.invitations_send(event=event, by=request.user, base_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"پیامک دعوت برای {fa(count)} مهمان در صف ارسال است." if count
                         else "همه مهمانانِ دارای شماره همراه پیش‌تر دعوت شده‌اند.")
    return redirect("events:detail", pk)


def qr_data_uri(text: str) -> str:
    import qrcode

    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def invitation_card(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    event = _event(request, pk)
    guest = get_object_or_404(Guest, pk=guest_pk, event=event)
    link = request.build_absolute_uri(services.rsvp_url(guest))
    content = render_pdf("events/invitation_pdf.html", {"event": event, "guest": guest, "link": link,
                                                        "qr": qr_data_uri(link)})
    return pdf_response(f"دعوت‌نامه {guest.name}", content, inline=True)


@login_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    request.access.require(event.unit, WORK_ROLES)
    form = forms.CheckInForm(request.POST or None)
    guest = None
    if request.method == "POST" and form.is_valid():
        try:
            guest = services.guest_check_in(event=event, by=request.user, token=form.cleaned_data["token"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            form = forms.CheckInForm()
    return render(request, "events/check_in.html", {"event": event, "form": form, "guest": guest,
                                                    "figures": services.attendance_figures(event)})


@login_required
def runsheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    content = render_pdf("events/runsheet_pdf.html", {"event": event, "rows": event.items.select_related("person"),
                                                      "figures": services.attendance_figures(event)})
    return pdf_response(f"برنامه اجرایی {event.title}", content, inline=True)


def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    guest = get_object_or_404(Guest.objects.select_related("event__unit"), token=token)
    answer = {Rsvp.ACCEPTED: "accept", Rsvp.DECLINED: "decline"}.get(guest.rsvp)
    form = forms.RsvpForm(request.POST or None, initial={"companions": guest.companions, "answer": answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.guest_respond(guest=guest, accept=form.cleaned_data["answer"] == "accept",
                                   companions=form.cleaned_data.get("companions") or 0)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "سپاس؛ پاسخ شما ثبت شد.")
            return redirect("events:rsvp", token)
    response = render(request, "events/rsvp.html", {"guest": guest, "event": guest.event, "form": form})
    # The token is the guest's key: keep it out of referrers to other sites ("no-referrer" would make
    # Chromium send Origin: null on the form post, which CSRF refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


# F4: supplies ---------------------------------------------------------------------------------------------


def _supplies(access):
    return scoped(access, SupplyItem.objects.select_related("unit"), WORK_ROLES).annotate(
        lent=Sum("loans__quantity", filter=Q(loans__returned_at__isnull=True), default=0),
    ).annotate(available=F("quantity") - F("lent"))


@login_required
def supply_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    if not access.unit_ids(WORK_ROLES):
        raise PermissionDenied("شما اجازه دیدن انبار تشریفات را ندارید.")
    items, units = _unit_filter(request, _supplies(access), access)
    if request.GET.get("low"):
        items = items.filter(available__lt=F("min_quantity"))
    items = items.order_by("unit__name", "name")
    if request.GET.get("export") == "xlsx":
        rows = ([i.unit.name, i.name, i.quantity, i.lent, i.available, i.min_quantity, i.get_condition_display(),
                 "کمبود" if i.available < i.min_quantity else "", i.note] for i in items)
        return xlsx_response("وسایل تشریفات", "وسایل",
                             ["واحد", "وسیله", "موجودی", "در امانت", "در انبار", "حداقل", "وضعیت", "کمبود",
                              "توضیح"], rows)
    unit = access.current_unit
    can_add = unit is not None and access.has_role(unit, WORK_ROLES)
    form = forms.SupplyForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("افزودن وسیله از شما ساخته نیست.")
        if form.is_valid():
            try:
                item = services.supply_save(unit=unit, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, f"«{item.name}» به انبار تشریفات افزوده شد.")
                return redirect("events:supplies")
    return render(request, "events/supply_list.html", {"page_obj": _page(request, items), "units": units,
                                                       "form": form, "unit": unit})


@login_required
def supply_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = request.access
    item = get_scoped_or_404(access, _supplies(access), WORK_ROLES, pk=pk)
    events = Event.objects.filter(unit=item.unit_id, state=EventState.PLANNED).order_by("starts_at")
    initial = {"name": item.name, "quantity": item.quantity, "min_quantity": item.min_quantity,
               "condition": item.condition, "note": item.note}
    form = forms.SupplyForm(initial=initial)
    loan_form = forms.LoanForm(events=events)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "lend":
                loan_form = forms.LoanForm(request.POST, events=events)
                if loan_form.is_valid():
                    services.supply_lend(item=item, by=request.user, **loan_form.cleaned_data)
                    messages.success(request, "امانت ثبت شد.")
                    return redirect("events:supply", pk)
            else:
                form = forms.SupplyForm(request.POST)
                if form.is_valid():
                    services.supply_save(unit=item.unit, item=item, by=request.user, **form.cleaned_data)
                    messages.success(request, "ذخیره شد.")
                    return redirect("events:supply", pk)
        except ValidationError as error:
            _form_error(loan_form if request.POST.get("action") == "lend" else form, error)
    return render(request, "events/supply_detail.html", {
        "item": item, "form": form, "loan_form": loan_form,
        "loans": item.loans.select_related("event").order_by("-lent_at")[:100]})


@login_required
@require_POST
def supply_return(request: HttpRequest, pk: int) -> HttpResponse:
    loan = get_scoped_or_404(request.access, SupplyLoan.objects.select_related("item"), WORK_ROLES,
                             field="item__unit", pk=pk)
    run_service(request, lambda: services.supply_return(loan=loan, by=request.user), "بازگشت وسیله به انبار ثبت شد.")
    return redirect("events:supply", loan.item_id)


# E1-E3: occasions -----------------------------------------------------------------------------------------


def _require_worker(access) -> None:
    if not access.unit_ids(WORK_ROLES):
        raise PermissionDenied("شما اجازه دیدن این بخش را ندارید.")


@login_required
def occasion_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    _require_worker(access)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1300 < int(year) < 1500 else jalali.current_month()[0]
    start, _ = jalali.month_bounds(year, 1)
    _, end = jalali.month_bounds(year, 12)
    items = Occasion.objects.filter(date__gte=start, date__lte=end).order_by("date", "pk")
    if request.GET.get("kind") in OccasionKind.values:
        items = items.filter(kind=request.GET["kind"])
    if request.GET.get("export") == "xlsx":
        rows = ([o.date, o.title, o.get_kind_display(), "قمری" if o.lunar else "", o.note] for o in items)
        return xlsx_response(f"مناسبت‌های {year}", "مناسبت‌ها", ["تاریخ", "مناسبت", "نوع", "قمری", "توضیح"], rows)
    today = jalali.today()
    return render(request, "events/occasion_list.html",
                  {"occasions": items, "year": year, "today": today, "kinds": OccasionKind.choices,
                   "is_hq": access.is_hq, "upcoming": Occasion.objects.filter(
                       date__gte=today, date__lte=today + dt.timedelta(days=30)).order_by("date")[:8]})


@login_required
def occasion_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access = request.access
    access.require_hq()
    occasion = get_object_or_404(Occasion, pk=pk) if pk else None
    initial = {n: getattr(occasion, n) for n in ("title", "date", "kind", "lunar", "remind_days", "note")} \
        if occasion else {}
    form = forms.OccasionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            occasion = services.occasion_save(by=request.user, occasion=occasion, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"مناسبت «{occasion.title}» ذخیره شد.")
            return redirect("events:occasion", occasion.pk)
    return render(request, "events/form.html", {"form": form, "back": "events:occasions",
                                                "title": "ویرایش مناسبت" if occasion else "مناسبت تازه"})


@login_required
@require_POST
def occasions_seed(request: HttpRequest) -> HttpResponse:
    request.access.require_hq()
    year = request.POST.get("year", "")
    year = int(year) if year.isdigit() and 1300 < int(year) < 1500 else jalali.current_month()[0]
    added = services.occasions_seed(by=request.user, year=year)
    messages.success(request, f"{fa(added)} مناسبت سال {fa(year)} افزوده شد؛ تاریخ مناسبت‌های قمری را بررسی کنید.")
    return redirect(f"{reverse('events:occasions')}?year={year}")


@login_required
def occasion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = request.access
    _require_worker(access)
    occasion = get_object_or_404(Occasion, pk=pk)
    activities = scoped(access, occasion.activities.select_related("unit"), WORK_ROLES)
    contents = scoped(access, occasion.contents.select_related("unit"), WORK_ROLES)
    events = scoped(access, occasion.events.select_related("unit"), WORK_ROLES)
    unit = access.current_unit
    return render(request, "events/occasion_detail.html", {
        "occasion": occasion, "activities": activities[:100], "contents": contents[:100], "events": events[:100],
        "is_hq": access.is_hq, "can_work": unit is not None and not unit.is_hq and access.has_role(unit, UNIT_ROLES)})


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    _require_worker(access)
    items = scoped(access, Activity.objects.select_related("unit", "occasion"), WORK_ROLES)
    if request.GET.get("kind") in ActivityKind.values:
        items = items.filter(kind=request.GET["kind"])
    items, units = _unit_filter(request, items, access)
    if request.GET.get("export") == "xlsx":
        rows = ([a.date, a.unit.name, a.get_kind_display(), a.title, a.occasion.title if a.occasion else "",
                 a.participants, a.description] for a in items[:50_000])
        return xlsx_response("مشارکت‌ها و برنامه‌های فرهنگی", "مشارکت‌ها",
                             ["تاریخ", "واحد", "نوع", "عنوان", "مناسبت", "شرکت‌کنندگان", "شرح"], rows)
    unit = access.current_unit
    return render(request, "events/activity_list.html", {
        "page_obj": _page(request, items), "units": units, "kinds": ActivityKind.choices,
        "can_add": unit is not None and not unit.is_hq and access.has_role(unit, UNIT_ROLES)})


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    unit = _county_unit(request.access)
    occasions = Occasion.objects.filter(date__lte=jalali.today()).order_by("-date")[:60]
    initial = {"occasion": request.GET.get("occasion"), "date": jalali.today()}
    form = forms.ActivityForm(request.POST or None, occasions=Occasion.objects.filter(
        pk__in=[o.pk for o in occasions]).order_by("-date"), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "ثبت شد.")
            return redirect("events:activities")
    return render(request, "events/form.html", {"form": form, "back": "events:activities",
                                                "title": "ثبت مشارکت در مراسم، راهپیمایی یا برنامه فرهنگی"})


@login_required
def content_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    _require_worker(access)
    items = scoped(access, OccasionContent.objects.select_related("unit", "occasion"), WORK_ROLES)
    if request.GET.get("state") in ContentState.values:
        items = items.filter(state=request.GET["state"])
    elif access.is_hq:
        items = items.exclude(state=ContentState.DRAFT)
    items, units = _unit_filter(request, items, access)
    if request.GET.get("export") == "xlsx":
        rows = ([c.occasion.title, c.unit.name, c.title, c.get_state_display(), c.sent_at, c.acknowledged_at,
                 c.hq_comment] for c in items[:50_000])
        return xlsx_response("محتوای مناسبتی", "محتوا", ["مناسبت", "واحد", "عنوان", "وضعیت", "ارسال", "دیده‌شده",
                                                          "نظر اداره کل"], rows)
    unit = access.current_unit
    return render(request, "events/content_list.html", {
        "page_obj": _page(request, items), "units": units, "states": ContentState.choices,
        "can_add": unit is not None and not unit.is_hq and access.has_role(unit, UNIT_ROLES)})


@login_required
def content_create(request: HttpRequest) -> HttpResponse:
    unit = _county_unit(request.access)
    today = jalali.today()
    occasions = Occasion.objects.filter(date__gte=today - dt.timedelta(days=15),
                                        date__lte=today + dt.timedelta(days=90)).order_by("date")
    form = forms.ContentForm(request.POST or None, request.FILES or None, occasions=occasions,
                             initial={"occasion": request.GET.get("occasion")})
    if request.method == "POST" and form.is_valid():
        try:
            content = services.content_create(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "محتوا ذخیره شد؛ پس از بازبینی آن را برای اداره کل بفرستید.")
            return redirect("events:content", content.pk)
    return render(request, "events/form.html", {"form": form, "back": "events:contents", "multipart": True,
                                                "title": "تهیه محتوای مناسبتی"})


def _content(request, pk) -> OccasionContent:
    return get_scoped_or_404(request.access, OccasionContent.objects.select_related("unit", "occasion"),
                             WORK_ROLES, pk=pk)


@login_required
def content_detail(request: HttpRequest, pk: int) -> HttpResponse:
    content = _content(request, pk)
    access = request.access
    return render(request, "events/content_detail.html", {
        "content": content,
        "can_send": content.state == ContentState.DRAFT and access.has_role(content.unit, UNIT_ROLES),
        "can_ack": content.state == ContentState.SENT and access.has_role(content.unit, HQ_ROLES),
        "ack_form": forms.ReviewForm()})


@login_required
@require_POST
def content_send(request: HttpRequest, pk: int) -> HttpResponse:
    content = _content(request, pk)
    run_service(request, lambda: services.content_send(content=content, by=request.user), "محتوا برای اداره کل فرستاده شد.")
    return redirect("events:content", pk)


@login_required
@require_POST
def content_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    content = _content(request, pk)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        run_service(request, lambda: services.content_acknowledge(content=content, by=request.user, comment=form.cleaned_data["comment"]), "دیدن محتوا ثبت و به واحد خبر داده شد.")
    return redirect("events:content", pk)


@login_required
def content_file(request: HttpRequest, pk: int) -> FileResponse:
    content = _content(request, pk)
    return _file_response(content.file, content.file_type, f"content-{content.pk}")

