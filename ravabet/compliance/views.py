from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ravabet.lib import jalali
from ravabet.lib.digits import to_latin_digits
from ravabet.lib.excel import xlsx_response
from ravabet.offices.models import Unit, UnitKind
from ravabet.offices.roles import WORK_ROLES

from .catalog import sections
from .registry import features_for_item
from .scorecard import scorecard as build_scorecard


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


def _month_from(request: HttpRequest) -> tuple[int, int]:
    """?month=1405-09 (any digits); the current Jalali month when absent or malformed."""
    value = to_latin_digits(request.GET.get("month", "")).replace("/", "-")
    try:
        year, month = (int(part) for part in value.split("-"))
        if 1300 <= year <= 1500 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return jalali.current_month()


@login_required
def scorecard(request: HttpRequest) -> HttpResponse:
    """HQ sees every county; a county's manager and PR officer see their own row."""
    unit_ids = request.access.unit_ids(WORK_ROLES)
    if not unit_ids:
        raise PermissionDenied
    year, month = _month_from(request)
    units = Unit.objects.filter(pk__in=unit_ids, kind=UnitKind.COUNTY, is_active=True).order_by("name")
    columns, rows = build_scorecard(units, year, month)
    title = f"کارنامه {jalali.month_name(month)} {year}"
    if request.GET.get("export") == "xlsx":
        return xlsx_response(title, "کارنامه", ["واحد", *[c.code for c in columns], "بندهای دارای شواهد"],
                             ([row.unit.name, *row.cells, row.covered] for row in rows))
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    return render(request, "compliance/scorecard.html", {
        "columns": columns, "rows": rows, "year": year, "month": month,
        "previous": f"{previous[0]}-{previous[1]}", "following": f"{following[0]}-{following[1]}",
    })
