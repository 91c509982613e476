"""Every Excel export goes through lib.excel and survives a hostile row (issue 12, point 6).

The writer is fed, in every export the project has, an extra row holding a formula-like text (`=1+2`), a
control character (U+0008) and a 10,000-character text; the file must open, the formula must be text, the
control character gone, the long text whole, and the sheet right-to-left with a frozen, filtered header.
"""

import inspect
import io
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from ravabet.lib import excel
from ravabet.tests.test_url_matrix import CASES, IGNORED_NAMESPACES

LONG = "راه " * 2500  # 10,000 characters
HOSTILE = ["=1+2", "گزارش\x08 شکایت", LONG, "@SUM(A1)", "+98917", "-1+1"]
EXPORT_MARK = re.compile(r"xlsx_response|sheets_bytes|bytes_response|workbook_bytes|== \"xlsx\"")


def _unwrap(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return getattr(view, "view_class", view)


def export_url_names(resolver=None, namespace="") -> list[str]:
    """URL names whose view builds an Excel file."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in IGNORED_NAMESPACES:
                continue
            names += export_url_names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            try:
                source = inspect.getsource(_unwrap(pattern.callback))
            except (OSError, TypeError):
                continue
            if EXPORT_MARK.search(source):
                names.append(f"{namespace}{pattern.name}")
    return sorted(set(names))


EXPORTS = export_url_names()


def _past_occasion(world):
    from ravabet.occasions.tests.factories import make_occasion

    return f"occasion={make_occasion(days=-3).pk}"


# Exports that need a record chosen in the query string before they have anything to write.
NEEDS = {"occasions:matrix": _past_occasion}


def test_every_export_is_found():
    assert len(EXPORTS) >= 25, EXPORTS


def test_no_export_builds_its_own_workbook():
    """Only lib/excel.py writes workbooks (readers such as the staff import may load them)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if "tests" not in path.parts and path.name != "excel.py"
                 and re.search(r"\bWorkbook\(", path.read_text(encoding="utf-8"))]
    assert offenders == [], offenders


@pytest.fixture
def hostile_writer(monkeypatch):
    fed = []
    original = excel.add_sheet

    def add_sheet(workbook, title, headers, rows):
        width = max(len(headers), len(HOSTILE))
        fed.append(title)
        return original(workbook, title, headers, [*rows, (HOSTILE + [""] * width)[:max(len(headers), 3)]])

    monkeypatch.setattr(excel, "add_sheet", add_sheet)
    return fed


def _check_sheet(sheet, name):
    assert sheet.sheet_view.rightToLeft, name
    assert sheet.freeze_panes == "A2", name
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name
    last = [cell for cell in sheet[sheet.max_row]]
    values = [cell.value for cell in last]
    assert values[0] == "=1+2" and last[0].data_type == "s", (name, values[:3])
    assert values[1] == "گزارش شکایت", name
    if len(values) > 2:
        assert values[2] == LONG.strip() or values[2] == LONG, name
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (name, cell.coordinate, cell.value)


@pytest.mark.parametrize("name", EXPORTS)
def test_every_export_writes_a_hostile_row_safely(name, world, client_for, hostile_writer):
    case = CASES[name]
    url = reverse(name, kwargs=case.kwargs(world) if case.kwargs else None) + case.query
    url += ("&" if "?" in url else "?") + "export=xlsx"
    if name in NEEDS:
        url += "&" + NEEDS[name](world)
    actor = next((a for a in ("hq_head", "officer", "manager", "hq_expert", "staff", "anon")
                  if case.expected(a) == 200), None)
    assert actor, name
    response = client_for(actor).get(url)
    assert response.status_code == 200, (name, actor, response.status_code)
    assert response["Content-Type"] == excel.XLSX, (name, response["Content-Type"])
    assert hostile_writer, name
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        _check_sheet(sheet, f"{name}/{sheet.title}")


def test_writer_rules():
    content = excel.sheets_bytes([("آزمون", ["متن", "عدد", "امتیاز", "تاریخ", "کد", "بله", "تهی", "تلفن"],
                                  [["=1+2\x08", 12, "۴", __import__("datetime").date(2026, 11, 30), "140356552257",
                                    True, None, "09171234567"],
                                   ["x" * 40_000, Decimal("12.5"), "۴٫۵", "۱۴۰۵/۰۹/۰۵ ۱۴:۳۰", "B5", False, "",
                                    "+989171234567"]])])
    sheet = load_workbook(io.BytesIO(content)).active
    row = [cell.value for cell in sheet[2]]
    assert row == ["=1+2", 12, 4, "1405/09/09", "140356552257", "بله", None, "09171234567"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert len(sheet["A3"].value) == excel.MAX_CELL and sheet["B3"].value == 12.5 and sheet["C3"].value == 4.5
    assert sheet["H3"].value == "+989171234567" and sheet["H3"].data_type == "s"
    assert sheet["D3"].value == "1405/09/05 14:30"  # one digit rule: Jalali dates in Latin digits
    assert sheet.sheet_view.rightToLeft and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:H3"
    assert sheet.column_dimensions["A"].width == excel.MAX_WIDTH
