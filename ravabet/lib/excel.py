"""The one Excel writer every export uses (issue 12, point 6).

Rules of every sheet:
- right-to-left, bold frozen header row, autofilter over the table, column widths from the content (max 60);
- text that begins with = + - @ (or a tab/CR) is written as text with a quote prefix, never as a formula;
- control characters that Excel files cannot hold (U+0000–U+001F except tab and line breaks) are removed,
  and text is cut at Excel's limit of 32,767 characters with «…»;
- numbers are numbers: int, float and Decimal as they are; text that is only a short number
  («۴»، «4»، «۴٫۵») becomes a number, while codes with a leading zero (phone numbers) or long digit strings
  (tracking codes) stay text;
- dates and datetimes are Jalali text with Latin digits, «1405/09/05» and «1405/09/05 14:30», so that
  they sort as text in Excel (the one digit rule of exports; pages and PDFs show Persian digits); a Jalali
  date or date-time an export passes as text in Persian digits («۱۴۰۵/۰۹/۰۵») is written the same way;
- True/False as «بله»/«خیر», None as an empty cell.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import jalali
from .digits import to_latin_digits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32_767
MAX_WIDTH = 60
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_JALALI_TEXT = re.compile(r"^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$")  # after to_latin_digits
_SHORT_NUMBER = re.compile(r"^(?:0|-?[1-9][0-9]{0,5})(?:[.٫][0-9]{1,4})?$|^-?0[.٫][0-9]{1,4}$")


def cell_value(value):
    """What is written into one cell: (value, is_text_that_looks_like_a_formula)."""
    if value is None:
        return None, False
    if isinstance(value, bool):
        return ("بله" if value else "خیر"), False
    if isinstance(value, int | float | Decimal):
        return value, False
    if isinstance(value, dt.datetime):
        return jalali.format_datetime(value, persian=False), False
    if isinstance(value, dt.date):
        return jalali.format_date(value, persian=False), False
    text = _ILLEGAL.sub("", str(value))
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    stripped = to_latin_digits(text.strip())
    if _JALALI_TEXT.match(stripped):
        return stripped, False
    if _SHORT_NUMBER.match(stripped):
        number = Decimal(stripped.replace("٫", "."))
        return (int(number) if number == number.to_integral_value() and "." not in stripped
                and "٫" not in stripped else float(number)), False
    return text, text.startswith(_FORMULA_START)


def add_sheet(workbook: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    """Append one sheet following the rules above; returns the openpyxl worksheet."""
    sheet = workbook.create_sheet(_ILLEGAL.sub("", re.sub(r"[\[\]:*?/\\]", " ", str(title)))[:31] or "Sheet")
    sheet.sheet_view.rightToLeft = True
    widths = [min(len(str(h)) + 4, MAX_WIDTH) for h in headers]
    sheet.append([cell_value(h)[0] for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row_count = 1
    for row in rows:
        row_count += 1
        values = [cell_value(value) for value in row]
        for column, (value, formula_like) in enumerate(values, start=1):
            cell = sheet.cell(row=row_count, column=column, value=value)
            if formula_like:
                cell.data_type = "s"
                cell.quotePrefix = True
            if column > len(widths):
                widths.append(8)
            length = max((len(line) for line in str(value).splitlines()), default=0) if value is not None else 0
            widths[column - 1] = min(max(widths[column - 1], length + 2), MAX_WIDTH)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(widths), 1))}{row_count}"
    return sheet


def sheets_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """An .xlsx file of several sheets, each (title, headers, rows)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        add_sheet(workbook, title, headers, rows)
    if not workbook.worksheets:
        add_sheet(workbook, "Sheet", [], [])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """An .xlsx file of one sheet."""
    return sheets_bytes([(title, headers, rows)])


def xlsx_response(filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """The download of a one-sheet export; `filename` without .xlsx (Persian is fine)."""
    return bytes_response(filename, workbook_bytes(title, headers, rows))


def bytes_response(filename: str, content: bytes) -> HttpResponse:
    """The download of an .xlsx file already built (e.g. by `sheets_bytes`)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return response
