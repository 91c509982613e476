import base64

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from ravabet.compliance.registry import FEATURES, REVIEW_PROVIDERS, TODO_PROVIDERS
from ravabet.lib import jalali
from ravabet.lib.actions import save_form
from ravabet.lib.excel import xlsx_response
from ravabet.lib.generation import DATA
from ravabet.lib.text import search_key
from ravabet.lib.workdays import is_working_day
from ravabet.workflow.waiting import waiting_for

from . import services, twofactor
from .access import get_scoped_or_404, scoped
from .forms import ClosureForm, NewPersonForm, PersonForm
from .middleware import SESSION_UNIT_KEY
from .models import Closure, Person, Unit
from .roles import HQ_ROLES, WORK_ROLES, Role
from .twofactor import LoginForm

STAFF_EDITORS = services.STAFF_EDITORS


def health(request: HttpRequest) -> HttpResponse:
    """A trivial page: the baseline that bench/ measures every other page against."""
    return HttpResponse("ok", content_type="text/plain")


def public_home(request: HttpRequest) -> HttpResponse:
    links = [{"title": f.title, "url": f.url()} for f in FEATURES.values() if f.public]
    return render(request, "public/home.html", {"public_links": links})


# How long (seconds) a person's home parts are kept at most (offices.views.home): beyond the data generation,
# for deadlines that pass by the clock and writes that send no signal.
HOME_PARTS_SECONDS = 60


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in person's home page: what waits for them (workflow.waiting), today's work of their unit
    (TODO_PROVIDERS) and, for HQ, what waits for HQ's review and the county units.

    The parts below the greeting run a query or two each and are drawn once per person, unit and data
    generation (`lib.generation.DATA`, moved by every save or delete of a record) and kept for at most
    HOME_PARTS_SECONDS: reloading the page reads them from the cache in one lookup (issue 11 §6)."""
    if not request.user.is_authenticated:
        return redirect("public_home")
    access = request.access
    unit = access.current_unit
    key = (f"home:{request.user.pk}:{unit.pk if unit else 0}:{DATA.current()}:{jalali.today().isoformat()}")
    parts = cache.get(key)
    if parts is None:
        parts = render_to_string("offices/_home_parts.html", _home_parts(access, unit))
        cache.set(key, parts, HOME_PARTS_SECONDS)
    return render(request, "offices/home.html", {
        "unit": unit, "today_is_working_day": is_working_day(jalali.today()), "parts": parts})


def _home_parts(access, unit) -> dict:
    """The context of the home page's parts for `access` (the person) in `unit` (their current unit)."""
    context = {"waiting": waiting_for(access), "has_roles": bool(access.memberships)}
    if access.is_hq:
        context["reviews"] = [entry for provider in REVIEW_PROVIDERS for entry in provider(access)]
        context["units"] = Unit.objects.filter(kind="county", is_active=True).annotate(
            staff_count=Count("people", filter=Q(people__is_active=True))).order_by("name")
    if unit is not None and access.has_role(unit, {Role.PR_OFFICER, Role.UNIT_MANAGER}) and not unit.is_hq:
        context["todos"] = [entry for provider in TODO_PROVIDERS for entry in provider(access, unit)]
    return context


@login_required
@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    unit_id = request.POST.get("unit", "")
    if unit_id.isdigit() and any(unit.pk == int(unit_id) for unit in request.access.units):
        request.session[SESSION_UNIT_KEY] = int(unit_id)
    return redirect("home")


def _staff_queryset(request):
    people = scoped(request.access, Person.objects.filter(is_active=True), WORK_ROLES)
    query = request.GET.get("q", "").strip()
    if query:
        key = search_key(query)
        people = people.filter(Q(full_name__icontains=key) | Q(mobile__contains=key) | Q(position__icontains=key))
    people = request.access.narrow(people, request.GET.get("unit"))
    return people.select_related("unit").order_by("unit__name", "full_name")


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES, "فهرست کارکنان برای روابط عمومی، رئیس اداره و اداره کل است.")
    people = _staff_queryset(request)
    if request.GET.get("export") == "xlsx":
        return xlsx_response("کارکنان", "کارکنان", ["واحد", "نام", "سمت", "همراه", "ایمیل", "انصراف از پیامک"],
                             ([p.unit.name, p.full_name, p.position, p.mobile, p.email,
                               "بله" if p.sms_opt_out else ""] for p in people))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    units = access.filter_units(WORK_ROLES, counties_only=False)
    return render(request, "offices/staff_list.html", {"page_obj": page, "units": units,
                                                       "can_edit": bool(access.unit_ids(STAFF_EDITORS))})


@login_required
def staff_create(request: HttpRequest) -> HttpResponse:
    access = request.access
    unit = access.current_unit
    access.require(unit, STAFF_EDITORS)
    form = NewPersonForm(request.POST or None)
    if save_form(request, form, lambda data: services.person_create(unit=unit, by=request.user, **data),
                 lambda person: f"«{person.full_name}» به فهرست کارکنان {unit.name} افزوده شد.", once="offices.person"):
        return redirect("offices:staff_list")
    return render(request, "offices/person_form.html", {"form": form, "unit": unit})


@login_required
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_scoped_or_404(request.access, Person, pk=pk)
    request.access.require(person.unit, STAFF_EDITORS)
    form = PersonForm(request.POST or None, instance=person)
    if save_form(request, form, lambda data: services.person_update(
            person=get_scoped_or_404(request.access, Person, pk=pk), by=request.user, **data), "تغییرات ذخیره شد."):
        return redirect("offices:staff_list")
    return render(request, "offices/person_form.html", {"form": form, "unit": person.unit, "person": person})


@login_required
@require_POST
def staff_archive(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_scoped_or_404(request.access, Person, pk=pk)
    services.person_archive(person=person, by=request.user)
    messages.success(request, f"«{person.full_name}» از فهرست کارکنان کنار گذاشته شد.")
    return redirect("offices:staff_list")


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    request.access.require_hq()
    units = Unit.objects.filter(pk__in=request.access.unit_ids(HQ_ROLES)).annotate(
        staff_count=Count("people", filter=Q(people__is_active=True)),
        mobile_count=Count("people", filter=Q(people__is_active=True) & ~Q(people__mobile="")),
    ).order_by("path")
    return render(request, "offices/unit_list.html", {"units": units})


@login_required
def closure_list(request: HttpRequest) -> HttpResponse:
    request.access.require_hq()
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.closure_add(by=request.user, **form.cleaned_data)
        messages.success(request, "تعطیلی ثبت شد؛ مهلت‌ها و پایش روزانه آن را در نظر می‌گیرند.")
        return redirect("offices:closures")
    return render(request, "offices/closures.html", {"form": form, "closures": Closure.objects.all()[:200]})


@login_required
@require_POST
def closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    request.access.require_hq()
    services.closure_remove(closure=get_object_or_404(Closure, pk=pk), by=request.user)
    messages.success(request, "تعطیلی حذف شد.")
    return redirect("offices:closures")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        device = getattr(form.get_user(), "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-step login on (scan the QR code, type a code) or off (type the password)."""
    user = request.user
    enabled = twofactor.confirmed_devices(user).exists()
    error = ""
    if request.method == "POST" and request.POST.get("action") == "enable" and not enabled:
        device = twofactor.enable(user=user, token=request.POST.get("token", ""))
        if device is not None:
            otp_login(request, device)
            messages.success(request, "ورود دومرحله‌ای فعال شد؛ از این پس هنگام ورود کد برنامه را هم می‌خواهیم.")
            return redirect("offices:two_factor")
        error = "کد درست نیست؛ کد تازه‌ای را که برنامه نشان می‌دهد وارد کنید."
    elif request.method == "POST" and request.POST.get("action") == "disable" and enabled:
        if twofactor.role_requires(request):
            error = "ورود دومرحله‌ای برای نقش شما لازم است و نمی‌توان آن را غیرفعال کرد."
        elif user.check_password(request.POST.get("password", "")):
            twofactor.disable(user=user)
            messages.success(request, "ورود دومرحله‌ای غیرفعال شد.")
            return redirect("offices:two_factor")
        else:
            error = "گذرواژه درست نیست."
    context = {"enabled": enabled, "error": error}
    if not enabled:
        device = twofactor.pending_device(user)
        context.update(qr=twofactor.qr_svg(device.config_url),
                       secret=base64.b32encode(device.bin_key).decode())
    return render(request, "offices/two_factor.html", context)
