"""Pages of the press part. Views are thin: reads are scoped, writes go through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from ravabet.audit.services import timeline_for
from ravabet.lib import jalali
from ravabet.lib.actions import errors_to_form as _form_error
from ravabet.lib.actions import run_service, save_form
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.excel import xlsx_response
from ravabet.lib.paging import BoundedPaginator
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.lib.text import search_key
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.models import Unit
from ravabet.offices.roles import UNIT_ROLES
from ravabet.workflow.engine import allowed, check, move, permits, steps_of

from . import services
from .forms import (
    ContactForm,
    DoneForm,
    InvitationForm,
    InvitationRecordForm,
    JournalistForm,
    KeywordForm,
    OutcomeForm,
    OutletForm,
    RequestForm,
    SourceForm,
    VisitForm,
)
from .models import (
    HQ_DECIDED,
    ContactLog,
    HqCheck,
    ItemState,
    Journalist,
    JournalistVisit,
    Keyword,
    MediaRequest,
    Outlet,
    OutletKind,
    Party,
    PressItem,
    PressSource,
    RequestKind,
    RequestState,
    Scope,
    VisitState,
)

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000


# --- Helpers ---------------------------------------------------------------------------------------------

def _page(request, queryset):
    return BoundedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _filter(queryset, request, fields: tuple[str, ...] = ()):
    """Apply a list page's `?unit=` choice (through the access API) and its equality filters
    (`?state=...&kind=...`, one per name in `fields`)."""
    queryset = request.access.narrow(queryset, request.GET.get("unit"))
    for name in fields:
        if value := request.GET.get(name, ""):
            queryset = queryset.filter(**{name: value})
    return queryset


def _directory(unit: Unit):
    """Outlets and journalists a unit may pick: its own and those of the units above it."""
    shared = services.shared_unit_ids(unit)
    return (Outlet.objects.filter(unit_id__in=shared, is_active=True),
            Journalist.objects.filter(unit_id__in=shared, is_active=True).select_related("outlet"))


def _export_requested(request) -> bool:
    return request.GET.get("export") == "xlsx"


def _jdt(value) -> str:
    return jalali.format_datetime(value) if value else ""


# --- Media directory ---------------------------------------------------------------------------------

@login_required
def outlet_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any()
    outlets = _filter(scoped(access, Outlet.objects.all()), request, ("kind", "scope")).select_related("unit")
    if q := search_key(request.GET.get("q")):
        outlets = outlets.filter(name_key__contains=q)
    outlets = outlets.order_by("name", "pk")
    if _export_requested(request):
        rows = ([o.name, o.get_kind_display(), o.get_scope_display(), o.phone, o.email, o.website, o.unit.name,
                 "بله" if o.is_active else "خیر"] for o in outlets[:EXPORT_LIMIT])
        return xlsx_response("رسانه‌ها", "رسانه‌ها", ["نام", "نوع", "گستره", "تلفن", "ایمیل", "وب", "واحد", "فعال"],
                             rows)
    can_add = access.work_unit_or_none() is not None
    return render(request, "press/outlet_list.html",
                  {"page_obj": _page(request, outlets), "kinds": OutletKind.choices, "scopes": Scope.choices,
                   "units": access.filter_units(), "can_add": can_add})


@login_required
def outlet_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit()
    return _outlet_form(request, unit, None)


@login_required
def outlet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_scoped_or_404(request.access, Outlet, pk=pk)
    return _outlet_form(request, outlet.unit, outlet)


def _outlet_form(request, unit, outlet):
    form = OutletForm(request.POST or None, instance=outlet)
    if saved := save_form(request, form, lambda data: services.outlet_save(unit=unit, by=request.user, outlet=outlet,
                                                                          **data),
                          lambda saved: f"رسانه «{saved.name}» ذخیره شد.", once=None if outlet else "press.outlet"):
        return redirect("press:outlet_edit", saved.pk)
    journalists = outlet.journalists.order_by("full_name") if outlet else []
    return render(request, "press/outlet_form.html", {"form": form, "outlet": outlet, "unit": unit,
                                                      "journalists": journalists})


@login_required
def journalist_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any()
    journalists = _filter(scoped(access, Journalist.objects.all()), request) \
        .select_related("unit", "outlet")
    if q := request.GET.get("q", "").strip():
        journalists = journalists.filter(full_name__icontains=q)
    journalists = journalists.order_by("full_name", "pk")
    if _export_requested(request):
        rows = ([j.full_name, j.outlet.name if j.outlet else "", j.position, j.mobile, j.email, j.unit.name]
                for j in journalists[:EXPORT_LIMIT])
        return xlsx_response("خبرنگاران", "خبرنگاران", ["نام", "رسانه", "سمت", "همراه", "ایمیل", "واحد"], rows)
    can_add = access.work_unit_or_none() is not None
    return render(request, "press/journalist_list.html",
                  {"page_obj": _page(request, journalists), "units": access.filter_units(), "can_add": can_add})


@login_required
def journalist_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit()
    return _journalist_form(request, unit, None)


@login_required
def journalist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    journalist = get_scoped_or_404(request.access, Journalist, pk=pk)
    return _journalist_form(request, journalist.unit, journalist)


def _journalist_form(request, unit, journalist):
    outlets, _ = _directory(unit)
    initial = {"outlet": request.GET.get("outlet")} if journalist is None else None
    form = JournalistForm(request.POST or None, instance=journalist, outlets=outlets, initial=initial)
    if save_form(request, form, lambda data: services.journalist_save(unit=unit, by=request.user,
                                                                       journalist=journalist, **data),
                 lambda saved: f"خبرنگار «{saved.full_name}» ذخیره شد.",
                 once=None if journalist else "press.journalist"):
        return redirect("press:journalist_list")
    return render(request, "press/journalist_form.html", {"form": form, "journalist": journalist, "unit": unit})


# --- Requests to HQ (C1, C2) ---------------------------------------------------------------------------

REQUEST_RELATED = ("unit", "outlet", "journalist", "created_by", "decided_by")


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any()
    # Only what the rows show: a fifth join (the deciding user) tripled PostgreSQL's planning time (1 → 3.7 ms).
    requests = _filter(scoped(access, MediaRequest.objects.all()), request, ("state", "kind")).select_related(
        "unit", "outlet", "journalist", "created_by")
    requests = requests.order_by("-submitted_at", "-pk")
    if _export_requested(request):
        rows = ([r.pk, r.unit.name, r.get_kind_display(), r.subject, r.outlet.name if r.outlet else "",
                 r.journalist.full_name if r.journalist else "", _jdt(r.proposed_at), r.officials,
                 r.get_state_display(), _jdt(r.decided_at), r.decision_note, r.done_link]
                for r in requests[:EXPORT_LIMIT])
        return xlsx_response("درخواست‌های مجوز رسانه‌ای", "درخواست‌ها",
                             ["شماره", "واحد", "نوع", "موضوع", "رسانه", "خبرنگار", "زمان پیشنهادی", "مسئولان",
                              "وضعیت", "زمان تصمیم", "توضیح اداره کل", "پیوند"], rows)
    can_add = access.work_unit_or_none(UNIT_ROLES, county=True) is not None
    return render(request, "press/request_list.html",
                  {"page_obj": _page(request, requests), "states": RequestState.choices, "kinds": RequestKind.choices,
                   "units": access.filter_units(), "can_add": can_add})


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(UNIT_ROLES, county=True)
    outlets, journalists = _directory(unit)
    form = RequestForm(request.POST or None, outlets=outlets, journalists=journalists,
                       initial={"kind": request.GET.get("kind")})
    if media_request := save_form(
            request, form, lambda data: services.request_submit(unit=unit, by=request.user, **data),
            "درخواست به روابط عمومی اداره کل فرستاده شد؛ پاسخ را همین‌جا می‌بینید.", once="press.request"):
        return redirect("press:request_detail", media_request.pk)
    return render(request, "press/request_form.html", {"form": form, "unit": unit, "media_request": None})


def _get_request(request, pk) -> MediaRequest:
    return get_scoped_or_404(request.access, MediaRequest.objects.select_related(*REQUEST_RELATED), pk=pk)


def _conference_context(request, media_request: MediaRequest, invite_form=None) -> dict:
    """C2: a press conference's invited outlets, with the forms the unit's people may use now."""
    if media_request.kind != RequestKind.CONFERENCE:
        return {}
    invitations = list(media_request.invitations.select_related("outlet"))
    may_edit = request.access.has_role(media_request.unit, UNIT_ROLES)
    open_for_invites = may_edit and media_request.state not in (RequestState.REJECTED, RequestState.CANCELLED)
    may_record = may_edit and media_request.state in (RequestState.APPROVED, RequestState.DONE)
    if open_for_invites and invite_form is None:
        invited = [invitation.outlet_id for invitation in invitations]
        invite_form = InvitationForm(outlets=_directory(media_request.unit)[0].exclude(pk__in=invited))
    for invitation in invitations:
        invitation.form = InvitationRecordForm(prefix=f"inv{invitation.pk}", initial={
            "attended": {True: "yes", False: "no"}.get(invitation.attended, ""),
            "coverage_link": invitation.coverage_link}) if may_record else None
    return {"invitations": invitations, "invite_form": invite_form if open_for_invites else None,
            "is_conference": True, "attended": sum(1 for i in invitations if i.attended),
            "covered": sum(1 for i in invitations if i.coverage_link)}


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A media request with its timeline; its buttons are the declared steps the person may make; a press
    conference also lists the outlets invited, who came and their coverage (C2), and the contacts
    recorded for the request (C4)."""
    media_request = _get_request(request, pk)
    return render(request, "press/request_detail.html",
                  {"media_request": media_request, "has_steps": bool(allowed(media_request, request.access)),
                   "contacts": list(media_request.contacts.order_by("-contacted_at")),
                   **_conference_context(request, media_request)})


@login_required
@require_POST
def invitation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite an outlet of the directory to a press conference (C2)."""
    media_request = _get_request(request, pk)
    request.access.require(media_request.unit, UNIT_ROLES)
    form = InvitationForm(request.POST, outlets=_directory(media_request.unit)[0])
    if save_form(request, form, lambda data: services.invitation_add(media_request=media_request, by=request.user,
                                                                     **data),
                 lambda invitation: f"{invitation.outlet.name} به نشست دعوت شد."):
        return redirect(media_request)
    return render(request, "press/request_detail.html",
                  {"media_request": media_request, "has_steps": bool(allowed(media_request, request.access)),
                   "contacts": list(media_request.contacts.order_by("-contacted_at")),
                   **_conference_context(request, media_request, invite_form=form)}, status=400)


@login_required
@require_POST
def invitation_record(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Record whether an invited outlet came and the link of its coverage (C2)."""
    media_request = _get_request(request, pk)
    request.access.require(media_request.unit, UNIT_ROLES)
    invitation = media_request.invitations.select_related("outlet").filter(pk=invitation_pk).first()
    if invitation is None:
        raise Http404("پیدا نشد.")
    form = InvitationRecordForm(request.POST, prefix=f"inv{invitation.pk}")
    if form.is_valid():
        run_service(request, lambda: services.invitation_record(invitation=invitation, by=request.user,
                                                                **form.cleaned_data),
                    f"حضور و پوشش {invitation.outlet.name} ثبت شد.")
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect(media_request)


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit answers HQ's question: edits the request and sends it again (the step "resubmit")."""
    media_request = _get_request(request, pk)
    spec = steps_of(MediaRequest)["resubmit"]
    # Role and state come from the declaration; its guard (a time ahead) is what this form fixes.
    request.access.require(media_request.unit, spec.roles)
    if media_request.state not in spec.sources:
        messages.error(request, "فقط درخواستی که اداره کل برایش توضیح خواسته ویرایش می‌شود.")
        return redirect(media_request)
    outlets, journalists = _directory(media_request.unit)
    form = RequestForm(request.POST or None, instance=media_request, outlets=outlets, journalists=journalists)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_resubmit(request=media_request, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "توضیح افزوده شد و درخواست دوباره به اداره کل رفت.")
            return redirect("press:request_detail", pk)
    return render(request, "press/request_form.html",
                  {"form": form, "unit": media_request.unit, "media_request": media_request})


@login_required
def request_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit reports an approved request as done, with the link of the news or programme (the step
    "record_done"; its own page because the link is a URL, not Persian text)."""
    media_request = _get_request(request, pk)
    form = DoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            move(media_request, "record_done", by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "انجام کار و گزارش آن ثبت شد.")
            return redirect(media_request)
    else:
        check(media_request, steps_of(MediaRequest)["record_done"], request.access)
    return render(request, "press/request_done.html", {"form": form, "media_request": media_request})


@login_required
def request_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    media_request = _get_request(request, pk)
    content = render_pdf("press/request_pdf.html",
                         {"media_request": media_request, "entries": list(timeline_for(media_request))})
    return pdf_response(f"درخواست-رسانه-{media_request.pk}", content)


# --- Journalist visits (C3) ---------------------------------------------------------------------------

@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any()
    visits = _filter(scoped(access, JournalistVisit.objects.all()), request, ("state",)) \
        .select_related("unit", "recorded_by").order_by("-arrived_at", "-pk")
    if _export_requested(request):
        rows = ([_jdt(v.arrived_at), v.unit.name, v.journalist_name, v.outlet_name, v.purpose,
                 v.get_state_display(), v.permit_given_by, _jdt(v.permit_at), v.outcome]
                for v in visits[:EXPORT_LIMIT])
        return xlsx_response("مراجعه خبرنگاران", "مراجعه‌ها", ["زمان", "واحد", "خبرنگار", "رسانه", "موضوع", "وضعیت",
                                                             "پاسخ‌دهنده اداره کل", "زمان تماس", "نتیجه"], rows)
    can_add = access.work_unit_or_none(UNIT_ROLES, county=True) is not None
    return render(request, "press/visit_list.html",
                  {"page_obj": _page(request, visits), "states": VisitState.choices, "units": access.filter_units(),
                   "can_add": can_add})


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(UNIT_ROLES, county=True)
    _, journalists = _directory(unit)
    form = VisitForm(request.POST or None, journalists=journalists)
    if visit := save_form(request, form, lambda data: services.visit_record(unit=unit, by=request.user, **data),
                          "مراجعه ثبت شد و به اداره کل خبر داده شد. اکنون تلفنی مجوز بگیرید و "
                          "پاسخ را اینجا ثبت کنید.", once="press.visit"):
        return redirect("press:visit_detail", visit.pk)
    return render(request, "press/visit_form.html", {"form": form, "unit": unit})


def _get_visit(request, pk) -> JournalistVisit:
    return get_scoped_or_404(request.access, JournalistVisit.objects.select_related(
        "unit", "journalist", "recorded_by", "permit_recorded_by"), pk=pk)


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A journalist's visit: HQ's head answers with the declared steps; the unit then writes the outcome."""
    visit = _get_visit(request, pk)
    return render(request, "press/visit_detail.html", _visit_context(request, visit, OutcomeForm(
        initial={"outcome": visit.outcome})))


def _visit_context(request, visit, outcome_form) -> dict:
    can_outcome = request.access.has_role(visit.unit, UNIT_ROLES) and visit.state == VisitState.PERMITTED
    return {"visit": visit, "can_outcome": can_outcome, "outcome_form": outcome_form}


@login_required
@require_POST
def visit_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _get_visit(request, pk)
    request.access.require(visit.unit, UNIT_ROLES)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.visit_outcome(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "نتیجه مراجعه ثبت شد.")
            return redirect("press:visit_detail", pk)
    return render(request, "press/visit_detail.html", _visit_context(request, visit, form))


# --- Contact log (C4) -----------------------------------------------------------------------------------

@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any()
    contacts = _filter(scoped(access, ContactLog.objects.all()), request, ("party", "hq_check")) \
        .select_related("unit", "recorded_by", "media_request").order_by("-contacted_at", "-pk")
    if _export_requested(request):
        rows = ([_jdt(c.contacted_at), c.unit.name, c.get_party_display(), c.party_name, c.subject,
                 c.hq_coordination, c.get_hq_check_display(), c.outcome,
                 c.media_request.subject if c.media_request else "", c.recorded_by.full_name]
                for c in contacts[:EXPORT_LIMIT])
        return xlsx_response("ارتباط‌های درون و برون‌سازمانی", "ارتباط‌ها",
                             ["زمان", "واحد", "طرف", "نام", "موضوع", "هماهنگی اداره کل", "تأیید اداره کل", "نتیجه",
                              "درخواست مجوز", "ثبت‌کننده"], rows)
    can_add = access.work_unit_or_none() is not None
    return render(request, "press/contact_list.html",
                  {"page_obj": _page(request, contacts), "parties": Party.choices, "units": access.filter_units(),
                   "can_add": can_add, "hq_checks": HqCheck.choices})


def _unit_requests(unit: Unit):
    return MediaRequest.objects.filter(unit=unit).order_by("-created_at")[:100]


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit()
    requests = MediaRequest.objects.filter(pk__in=[r.pk for r in _unit_requests(unit)])
    initial = {"media_request": request.GET.get("request")} if request.GET.get("request", "").isdecimal() else None
    form = ContactForm(request.POST or None, requests=requests, initial=initial)
    if contact := save_form(request, form, lambda data: services.contact_record(unit=unit, by=request.user, **data),
                            "ارتباط ثبت شد.", once="press.contact"):
        return redirect(contact)
    return render(request, "press/contact_form.html", {"form": form, "unit": unit})


def _get_contact(request, pk) -> ContactLog:
    return get_scoped_or_404(request.access, ContactLog.objects.select_related(
        "unit", "recorded_by", "media_request", "hq_checked_by"), pk=pk)


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact (C4) with its outcome, its C1 request, HQ's word on the coordination (the steps HQ may
    make) and its timeline."""
    contact = _get_contact(request, pk)
    return render(request, "press/contact_detail.html",
                  {"contact": contact, "has_steps": bool(allowed(contact, request.access)),
                   "can_edit": request.access.has_role(contact.unit, services.editor_roles(contact.unit))})


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit corrects a contact or adds its outcome (C4); what HQ has judged stays locked."""
    contact = _get_contact(request, pk)
    request.access.require(contact.unit, services.editor_roles(contact.unit))
    requests = MediaRequest.objects.filter(pk__in=[r.pk for r in _unit_requests(contact.unit)]) \
        | MediaRequest.objects.filter(pk=contact.media_request_id or 0)
    locked = services.HQ_JUDGED_FIELDS if contact.hq_check in HQ_DECIDED else ()
    form = ContactForm(request.POST or None, instance=contact, requests=requests, locked=locked)
    if save_form(request, form, lambda data: services.contact_update(
            contact=contact, by=request.user, **{name: value for name, value in data.items() if name not in locked}),
            "ارتباط ویرایش شد."):
        return redirect("press:contact_detail", pk)
    return render(request, "press/contact_form.html", {"form": form, "unit": contact.unit, "contact": contact},
                  status=400 if form.errors else 200)


# --- Press monitoring (D1) --------------------------------------------------------------------------------

def _complaint_url() -> str:
    try:
        return reverse("complaints:press_create")
    except NoReverseMatch:
        return ""


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any()
    state = request.GET.get("state", "new")
    items = scoped(access, PressItem.objects.all()).select_related("unit", "source", "reviewed_by")
    if state in ItemState.values:
        items = items.filter(state=state)
    items = _filter(items, request)
    if q := search_key(request.GET.get("q")):
        items = items.filter(title__icontains=q)
    items = items.order_by("-fetched_at", "-pk")
    if _export_requested(request):
        rows = ([_jdt(i.published_at or i.fetched_at), i.unit.name, i.source.name, i.title, i.link, i.matched,
                 i.get_state_display(), i.note] for i in items[:EXPORT_LIMIT])
        return xlsx_response("پایش مطبوعات", "مطالب", ["زمان", "واحد", "منبع", "عنوان", "پیوند", "کلیدواژه‌ها",
                                                      "وضعیت", "یادداشت"], rows)
    page_obj = _page(request, items)
    for item in page_obj:
        item.quick_steps, item.can_forward = _quick_steps(item, access)
    return render(request, "press/item_list.html",
                  {"page_obj": page_obj, "states": ItemState.choices, "state": state, "units": access.filter_units()})


# The list's one-click reviews; forwarding a complaint needs a note, so the list links to the item's page.
QUICK_STEPS = ("mark_relevant", "reconsider", "mark_ignored")


def _quick_steps(item: PressItem, access) -> tuple[list, bool]:
    """The quick review steps the person may make on `item` now (declared roles and state; these
    steps have no guards, so a page of rows costs no query), and whether "forward" is theirs too."""
    specs = steps_of(PressItem)
    quick = []
    for name in QUICK_STEPS:
        try:
            check(item, specs[name], access)
        except PermissionDenied:
            continue
        quick.append(specs[name])
    forward = specs["forward_complaint"]
    return quick, item.state in forward.sources and permits(access, item, forward)


def _get_item(request, pk) -> PressItem:
    return get_scoped_or_404(request.access, PressItem.objects.select_related("unit", "source", "reviewed_by"), pk=pk)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A monitored press item; its review buttons are the declared steps the person may make."""
    item = _get_item(request, pk)
    return render(request, "press/item_detail.html", {
        "item": item, "has_steps": bool(allowed(item, request.access)), "complaint_url": _complaint_url() if request.access.has_role(item.unit, UNIT_ROLES) else ""})


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any()
    unit = access.work_unit_or_none()
    sources = scoped(access, PressSource.objects.all()).select_related("unit").order_by("unit__path", "name", "pk")
    form = SourceForm(request.POST or None) if unit else None
    if request.method == "POST":
        if unit is None:
            raise PermissionDenied("در واحد کنونی اجازه افزودن منبع ندارید.")
        if form.is_valid():
            try:
                source = services.source_save(unit=unit, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, f"منبع «{source.name}» افزوده شد؛ در دور بعدی پایش خوانده می‌شود.")
                return redirect("press:source_list")
    keywords = Keyword.objects.filter(unit=unit).order_by("text") if unit else []
    return render(request, "press/source_list.html",
                  {"page_obj": _page(request, sources), "form": form, "unit": unit, "keywords": keywords,
                   "keyword_form": KeywordForm()})


@login_required
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_scoped_or_404(request.access, PressSource, pk=pk)
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        try:
            services.source_save(unit=source.unit, by=request.user, source=get_scoped_or_404(request.access, PressSource, pk=pk),
                                 **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "منبع ذخیره شد.")
            return redirect("press:source_list")
    return render(request, "press/source_form.html", {"form": form, "source": source})


@login_required
@require_POST
def source_fetch(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_scoped_or_404(request.access, PressSource, pk=pk)
    stored = services.fetch_now(source=source, by=request.user)
    source.refresh_from_db()
    if source.last_error:
        messages.error(request, f"خواندن «{source.name}» ناموفق بود: {source.last_error}")
    else:
        messages.success(request, f"«{source.name}» خوانده شد؛ {to_persian_digits(stored)} مطلب تازه.")
    return redirect("press:source_list")


@login_required
def keyword_add(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit()
    form = KeywordForm(request.POST or None)
    if save_form(request, form, lambda data: services.keyword_add(unit=unit, by=request.user, **data),
                 "کلیدواژه افزوده شد.", once="press.keyword"):
        return redirect("press:source_list")
    return render(request, "press/keyword_form.html", {"form": form, "unit": unit})


@login_required
@require_POST
def keyword_delete(request: HttpRequest, pk: int) -> HttpResponse:
    keyword = get_scoped_or_404(request.access, Keyword, pk=pk)
    services.keyword_remove(keyword=keyword, by=request.user)
    messages.success(request, "کلیدواژه برداشته شد.")
    return redirect("press:source_list")
