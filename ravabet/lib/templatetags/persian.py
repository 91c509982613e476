"""Template filters for Persian digits and Jalali dates (a builtin library: no {% load %} needed)."""

from django import template

from .. import jalali
from ..digits import to_persian_digits

register = template.Library()


@register.filter
def fa(value):
    """Persian digits: {{ count|fa }}"""
    if value is None:
        return ""
    return to_persian_digits(value)


@register.filter
def fa_number(value):
    """Persian digits with thousands separators: ۱۲٬۳۴۵"""
    if value in (None, ""):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return to_persian_digits(value)
    text = f"{int(number):,}" if number == int(number) else f"{number:,.1f}"
    return to_persian_digits(text.replace(",", "٬").replace(".", "٫"))


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
