import datetime as dt
import ipaddress
import os
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ravabet.audit.services import timeline_for
from ravabet.lib.actions import errors_to_form as _form_error
from ravabet.lib.actions import run_service
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.excel import xlsx_response
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.lib.validators import normalize_mobile
from ravabet.offices.access import scoped
from ravabet.offices.models import Person, Unit, UnitKind
from ravabet.offices.roles import HQ_ROLES, WORK_ROLES

from . import selectors, services
from .forms import (
    AnswerForm,
    DeadlinesForm,
    ForwardForm,
    ObjectForm,
    PeriodForm,
    PressCaseForm,
    PublicCaseForm,
    QuickCaseForm,
    RateForm,
    ReferForm,
    TrackForm,
)
from .models import TRANSITIONS, Case, Channel, Kind, KindDeadline, State
from .privacy import HANDLER_ROLES, can_see_personal_data
from .tracking import group, in_text, normalize_code

SUBMIT_LIMIT = 5  # per minute per address
LOOKUP_LIMIT = 10
SESSION_DONE = "complaints_done"
SESSION_TRACKED = "complaints_tracked"
LIST_RELATED = ("unit", "referred_to")
NOT_FOUND = "پرونده‌ای با این کد رهگیری و شماره همراه پیدا نشد. کد و شماره را دوباره بررسی کنید."


def client_ip(request: HttpRequest) -> str | None:
    """The citizen's address, for the per-minute limits and the action log.

    Behind a reverse proxy REMOTE_ADDR is the proxy itself, so every citizen would share one
    allowance (five submissions a minute for the whole province). Set the setting
    ``RAVABET_CLIENT_IP_HEADER`` to the request.META key of the header the proxy writes, e.g.
    ``"HTTP_X_REAL_IP"`` (nginx: ``proxy_set_header X-Real-IP $remote_addr;``) or
    ``"HTTP_X_FORWARDED_FOR"`` (the last address is taken: the one our own proxy appended).
    Set it only when the proxy always overwrites that header; otherwise a client could send any
    address and escape the limit. Unset (None, the default) means REMOTE_ADDR. A header that is
    missing or holds no valid IP address also falls back to REMOTE_ADDR. None when neither is an
    address (a unix socket leaves REMOTE_ADDR empty): the log then stores no address.
    """
    header = getattr(settings, "RAVABET_CLIENT_IP_HEADER", None)
    candidates = [request.META.get(header, "").split(",")[-1]] if header else []
    for candidate in [*candidates, request.META.get("REMOTE_ADDR", "")]:
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return None


def over_limit(request: HttpRequest, scope: str, limit: int) -> bool:
    """Count this request in the address's counter for the current minute (shared cache: Redis in production)."""
    key = f"complaints:{scope}:{client_ip(request) or 'unknown'}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=120):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=120)
        return False




# Public side -----------------------------------------------------------------------------------------------


def public_new(request: HttpRequest) -> HttpResponse:
    form = PublicCaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if over_limit(request, "submit", SUBMIT_LIMIT):
            form.add_error(None, "از این نشانی در یک دقیقه بیش از ۵ بار فرستاده شده است. یک دقیقه صبر کنید "
                                 "و دوباره «ثبت» را بزنید؛ آنچه نوشته‌اید سر جایش است.")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_submit(
                    unit=data["unit"], kind=data["kind"], subject=data["subject"], text=data["text"],
                    citizen_name=data["citizen_name"], citizen_mobile=data["citizen_mobile"],
                    citizen_national_code=data["citizen_national_code"], attachments=data["attachments"],
                    ip_address=client_ip(request))
            except ValidationError as error:
                _form_error(form, error)
            else:
                request.session[SESSION_DONE] = case.pk
                return redirect("complaints:public_done")
    return render(request, "complaints/public_form.html",
                  {"form": form, "field_errors": any(name != "__all__" for name in form.errors),
                   "files_dropped": bool(request.FILES.getlist("attachments"))})


def public_done(request: HttpRequest) -> HttpResponse:
    case = Case.objects.filter(pk=request.session.get(SESSION_DONE) or 0).select_related("unit").first()
    if case is None:
        return redirect("complaints:public_new")
    return render(request, "complaints/public_done.html", {"case": case})


def public_track(request: HttpRequest) -> HttpResponse:
    # The SMS and the "submitted" page link here with ?code=, so the citizen adds only the mobile number.
    code = normalize_code(request.GET.get("code", ""))
    form = TrackForm(request.POST or None, initial={"code": to_persian_digits(group(code))} if len(code) == 12 else None)
    if len(code) == 12:
        form.fields["mobile"].widget.attrs["autofocus"] = True
    if request.method == "POST":
        if over_limit(request, "track", LOOKUP_LIMIT):
            form.add_error(None, "در یک دقیقه بیش از اندازه جستجو شده است؛ یک دقیقه بعد دوباره بکوشید.")
        elif form.is_valid():
            code = normalize_code(form.cleaned_data["code"])
            mobile = normalize_mobile(form.cleaned_data["mobile"])
            case = Case.objects.filter(tracking_code=code).only("pk", "citizen_mobile").first() if code else None
            # One message for an unknown code and a wrong mobile, so neither reveals that a case exists.
            if case is None or case.citizen_mobile != mobile:
                form.add_error(None, NOT_FOUND)
            else:
                request.session[SESSION_TRACKED] = case.pk
                return redirect("complaints:public_case")
    return render(request, "complaints/public_track.html", {"form": form})


def public_case(request: HttpRequest) -> HttpResponse:
    case = Case.objects.filter(pk=request.session.get(SESSION_TRACKED) or 0).select_related("unit").first()
    if case is None:
        return redirect("complaints:public_track")
    rate_form, object_form = RateForm(initial={"rating": case.rating}), ObjectForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rate":
                rate_form = RateForm(request.POST)
                if rate_form.is_valid():
                    services.case_rate(case=case, rating=rate_form.cleaned_data["rating"],
                                       ip_address=client_ip(request))
                    messages.success(request, "سپاس؛ رضایت شما ثبت شد.")
                    return redirect("complaints:public_case")
            elif action == "object":
                object_form = ObjectForm(request.POST)
                if object_form.is_valid():
                    services.case_object(case=case, objection=object_form.cleaned_data["objection"],
                                         ip_address=client_ip(request))
                    messages.success(request, "اعتراض شما ثبت شد و پرونده دوباره بررسی می‌شود.")
                    return redirect("complaints:public_case")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("complaints:public_case")
    return render(request, "complaints/public_case.html",
                  {"case": case, "rate_form": rate_form, "object_form": object_form,
                   "can_respond": case.state in (State.ANSWERED, State.CLOSED)})


# Staff side ------------------------------------------------------------------------------------------------


def _list_context(request, cases, title: str, **extra) -> dict:
    flags = selectors.Flags.now()
    cases = selectors.filter_cases(cases, request.GET, flags).select_related(*LIST_RELATED)
    page = Paginator(cases.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    for case in page:
        case.flag = flags.level(case)
    return {"page_obj": page, "title": title, "states": State.choices, "kinds": Kind.choices,
            "channels": Channel.choices, **extra}


def _export(cases, filename: str) -> HttpResponse:
    """Lists leave the building in exports, so personal data stays masked there."""
    rows = ([c.display_code, c.created_at, c.unit.name, c.get_kind_display(), c.get_channel_display(), c.subject,
             c.masked["name"], c.masked["mobile"], c.get_state_display(), c.deadline,
             c.referred_to.full_name if c.referred_to else "", c.answered_at, c.rating]
            for c in cases.select_related(*LIST_RELATED).order_by("-created_at", "-pk")[:50_000])
    return xlsx_response(filename, "پرونده‌ها", ["کد رهگیری", "زمان ثبت", "واحد", "نوع", "مسیر", "موضوع", "نام",
                                                "همراه", "وضعیت", "مهلت", "ارجاع به", "زمان پاسخ", "رضایت"], rows)


def _require_worker(access) -> None:
    """Unit and HQ roles, and any employee who has a case referred to them."""
    if not access.unit_ids(WORK_ROLES) and not Case.objects.filter(referred_to__user=access.user).exists():
        raise PermissionDenied("شما اجازه دیدن پرونده‌های مردمی را ندارید.")


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    _require_worker(access)
    cases = selectors.cases_for(access)
    if request.GET.get("export") == "xlsx":
        return _export(selectors.filter_cases(cases, request.GET, selectors.Flags.now()), "پرونده‌های مردمی")
    units = Unit.objects.filter(pk__in=access.unit_ids(WORK_ROLES), kind=UnitKind.COUNTY).order_by("name")
    can_register = access.current_unit is not None and access.has_role(access.current_unit, HANDLER_ROLES) \
        and not access.current_unit.is_hq
    return render(request, "complaints/case_list.html",
                  _list_context(request, cases, "پرونده‌های مردمی", units=units, can_register=can_register,
                                is_hq=access.is_hq))


@login_required
def hq_overdue(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_hq()
    flags = selectors.Flags.now()
    cases = scoped(access, Case.objects.filter(flags.overdue()), HQ_ROLES)
    if request.GET.get("export") == "xlsx":
        return _export(cases, "پرونده‌های دیرکرد")
    return render(request, "complaints/case_list.html",
                  _list_context(request, cases, "پرونده‌های گذشته از مهلت", overdue_page=True, is_hq=True,
                                units=Unit.objects.filter(pk__in=access.unit_ids(HQ_ROLES),
                                                          kind=UnitKind.COUNTY).order_by("name")))


@login_required
def hq_forwarded(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_hq()
    cases = scoped(access, Case.objects.filter(forwarded_by_hq=True), HQ_ROLES)
    if request.GET.get("export") == "xlsx":
        return _export(cases, "ارجاع‌های اداره کل")
    return render(request, "complaints/case_list.html",
                  _list_context(request, cases, "شکایات مطبوعاتی ارجاع‌شده از اداره کل", forwarded_page=True,
                                is_hq=True, units=Unit.objects.filter(pk__in=access.unit_ids(HQ_ROLES),
                                                                      kind=UnitKind.COUNTY).order_by("name")))


def _current_handler_unit(access) -> Unit:
    unit = access.current_unit
    if unit is None or unit.is_hq:
        raise PermissionDenied("این فرم برای روابط عمومی ادارات شهرستان است.")
    access.require(unit, HANDLER_ROLES)
    return unit


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    unit = _current_handler_unit(request.access)
    form = QuickCaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"ثبت شد؛ کد رهگیری {in_text(case.tracking_code)} است. "
                                      "اگر شهروند پشت خط است، این کد را برایش بخوانید.")
            return redirect("complaints:detail", case.pk)
    return render(request, "complaints/case_form.html",
                  {"form": form, "unit": unit, "title": "ثبت سریع شکایت یا درخواست",
                   "submit_label": "ثبت و گرفتن کد رهگیری"})


@login_required
def press_create(request: HttpRequest) -> HttpResponse:
    unit = _current_handler_unit(request.access)
    form = PressCaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.press_register(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "شکایت مطبوعاتی ثبت و برای رئیس اداره ارجاع شد.")
            return redirect("complaints:detail", case.pk)
    return render(request, "complaints/case_form.html",
                  {"form": form, "unit": unit, "title": "ثبت شکایت منتشرشده در مطبوعات",
                   "submit_label": "ثبت و ارجاع به رئیس اداره",
                   "intro": "شکایت مردمی که در روزنامه یا پایگاه خبری دیده‌اید را ثبت کنید؛ "
                            "پرونده بی‌درنگ به رئیس اداره ارجاع می‌شود."})


@login_required
def hq_forward(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_hq()
    units = Unit.objects.filter(pk__in=access.unit_ids(HQ_ROLES), kind=UnitKind.COUNTY, is_active=True) \
        .order_by("name")
    # A suggested deadline (the complaint kind's own) that HQ may shorten or lengthen.
    form = ForwardForm(request.POST or None, request.FILES or None, units=units,
                       initial={"deadline": services.deadline_for(Kind.COMPLAINT)})
    if request.method == "POST" and form.is_valid():
        try:
            case = services.hq_forward(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"به {case.unit.name} ارجاع شد؛ مهلت پاسخ در فهرست پیگیری دیده می‌شود.")
            return redirect("complaints:hq_forwarded")
    return render(request, "complaints/case_form.html",
                  {"form": form, "title": "ارجاع شکایت مطبوعاتی به اداره شهرستان",
                   "submit_label": "ثبت و ارجاع به اداره"})


def _get_case(request, pk: int) -> Case:
    try:
        return selectors.cases_for(request.access).select_related("unit", "referred_to", "answered_by").get(pk=pk)
    except Case.DoesNotExist:
        raise Http404("پیدا نشد.") from None


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    access = request.access
    handler = access.has_role(case.unit_id, HANDLER_ROLES)
    context = {"case": case, "flag": selectors.Flags.now().level(case), "handler": handler,
               "can_answer": services.can_answer(access, case) and State.ANSWERED in _next(case),
               "can_see_personal": can_see_personal_data(access, case),
               "attachments": list(case.attachments.all()),
               "duplicates": selectors.suggested_duplicates(case, selectors.cases_for(access))}
    # A closed case reopens only through the citizen's objection, so it is not offered for referral.
    if handler and case.state != State.CLOSED and State.REFERRED in _next(case):
        people = Person.objects.filter(unit=case.unit_id, is_active=True).order_by("full_name")
        try:
            head = services.head_of(case.unit)
        except ValidationError:
            head = None
        context["refer_form"] = ReferForm(people=people, head=head)
    if context["can_answer"]:
        context["answer_form"] = AnswerForm()
    context["can_close"] = handler and State.CLOSED in _next(case)
    return render(request, "complaints/case_detail.html", context)


def _next(case: Case) -> frozenset:
    return TRANSITIONS[case.state]


@login_required
@require_POST
def case_personal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the complainant's details to someone handling the case, and log that they looked."""
    case = _get_case(request, pk)
    if not can_see_personal_data(request.access, case):
        raise PermissionDenied("مشخصات شهروند فقط برای رسیدگی‌کنندگان پرونده دیده می‌شود.")
    services.personal_data_viewed(case=case, by=request.user)
    return render(request, "complaints/case_detail.html#personal", {"case": case, "revealed": True})


@login_required
@require_POST
def case_refer(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    request.access.require(case.unit, HANDLER_ROLES)
    people = Person.objects.filter(unit=case.unit_id, is_active=True)
    choice = request.POST.get("person", "")
    try:
        if choice == "head":
            person = services.head_of(case.unit)
        else:
            person = people.filter(pk=int(choice) if choice.isdigit() else 0).first()
            if person is None:
                raise ValidationError("کسی را برای ارجاع برگزینید.")
        services.case_refer(case=case, by=request.user, person=person, comment=request.POST.get("comment", "")[:300])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"پرونده به {person.full_name} ارجاع شد.")
    return redirect("complaints:detail", case.pk)


@login_required
@require_POST
def case_answer(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.case_answer(case=case, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "پاسخ ثبت شد و با پیامک برای شهروند فرستاده می‌شود.")
            return redirect("complaints:detail", case.pk)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("complaints:detail", case.pk)


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    run_service(request, lambda: services.case_close(case=case, by=request.user), "پرونده بسته شد.")
    return redirect("complaints:detail", case.pk)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    item = get_object_or_404(case.attachments, pk=attachment_pk)
    # Images open in the browser; PDFs from the public are downloaded rather than shown inline.
    return FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.name,
                        as_attachment=not item.is_image)


@login_required
def clipping(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    if not case.clipping:
        raise Http404("پیدا نشد.")
    extension = os.path.splitext(case.clipping.name)[1]
    return FileResponse(case.clipping.open("rb"), filename=f"clipping-{case.tracking_code}{extension}",
                        as_attachment=extension == ".pdf")


@login_required
def case_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    content = render_pdf("complaints/case_pdf.html", {"case": case, "entries": list(timeline_for(case))})
    return pdf_response(f"پرونده-{case.tracking_code}", content)


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    request.access.require_hq()
    form = DeadlinesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        table = KindDeadline.table()
        for kind, days in form.cleaned_data.items():
            if table.get(kind) != days:
                services.kind_deadline_set(by=request.user, kind=kind, working_days=days)
        messages.success(request, "مهلت‌ها ذخیره شد؛ پرونده‌های تازه با این مهلت‌ها ثبت می‌شوند.")
        return redirect("complaints:deadlines")
    return render(request, "complaints/deadlines.html", {"form": form})


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    access = request.access
    if not access.unit_ids(WORK_ROLES):
        raise PermissionDenied("آمار فقط برای روابط عمومی و رئیس اداره است.")
    flags = selectors.Flags.now()
    period = PeriodForm(request.GET or None)
    cases = scoped(access, Case.objects.all(), WORK_ROLES)
    if not access.is_hq and access.current_unit is not None:
        cases = cases.filter(unit=access.current_unit)
    unit_param = request.GET.get("unit", "")
    if unit_param.isdigit():
        cases = cases.filter(unit_id=int(unit_param))
    if period.is_valid():
        # Ranges on created_at itself: __date would convert every row's time zone (slow, no index).
        if period.cleaned_data["start"]:
            cases = cases.filter(created_at__gte=selectors.start_of_day(period.cleaned_data["start"]))
        if period.cleaned_data["end"]:
            cases = cases.filter(created_at__lt=selectors.start_of_day(period.cleaned_data["end"] + dt.timedelta(days=1)))
    overdue = cases.filter(flags.overdue()).select_related(*LIST_RELATED).order_by("deadline", "pk")
    if request.GET.get("export") == "xlsx":
        return _export(overdue, "پرونده‌های دیرکرد")
    bounds = period.cleaned_data if period.is_valid() else {}
    context = {"figures": selectors.figures(cases, flags), "period": period, "is_hq": access.is_hq,
               "overdue": list(overdue[:100]), "flags": flags,
               "chart": {"trend": selectors.monthly_trend(cases, bounds.get("start"), bounds.get("end"))}}
    if access.is_hq:
        context["by_unit"] = selectors.figures_by_unit(cases, flags)
        names = [row["unit__name"] for row in context["by_unit"]]
        # "اداره راه و شهرسازی شهرستان X" for every unit: the chart shows only what differs.
        prefix = os.path.commonprefix(names) if len(names) > 1 else ""
        prefix = prefix[:prefix.rfind(" ") + 1]
        context["chart"]["units"] = {"labels": [name[len(prefix):] for name in names],
                                     "in_time": [row["in_time_percent"] for row in context["by_unit"]],
                                     "overdue": [row["overdue"] for row in context["by_unit"]]}
        context["units"] = Unit.objects.filter(pk__in=access.unit_ids(HQ_ROLES), kind=UnitKind.COUNTY).order_by("name")
    return render(request, "complaints/figures.html", context)
