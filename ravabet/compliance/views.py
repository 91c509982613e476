import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.excel import bytes_response, sheets_bytes
from ravabet.lib.instruction import item_label, item_short
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.lib.workdays import Calendar
from ravabet.offices.models import Unit, UnitKind
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES

from .board import board, fragment, invalidate
from .catalog import items, sections
from .evaluation import Period, PeriodError, evaluate, freeze, tell_managers, weights_for
from .forms import MarkForm, WeightSetForm
from .measures import MEASURES, evidence_queryset, timeliness
from .models import FrozenPeriod, ItemWeight, QualityMark, WeightSet
from .registry import features_for_item


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    rows = [
        {"section": section,
         "items": [{"item": item, "features": features_for_item(item.code)} for item in section.items]}
        for section in sections()
    ]
    built = sum(1 for row in rows for entry in row["items"] if entry["features"])
    return render(request, "compliance/catalog.html", {"rows": rows, "built": built,
                                                       "total": sum(len(s.items) for s in sections())})


def _period(request: HttpRequest) -> tuple[Period, str, str]:
    """The period asked for in ?period= (or the old ?month=), any digits: (period, typed text, error), the
    typed text and a Persian error only when it was refused (the current month is shown instead)."""
    typed = request.GET.get("period", request.GET.get("month", "")).strip()
    if not typed:
        return Period.current_month(), "", ""
    try:
        # Read: the box shows the period's own key (in Persian digits), whatever digits it came in.
        return Period.parse(typed), "", ""
    except PeriodError as error:
        return Period.current_month(), typed, str(error)


def _county_units():
    return Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).order_by("name")


def _level(attainment: float) -> str:
    return "a4" if attainment >= 85 else "a3" if attainment >= 60 else "a2" if attainment >= 30 else "a1" if attainment > 0 else "a0"


def _heat(evaluation, only: int | None = None) -> list[dict]:
    """Each unit's row (or only the unit with id `only`) with its cells, their levels and items, in rank order."""
    catalog = items()
    return [{"row": row, "cells": [(row.cells[code], _level(row.cells[code].attainment), catalog[code])
                                   for code in evaluation.codes]}
            for row in evaluation.rows if only is None or row.unit.pk == only]


def _page_heat(evaluation, period: Period, only: int | None = None) -> list[dict]:
    """`_heat` for the HTML page, each cell with what the page prints already worked out once: its link
    (`url`, with the period), level, attainment/value/target in Persian digits (`pct`, `value`, `target`:
    |floatformat then |fa), the item's short code, label and text cut to 40 characters, and `key` (unit
    code-item, the cell's data-cell). Each value is escaped here as the template would and marked safe.
    The page shows the 30 × 36 cells twice (heat map, phone list); a {% url %} and three filters per cell
    were most of its rendering time, and the few distinct numbers and items are formatted once here."""
    from django.template.defaultfilters import floatformat, truncatechars
    from django.utils.html import escape

    from ravabet.lib.templatetags.persian import fa

    catalog = items()
    labels = {code: {"short": escape(item_short(code)), "label": escape(item_label(code)),
                     "text": escape(truncatechars(catalog[code].text, 40))}
              for code in evaluation.codes}
    numbers: dict = {}

    def number(value, digits: int) -> str:
        key = (value, digits)
        if key not in numbers:
            numbers[key] = escape(fa(floatformat(value, digits)))
        return numbers[key]

    query = f"?period={period.key}"
    lines = []
    for line in _heat(evaluation, only):
        row = line["row"]
        line["rows_url"] = escape(reverse("compliance:unit_rows", args=[row.unit.pk]) + query)
        base = reverse("compliance:cell", args=[row.unit.pk, "CODE"])
        line["cells"] = [
            {"item": cell.item, "level": level, "url": escape(base.replace("CODE", cell.item) + query),
             "key": escape(f"{row.unit.code}-{cell.item}"), "pct": number(cell.attainment, 0),
             "value": number(cell.value, 0), "target": number(cell.target, 1), **labels[cell.item]}
            for cell, level, _item in line["cells"]]
        lines.append(line)
    return lines


@login_required
def scorecard(request: HttpRequest) -> HttpResponse:
    """HQ's evaluation of its county units for a Jalali month, quarter or year (issue 10 §4): total out
    of 100, rank, change, grade, the unit × item heat map, the trend chart; PDF and Excel. A county's
    manager and PR officer are sent to their own unit's view. The scores come from the shared `board`
    (scored at most every few minutes; the page says when), and the ranking, heat map and trend are drawn
    once per scoring (`board.fragment`)."""
    if not request.access.is_hq:
        if request.access.unit_ids(UNIT_ROLES):
            return redirect(f"{reverse('compliance:mine')}?{request.GET.urlencode()}")
        raise PermissionDenied
    period, typed, error = _period(request)
    units = list(_county_units())
    export = request.GET.get("export")
    if export in ("xlsx", "pdf"):
        found = board(period, units)
        if export == "xlsx":
            return _xlsx(found.result)
        return pdf_response(f"ارزیابی {period.label}", render_pdf(
            "compliance/evaluation_pdf.html", pdf_context(found.result, found.series, jalali.today()), request))

    def draw(found) -> dict:
        chart = {"labels": [label for label, _ in next(iter(found.series.values()), [])],
                 "units": [{"name": u.name, "data": [total for _, total in found.series[u.pk]]} for u in units]}
        html = render_to_string("compliance/_evaluation_board.html", {
            "heat": _page_heat(found.result, period), "items": items(), "chart": chart})
        return {"html": html, "as_of": found.as_of, "frozen": found.result.frozen}

    part = fragment(period, units, "hq", draw)
    return render(request, "compliance/evaluation.html", {
        "board_html": part["html"], "as_of": part["as_of"], "frozen": part["frozen"],
        "period": period, "typed": typed, "error": error, "previous": period.previous().key,
        "following": period.following().key if period.following().start <= jalali.today() else "",
        "can_freeze": period.is_closed,
    })


@login_required
def unit_rows(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit's 36 items (attainment, link to the drill-down) from HQ's evaluation board, for the ranked
    list at phone width: the list fetches them when a unit is opened (htmx), and without script the same
    address shows them as a page. HQ only."""
    if not request.access.is_hq:
        raise PermissionDenied
    period, _typed, _error = _period(request)
    found = board(period, list(_county_units()))
    lines = _page_heat(found.result, period, only=unit_id)
    if not lines:
        raise Http404
    context = {"cells": lines[0]["cells"], "row": lines[0]["row"], "period": period}
    return render(request, "compliance/_unit_rows.html" if request.htmx else "compliance/unit_rows.html", context)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """«محاسبه دوباره»: scores the period's board again now instead of waiting for it to go stale, for HQ
    and for a county's manager and PR officer (the board is shared; scoring it changes no record), and
    goes back to the page it came from (HQ's evaluation or the unit's own view)."""
    if not request.access.is_hq and not request.access.unit_ids(UNIT_ROLES):
        raise PermissionDenied
    try:
        period = Period.parse(request.POST.get("period", ""))
    except PeriodError as error:
        period = Period.current_month()
        messages.error(request, f"{error} امتیازهای ماه جاری نشان داده می‌شود.")
    else:
        invalidate()
        board(period, list(_county_units()))
        messages.success(request, "امتیازها از روی شواهد کنونی دوباره محاسبه شد.")
    page = "compliance:scorecard" if request.access.is_hq and request.POST.get("page") != "mine" else "compliance:mine"
    return redirect(f"{reverse(page)}?period={period.key}")


def pdf_context(result, series: dict, today: dt.date) -> dict:
    """The context of the evaluation PDF (issue 10 §7) for an Evaluation and its `trend` series ({unit id:
    [(period label, total), ...]}), `today` the Gregorian date printed on the cover. The heat-map rows and
    the trend bars are PNG strips drawn once (compliance.charts); the Persian labels stay in the HTML."""
    from .charts import heat_strip, trend_bars

    catalog = items()
    heat = _heat(result)
    for line in heat:
        row = line["row"]
        line["strip"] = heat_strip([(level, cell.attainment) for cell, level, _item in line["cells"]])
        line["trend"] = series[row.unit.pk]
        line["trend_bars"] = trend_bars([total for _label, total in line["trend"]])
        line["gains"] = [(cell, catalog[cell.item].text) for cell in row.gains()]
    return {"result": result, "heat": heat, "period": result.period, "today": today,
            "heat_labels": [item_short(code) for code in result.codes]}


def _xlsx(result) -> HttpResponse:
    codes = result.codes
    ranking = [[row.rank, row.unit.code, row.unit.name, row.total, row.change, row.grade[1]] for row in result.rows]
    grid = [[row.unit.name, row.total, *[row.cells[code].attainment for code in codes]] for row in result.rows]
    content = sheets_bytes([
        ("رتبه‌بندی", ["رتبه", "کد واحد", "واحد", "امتیاز از ۱۰۰", "تغییر", "رده"], ranking),
        ("واحد × بند", ["واحد", "امتیاز", *[item_short(code) for code in codes]], grid),  # «ب-۵», not B5
    ])
    return bytes_response(f"ارزیابی {result.period.key}", content)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A county's own evaluation for its manager and PR officer (issue 10 §5): score, rank among the
    N units, item by item what is missing and which items would raise the score most."""
    unit_ids = request.access.unit_ids(UNIT_ROLES)
    if not unit_ids:
        raise PermissionDenied
    period, typed, error = _period(request)
    wanted = request.GET.get("unit")
    unit_id = int(wanted) if wanted and wanted.isdecimal() and int(wanted) in unit_ids else unit_ids[0]

    def draw(found) -> dict:
        row = found.result.row_for(unit_id)
        if row is None:
            return {"html": ""}
        html = render_to_string("compliance/_mine_board.html", {
            "row": row, "period": period, "count": len(found.result.rows), "frozen": found.result.frozen,
            "cells": [(row.cells[code], items()[code], MEASURES.get(code), _level(row.cells[code].attainment))
                      for code in found.result.codes],
            "series": found.series[row.unit.pk]})
        return {"html": html, "as_of": found.as_of, "frozen": found.result.frozen, "unit": row.unit.name}

    part = fragment(period, list(_county_units()), f"mine:{unit_id}", draw)
    if not part["html"]:
        raise Http404
    return render(request, "compliance/mine.html", {
        "board_html": part["html"], "as_of": part["as_of"], "frozen": part["frozen"], "unit_name": part["unit"],
        "period": period, "typed": typed, "error": error, "previous": period.previous().key,
    })


def _missing_days(measure, ids_days: set, start: dt.date, end: dt.date) -> list[dt.date]:
    end = min(end, jalali.today())
    if end < start or measure.target_per != "working_day":
        return []
    return [day for day in Calendar(start, end).working_days() if day not in ids_days]


@login_required
def cell(request: HttpRequest, unit_id: int, code: str) -> HttpResponse:
    """Drill-down of one heat-map cell: the records counted (linked), their quality marks (HQ marks
    them here), and what is missing (e.g. the working days with no news)."""
    if code not in items() or code not in MEASURES:
        raise Http404
    if not request.access.is_hq and not request.access.unit_ids(UNIT_ROLES):
        raise PermissionDenied
    unit = get_object_or_404(Unit, pk=unit_id, kind=UnitKind.COUNTY)
    if not request.access.is_hq and unit.pk not in request.access.unit_ids(UNIT_ROLES):
        raise Http404
    return render(request, "compliance/cell.html", _cell_context(request, unit, code))


def _cell_context(request: HttpRequest, unit: Unit, code: str, *, refused=None, refused_pk: int = 0) -> dict:
    period, typed, error = _period(request)
    measure = MEASURES[code]
    result = evaluate(period, [unit], with_change=False)
    found = result.row_for(unit.pk).cells[code]
    records = list(measure.model._default_manager.filter(pk__in=found.ids))
    records.sort(key=lambda r: found.ids.index(r.pk))
    content_type = ContentType.objects.get_for_model(measure.model)
    marks = {m.object_id: m for m in QualityMark.objects.filter(content_type=content_type, object_id__in=found.ids)}
    days = _day_values(measure, records)
    if measure.kind == "ratio":
        good = set(measure.model._default_manager.filter(measure.good_q(jalali.today()), pk__in=found.ids)
                   .values_list("pk", flat=True))
    elif measure.kind == "timely":
        good = {pk for pk, on_time in timeliness(measure, records).items() if on_time}
    else:
        good = set()
    rows = [{"record": r, "title": getattr(r, measure.title, "") if measure.title else str(r),
             "url": _record_url(measure, r), "day": days.get(r.pk),
             "mark": marks.get(r.pk), "good": r.pk in good}
            for r in records]
    live = evidence_queryset(measure, period.start, period.end, [unit.pk])
    return {
        "unit": unit, "item": items()[code], "measure": measure, "cell": found, "rows": rows, "period": period,
        "typed": typed, "error": error, "frozen": result.frozen,
        "missing_days": _missing_days(measure, set(days.values()), period.start, period.end),
        "changed": result.frozen is not None and live is not None
        and sorted(live.values_list("pk", flat=True).distinct()) != sorted(found.ids),
        "can_mark": measure.quality and request.access.is_hq, "refused": refused, "refused_pk": refused_pk,
    }


def _record_url(measure, record) -> str:
    if measure.link:
        return reverse(measure.link, args=[record.pk])
    return record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""


def _day_values(measure, records) -> dict:
    """{record pk: the (local) Gregorian date that placed it in the period}."""
    values = {}
    for record in records:
        value = record
        for part in (measure.date.split("__") if measure.date else ()):
            value = getattr(value, part, None)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date()
        values[record.pk] = value if isinstance(value, dt.date) else None
    return values


@login_required
@require_POST
def mark(request: HttpRequest, unit_id: int, code: str, pk: int) -> HttpResponse:
    """HQ marks one piece of evidence 1-5 with a comment (issue 10 §3); a mark outside 1-5 is refused
    with a Persian message and the typed text kept."""
    request.access.require_any(HQ_ROLES)
    measure = MEASURES.get(code)
    if measure is None or not measure.quality:
        raise Http404
    unit = get_object_or_404(Unit, pk=unit_id)
    record = get_object_or_404(measure.model._default_manager.filter(**{measure.unit: unit.pk}), pk=pk)
    content_type = ContentType.objects.get_for_model(measure.model)
    existing = QualityMark.objects.filter(content_type=content_type, object_id=record.pk).first()
    form = MarkForm(request.POST, instance=existing)
    back = f"{reverse('compliance:cell', args=[unit.pk, code])}?period={request.POST.get('period', '')}"
    if not form.is_valid():
        request.GET = request.GET.copy()
        request.GET["period"] = request.POST.get("period", "")
        return render(request, "compliance/cell.html",
                      _cell_context(request, unit, code, refused=form, refused_pk=record.pk), status=400)
    saved = form.save(commit=False)
    saved.content_type, saved.object_id, saved.unit, saved.item = content_type, record.pk, unit, code
    saved.marked_by = request.user
    saved.save()
    from ravabet.audit.services import log_action

    log_action(actor=request.user, action="compliance.marked", target=saved, unit=unit,
               summary=f"نمره کیفیت {to_persian_digits(saved.mark)} برای شاهد {item_label(code)}")
    messages.success(request, "نمره کیفیت ثبت شد.")
    return redirect(back)


@login_required
@require_POST
def close_period(request: HttpRequest) -> HttpResponse:
    """HQ's button: store a closed period's scores as its published snapshot, or (recompute=1)
    replace the snapshot — an explicit action in the audit log. Unit managers are told their score."""
    request.access.require_any(HQ_ROLES, "تنها اداره کل می‌تواند دوره را ببندد.")
    try:
        period = Period.parse(request.POST.get("period", ""))
    except PeriodError as error:
        messages.error(request, str(error))
        return redirect("compliance:scorecard")
    if not period.is_closed:
        messages.error(request, "این دوره هنوز تمام نشده است؛ پس از پایان آن می‌توانید آن را ببندید.")
    else:
        units = list(_county_units())
        recompute = request.POST.get("recompute") == "1"
        with transaction.atomic():
            was = FrozenPeriod.objects.filter(key=period.key).exists()
            freeze(period, units, by=request.user, recompute=recompute)
        if not was or recompute:
            tell_managers(period, units)
        messages.success(request, "امتیازهای دوره دوباره محاسبه و ثبت شد." if recompute else "دوره بسته و امتیازها ثبت شد.")
    return redirect(f"{reverse('compliance:scorecard')}?period={period.key}")


@login_required
def weights(request: HttpRequest) -> HttpResponse:
    """HQ's weights, targets and grade bands, as versions in force from a date (issue 10 §2)."""
    request.access.require_any(HQ_ROLES)
    current = weights_for(jalali.today())
    initial = {"valid_from": jalali.today(), "excellent_from": current.bands[0], "active_from": current.bands[1],
               "partial_from": current.bands[2]}
    for code in items():
        initial[f"w_{code}"] = current.weights.get(code, 0)
        initial[f"t_{code}"] = current.targets.get(code, 0)
    form = WeightSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            weight_set, _ = WeightSet.objects.update_or_create(valid_from=data["valid_from"], defaults={
                "note": data["note"], "excellent_from": data["excellent_from"], "active_from": data["active_from"],
                "partial_from": data["partial_from"], "created_by": request.user})
            weight_set.weights.all().delete()
            ItemWeight.objects.bulk_create([ItemWeight(weight_set=weight_set, item=code, weight=data[f"w_{code}"],
                                                       target=data[f"t_{code}"]) for code in items()])
        messages.success(request, "وزن‌ها و هدف‌ها ثبت شد.")
        return redirect("compliance:weights")
    return render(request, "compliance/weights.html", {
        "form": form, "versions": WeightSet.objects.all()[:20], "measures": MEASURES, "current": current})
