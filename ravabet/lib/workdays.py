"""Iranian working days: weekends, official holidays (solar and lunar) and closures HQ adds."""

import datetime as dt
import functools
from collections.abc import Callable

import holidays
from django.conf import settings


@functools.cache
def _official(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("IR", years=year, language="fa"))


# HQ's table of official holidays (HQ confirms or moves a lunar holiday the package only estimates) lives in
# the app that owns it; that app registers a reader here. For a Gregorian year the table has rows for, the
# table replaces the `holidays` package; other years still come from the package.
_official_readers: list[Callable[[list[int]], dict[int, dict[dt.date, str]]]] = []


def register_official_holidays(reader: Callable[[list[int]], dict[int, dict[dt.date, str]]]) -> None:
    """Add `reader(years) -> {Gregorian year: {date: Persian title}}`, which answers only for the years its
    table holds rows for (a year it leaves out falls back to the `holidays` package). occasions registers
    its OfficialHoliday table at start-up."""
    if reader not in _official_readers:
        _official_readers.append(reader)


def _official_years(years: list[int]) -> dict[int, dict[dt.date, str]]:
    table: dict[int, dict[dt.date, str]] = {}
    for reader in _official_readers:
        table.update(reader(years))
    return {year: table[year] if year in table else _official(year) for year in years}


def official_holidays(year: int) -> dict[dt.date, str]:
    """Official holidays of a Gregorian year, with Persian names: HQ's table where it holds the year,
    else the `holidays` package (whose lunar dates after 2026 are estimates)."""
    return _official_years([year])[year]


# HQ's own closures (a day the offices shut that is not an official holiday) live in the database of
# the app that owns them; that app registers a reader here, so lib imports no app.
_closure_readers: list[Callable[[dt.date, dt.date], dict[dt.date, str]]] = []


def register_closures(reader: Callable[[dt.date, dt.date], dict[dt.date, str]]) -> None:
    """Add `reader(start, end) -> {date: Persian title}` (Gregorian dates, both ends included) to the
    non-working days every calendar counts. offices registers its Closure table at start-up."""
    if reader not in _closure_readers:
        _closure_readers.append(reader)


def closures_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """HQ closures between two Gregorian dates (both included), with their Persian titles."""
    result: dict[dt.date, str] = {}
    for reader in _closure_readers:
        result.update(reader(start, end))
    return result


def holidays_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Every non-working day that is not a weekend, with its name."""
    result: dict[dt.date, str] = {}
    for days in _official_years(list(range(start.year, end.year + 1))).values():
        result.update({d: name for d, name in days.items() if start <= d <= end})
    result.update(closures_between(start, end))
    return result


class Calendar:
    """Working-day arithmetic over a range, with its closures loaded in one query."""

    def __init__(self, start: dt.date, end: dt.date):
        self.start, self.end = start, end
        self.off = holidays_between(start, end)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() not in settings.WEEKEND_DAYS and day not in self.off

    def working_days(self) -> list[dt.date]:
        days = (self.start + dt.timedelta(n) for n in range((self.end - self.start).days + 1))
        return [d for d in days if self.is_working_day(d)]


def is_working_day(day: dt.date) -> bool:
    return Calendar(day, day).is_working_day(day)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date `count` working days after `start` (before it when count is negative)."""
    step = 1 if count >= 0 else -1
    span = dt.timedelta(days=abs(count) * 3 + 30)
    calendar = Calendar(min(start, start + step * span), max(start, start + step * span))
    day, remaining = start, abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if not calendar.start <= day <= calendar.end:
            calendar = Calendar(min(day, day + step * span), max(day, day + step * span))
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative if end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return len([d for d in Calendar(start, end).working_days() if d != start])
