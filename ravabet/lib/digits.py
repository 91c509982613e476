"""Persian, Arabic-Indic and Latin digits; numbers as people type and read them.

Rule (issue 12): people read Persian digits with «٫» as the decimal separator and «٬» between thousands;
they may type Persian, Arabic-Indic or Latin digits and «٫», «.» or «/» as the decimal separator.
"""

import re
from decimal import Decimal, InvalidOperation

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"
DECIMAL_SEPARATOR = "٫"  # U+066B ARABIC DECIMAL SEPARATOR, the Persian one
THOUSANDS_SEPARATOR = "٬"  # U+066C ARABIC THOUSANDS SEPARATOR

_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, LATIN_DIGITS * 2)
_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def to_latin_digits(text: str) -> str:
    """Persian and Arabic-Indic digits of `text` as Latin digits; everything else unchanged."""
    return text.translate(_TO_LATIN)


def to_persian_digits(value) -> str:
    """`str(value)` with Latin and Arabic-Indic digits as Persian digits; everything else unchanged."""
    return str(value).translate(_TO_PERSIAN)


def parse_digits(value) -> str:
    """What a person typed into a number box, as the Latin form Python parses ("۱۲٫۵" → "12.5").

    Accepts Persian, Arabic-Indic and Latin digits, «٫», «.» or «/» between digits as the decimal separator,
    «٬» and (in groups of three) «,» between thousands, spaces, ZWNJ and bidi marks around, the minus signs
    «-» and «−». Anything else is left in place so that the field refuses it with its own message.
    Non-strings (None, int, Decimal) are returned unchanged."""
    if not isinstance(value, str):
        return value
    text = to_latin_digits(value)
    text = re.sub("[\\s\u200c\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069" + THOUSANDS_SEPARATOR + "]", "", text)
    text = text.replace(DECIMAL_SEPARATOR, ".").replace("−", "-").replace("٪", "")
    text = re.sub(r"(?<=\d)/(?=\d)", ".", text) if text.count("/") == 1 else text
    if _GROUPED.match(text):
        text = text.replace(",", "")
    return text


def parse_int(value) -> int | None:
    """An integer typed in any of the accepted digit forms, or None when `value` is not one
    (used for query parameters: anything else is treated as absent)."""
    if value is None:
        return None
    text = to_latin_digits(str(value)).strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):
        return None
    return int(text)


def format_number(value, decimals: int | None = None) -> str:
    """A number as people read it: Persian digits, «٬» between thousands, «٫» before decimals.

    `decimals` fixes the number of decimals; by default an integral value has none and another keeps its
    own (trailing zeros dropped). Values that are not numbers come back with their digits Persian; None → ""."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(parse_digits(value) if isinstance(value, str) else str(value))
    except (InvalidOperation, ValueError, TypeError):
        return to_persian_digits(value)
    if not number.is_finite():
        return to_persian_digits(value)
    if decimals is not None:
        text = f"{number:,.{decimals}f}"
    elif number == number.to_integral_value():
        text = f"{number.to_integral_value():,f}"
    else:
        text = f"{number.normalize():,f}"
    return to_persian_digits(text.replace(",", THOUSANDS_SEPARATOR).replace(".", DECIMAL_SEPARATOR))


def format_size(size_bytes: int | None) -> str:
    """A file size as people read it: «۸۵۰ بایت»، «۱۲ کیلوبایت»، «۵ مگابایت»، «۲٫۵ مگابایت» (1024 bytes a kilobyte)."""
    if not size_bytes:
        return "۰ بایت"
    size = Decimal(size_bytes)
    for unit, name in ((1024**3, "گیگابایت"), (1024**2, "مگابایت"), (1024, "کیلوبایت")):
        if size >= unit:
            amount = (size / unit).quantize(Decimal("0.1"))
            return f"{format_number(amount)} {name}"
    return f"{format_number(size_bytes)} بایت"
