from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ravabet.lib import idempotency, jalali
from ravabet.lib.actions import errors_to_form as _errors_to_form
from ravabet.lib.actions import save_form
from ravabet.lib.excel import xlsx_response
from ravabet.lib.paging import BoundedPaginator, count_related
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.lib.text import search_key
from ravabet.lib.uploads import private_file_response
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.models import Unit
from ravabet.offices.roles import ALL_ROLES, WORK_ROLES
from ravabet.workflow.engine import allowed, check, move, steps_of

from . import services
from .forms import ActionForm, PhotoForm, PlaceForm, RecordForm, ReplanForm, VisitForm
from .models import ActionState, FollowUp, Photo, Place, PlaceKind, State, Visit, step_for

NO_VISITS = "بازدیدها برای روابط عمومی و رئیس واحد است."


def _visit(request, pk) -> Visit:
    return get_scoped_or_404(request.access, Visit.objects.select_related("unit", "created_by"), pk=pk)


def _readable(access, field: str = "") -> Q:
    """Which visits the person reads: every visit of the units where they hold a work role (HQ: every
    county), and the visits they went on or owe a follow-up action for (their notices link there).
    Used inside a scoped query (ALL_ROLES), so a staff member reaches only their own unit's visits.
    `field` is the path to the visit from the queried model ("visit__" for a photo)."""
    involved = Visit.objects.filter(Q(team__user=access.user) | Q(actions__owner__user=access.user)).values("pk")
    return Q(**{f"{field}unit__in": access.unit_ids(WORK_ROLES)}) | Q(**{f"{field}pk__in": involved})


def _readable_visit(request, pk) -> Visit:
    """One scoped query: the visit if the person reads it (see `_readable`), else 404."""
    visits = Visit.objects.select_related("unit", "created_by").filter(_readable(request.access))
    return get_scoped_or_404(request.access, visits, ALL_ROLES, pk=pk)


def _managed_visit(request, pk) -> Visit:
    visit = _visit(request, pk)
    if not services.can_manage(request.access, visit.unit):
        raise PermissionDenied("فقط مسئول روابط عمومی و رئیس همین واحد بازدیدها را ثبت می‌کنند.")
    return visit


def _close_step(access, action: FollowUp) -> str:
    """The step by which the person marks `action` done (the unit's or HQ's own, else the owner's),
    or "" when they may not."""
    return next((spec.name for spec in allowed(action, access)), "")


def _with_counts(visits: list[Visit], today) -> list[Visit]:
    """Set `open_actions`, `late_actions` (open and past due before `today`, a date) and `photo_count` on the
    given visits (a page, or an export's rows) in two grouped queries over their ids."""
    count_related(visits, FollowUp, "visit", open_actions=Q(state=ActionState.OPEN),
                  late_actions=Q(state=ActionState.OPEN, due_on__lt=today))
    return count_related(visits, Photo, "visit", photo_count=None)


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    access, today = request.access, jalali.today()
    access.require_any(WORK_ROLES, NO_VISITS)
    visits = scoped(access, Visit.objects.select_related("unit")).order_by("-planned_on", "-pk")
    get = request.GET
    if get.get("state") in State.values:
        visits = visits.filter(state=get["state"])
    if get.get("overdue"):
        visits = visits.filter(state=State.PLANNED, planned_on__lt=today)
    visits = access.narrow(visits, get.get("unit"))
    if get.get("q"):
        visits = visits.filter(search_key__contains=search_key(get["q"]))
    if get.get("export") == "xlsx":
        rows = _with_counts(list(visits[:5000]), today)
        return xlsx_response("بازدیدها", "بازدیدها",
                             ["واحد", "محل", "نوع محل", "نشانی", "هدف", "تاریخ برنامه", "وضعیت", "تاریخ انجام",
                              "یافته‌ها", "اقدام‌های باز", "اقدام‌های گذشته از مهلت"],
                             [[v.unit.name, v.place, v.get_place_kind_display(), v.address, v.purpose, v.planned_on,
                               v.get_state_display(), v.done_on or "", v.findings, v.open_actions, v.late_actions]
                              for v in rows])
    page = BoundedPaginator(visits, 30).get_page(get.get("page"))
    page.object_list = _with_counts(list(page.object_list), today)
    return render(request, "visits/visit_list.html", {
        "page_obj": page, "states": State.choices, "today": today, "unit_filter": access.filter_units(WORK_ROLES),
        "can_plan": access.work_unit_or_none(WORK_ROLES) is not None})


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(WORK_ROLES)
    initial = {"planned_on": jalali.today()}
    site = Place.objects.filter(unit=unit, pk=request.GET.get("site") or 0).first() \
        if (request.GET.get("site") or "").isdigit() else None
    if site:
        initial.update(site=site, purpose=f"بازدید دوره‌ای از {site.name}")
    form = VisitForm(request.POST or None, unit=unit, initial=initial)
    if visit := save_form(request, form, lambda data: services.visit_plan(unit=unit, by=request.user, **data),
                          "بازدید برنامه‌ریزی شد.", once="visits.visit"):
        return redirect("visits:detail", visit.pk)
    return render(request, "visits/visit_form.html", {"form": form, "title": "برنامه بازدید تازه",
                                                       "due": services.due_places(unit)[:12]})


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed_visit(request, pk)
    form = VisitForm(request.POST or None, unit=visit.unit, initial={
        "site": visit.site_id, "place": visit.place, "place_kind": visit.place_kind, "address": visit.address,
        "purpose": visit.purpose,
        "planned_on": visit.planned_on, "team": list(visit.team.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "برنامه بازدید ذخیره شد.")
            return redirect("visits:detail", visit.pk)
    return render(request, "visits/visit_form.html", {"form": form, "visit": visit,
                                                       "title": f"ویرایش بازدید «{visit.place}»"})


def _detail(request, visit: Visit, status: int = 200, **forms) -> HttpResponse:
    access = request.access
    can_manage = services.can_manage(access, visit.unit)
    names = {spec.name for spec in allowed(visit, access)}
    steps = {base for base in ("record", "replan") if step_for(visit, base) in names}
    actions = list(visit.actions.select_related("owner__user", "unit"))
    for action in actions:
        action.close_step = _close_step(access, action)
    context = {
        "visit": visit, "can_manage": can_manage, "today": jalali.today(), "steps": steps,
        "team": visit.team.all(), "photos": visit.photos.all(), "actions": actions,
    }
    if "record" in steps:
        context["record_form"] = forms.get("record_form") or RecordForm(initial={"done_on": jalali.today()})
    if "replan" in steps:
        context["replan_form"] = forms.get("replan_form") or ReplanForm()
    if can_manage:
        context.update({
            "photo_form": forms.get("photo_form") or PhotoForm(),
            "action_form": forms.get("action_form") or ActionForm(unit=visit.unit),
        })
    return render(request, "visits/visit_detail.html", context, status=status)


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _readable_visit(request, pk))


def _step_page(request, pk: int, base: str, form_class, form_key: str, **initial) -> HttpResponse:
    """A step that needs a date (record, replan): GET shows the visit with the step's form, POST makes the
    step through the engine. A step the state or the person's role does not allow answers 403."""
    visit = _visit(request, pk)
    name = step_for(visit, base)
    spec = steps_of(Visit)[name]
    check(visit, spec, request.access)
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            move(visit, name, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, spec.done)
            return redirect("visits:detail", visit.pk)
    return _detail(request, visit, status=400 if request.method == "POST" else 200, **{form_key: form})


@login_required
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit took place (D6): its date and findings (the `record` step)."""
    return _step_page(request, pk, "record", RecordForm, "record_form", done_on=jalali.today())


@login_required
def visit_replan(request: HttpRequest, pk: int) -> HttpResponse:
    """A cancelled visit is planned again for a new date (the `replan` step)."""
    return _step_page(request, pk, "replan", ReplanForm, "replan_form")


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed_visit(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    try:
        if idempotency.earlier(request, "visits.photo") is not None:  # the same upload sent twice (issue 13)
            messages.info(request, idempotency.ALREADY_SAVED)
            return redirect("visits:detail", visit.pk)
        if form.is_valid():
            idempotency.create_once(request, "visits.photo", lambda: services.photo_add(
                visit=visit, by=request.user, upload=form.cleaned_data["file"], caption=form.cleaned_data["caption"]))
            messages.success(request, "عکس افزوده شد.")
            return redirect("visits:detail", visit.pk)
    except ValidationError as error:
        form.add_error("file", error.messages)
    return _detail(request, visit, status=400, photo_form=form)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    photos = Photo.objects.filter(_readable(request.access, "visit__"))
    item = get_scoped_or_404(request.access, photos, ALL_ROLES, field="visit__unit", pk=pk)
    response = private_file_response(item.file, checked_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed_visit(request, pk)
    form = ActionForm(request.POST, unit=visit.unit)
    if save_form(request, form, lambda data: services.action_add(visit=visit, by=request.user, **data),
                 "اقدام پیگیری ثبت شد.", once="visits.action"):
        return redirect("visits:detail", visit.pk)
    return _detail(request, visit, status=400, action_form=form)


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Every action of the user's units; for plain staff, the actions they own."""
    access, today = request.access, jalali.today()
    actions = FollowUp.objects.select_related("unit", "visit", "owner__user").order_by("due_on", "pk")
    mine_only = not access.unit_ids(WORK_ROLES)
    if mine_only:
        actions = scoped(access, actions, ALL_ROLES).filter(owner__user=request.user)
    else:
        actions = access.narrow(scoped(access, actions), request.GET.get("unit"))
    state = request.GET.get("state", ActionState.OPEN)
    if state in ActionState.values:
        actions = actions.filter(state=state)
    if request.GET.get("overdue"):
        actions = actions.filter(state=ActionState.OPEN, due_on__lt=today)
    if request.GET.get("export") == "xlsx":
        return xlsx_response("اقدام‌های پیگیری بازدید", "اقدام‌ها",
                             ["واحد", "بازدید", "اقدام", "مسئول", "مهلت", "وضعیت", "تاریخ انجام", "شرح انجام"],
                             [[a.unit.name, a.visit.place, a.title, a.owner.full_name, a.due_on,
                               "گذشته از مهلت" if a.state == ActionState.OPEN and a.due_on < today
                               else a.get_state_display(), a.done_on or "", a.done_note] for a in actions[:5000]])
    page = BoundedPaginator(actions, 50).get_page(request.GET.get("page"))
    for action in page:
        action.close_step = _close_step(access, action)
    return render(request, "visits/action_list.html", {
        "page_obj": page, "today": today, "state": state, "states": ActionState.choices, "mine_only": mine_only,
        "unit_filter": access.filter_units(WORK_ROLES)})


def _month(request) -> tuple[int, int]:
    year, month = jalali.current_month()
    try:
        year = int(request.GET.get("year", year))
        month = int(request.GET.get("month", month))
    except ValueError:
        return jalali.current_month()
    if not (1300 <= year <= 1500 and 1 <= month <= 12):
        return jalali.current_month()
    return year, month


@login_required
def monthly(request: HttpRequest) -> HttpResponse:
    """Planned against done per unit for one Jalali month."""
    access = request.access
    access.require_any(WORK_ROLES, NO_VISITS)
    year, month = _month(request)
    start, end = jalali.month_bounds(year, month)
    today = jalali.today()
    in_month = scoped(access, Visit.objects.filter(planned_on__range=(start, end)))
    figures = {row["unit_id"]: row for row in in_month.values("unit_id").annotate(
        planned=Count("id", filter=~Q(state=State.CANCELLED)),
        done=Count("id", filter=Q(state=State.DONE)),
        overdue=Count("id", filter=Q(state=State.PLANNED, planned_on__lt=today)),
        cancelled=Count("id", filter=Q(state=State.CANCELLED)))}
    rows = []
    for unit in Unit.objects.filter(pk__in=access.unit_ids(WORK_ROLES), is_active=True).order_by("path"):
        row = figures.get(unit.pk, {})
        planned, done = row.get("planned", 0), row.get("done", 0)
        rows.append({"unit": unit, "planned": planned, "done": done, "overdue": row.get("overdue", 0),
                     "cancelled": row.get("cancelled", 0),
                     "percent": round(100 * done / planned) if planned else None})
    title = f"بازدیدهای {jalali.month_name(month)} {year}"
    if request.GET.get("export") == "xlsx":
        return xlsx_response(title, "برنامه و انجام",
                             ["واحد", "برنامه", "انجام‌شده", "درصد انجام", "گذشته از تاریخ", "لغوشده"],
                             [[r["unit"].name, r["planned"], r["done"], r["percent"] if r["percent"] is not None
                               else "", r["overdue"], r["cancelled"]] for r in rows])
    visits = in_month.select_related("unit").order_by("planned_on", "pk")[:200] if len(rows) == 1 else []
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    return render(request, "visits/monthly.html", {
        "rows": rows, "title": title, "year": year, "month": month, "visits": visits, "today": today,
        "previous": previous, "following": following, "place_kinds": PlaceKind.choices})


@login_required
def places(request: HttpRequest) -> HttpResponse:
    """The register of places each unit covers (D6; issue 17), each with its expected visit frequency, its
    last and next visit and whether it is due. A unit manages its own; HQ sees every unit's and filters
    the places never visited (`never=1`) or rarely visited — past their frequency (`late=1`)."""
    access, today = request.access, jalali.today()
    access.require_any(WORK_ROLES, NO_VISITS)
    places_qs = access.narrow(scoped(access, Place.objects.filter(is_active=True)), request.GET.get("unit"))
    rows = services.place_rows(places_qs.order_by("unit__name", "name"), today)
    if request.GET.get("never"):
        rows = [row for row in rows if row["never"]]
    if request.GET.get("late"):
        rows = [row for row in rows if row["never"] or row["late_days"] > 0]
    summary = {}
    for row in rows:
        unit = row["place"].unit
        item = summary.setdefault(unit.pk, {"unit": unit, "places": 0, "never": 0, "late": 0})
        item["places"] += 1
        item["never"] += row["never"]
        item["late"] += (not row["never"]) and row["late_days"] > 0
    if request.GET.get("export") == "xlsx":
        return xlsx_response("محل‌های تحت پوشش", "محل‌ها",
                             ["واحد", "محل", "نوع", "بازدید هر چند روز", "بازدیدهای انجام‌شده", "آخرین بازدید",
                              "موعد بازدید", "روزهای گذشته از موعد", "بازدید برنامه‌ریزی‌شده"],
                             [[r["place"].unit.name, r["place"].name, r["place"].get_kind_display(),
                               r["place"].every_days, r["done"], r["last"] or "هرگز", r["due_on"] or "",
                               r["late_days"], r["next"] or ""] for r in rows])
    unit = access.work_unit_or_none(WORK_ROLES)
    return render(request, "visits/places.html", {
        "rows": rows[:500], "summary": sorted(summary.values(), key=lambda item: -item["never"] - item["late"]),
        "many_units": len(access.unit_ids(WORK_ROLES)) > 1, "unit_filter": access.filter_units(WORK_ROLES),
        "can_add": unit is not None and services.can_manage(access, unit)})


@login_required
def place_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(WORK_ROLES)
    form = PlaceForm(request.POST or None, initial={"every_days": 90, "is_active": True})
    if save_form(request, form, lambda data: services.place_save(unit=unit, by=request.user, **data),
                 "محل به فهرست محل‌های تحت پوشش افزوده شد.", once="visits.place"):
        return redirect("visits:places")
    return render(request, "visits/place_form.html", {"form": form, "title": "محل تازه"})


@login_required
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_scoped_or_404(request.access, Place.objects.select_related("unit"), pk=pk)
    if not services.can_manage(request.access, place.unit):
        raise PermissionDenied("فقط مسئول روابط عمومی و رئیس همین واحد محل‌ها را ویرایش می‌کنند.")
    form = PlaceForm(request.POST or None, initial={
        "name": place.name, "kind": place.kind, "address": place.address, "latitude": place.latitude,
        "longitude": place.longitude, "every_days": place.every_days, "is_active": place.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            services.place_save(unit=place.unit, by=request.user, place=place, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "محل ذخیره شد.")
            return redirect("visits:places")
    return render(request, "visits/place_form.html", {"form": form, "title": f"ویرایش «{place.name}»",
                                                       "place": place})


@login_required
def visit_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit report (D6; issue 17): purpose, findings, team, follow-up actions and the photos with the
    place and time the camera recorded."""
    visit = _readable_visit(request, pk)
    photos = list(visit.photos.all())
    for item in photos:
        try:
            item.local = Path(item.file.path).as_uri()
        except (NotImplementedError, ValueError):
            item.local = ""
    content = render_pdf("visits/visit_pdf.html", {
        "visit": visit, "team": visit.team.all(), "actions": visit.actions.select_related("owner"),
        "photos": photos, "printed": jalali.today()})
    return pdf_response(f"گزارش بازدید {visit.pk}", content, inline=True)
