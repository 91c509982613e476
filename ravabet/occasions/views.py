"""Pages of the occasions part: the calendar (E1-E3), participation and programmes (E1, E2) and occasion
content sent to HQ (E3). Sending and HQ's review are the content's workflow buttons (generic step view)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ravabet.lib import jalali
from ravabet.lib.actions import errors_to_form, save_form
from ravabet.lib.digits import parse_int
from ravabet.lib.digits import to_persian_digits as fa
from ravabet.lib.excel import xlsx_response
from ravabet.lib.paging import BoundedPaginator
from ravabet.lib.uploads import private_file_response
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.roles import HQ_ROLES, WORK_ROLES

from . import forms, services
from .calendar import year_bounds
from .models import (
    E2_KINDS,
    UNIT_PR,
    Activity,
    ActivityFormat,
    ActivityKind,
    ContentState,
    CultureTarget,
    Occasion,
    OccasionContent,
    OccasionKind,
    OfficialHoliday,
)

PAGE = 50


def _page(request, queryset):
    return BoundedPaginator(queryset, PAGE).get_page(request.GET.get("page"))


def _can_add(access) -> bool:
    """Whether the unit the person works in now is a county where they prepare its records."""
    return access.work_unit_or_none(UNIT_PR, county=True) is not None


def _year(value: str) -> int:
    """A Jalali year typed in any digits (POST is not cleaned by the query middleware); this year otherwise."""
    year = parse_int(value)
    return year if year is not None and 1300 < year < 1500 else jalali.current_month()[0]


@login_required
def occasion_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES)
    year = _year(request.GET.get("year", ""))
    start, _ = jalali.month_bounds(year, 1)
    _, end = jalali.month_bounds(year, 12)
    items = Occasion.objects.filter(date__gte=start, date__lte=end).order_by("date", "pk")
    if request.GET.get("kind") in OccasionKind.values:
        items = items.filter(kind=request.GET["kind"])
    if request.GET.get("export") == "xlsx":
        rows = ([o.date, o.title, o.get_kind_display(), "قمری" if o.lunar else "", o.note] for o in items)
        return xlsx_response(f"مناسبت‌های {year}", "مناسبت‌ها", ["تاریخ", "مناسبت", "نوع", "قمری", "توضیح"], rows)
    today = jalali.today()
    return render(request, "occasions/occasion_list.html",
                  {"occasions": items, "year": year, "today": today, "kinds": OccasionKind.choices,
                   "is_hq": access.is_hq, "upcoming": Occasion.objects.filter(
                       date__gte=today, date__lte=today + dt.timedelta(days=30)).order_by("date")[:8]})


@login_required
def occasion_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    request.access.require_hq()
    occasion = get_object_or_404(Occasion, pk=pk) if pk else None
    initial = {n: getattr(occasion, n) for n in ("title", "date", "kind", "lunar", "remind_days", "note")} \
        if occasion else {}
    form = forms.OccasionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            occasion = services.occasion_save(by=request.user, occasion=occasion, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"مناسبت «{occasion.title}» ذخیره شد.")
            return redirect("occasions:detail", occasion.pk)
    return render(request, "occasions/form.html", {"form": form, "back": reverse("occasions:list"),
                                                   "title": "ویرایش مناسبت" if occasion else "مناسبت تازه"})


@login_required
@require_POST
def occasions_seed(request: HttpRequest) -> HttpResponse:
    request.access.require_hq()
    year = _year(request.POST.get("year", ""))
    added = services.occasions_seed(by=request.user, year=year)
    messages.success(request, f"{fa(added)} مناسبت سال {fa(year)} افزوده شد؛ تاریخ مناسبت‌های قمری را بررسی کنید.")
    return redirect(f"{reverse('occasions:list')}?year={year}")


@login_required
def occasion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES)
    occasion = get_object_or_404(Occasion, pk=pk)
    activities = scoped(access, occasion.activities.select_related("unit"), WORK_ROLES)
    contents = scoped(access, occasion.contents.select_related("unit"), WORK_ROLES)
    events = scoped(access, occasion.events.select_related("unit"), WORK_ROLES)
    return render(request, "occasions/occasion_detail.html", {
        "occasion": occasion, "activities": activities[:100], "contents": contents[:100], "events": events[:100],
        "is_hq": access.is_hq, "can_work": _can_add(access)})


@login_required
def holiday_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES)
    year = _year(request.GET.get("year", ""))
    start, end = year_bounds(year)
    items = OfficialHoliday.objects.filter(date__range=(start, end)).select_related("confirmed_by")
    held = OfficialHoliday.objects.filter(year__in=[start.year, end.year]).exists()
    return render(request, "occasions/holiday_list.html",
                  {"holidays": items, "year": year, "held": held, "is_hq": access.is_hq})


@login_required
def holiday_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    request.access.require_hq()
    holiday = get_object_or_404(OfficialHoliday, pk=pk) if pk else None
    form = forms.HolidayForm(request.POST or None,
                             initial={"date": holiday.date, "title": holiday.title} if holiday else {})
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.holiday_save(by=request.user, holiday=holiday, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"تعطیل «{holiday.title}» در {jalali.format_date(holiday.date)} ثبت و تأیید شد.")
            return redirect(f"{reverse('occasions:holidays')}?year={jalali.to_jalali(holiday.date).year}")
    title = f"تأیید یا جابه‌جایی «{holiday.title}»" if holiday else "تعطیل تازه"
    return render(request, "occasions/form.html", {"form": form, "back": reverse("occasions:holidays"),
                                                   "title": title})


@login_required
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    request.access.require_hq()
    holiday = get_object_or_404(OfficialHoliday, pk=pk)
    year = jalali.to_jalali(holiday.date).year
    services.holiday_delete(by=request.user, holiday=holiday)
    messages.success(request, "این روز از تعطیلات برداشته شد.")
    return redirect(f"{reverse('occasions:holidays')}?year={year}")


def _matrix_rows(occasion: Occasion, units: list) -> list[dict]:
    """One row a county for the occasion matrix: E1 participation and ceremonies (attendance), the news
    items linked to the occasion, the ceremonies' photos (F3), E3 content and B6 announcements to staff; six
    grouped queries."""
    from django.db.models import Count, Max, Sum

    from ravabet.events.models import Event, EventState
    from ravabet.messaging.models import Announcement
    from ravabet.news.models import News, NewsState

    ids = [u.pk for u in units]
    activities = {r["unit"]: r for r in Activity.objects.filter(occasion=occasion, unit__in=ids).values("unit")
                  .annotate(n=Count("pk"), people=Sum("participants"))}
    events = {r["unit"]: r for r in occasion.events.filter(unit__in=ids).exclude(state=EventState.CANCELLED)
              .values("unit").annotate(n=Count("pk"), attendance=Sum("attendance"), last=Max("pk"))}
    photos = dict(Event.photos.through.objects.filter(event__occasion=occasion, event__unit__in=ids)
                  .exclude(event__state=EventState.CANCELLED).values("event__unit")
                  .annotate(n=Count("pk")).values_list("event__unit", "n"))
    news = {r["unit"]: r for r in News.objects.filter(occasion_ref=occasion, unit__in=ids).values("unit")
            .annotate(n=Count("pk"), published=Count("pk", filter=models.Q(state=NewsState.PUBLISHED)),
                      last=Max("pk"))}
    contents = {}
    for unit_id, state, pk in OccasionContent.objects.filter(occasion=occasion, unit__in=ids).values_list(
            "unit", "state", "pk").order_by("pk"):
        contents.setdefault(unit_id, []).append((ContentState(state).label, pk, state))
    # B6: the unit's announcements to staff for the occasion, and whether one announced its ceremony of
    # the occasion (linked to the event from the ceremony's page); a cancelled announcement reached nobody.
    announced = {r["unit"]: r for r in Announcement.objects.filter(
        models.Q(occasion_ref=occasion) | models.Q(event__occasion=occasion), unit__in=ids)
        .exclude(state="cancelled").values("unit")
        .annotate(n=Count("pk"), ceremony=Count("pk", filter=models.Q(event__occasion=occasion)))}
    rows = []
    for unit in units:
        row = {"unit": unit, "activity": activities.get(unit.pk), "event": events.get(unit.pk),
               "photos": photos.get(unit.pk, 0),
               "news": news.get(unit.pk), "contents": contents.get(unit.pk, []),
               "announced": announced.get(unit.pk, {}).get("n", 0),
               "ceremony_announced": announced.get(unit.pk, {}).get("ceremony", 0) > 0}
        row["nothing"] = not (row["activity"] or row["event"] or row["news"] or row["contents"] or row["announced"])
        rows.append(row)
    return rows


@login_required
def occasion_matrix(request: HttpRequest) -> HttpResponse:
    """HQ's occasion matrix (E1-E3, B6): per occasion, county by county, what each did; who did nothing
    stands out. HQ roles only; `?occasion=` picks the occasion (default: the latest past one)."""
    access = request.access
    access.require_hq()
    today = jalali.today()
    choices = list(Occasion.objects.filter(date__gte=today - dt.timedelta(days=120),
                                           date__lte=today + dt.timedelta(days=30)).order_by("-date"))
    value = request.GET.get("occasion", "")
    occasion = next((o for o in choices if str(o.pk) == value), None)
    if occasion is None and value.isdigit():
        occasion = Occasion.objects.filter(pk=value).first()
    if occasion is None:
        occasion = next((o for o in choices if o.date <= today), choices[-1] if choices else None)
    units = access.filter_units(HQ_ROLES)
    rows = _matrix_rows(occasion, units) if occasion else []
    if occasion and request.GET.get("export") == "xlsx":
        data = ([r["unit"].name, r["activity"]["n"] if r["activity"] else 0,
                 r["activity"]["people"] if r["activity"] else 0, r["event"]["n"] if r["event"] else 0,
                 (r["event"]["attendance"] or 0) if r["event"] else 0, r["photos"],
                 r["news"]["n"] if r["news"] else 0,
                 "، ".join(c[0] for c in r["contents"]), r["announced"],
                 "بله" if r["ceremony_announced"] else "", "هیچ" if r["nothing"] else ""]
                for r in rows)
        return xlsx_response(f"کارنامه {occasion.title}", "واحدها",
                             ["واحد", "مشارکت‌ها", "شرکت‌کنندگان", "مراسم", "حاضران", "عکس مراسم", "خبر", "محتوا",
                              "پیام به کارکنان", "مراسم به کارکنان اعلام شد", "کاری نکرده"], data)
    return render(request, "occasions/matrix.html", {
        "occasion": occasion, "choices": choices, "rows": rows,
        "idle": sum(1 for r in rows if r["nothing"])})


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES)
    items = scoped(access, Activity.objects.select_related("unit", "occasion"), WORK_ROLES)
    if request.GET.get("kind") in ActivityKind.values:
        items = items.filter(kind=request.GET["kind"])
    items = access.narrow(items, request.GET.get("unit"))
    if request.GET.get("export") == "xlsx":
        rows = ([a.date, a.unit.name, a.get_kind_display(), a.title, a.occasion.title if a.occasion else "",
                 a.participants, a.description] for a in items[:50_000])
        return xlsx_response("مشارکت‌ها و برنامه‌های فرهنگی", "مشارکت‌ها",
                             ["تاریخ", "واحد", "نوع", "عنوان", "مناسبت", "شرکت‌کنندگان", "شرح"], rows)
    return render(request, "occasions/activity_list.html", {
        "page_obj": _page(request, items), "units": access.filter_units(WORK_ROLES), "kinds": ActivityKind.choices,
        "can_add": _can_add(access)})


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(UNIT_PR, county=True)
    occasions = Occasion.objects.filter(date__lte=jalali.today()).order_by("-date")[:60]
    initial = {"occasion": request.GET.get("occasion"), "date": jalali.today()}
    form = forms.ActivityForm(request.POST or None, request.FILES or None, occasions=Occasion.objects.filter(
        pk__in=[o.pk for o in occasions]).order_by("-date"), initial=initial)
    if activity := save_form(request, form, lambda data: services.activity_create(unit=unit, by=request.user,
                                                                                  **data),
                             "ثبت شد.", once="occasions.activity"):
        for message in getattr(activity, "photo_errors", ()):
            messages.error(request, message)
        return redirect("occasions:activities")
    return render(request, "occasions/form.html", {"form": form, "back": reverse("occasions:activities"),
                                                   "multipart": True,
                                                   "title": "ثبت مشارکت در مراسم، راهپیمایی یا برنامه فرهنگی"})


@login_required
def activity_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of an activity (E2), for its unit and HQ."""
    activity = get_scoped_or_404(request.access, Activity, WORK_ROLES, pk=pk)
    if not activity.evidence:
        raise Http404("مستندی ندارد.")
    return private_file_response(activity.evidence, download_name=f"evidence-{activity.pk}")


def culture_progress(units: list, year: int) -> list[dict]:
    """E2 per unit for the Jalali `year`: for each kind (culture, ethics) the programmes held, the target
    HQ set (None when none) and whether it is met, plus the count by format; three grouped queries."""
    start, end = year_bounds(year)
    ids = [unit.pk for unit in units]
    done: dict = {}
    formats: dict = {}
    for unit_id, kind, form, n in (Activity.objects.filter(unit__in=ids, kind__in=E2_KINDS, date__gte=start,
                                                            date__lte=end).order_by()
                                   .values_list("unit", "kind", "format").annotate(n=models.Count("pk"))):
        done[(unit_id, kind)] = done.get((unit_id, kind), 0) + n
        label = ActivityFormat(form).label if form else "نامعلوم"
        formats.setdefault(unit_id, {}).setdefault(label, 0)
        formats[unit_id][label] += n
    targets = {(t.unit_id, t.kind): t.target for t in CultureTarget.objects.filter(unit__in=ids, year=year)}
    rows = []
    for unit in units:
        cells = []
        for kind in E2_KINDS:
            held, target = done.get((unit.pk, kind), 0), targets.get((unit.pk, kind.value))
            cells.append({"kind": kind, "held": held, "target": target,
                          "met": target is not None and held >= target})
        rows.append({"unit": unit, "cells": cells, "formats": sorted(formats.get(unit.pk, {}).items())})
    return rows


@login_required
def culture(request: HttpRequest) -> HttpResponse:
    """E2 as real work: each unit's cultural and administrative-ethics programmes of a Jalali year against
    the yearly target HQ sets (HQ edits every county's targets in one form; a county sees its own)."""
    access = request.access
    access.require_any(WORK_ROLES)
    year = _year(request.GET.get("year", ""))
    units = access.filter_units(WORK_ROLES)
    if not units:
        from ravabet.offices.models import Unit

        units = list(Unit.objects.filter(pk__in=access.unit_ids(WORK_ROLES)))
    rows = culture_progress(units, year)
    form = None
    if access.is_hq:
        form = forms.CultureTargetsForm(request.POST or None, units=units, initial_targets={
            (row["unit"].pk, cell["kind"].value): cell["target"] for row in rows for cell in row["cells"]})
        if request.method == "POST" and form.is_valid():
            changed = services.culture_targets_set(by=request.user, year=year, targets=form.targets())
            messages.success(request, f"هدف‌های سال {fa(year)} ذخیره شد ({fa(changed)} مورد تغییر کرد)."
                             if changed else "تغییری در هدف‌ها نبود.")
            return redirect(f"{reverse('occasions:culture')}?year={year}")
    elif request.method == "POST":
        access.require_hq()
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"برنامه‌های فرهنگی {year}", "واحدها",
                             ["واحد", *(f"{k.label} ({label})" for k in E2_KINDS for label in ("برگزارشده", "هدف"))],
                             ([r["unit"].name, *(v for c in r["cells"] for v in (c["held"], c["target"]))]
                              for r in rows))
    boxes = {name: form[name] for _u, _k, name in form.boxes} if form else {}
    for row in rows:
        for cell in row["cells"]:
            cell["box"] = boxes.get(f"t-{row['unit'].pk}-{cell['kind'].value}")
    return render(request, "occasions/culture.html", {"rows": rows, "year": year, "form": form,
                                                      "kinds": E2_KINDS, "can_add": _can_add(access)})


@login_required
def content_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES)
    items = scoped(access, OccasionContent.objects.select_related("unit", "occasion"), WORK_ROLES)
    if request.GET.get("state") in ContentState.values:
        items = items.filter(state=request.GET["state"])
    elif access.is_hq:
        items = items.exclude(state=ContentState.DRAFT)
    items = access.narrow(items, request.GET.get("unit"))
    if request.GET.get("export") == "xlsx":
        rows = ([c.occasion.title, c.unit.name, c.title, c.get_state_display(), c.sent_at, c.acknowledged_at,
                 c.hq_comment] for c in items[:50_000])
        return xlsx_response("محتوای مناسبتی", "محتوا", ["مناسبت", "واحد", "عنوان", "وضعیت", "ارسال", "دیده‌شده",
                                                          "نظر اداره کل"], rows)
    return render(request, "occasions/content_list.html", {
        "page_obj": _page(request, items), "units": access.filter_units(WORK_ROLES), "states": ContentState.choices,
        "can_add": _can_add(access)})


@login_required
def content_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(UNIT_PR, county=True)
    today = jalali.today()
    occasions = Occasion.objects.filter(date__gte=today - dt.timedelta(days=15),
                                        date__lte=today + dt.timedelta(days=90)).order_by("date")
    form = forms.ContentForm(request.POST or None, request.FILES or None, occasions=occasions,
                             initial={"occasion": request.GET.get("occasion")})
    if content := save_form(request, form, lambda data: services.content_create(unit=unit, by=request.user, **data),
                            "محتوا ذخیره شد؛ پس از بازبینی آن را برای اداره کل بفرستید.", once="occasions.content"):
        return redirect("occasions:content", content.pk)
    return render(request, "occasions/form.html", {"form": form, "back": reverse("occasions:contents"),
                                                   "multipart": True, "title": "تهیه محتوای مناسبتی"})


def _content(request, pk) -> OccasionContent:
    return get_scoped_or_404(request.access, OccasionContent.objects.select_related("unit", "occasion"),
                             WORK_ROLES, pk=pk)


def _can_edit(request, content: OccasionContent) -> bool:
    return content.editable and request.access.has_role(content.unit, UNIT_PR)


@login_required
def content_detail(request: HttpRequest, pk: int) -> HttpResponse:
    content = _content(request, pk)
    return render(request, "occasions/content_detail.html",
                  {"content": content, "can_edit": _can_edit(request, content)})


@login_required
def content_edit(request: HttpRequest, pk: int) -> HttpResponse:
    content = _content(request, pk)
    request.access.require(content.unit, UNIT_PR)
    if not content.editable:
        messages.error(request, "محتوای فرستاده‌شده تا اداره کل آن را برنگرداند ویرایش نمی‌شود.")
        return redirect(content)
    today = jalali.today()
    occasions = Occasion.objects.filter(date__gte=today - dt.timedelta(days=60),
                                        date__lte=today + dt.timedelta(days=90)) | Occasion.objects.filter(
        pk=content.occasion_id)
    form = forms.ContentForm(request.POST or None, request.FILES or None, occasions=occasions.order_by("date"),
                             initial={"occasion": content.occasion_id, "title": content.title, "text": content.text})
    form.fields["file"].label = "پیوست تازه (اگر پیوست را عوض می‌کنید)"
    if request.method == "POST" and form.is_valid():
        try:
            services.content_update(content=content, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "تغییرات محتوا ذخیره شد.")
            return redirect(content)
    return render(request, "occasions/form.html", {"form": form, "back": content.get_absolute_url(),
                                                   "multipart": True, "title": f"ویرایش «{content.title}»"})


@login_required
def content_file(request: HttpRequest, pk: int) -> FileResponse:
    content = _content(request, pk)
    if not content.file:
        raise Http404("پیوستی ندارد.")
    return private_file_response(content.file, download_name=f"content-{content.pk}")
