import datetime as dt
import hashlib
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from ravabet.audit.services import timeline_for
from ravabet.lib import idempotency, jalali, ratelimit
from ravabet.lib.actions import errors_to_form as _form_error
from ravabet.lib.actions import save_form
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.excel import xlsx_response
from ravabet.lib.generation import kept
from ravabet.lib.paging import BoundedPaginator
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.lib.ratelimit import client_ip
from ravabet.lib.uploads import private_file_response
from ravabet.lib.validators import normalize_mobile
from ravabet.offices.access import scoped
from ravabet.offices.models import Person, Unit, UnitKind
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES
from ravabet.workflow.engine import TransitionRefused, allowed, check, move, steps_of

from . import selectors, services
from .forms import (
    AnswerForm,
    DeadlinesForm,
    EscalateForm,
    ForwardForm,
    ObjectForm,
    PeriodForm,
    PressCaseForm,
    PublicCaseForm,
    QuickCaseForm,
    RateForm,
    ReferForm,
    TrackForm,
    TransferForm,
    UnitCaseSettingsForm,
)
from .models import (
    ANSWERED_STATES,
    Answer,
    Case,
    Channel,
    Followup,
    Kind,
    KindDeadline,
    State,
    Transfer,
    UnitCaseSettings,
)
from .privacy import can_see_personal_data
from .tracking import group, in_text, normalize_code

SUBMIT_LIMIT = ratelimit.Limit("complaints-submit", 5, 60)  # five a minute per address, page and API together
LOOKUP_LIMIT = ratelimit.Limit("complaints-track", 10, 60)
SESSION_DONE = "complaints_done"
SESSION_TRACKED = "complaints_tracked"
LIST_RELATED = ("unit", "referred_to")
PUBLIC_SCOPE = "complaints.public"
NOT_FOUND = "پرونده‌ای با این کد رهگیری و شماره همراه پیدا نشد. کد و شماره را دوباره بررسی کنید."


def over_limit(request: HttpRequest, limit: ratelimit.Limit) -> bool:
    """Count this request against `limit` (SUBMIT_LIMIT, LOOKUP_LIMIT) for the client's address and say
    whether it goes beyond the allowance (True: refuse). Through lib.ratelimit: Redis when configured, the
    database otherwise, so every worker process shares one allowance (issue 13 §3)."""
    return ratelimit.over(limit, client_ip(request) or "unknown")


# Public side -----------------------------------------------------------------------------------------------


def _public_filed(request: HttpRequest, case: Case) -> HttpResponse:
    request.session[SESSION_DONE] = case.pk
    return redirect("complaints:public_done")


def public_new(request: HttpRequest) -> HttpResponse:
    form = PublicCaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            # The same form sent again (a double click, a resend after a lost answer; issue 13 point 7):
            # the citizen is led to the case the first one filed, before its used captcha is checked.
            if (case := idempotency.first_made(request, PUBLIC_SCOPE)) is not None:
                return _public_filed(request, case)
            if over_limit(request, SUBMIT_LIMIT):
                form.add_error(None, "از این نشانی در یک دقیقه بیش از ۵ بار فرستاده شده است. یک دقیقه صبر کنید "
                                     "و دوباره «ثبت» را بزنید؛ آنچه نوشته‌اید سر جایش است.")
            else:
                # Validated after the token is claimed: a copy of this form sent at the same moment waits
                # for this one instead of failing on the captcha this one used (issue 13 point 7).
                case, _ = idempotency.create_once(request, PUBLIC_SCOPE, lambda: form.file_case(client_ip(request)))
                return _public_filed(request, case)
        except idempotency.Invalid:
            form.spend_captcha()
        except ValidationError as error:
            form.spend_captcha()
            form.is_valid()
            _form_error(form, error)
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
        if over_limit(request, LOOKUP_LIMIT):
            form.add_error(None, "در یک دقیقه بیش از اندازه جستجو شده است؛ یک دقیقه بعد دوباره بکوشید.")
        elif form.is_valid():
            code = normalize_code(form.cleaned_data["code"])
            mobile = normalize_mobile(form.cleaned_data["mobile"])
            case = Case.objects.filter(tracking_code=code).only("pk", "citizen_mobile", "state", "followup").first() if code else None
            # One message for an unknown code and a wrong mobile, so neither reveals that a case exists.
            if case is None or case.citizen_mobile != mobile:
                form.add_error(None, NOT_FOUND)
            else:
                request.session[SESSION_TRACKED] = case.pk
                return redirect("complaints:public_case")
    return render(request, "complaints/public_track.html", {"form": form})


def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """The short link in an SMS: the tracking page with the code filled in (the mobile is still asked)."""
    return redirect(f"{reverse('complaints:public_track')}?code={normalize_code(code)}")


def _tracked(request: HttpRequest) -> Case | None:
    return Case.objects.filter(pk=request.session.get(SESSION_TRACKED) or 0) \
        .select_related("unit", "duplicate_of__unit").first()


def public_case(request: HttpRequest) -> HttpResponse:
    """The citizen's view of their case: where it stands, in words that match what happened (an answer,
    or a closing without one and its reason), every answer given, rating the standing answer and
    objecting (the reopen step, made with no account)."""
    case = _tracked(request)
    if case is None:
        return redirect("complaints:public_track")
    current = case.current_answer
    rate_form = RateForm(initial={"rating": current.rating if current else None,
                                  "resolution": current.resolution if current else None,
                                  "answer": current.pk if current else None})
    object_form = ObjectForm()
    escalate_form = EscalateForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "escalate":
                escalate_form = EscalateForm(request.POST)
                if escalate_form.is_valid():
                    move(case, "escalate", by=None, escalation_note=escalate_form.cleaned_data["escalation_note"])
                    messages.success(request, "درخواست پیگیری شما به اداره کل رسید؛ اداره کل پیگیری می‌کند.")
                    return redirect("complaints:public_case")
            elif action == "rate":
                rate_form = RateForm(request.POST)
                if rate_form.is_valid():
                    services.case_rate(case=case, rating=rate_form.cleaned_data["rating"],
                                       resolution=rate_form.cleaned_data["resolution"],
                                       answer_id=rate_form.cleaned_data["answer"], ip_address=client_ip(request))
                    messages.success(request, "سپاس؛ رضایت شما ثبت شد.")
                    return redirect("complaints:public_case")
            elif action == "object":
                object_form = ObjectForm(request.POST)
                if object_form.is_valid():
                    move(case, "reopen", by=None, objection=object_form.cleaned_data["objection"])
                    messages.success(request, "اعتراض شما ثبت شد و پرونده دوباره بررسی می‌شود.")
                    return redirect("complaints:public_case")
        except (ValidationError, TransitionRefused) as error:
            messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
            return redirect("complaints:public_case")
    if current is None:
        object_form.fields["objection"].label = "اگر با بستن پرونده بدون پاسخ موافق نیستید، بنویسید چرا"
    main = case.duplicate_of if case.state == State.MERGED else None
    return render(request, "complaints/public_case.html",
                  {"case": case, "answers": case.versions, "current": current, "rate_form": rate_form,
                   "main": main, "main_answer": main.current_answer if main else None,
                   "object_form": object_form, "escalate_form": escalate_form,
                   "can_object": case.state in (*ANSWERED_STATES, State.CLOSED_UNANSWERED)})


def public_answer_file(request: HttpRequest, version: int) -> HttpResponse:
    """The file attached to an answer, for the citizen who opened the case with its code and mobile."""
    case = _tracked(request)
    if case is None:
        return redirect("complaints:public_track")
    return _answer_file(get_object_or_404(case.answers, version=version))


# Staff side ------------------------------------------------------------------------------------------------

NO_CASES = "شما اجازه دیدن پرونده‌های مردمی را ندارید."
HQ_ONLY = "این بخش از آنِ روابط عمومی اداره کل است."


def _list_context(request, cases, title: str, *, listed=None, **extra) -> dict:
    """The list page's context: `cases` filtered by the page's parameters, counted up to
    BoundedPaginator.COUNT_CAP, and one page of 50 newest first, read from `listed` (the same cases written for
    reading newest first, `cases_for(listing=True)`) when given."""
    flags = selectors.Flags.now()

    def filtered(queryset):
        return request.access.narrow(selectors.filter_cases(queryset, request.GET, flags), request.GET.get("unit"))

    if listed is not None:
        # The unit read by a second query (a handful of rows): joined, it would lead the plan back to the
        # (unit, …) index and the sort.
        rows = filtered(listed).select_related("referred_to").prefetch_related("unit")
    else:
        rows = filtered(cases).select_related(*LIST_RELATED)
    page = BoundedPaginator(rows.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    for case in page:
        case.flag = flags.level(case)
    start, end = selectors.received_period(request.GET)
    return {"page_obj": page, "title": title, "states": State.choices, "kinds": Kind.choices,
            "channels": Channel.choices, "received": (start, end) if start or end else None, **extra}


def _export(request, cases, filename: str) -> HttpResponse:
    """Lists leave the building in exports, so personal data stays masked there."""
    cases = request.access.narrow(selectors.filter_cases(cases, request.GET, selectors.Flags.now()),
                                  request.GET.get("unit"))
    rows = ([c.display_code, c.created_at, c.unit.name, c.get_kind_display(), c.get_channel_display(), c.subject,
             c.masked["name"], c.masked["mobile"], c.get_state_display(), c.deadline,
             c.referred_to.full_name if c.referred_to else "", c.answered_at, c.close_reason]
            for c in cases.select_related(*LIST_RELATED).order_by("-created_at", "-pk")[:50_000])
    return xlsx_response(filename, "پرونده‌ها", ["کد رهگیری", "زمان ثبت", "واحد", "نوع", "مسیر", "موضوع", "نام",
                                                "همراه", "وضعیت", "مهلت", "ارجاع به", "زمان پاسخ",
                                                "علت بستن بدون پاسخ"], rows)


def _can_register(access) -> bool:
    try:
        access.work_unit(UNIT_ROLES, county=True)
    except PermissionDenied:
        return False
    return True


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases of the units where the person works, and those referred to them (an employee
    without a unit role sees only these)."""
    access = request.access
    if not access.unit_ids(WORK_ROLES) and not Case.objects.filter(referred_to__user=request.user).exists():
        access.require_any(WORK_ROLES, NO_CASES)
    cases = selectors.cases_for(access)
    if request.GET.get("export") == "xlsx":
        return _export(request, cases, "پرونده‌های مردمی")
    return render(request, "complaints/case_list.html",
                  _list_context(request, cases, "پرونده‌های مردمی", listed=selectors.cases_for(access, listing=True),
                                units=access.filter_units(WORK_ROLES),
                                can_register=_can_register(access), is_hq=access.is_hq,
                                show_steps=bool(access.unit_ids(UNIT_ROLES)) or not access.unit_ids(WORK_ROLES)))


@login_required
def hq_overdue(request: HttpRequest) -> HttpResponse:
    """HQ's follow-up list: open cases past their deadline, and those closed without an answer after it."""
    access = request.access
    access.require_any(HQ_ROLES, HQ_ONLY)
    cases = scoped(access, Case.objects.filter(
        selectors.Flags.now().late() | Q(state__in=selectors.OPEN_STATES, followup=Followup.ESCALATED)), HQ_ROLES)
    if request.GET.get("export") == "xlsx":
        return _export(request, cases, "پرونده‌های دیرکرد")
    return render(request, "complaints/case_list.html",
                  _list_context(request, cases, "پرونده‌های گذشته از مهلت", overdue_page=True, is_hq=True,
                                units=access.filter_units(HQ_ROLES)))


@login_required
def hq_forwarded(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(HQ_ROLES, HQ_ONLY)
    cases = scoped(access, Case.objects.filter(forwarded_by_hq=True), HQ_ROLES)
    if request.GET.get("export") == "xlsx":
        return _export(request, cases, "ارجاع‌های اداره کل")
    return render(request, "complaints/case_list.html",
                  _list_context(request, cases, "شکایات مطبوعاتی ارجاع‌شده از اداره کل", forwarded_page=True,
                                is_hq=True, units=access.filter_units(HQ_ROLES)))


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(UNIT_ROLES, county=True)
    form = QuickCaseForm(request.POST or None, request.FILES or None)
    if case := save_form(request, form, lambda data: services.case_register(unit=unit, by=request.user, **data),
                         lambda case: f"ثبت شد؛ کد رهگیری {in_text(case.tracking_code)} است. "
                                      "اگر شهروند پشت خط است، این کد را برایش بخوانید.", once="complaints.case"):
        return redirect("complaints:detail", case.pk)
    return render(request, "complaints/case_form.html",
                  {"form": form, "unit": unit, "title": "ثبت سریع شکایت یا درخواست",
                   "submit_label": "ثبت و گرفتن کد رهگیری"})


@login_required
def press_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(UNIT_ROLES, county=True)
    form = PressCaseForm(request.POST or None, request.FILES or None)
    if case := save_form(request, form, lambda data: services.press_register(unit=unit, by=request.user, **data),
                         "شکایت مطبوعاتی ثبت و برای رئیس اداره ارجاع شد.", once="complaints.press"):
        return redirect("complaints:detail", case.pk)
    return render(request, "complaints/case_form.html",
                  {"form": form, "unit": unit, "title": "ثبت شکایت منتشرشده در مطبوعات",
                   "submit_label": "ثبت و ارجاع به رئیس اداره",
                   "intro": "شکایت مردمی که در روزنامه یا پایگاه خبری دیده‌اید را ثبت کنید؛ "
                            "پرونده بی‌درنگ به رئیس اداره ارجاع می‌شود."})


@login_required
def hq_forward(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(HQ_ROLES, HQ_ONLY)
    units = Unit.objects.filter(pk__in=access.unit_ids(HQ_ROLES), kind=UnitKind.COUNTY, is_active=True) \
        .order_by("name")
    # A suggested deadline (the complaint kind's own) that HQ may shorten or lengthen.
    form = ForwardForm(request.POST or None, request.FILES or None, units=units,
                       initial={"deadline": services.deadline_for(Kind.COMPLAINT)})
    if save_form(request, form, lambda data: services.hq_forward(by=request.user, **data),
                 lambda case: f"به {case.unit.name} ارجاع شد؛ مهلت پاسخ در فهرست پیگیری دیده می‌شود.",
                 once="complaints.forward"):
        return redirect("complaints:hq_forwarded")
    return render(request, "complaints/case_form.html",
                  {"form": form, "title": "ارجاع شکایت مطبوعاتی به اداره شهرستان",
                   "submit_label": "ثبت و ارجاع به اداره"})


def _get_case(request, pk: int) -> Case:
    try:
        return selectors.cases_for(request.access).select_related("unit", "referred_to", "answered_by",
                                                                  "duplicate_of", "draft_by").get(pk=pk)
    except Case.DoesNotExist:
        raise Http404("پیدا نشد.") from None


def _refer_form(case: Case, data=None) -> ReferForm:
    people = Person.objects.filter(unit=case.unit_id, is_active=True).order_by("full_name")
    try:
        head = services.head_of(case.unit)
    except ValidationError:
        head = None
    return ReferForm(data, people=people, head=head)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    access = request.access
    steps = {spec.name for spec in allowed(case, access)}
    context = {"case": case, "flag": selectors.Flags.now().level(case),
               "can_see_personal": can_see_personal_data(access, case),
               "attachments": list(case.attachments.all()), "answers": case.versions,
               "duplicates": [] if case.duplicate_of_id else selectors.suggested_duplicates(case, selectors.cases_for(access)),
               "merged": list(case.merged_cases.only("pk", "tracking_code")), "can_merge": "merge" in steps}
    # Refer and answer need real forms (a person from the directory, an attached file): their own views.
    if "refer" in steps:
        context["refer_form"] = _refer_form(case)
    if steps & {"answer", "answer_as_referee", "submit_draft"}:
        context["answer_form"] = AnswerForm(initial={"answer": case.draft_answer})
        context["answer_step"] = _answer_step(access, case)
        _word_answer_form(context["answer_form"], case, context["answer_step"])
    return render(request, "complaints/case_detail.html", context)


@login_required
@require_POST
def case_personal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the complainant's details to someone handling the case, and log that they looked."""
    case = _get_case(request, pk)
    if not can_see_personal_data(request.access, case):
        raise PermissionDenied("مشخصات شهروند فقط برای رسیدگی‌کنندگان پرونده دیده می‌شود.")
    services.personal_data_viewed(case=case, by=request.user)
    return render(request, "complaints/case_detail.html#personal", {"case": case, "revealed": True})


def _step_page(request, case: Case, name: str, form, title: str) -> HttpResponse:
    """GET and refused POST of a step with its own form: the step must be allowed now (else 403 with the
    Persian reason); a POST that `move` refuses keeps everything typed."""
    return render(request, "complaints/step_form.html",
                  {"case": case, "form": form, "spec": steps_of(Case)[name], "title": title},
                  status=400 if form.errors else 200)


@login_required
def case_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """The refer step (D1, D2): to the office head or anyone of the unit's staff directory, who is told."""
    case = _get_case(request, pk)
    check(case, steps_of(Case)["refer"], request.access)
    form = _refer_form(case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = move(case, "refer", by=request.user, person=form.cleaned_data["person"],
                        referral_note=form.cleaned_data["comment"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"پرونده به {case.referred_to.full_name} ارجاع شد.")
            return redirect("complaints:detail", case.pk)
    return _step_page(request, case, "refer", form, "ارجاع پرونده")


@login_required
def case_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer step (D2, D4): the text (and a file) becomes a new answer version; the citizen gets it by
    SMS. A unit's manager or PR officer answers any case; an employee only a case referred to them."""
    case = _get_case(request, pk)
    name = _answer_step(request.access, case)
    check(case, steps_of(Case)[name], request.access)
    # The PR officer reviewing an employee's draft (issue 14 §9) starts from it and may correct it.
    form = AnswerForm(request.POST or None, request.FILES or None, initial={"answer": case.draft_answer})
    _word_answer_form(form, case, name)
    if request.method == "POST" and form.is_valid():
        try:
            move(case, name, by=request.user, answer=form.cleaned_data["answer"],
                 attachment=form.cleaned_data.get("attachment"))
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, steps_of(Case)[name].done)
            return redirect("complaints:detail", case.pk)
    return _step_page(request, case, name, form, form.fields["answer"].label)


def _answer_step(access, case: Case) -> str:
    """Which answer step the person's answer form makes: HQ's on a case it took over, the unit's for its
    manager and PR officer, and for the employee it is referred to either their own answer or, where the
    unit reviews staff answers, a draft for the PR officer."""
    if case.followup == Followup.TAKEN_OVER:
        return "answer_as_hq"
    if access.has_role(case.unit_id, UNIT_ROLES):
        return "answer"
    return "submit_draft" if UnitCaseSettings.reviews(case.unit_id) else "answer_as_referee"


def _word_answer_form(form, case: Case, name: str = "answer") -> None:
    """D4: a press or HQ-forwarded case with no citizen is answered for the newspaper and HQ, not by SMS.
    A draft for review says it does not reach the citizen yet (issue 14 §9)."""
    if name == "submit_draft":
        form.fields["answer"].label = "پاسخ پیشنهادی شما"
        form.fields["answer"].help_text = ("در این اداره پاسخ کارکنان نخست به بازبینی مسئول روابط عمومی می‌رسد؛ "
                                           "پس از تأیید او برای شهروند فرستاده می‌شود.")
        del form.fields["attachment"]
        return
    if case.draft_by_id and case.state == State.PENDING_REVIEW:
        form.fields["answer"].help_text = (f"پیش‌نویس {case.draft_by.full_name}؛ آن را بخوانید، اگر لازم است "
                                           "اصلاح کنید و بفرستید، یا با «بازگرداندن پاسخ به کارمند» بازگردانید.")
    if case.citizen_mobile:
        return
    if case.channel in (Channel.PRESS, Channel.HQ_FORWARD):
        where = f"«{case.press_outlet}»" if case.press_outlet else "نشریه"
        form.fields["answer"].label = f"پاسخ برای انتشار در {where}"
        form.fields["answer"].help_text = ("شهروندی در کار نیست و پیامکی فرستاده نمی‌شود؛ این پاسخ برای جوابیه "
                                           "در نشریه است" + (" و به اداره کل می‌رسد." if case.forwarded_by_hq else "."))
    else:
        form.fields["answer"].help_text = "شماره همراهی از شهروند نداریم؛ پاسخ در پرونده و صفحه پیگیری می‌ماند."


@login_required
def case_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """The transfer step (issue 14): an open case filed with the wrong county goes to another unit, with
    the reason; the citizen is told by SMS and HQ sees it on its transfers list."""
    case = _get_case(request, pk)
    check(case, steps_of(Case)["transfer"], request.access)
    form = TransferForm(request.POST or None, exclude_unit=case.unit_id)
    if request.method == "POST" and form.is_valid():
        try:
            move(case, "transfer", by=request.user, to_unit=form.cleaned_data["to_unit"],
                 transfer_reason=form.cleaned_data["transfer_reason"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"پرونده به {case.unit.name} منتقل شد و به شهروند پیامک می‌شود.")
            if selectors.cases_for(request.access).filter(pk=case.pk).exists():
                return redirect("complaints:detail", case.pk)
            return redirect("complaints:list")
    return _step_page(request, case, "transfer", form, "انتقال پرونده به اداره دیگر")


@login_required
def hq_transfers(request: HttpRequest) -> HttpResponse:
    """HQ's list of transfers between units (from, to, reason, who, when): three queries."""
    access = request.access
    access.require_any(HQ_ROLES, HQ_ONLY)
    units = access.unit_ids(HQ_ROLES)
    transfers = Transfer.objects.filter(Q(from_unit__in=units) | Q(to_unit__in=units)) \
        .select_related("case", "from_unit", "to_unit", "by").order_by("-at", "-pk")
    page = Paginator(transfers, 50).get_page(request.GET.get("page"))
    return render(request, "complaints/transfers.html", {"page_obj": page})


def _answer_file(answer: Answer) -> HttpResponse:
    if not answer.attachment:
        raise Http404("پیدا نشد.")
    return private_file_response(answer.attachment, download_name=answer.attachment_name or f"answer-{answer.version}",
                                 checked_type=answer.attachment_type, pdf_inline=False)


@login_required
def answer_file(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    case = _get_case(request, pk)
    return _answer_file(get_object_or_404(case.answers, version=version))


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    item = get_object_or_404(case.attachments, pk=attachment_pk)
    # Images open in the browser; PDFs from the public are downloaded rather than shown inline.
    return private_file_response(item.file, download_name=item.name, pdf_inline=False)


@login_required
def clipping(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    if not case.clipping:
        raise Http404("پیدا نشد.")
    return private_file_response(case.clipping, download_name=f"clipping-{case.tracking_code}", pdf_inline=False)


@login_required
def case_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    content = render_pdf("complaints/case_pdf.html", {"case": case, "entries": list(timeline_for(case))})
    return pdf_response(f"پرونده-{case.tracking_code}", content)


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    request.access.require_any(HQ_ROLES, HQ_ONLY)
    form = DeadlinesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        table = KindDeadline.table()
        restarts = form.cleaned_data.pop("transfer_restarts_deadline")
        services.transfer_setting_set(by=request.user, restarts=restarts)
        for kind, days in form.cleaned_data.items():
            if table.get(kind) != days:
                services.kind_deadline_set(by=request.user, kind=kind, working_days=days)
        messages.success(request, "مهلت‌ها ذخیره شد؛ پرونده‌های تازه با این مهلت‌ها ثبت می‌شوند.")
        return redirect("complaints:deadlines")
    return render(request, "complaints/deadlines.html", {"form": form})


@login_required
def unit_settings(request: HttpRequest) -> HttpResponse:
    """The unit's own settings of its cases (issue 14 §9), for its manager and PR officer."""
    unit = request.access.work_unit(UNIT_ROLES, county=True)
    row = UnitCaseSettings.objects.filter(unit=unit).first()
    form = UnitCaseSettingsForm(request.POST or None,
                                initial={"review_staff_answers": bool(row and row.review_staff_answers)})
    if request.method == "POST" and form.is_valid():
        services.unit_settings_set(by=request.user, unit=unit, **form.cleaned_data)
        messages.success(request, "تنظیمات پرونده‌های اداره ذخیره شد.")
        return redirect("complaints:unit_settings")
    return render(request, "complaints/unit_settings.html", {"form": form, "unit": unit})


def _last_twelve_months() -> dict[str, str]:
    """The figures' default period as form data: from the first day of the Jalali month eleven months back
    to today (Jalali, Persian digits, as a person would type them). HQ figures over every case ever filed read the whole table (issue 11 §4)."""
    year, month = jalali.current_month()
    year, month = (year, month - 11) if month > 11 else (year - 1, month + 1)
    first, _ = jalali.month_bounds(year, month)
    return {"start": jalali.format_date(first), "end": jalali.format_date(jalali.today())}


# How long (seconds) the complaint figures' aggregates are shared before they are counted again.
FIGURES_SECONDS = 300
# How many of the most overdue cases the figures page draws; the rest are a link away (issue 11).
OVERDUE_SHOWN = 20
# What the figures' overdue rows show: reading the cases' long text columns into SQLite's sort cost more than
# the rows' drawing.
OVERDUE_COLUMNS = ("pk", "tracking_code", "subject", "deadline", "state", "unit__name")


def _late_list_url(request, bounds: dict) -> str:
    """The case list filtered to what the figures count as overdue: late cases received in the figures'
    period, of the unit chosen (or, off HQ, of the unit the person works in now)."""
    query = {"due": "late"}
    for name in ("start", "end"):
        if bounds.get(name):
            query[name] = jalali.format_date(bounds[name], persian=False)
    access = request.access
    unit = request.GET.get("unit") or ("" if access.is_hq or access.current_unit is None else access.current_unit.pk)
    if unit:
        query["unit"] = unit
    return f"{reverse('complaints:list')}?{urlencode(query)}"


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Counts, answers in time (a case closed without an answer or past its deadline counts against it),
    satisfaction and the overdue cases of the units the person sees; HQ also per unit."""
    access = request.access
    access.require_any(WORK_ROLES, "آمار فقط برای روابط عمومی و رئیس اداره است.")
    flags = selectors.Flags.now()
    # No period asked for: the last twelve Jalali months, shown filled in (emptying both boxes asks for all).
    asked = "start" in request.GET or "end" in request.GET
    period = PeriodForm(request.GET if asked else _last_twelve_months())
    cases = scoped(access, Case.objects.all(), WORK_ROLES)
    if not access.is_hq and access.current_unit is not None:
        cases = cases.filter(unit=access.current_unit)
    cases = access.narrow(cases, request.GET.get("unit"))
    if period.is_valid():
        # Ranges on created_at itself: __date would convert every row's time zone (slow, no index).
        if period.cleaned_data["start"]:
            cases = cases.filter(created_at__gte=selectors.start_of_day(period.cleaned_data["start"]))
        if period.cleaned_data["end"]:
            cases = cases.filter(created_at__lt=selectors.start_of_day(period.cleaned_data["end"] + dt.timedelta(days=1)))
    overdue = cases.filter(flags.late()).select_related(*LIST_RELATED).order_by("deadline", "pk")
    if request.GET.get("export") == "xlsx":
        return _export(request, overdue, "پرونده‌های دیرکرد")
    bounds = period.cleaned_data if period.is_valid() else {}

    def compute() -> dict:
        found = {"figures": selectors.figures(cases, flags),
                 "trend": selectors.monthly_trend(cases, bounds.get("start"), bounds.get("end"))}
        if access.is_hq:
            found["by_unit"] = selectors.figures_by_unit(cases, flags)
        # Which cases are the most overdue is found with the figures (26 ms of SQLite over a province's year of
        # cases: no index serves "open and past the deadline, or closed late" across every unit and a period).
        found["overdue_ids"] = list(overdue.values_list("pk", flat=True)[:OVERDUE_SHOWN])
        return found

    # The aggregates (a second or more over a province's year) are shared by everyone who sees the same units
    # and period, for FIGURES_SECONDS; the page says when they were counted and «به‌روزرسانی» counts again.
    # The overdue cases below them are read live by id: one answered since then no longer shows.
    scope = repr((sorted(access.unit_ids(WORK_ROLES)), access.is_hq or getattr(access.current_unit, "pk", None),
                  request.GET.get("unit", ""), bounds.get("start"), bounds.get("end"), jalali.today()))
    found, as_of = kept(f"complaints:figures:{hashlib.blake2b(scope.encode(), digest_size=10).hexdigest()}",
                        compute, FIGURES_SECONDS, fresh=request.GET.get("fresh") == "1")
    # The most overdue few; all of them (counted with the figures) in the case list's «late» filter.
    shown = overdue.select_related(None).select_related("unit").only(*OVERDUE_COLUMNS)
    ids = found.get("overdue_ids")  # None in figures kept by an earlier version
    shown = shown.filter(pk__in=ids) if ids is not None else shown[:OVERDUE_SHOWN]
    context = {"figures": found["figures"], "period": period, "is_hq": access.is_hq, "as_of": as_of,
               "overdue": list(shown), "late_url": _late_list_url(request, bounds), "flags": flags,
               "chart": {"trend": found["trend"]}}
    if access.is_hq:
        context["by_unit"] = found["by_unit"]
        names = [row["unit__name"] for row in context["by_unit"]]
        # "اداره راه و شهرسازی شهرستان X" for every unit: the chart shows only what differs.
        prefix = os.path.commonprefix(names) if len(names) > 1 else ""
        prefix = prefix[:prefix.rfind(" ") + 1]
        context["chart"]["units"] = {"labels": [name[len(prefix):] for name in names],
                                     "in_time": [row["in_time_percent"] for row in context["by_unit"]],
                                     "overdue": [row["overdue"] for row in context["by_unit"]]}
        context["units"] = access.filter_units(HQ_ROLES)
    return render(request, "complaints/figures.html", context)
