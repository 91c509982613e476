"""Template filters for Persian digits, numbers, sizes, direction and Jalali dates (a builtin library:
no {% load %} needed)."""

import html
import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

from .. import jalali
from ..digits import DECIMAL_SEPARATOR, format_number, format_size, to_persian_digits
from ..instruction import item_label, item_short

register = template.Library()
_LINK = re.compile(r"://|^www\.|@|^/")
# A run that reads left to right inside Persian text: phone numbers, codes, numbers, Latin words, links.
_LTR_RUN = re.compile(r"[+(]?[0-9۰-۹٠-٩A-Za-z][0-9۰-۹٠-٩A-Za-z.,٫٬:/_@#&=?%+()\-]*[0-9۰-۹٠-٩A-Za-z)]|[0-9۰-۹٠-٩A-Za-z]")


# A plain decimal number (a float, a Decimal, floatformat's output): its point is the Persian «٫».
_DECIMAL = re.compile(r"^[+-]?[0-9]+\.[0-9]+$")


def _persian_token(text: str) -> str:
    return to_persian_digits(text.replace(".", DECIMAL_SEPARATOR) if _DECIMAL.match(text) else text)


@register.filter
def fa(value):
    """Persian digits: {{ count|fa }}; a plain decimal number gets «٫» ({{ x|floatformat:1|fa }} → ۱۲٫۵);
    no thousands separator (years and codes stay ۱۴۰۵; use |fa_number for amounts)."""
    if value is None:
        return ""
    return _persian_token(str(value))


@register.filter
def fa_number(value, decimals=None):
    """The one number format: Persian digits, «٬» between thousands, «٫» before decimals: ۱۲٬۳۴۵٫۵.
    {{ x|fa_number }} (floats to one decimal, others as they are) or {{ x|fa_number:2 }} (fixed decimals)."""
    if value in (None, ""):
        return ""
    if decimals in (None, ""):
        if isinstance(value, float) and value != int(value):
            value = round(value, 1)
        return format_number(value)
    return format_number(value, int(decimals))


@register.filter
def file_size(value):
    """Bytes as people read them: ۱۲ کیلوبایت، ۵ مگابایت."""
    try:
        return format_size(int(value or 0))
    except (TypeError, ValueError):
        return ""


@register.filter
def ltr(value, persian=True):
    """A value that reads left to right (phone number, code, link, e-mail) isolated so that it keeps its
    order inside Persian text: <bdi dir="ltr">+۹۸۹۱۷۱۲۳۴۵۶۷</bdi>. {{ phone|ltr }}; {{ url|ltr:False }} keeps
    Latin digits."""
    if value in (None, ""):
        return ""
    text = to_persian_digits(value) if persian and persian != "False" else str(value)
    return format_html('<bdi dir="ltr" class="ltr">{}</bdi>', text)


@register.filter(needs_autoescape=True)
def bidi(value, autoescape=True):
    """Persian text whose numbers, phone numbers, codes and Latin fragments are each isolated left to right
    (not the whole text): «۰۷۱-۴۳۳۳۰۰۰۰ و ۱۴۱» keeps its order. Digits become Persian, except inside
    links and e-mail addresses, which stay as typed."""
    if value in (None, ""):
        return ""
    if isinstance(value, SafeData):
        return value  # markup written by the code: its attributes must not be touched
    escape = conditional_escape if autoescape else str
    text, parts, last = str(value), [], 0
    for match in _LTR_RUN.finditer(text):
        parts.append(escape(text[last:match.start()]))
        parts.append(format_html('<bdi dir="ltr">{}</bdi>', _run_digits(match.group(0))))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every piece escaped above)


# A tag (or comment) in HTML: left as it is by bidi_html.
_HTML_TAG = re.compile(r"(<[^>]*>)")


@register.filter(needs_autoescape=True)
def bidi_html(value, autoescape=True):
    """`bidi` for HTML that is already safe (the news body cleaned by news.text.clean_body and marked with
    |safe): the text between tags is read (character references resolved), its runs isolated with
    <bdi dir="ltr"> and escaped again; the tags stay as they are. {{ news.body|safe|bidi_html }}.
    A value not marked safe is escaped and treated as plain text (|bidi), so typed text never becomes markup."""
    if value in (None, ""):
        return ""
    if not isinstance(value, SafeData):
        return bidi(value, autoescape)
    pieces = _HTML_TAG.split(str(value))
    return mark_safe("".join(  # noqa: S308 (tags of safe HTML kept, every text piece escaped by bidi)
        piece if index % 2 else str(bidi(html.unescape(piece))) for index, piece in enumerate(pieces)))


@register.filter
def fa_text(value):
    """A message people read (flash messages, form errors, Django's own validator messages) with Persian
    digits; links and e-mail addresses inside it, and markup written by the code, stay as they are."""
    if value in (None, ""):
        return ""
    if isinstance(value, SafeData):
        return value
    return re.sub(r"\S+", lambda m: m.group(0) if _LINK.search(m.group(0)) else _persian_token(m.group(0)),
                  str(value))


@register.filter
def bidi_text(value):
    """Like `bidi`, with the Unicode isolates LRI … PDI around each left-to-right run instead of <bdi>, for
    PDFs (WeasyPrint ignores unicode-bidi), SMS and plain text. Digits become Persian; the result is escaped."""
    if value in (None, ""):
        return ""
    return _LTR_RUN.sub(lambda match: f"\u2066{_run_digits(match.group(0))}\u2069", str(value))


def _run_digits(run: str) -> str:
    """A left-to-right run with Persian digits, except a link or e-mail address, which stays as typed."""
    return run if _LINK.search(run) else to_persian_digits(run)


@register.filter
def instruction_item(code):
    """"B5" → «بند ب-۵»: the one way people see an instruction item."""
    return item_label(code)


@register.filter
def instruction_list(codes):
    """["B5", "B3"] → «ب-۵، ب-۳»."""
    return "، ".join(item_short(code) for code in codes or ())


@register.filter
def isolate(value):
    """A left-to-right value wrapped in the Unicode isolates LRI … PDI, for PDFs (WeasyPrint ignores
    unicode-bidi), SMS and plain text: «⁦+۹۸۹۱۷۱۲۳۴۵۶۷⁩». Digits become Persian."""
    if value in (None, ""):
        return ""
    return f"\u2066{to_persian_digits(value)}\u2069"


@register.filter
def instruction_short(code):
    """"B5" → «ب-۵» (in tables and badges)."""
    return item_short(code)


@register.filter
def jdate(value):
    """۱۴۰۵/۰۹/۰۵"""
    return jalali.format_date(value)


@register.filter
def jdatetime(value):
    """۱۴۰۵/۰۹/۰۵ ۱۴:۳۰"""
    return jalali.format_datetime(value)


@register.filter
def jlong(value):
    """سه‌شنبه ۵ آذر ۱۴۰۵"""
    return jalali.format_long(value)


@register.filter
def jmonth(month):
    try:
        return jalali.month_name(int(month))
    except (TypeError, ValueError, IndexError):
        return ""


@register.simple_tag
def now_jalali():
    """Today's date in long Jalali form, for headers and footers."""
    return jalali.format_long(jalali.today())
