import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ravabet.lib.actions import errors_to_form as _form_error
from ravabet.lib.actions import run_service
from ravabet.lib.excel import xlsx_response
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.lib.text import search_key
from ravabet.offices.access import scoped
from ravabet.offices.models import Unit, UnitKind
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES

from . import services
from .forms import AnswerForm, CloseForm, ProfileForm, ReportForm, ReviewForm
from .models import (
    PROFILE_TRANSITIONS,
    TRANSITIONS,
    Kind,
    ProfileState,
    Source,
    State,
    UnitProfile,
    UnitReport,
    Urgency,
)

LIST_RELATED = ("unit", "created_by", "followup_by", "solves")




def _require_worker(access) -> None:
    if not access.unit_ids(WORK_ROLES):
        raise PermissionDenied("گزارش‌های واحد برای روابط عمومی، رئیس اداره و اداره کل است.")


def _author_unit(access) -> Unit:
    """The county unit the user writes for: their current unit, where they hold a unit role."""
    unit = access.current_unit
    if unit is None or unit.is_hq:
        raise PermissionDenied("گزارش به اداره کل از ادارات شهرستان فرستاده می‌شود.")
    access.require(unit, UNIT_ROLES)
    return unit


def _reports_for(access):
    reports = scoped(access, UnitReport.objects.all(), WORK_ROLES)
    if not access.is_hq:
        # HQ sees drafts only once sent: a unit's draft is its own.
        return reports
    own_units = access.unit_ids(UNIT_ROLES)
    return reports.exclude(state=State.DRAFT, unit__in=[u for u in access.unit_ids(HQ_ROLES) if u not in own_units])


def _filter(reports, params):
    for name, choices in (("kind", Kind), ("source", Source), ("state", State), ("urgency", Urgency)):
        value = params.get(name, "")
        if value in choices.values:
            reports = reports.filter(**{name: value})
    unit = params.get("unit", "")
    if unit.isdigit():
        reports = reports.filter(unit_id=int(unit))
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
    _require_worker(access)
    reports = _filter(_reports_for(access), request.GET)
    if request.GET.get("export") == "xlsx":
        return _export(reports)
    page = Paginator(reports.select_related(*LIST_RELATED).order_by("-created_at", "-pk"), 50) \
        .get_page(request.GET.get("page"))
    units = Unit.objects.filter(pk__in=access.unit_ids(WORK_ROLES), kind=UnitKind.COUNTY).order_by("name")
    can_write = access.current_unit is not None and not access.current_unit.is_hq \
        and access.has_role(access.current_unit, UNIT_ROLES)
    return render(request, "reports/report_list.html", {
        "page_obj": page, "units": units, "is_hq": access.is_hq, "can_write": can_write,
        "kinds": Kind.choices, "sources": Source.choices, "states": State.choices, "urgencies": Urgency.choices,
        "today": timezone.localdate()})


def _form_kwargs(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "attachments"}


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    unit = _author_unit(request.access)
    initial = {"kind": request.GET.get("kind", Kind.PROBLEM)}
    solves = request.GET.get("solves", "")
    if solves.isdigit():
        initial.update(kind=Kind.SOLUTION, solves=int(solves))
    form = ReportForm(request.POST or None, request.FILES or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(unit=unit, by=request.user, send=request.POST.get("send") == "1",
                                            attachments=form.cleaned_data["attachments"],
                                            **_form_kwargs(form.cleaned_data))
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "گزارش به اداره کل فرستاده شد." if report.state == State.SENT
                             else "پیش‌نویس ذخیره شد؛ هر وقت آماده بود آن را به اداره کل بفرستید.")
            return redirect("reports:detail", report.pk)
    return render(request, "reports/report_form.html", {"form": form, "unit": unit, "title": "گزارش تازه به اداره کل"})


def _get_report(request, pk: int) -> UnitReport:
    try:
        return _reports_for(request.access).select_related(*LIST_RELATED, "answered_by").get(pk=pk)
    except UnitReport.DoesNotExist:
        raise Http404("پیدا نشد.") from None


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
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, by=request.user, attachments=form.cleaned_data["attachments"],
                                   **_form_kwargs(form.cleaned_data))
            if request.POST.get("send") == "1":
                services.report_send(report=report, by=request.user)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "گزارش ذخیره شد.")
            return redirect("reports:detail", report.pk)
    return render(request, "reports/report_form.html",
                  {"form": form, "unit": report.unit, "report": report, "title": "ویرایش گزارش"})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    access = request.access
    author = access.has_role(report.unit, UNIT_ROLES)
    hq = access.is_hq and access.has_role(report.unit, HQ_ROLES)
    following = TRANSITIONS[report.state]
    context = {"report": report, "author": author, "hq": hq,
               "attachments": list(report.attachments.all()),
               "solutions": list(report.solutions.exclude(state=State.DRAFT).order_by("pk")),
               "can_send": author and State.SENT in following,
               "can_close": hq and State.CLOSED in following,
               "overdue": report.state == State.ACTION and report.followup_due
               and report.followup_due < timezone.localdate()}
    if hq and (State.ACKNOWLEDGED in following or State.ACTION in following):
        context["answer_form"] = AnswerForm(hq_people=services.hq_people_over(report.unit),
                                            act_only=State.ACKNOWLEDGED not in following,
                                            initial={"action": "acknowledge"})
        context["can_acknowledge"] = State.ACKNOWLEDGED in following
    if context["can_close"]:
        context["close_form"] = CloseForm()
    return render(request, "reports/report_detail.html", context)


@login_required
@require_POST
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    run_service(request, lambda: services.report_send(report=report, by=request.user), "گزارش به اداره کل فرستاده شد.")
    return redirect("reports:detail", report.pk)


@login_required
@require_POST
def report_answer(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    request.access.require(report.unit, HQ_ROLES)
    following = TRANSITIONS[report.state]
    form = AnswerForm(request.POST, hq_people=services.hq_people_over(report.unit),
                      act_only=State.ACKNOWLEDGED not in following)
    if form.is_valid():
        try:
            services.report_answer(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "پاسخ اداره کل ثبت شد و به واحد خبر داده شد.")
            return redirect("reports:detail", report.pk)
    # Show the form again with what was typed and the Persian errors.
    return render(request, "reports/report_detail.html", {
        "report": report, "author": False, "hq": True, "answer_form": form,
        "can_acknowledge": State.ACKNOWLEDGED in following, "attachments": list(report.attachments.all()),
        "solutions": list(report.solutions.exclude(state=State.DRAFT)), "can_close": State.CLOSED in following,
        "close_form": CloseForm() if State.CLOSED in following else None}, status=400)


@login_required
@require_POST
def report_close(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("reports:detail", report.pk)
    run_service(request, lambda: services.report_close(report=report, by=request.user, note=form.cleaned_data["note"]), "گزارش بسته شد.")
    return redirect("reports:detail", report.pk)


@login_required
def report_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    item = get_object_or_404(report.attachments, pk=attachment_pk)
    return FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.name,
                        as_attachment=not item.is_image)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    content = render_pdf("reports/pdf/report.html", {"report": report,
                                                     "solutions": list(report.solutions.exclude(state=State.DRAFT))})
    return pdf_response(f"گزارش-{report.pk}", content)


# Unit profile (B9) -----------------------------------------------------------------------------------------


def _profiles_for(access):
    profiles = scoped(access, UnitProfile.objects.all(), WORK_ROLES)
    if access.is_hq:
        own = set(access.unit_ids(UNIT_ROLES))
        hidden = [u for u in access.unit_ids(HQ_ROLES) if u not in own]
        profiles = profiles.exclude(state=ProfileState.DRAFT, unit__in=hidden)
    return profiles


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    _require_worker(access)
    profiles = _profiles_for(access).select_related("unit", "reviewed_by")
    state = request.GET.get("state", "")
    if state in ProfileState.values:
        profiles = profiles.filter(state=state)
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        profiles = profiles.filter(unit_id=int(unit))
    page = Paginator(profiles.annotate(photo_count=Count("photos")).order_by("unit__name", "-version"), 50) \
        .get_page(request.GET.get("page"))
    units = Unit.objects.filter(pk__in=access.unit_ids(WORK_ROLES), kind=UnitKind.COUNTY).order_by("name")
    if access.is_hq:
        latest = UnitProfile.objects.filter(unit=OuterRef("pk"), state=ProfileState.ACKNOWLEDGED).order_by("-version")
        units = units.annotate(acknowledged_version=Subquery(latest.values("version")[:1]),
                               acknowledged_at=Subquery(latest.values("reviewed_at")[:1]))
    can_write = access.current_unit is not None and not access.current_unit.is_hq \
        and access.has_role(access.current_unit, UNIT_ROLES)
    return render(request, "reports/profile_list.html", {
        "page_obj": page, "units": units, "is_hq": access.is_hq, "can_write": can_write,
        "states": ProfileState.choices, "current_unit": access.current_unit})


@login_required
@require_POST
def profile_start(request: HttpRequest) -> HttpResponse:
    unit = _author_unit(request.access)
    profile = services.profile_start(unit=unit, by=request.user)
    return redirect("reports:profile_edit", profile.pk)


def _get_profile(request, pk: int) -> UnitProfile:
    try:
        return _profiles_for(request.access).select_related("unit", "reviewed_by", "created_by").get(pk=pk)
    except UnitProfile.DoesNotExist:
        raise Http404("پیدا نشد.") from None


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    access = request.access
    author = access.has_role(profile.unit, UNIT_ROLES)
    hq = access.is_hq and access.has_role(profile.unit, HQ_ROLES)
    following = PROFILE_TRANSITIONS[profile.state]
    return render(request, "reports/profile_detail.html", {
        "profile": profile, "author": author, "photos": list(profile.photos.all()),
        "can_edit": author and profile.is_editable,
        "can_submit": author and ProfileState.SUBMITTED in following,
        "review_form": ReviewForm() if hq and ProfileState.ACKNOWLEDGED in following else None})


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    request.access.require(profile.unit, UNIT_ROLES)
    if not profile.is_editable:
        messages.error(request, "این نسخه فرستاده شده و ویرایش‌پذیر نیست.")
        return redirect("reports:profile_detail", profile.pk)
    initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.profile_update(profile=profile, by=request.user, brochure=data.pop("brochure") or None,
                                    photos=data.pop("photos"), captions=data.pop("captions"), **data)
            if request.POST.get("submit") == "1":
                services.profile_submit(profile=profile, by=request.user)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "معرفی‌نامه به اداره کل فرستاده شد." if request.POST.get("submit") == "1"
                             else "معرفی‌نامه ذخیره شد.")
            return redirect("reports:profile_detail", profile.pk)
    return render(request, "reports/profile_form.html",
                  {"form": form, "profile": profile, "photos": list(profile.photos.all())})


@login_required
@require_POST
def profile_submit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    run_service(request, lambda: services.profile_submit(profile=profile, by=request.user), "معرفی‌نامه به اداره کل فرستاده شد.")
    return redirect("reports:profile_detail", profile.pk)


@login_required
@require_POST
def profile_review(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    form = ReviewForm(request.POST)
    accept = request.POST.get("decision") == "accept"
    if form.is_valid():
        try:
            services.profile_review(profile=profile, by=request.user, accept=accept,
                                    comment=form.cleaned_data["comment"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "معرفی‌نامه تأیید شد و در صفحه عمومی واحد نمایش داده می‌شود." if accept
                             else "معرفی‌نامه برای اصلاح به واحد برگشت.")
            return redirect("reports:profile_detail", profile.pk)
    return render(request, "reports/profile_detail.html", {
        "profile": profile, "author": False, "photos": list(profile.photos.all()), "review_form": form}, status=400)


@login_required
@require_POST
def profile_photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    photo = get_object_or_404(profile.photos, pk=photo_pk)
    try:
        services.profile_photo_remove(photo=photo, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:profile_edit", profile.pk)


@login_required
@require_POST
def profile_brochure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    try:
        services.profile_brochure_remove(profile=profile, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:profile_edit", profile.pk)


def _inline_photos(profile: UnitProfile, limit: int = 6) -> list[dict]:
    """Photos as data: URLs, since the PDF renderer may read no storage (S3 in production) itself."""
    photos = []
    for photo in profile.photos.all()[:limit]:
        with photo.image.open("rb") as handle:
            data = base64.b64encode(handle.read()).decode()
        photos.append({"caption": photo.caption, "data": f"data:{photo.content_type};base64,{data}"})
    return photos


def _brochure_response(profile: UnitProfile, request) -> HttpResponse:
    if profile.brochure:
        return FileResponse(profile.brochure.open("rb"), content_type="application/pdf",
                            filename=f"brochure-{profile.unit.code}-{profile.version}.pdf")
    content = render_pdf("reports/pdf/brochure.html", {"profile": profile, "photos": _inline_photos(profile)})
    return pdf_response(f"بروشور-{profile.unit.name}-نسخه-{profile.version}", content)


@login_required
def profile_brochure(request: HttpRequest, pk: int) -> HttpResponse:
    return _brochure_response(_get_profile(request, pk), request)


def _photo_response(photo) -> HttpResponse:
    return FileResponse(photo.image.open("rb"), content_type=photo.content_type)


@login_required
def profile_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    return _photo_response(get_object_or_404(profile.photos, pk=photo_pk))


# Public side: the latest acknowledged profile of a unit ------------------------------------------------------


def _public_profile(code: str) -> UnitProfile:
    unit = get_object_or_404(Unit, code=code, is_active=True)
    profile = UnitProfile.objects.filter(unit=unit, state=ProfileState.ACKNOWLEDGED).select_related("unit") \
        .order_by("-version").first()
    if profile is None:
        raise Http404("این واحد هنوز معرفی‌نامه تأییدشده ندارد.")
    return profile


def public_unit(request: HttpRequest, code: str) -> HttpResponse:
    profile = _public_profile(code)
    return render(request, "reports/public_unit.html", {"profile": profile, "photos": list(profile.photos.all())})


def public_brochure(request: HttpRequest, code: str) -> HttpResponse:
    return _brochure_response(_public_profile(code), request)


def public_photo(request: HttpRequest, code: str, photo_pk: int) -> HttpResponse:
    profile = _public_profile(code)
    return _photo_response(get_object_or_404(profile.photos, pk=photo_pk))

