"""Jalali (Solar Hijri) dates at the edges: formatting for people, parsing what they type.

Models store plain dates and UTC-aware datetimes; only templates, forms, PDFs and
exports see Jalali.
"""

import datetime as dt
import functools
import re

import jdatetime
from django.utils import timezone

from .digits import to_latin_digits, to_persian_digits

MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)
WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه")
DATE_RE = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")
DATETIME_RE = re.compile(
    r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$"
)


class JalaliParseError(ValueError):
    pass


def to_jalali(value: dt.date | dt.datetime) -> jdatetime.date | jdatetime.datetime:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return jdatetime.datetime.fromgregorian(datetime=value)
    return jdatetime.date.fromgregorian(date=value)


def parse_date(text: str) -> dt.date:
    """Parse 1405/09/05 (any digits, / - or . as separator) into a Gregorian date."""
    match = DATE_RE.match(to_latin_digits(text or ""))
    if not match:
        raise JalaliParseError("تاریخ را به شکل سال/ماه/روز بنویسید، مانند ۱۴۰۵/۰۹/۰۵.")
    year, month, day = (int(part) for part in match.groups())
    return _gregorian_date(year, month, day)


def parse_datetime(text: str) -> dt.datetime:
    """Parse '1405/09/05 14:30' into an aware datetime in the current time zone."""
    match = DATETIME_RE.match(to_latin_digits(text or ""))
    if not match:
        raise JalaliParseError("تاریخ و ساعت را به شکل ۱۴۰۵/۰۹/۰۵ ۱۴:۳۰ بنویسید.")
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise JalaliParseError("ساعت معتبر نیست.")
    date = _gregorian_date(year, month, day)
    naive = dt.datetime.combine(date, dt.time(hour, minute, second))
    return timezone.make_aware(naive)


def _gregorian_date(year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise JalaliParseError("ماه باید بین ۱ و ۱۲ باشد.")
    if not 1200 <= year <= 1600:
        raise JalaliParseError("سال را چهار رقمی و به تاریخ شمسی بنویسید، مانند ۱۴۰۵.")
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        raise JalaliParseError(f"ماه {MONTHS[month - 1]} این روز را ندارد.") from None


def _local_day(value: dt.date | dt.datetime) -> tuple[dt.date, dt.datetime | None]:
    """(the Gregorian day, the local datetime or None) of a date or datetime (an aware one in Tehran time,
    settings.TIME_ZONE: no code activates another zone; `timezone.localtime` costs 30 µs looking it up)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.get_default_timezone())
        return value.date(), value
    return value, None


# A list page formats the same few days again and again: converting one costs ~20 µs of jdatetime, a 50-row
# table with two dates a row paid 2-4 ms for it (issue 11). The day's Jalali text is kept per process.
@functools.lru_cache(maxsize=8192)
def _date_text(day: dt.date, persian: bool) -> str:
    j = jdatetime.date.fromgregorian(date=day)
    text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    return to_persian_digits(text) if persian else text


@functools.lru_cache(maxsize=16384)
def _datetime_text(day: dt.date, hour: int, minute: int, persian: bool) -> str:
    text = f"{_date_text(day, False)} {hour:02d}:{minute:02d}"
    return to_persian_digits(text) if persian else text


@functools.lru_cache(maxsize=4096)
def _long_text(day: dt.date) -> str:
    j = jdatetime.date.fromgregorian(date=day)
    return to_persian_digits(f"{WEEKDAYS[j.weekday()]} {j.day} {MONTHS[j.month - 1]} {j.year}")


def format_date(value, *, persian: bool = True) -> str:
    """A Gregorian date or datetime (aware: shown in Tehran time) as its Jalali day «۱۴۰۵/۰۹/۰۵» (Latin digits
    when `persian` is False); "" for an empty value."""
    if not value:
        return ""
    return _date_text(_local_day(value)[0], bool(persian))


def format_datetime(value, *, persian: bool = True) -> str:
    """A datetime (aware: in Tehran time) as «۱۴۰۵/۰۹/۰۵ ۱۴:۳۰»; a plain date gets «00:00»; "" if empty."""
    if not value:
        return ""
    day, moment = _local_day(value)
    hour, minute = (moment.hour, moment.minute) if moment is not None else (0, 0)
    return _datetime_text(day, hour, minute, bool(persian))


def format_long(value) -> str:
    """A date or datetime as «سه‌شنبه ۵ آذر ۱۴۰۵» (weekday, day, month name, year; Tehran time)."""
    if not value:
        return ""
    return _long_text(_local_day(value)[0])


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def today() -> dt.date:
    return timezone.localdate()


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian dates of a Jalali month."""
    first = jdatetime.date(year, month, 1)
    next_first = jdatetime.date(year + (month == 12), month % 12 + 1, 1)
    return first.togregorian(), next_first.togregorian() - dt.timedelta(days=1)


def current_month() -> tuple[int, int]:
    j = to_jalali(today())
    return j.year, j.month


# --- Periods as datetime ranges ----------------------------------------------------------------------------
# A period filter on a datetime column is written as a half-open range between two local midnights, never as
# `field__date...`: the latter converts every row's time zone (django_datetime_cast_date on SQLite,
# AT TIME ZONE … ::date on PostgreSQL), which no index serves (issue 11).


def start_of_day(day: dt.date) -> dt.datetime:
    """The aware datetime of local midnight (settings.TIME_ZONE, Asia/Tehran) at the start of the
    Gregorian `day`. Raises nothing for a valid date."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def datetime_bounds(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Gregorian days `start`..`end` (both included; either may be None for an open end) as a half-open
    range of aware datetimes [local midnight of start, local midnight after end)."""
    return (start_of_day(start) if start else None,
            start_of_day(end + dt.timedelta(days=1)) if end else None)


def period_bounds(year: int, month: int | None = None, *, quarter: int | None = None,
                  day: int | None = None) -> tuple[dt.datetime, dt.datetime]:
    """A Jalali year, quarter (1–4: فروردین–خرداد, تیر–شهریور, مهر–آذر, دی–اسفند), month or day as a
    half-open range of aware datetimes [first local midnight, next period's first local midnight).

    Raises JalaliParseError for a month outside 1–12 or a year outside 1200–1600, ValueError for a quarter
    outside 1–4 or a day the month does not have."""
    if quarter is not None:
        if not 1 <= quarter <= 4:
            raise ValueError("quarter must be 1–4")
        first = _gregorian_date(year, 3 * quarter - 2, 1)
        last = month_bounds(year, 3 * quarter)[1]
    elif month is None:
        first, last = _gregorian_date(year, 1, 1), month_bounds(year, 12)[1]
    elif day is None:
        _gregorian_date(year, month, 1)
        first, last = month_bounds(year, month)
    else:
        first = last = _gregorian_date(year, month, day)
    return datetime_bounds(first, last)


def in_days(field: str, start: dt.date | None, end: dt.date | None) -> dict[str, dt.datetime]:
    """Lookups keeping rows whose datetime `field` falls on the Gregorian days `start`..`end` (both
    included, Tehran time; None leaves that end open), as plain comparisons an index on `field` serves:
    `Model.objects.filter(unit=unit, **in_days("created_at", start, end))` or `Q(**in_days(...))`."""
    low, high = datetime_bounds(start, end)
    lookups = {}
    if low is not None:
        lookups[f"{field}__gte"] = low
    if high is not None:
        lookups[f"{field}__lt"] = high
    return lookups
