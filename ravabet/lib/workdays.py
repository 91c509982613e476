"""Iranian working days: weekends, official holidays (solar and lunar) and closures HQ adds.

The non-working days of a Gregorian year (HQ's holiday table or the `holidays` package, plus HQ's closures)
are kept per process, keyed by the calendar's version token (`lib.models.Stamp` row «workdays.calendar», lib.stamps):
a request reads it at most once, with the other stamps (issue 11: the calendar was read three times a request, two
queries each), and any change to either table — saved or deleted through the ORM, which the owning apps
register here, or `bump_calendar_version()` called after a bulk write — writes a fresh token in the same
transaction, so every worker reads the new calendar on its next request and a rolled-back change is never
seen. The token lives in the database, not in the cache, because the local-memory cache (no REDIS_URL) is not
shared between gunicorn workers and because it must change atomically with the table.
"""

import datetime as dt
import functools
from collections.abc import Callable

import holidays
from django.conf import settings
from django.db.models.signals import post_delete, post_save

from . import stamps

CALENDAR_STAMP = "workdays.calendar"


@functools.cache
def _official(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("IR", years=year, language="fa"))


# HQ's table of official holidays (HQ confirms or moves a lunar holiday the package only estimates) lives in
# the app that owns it; that app registers a reader here. For a Gregorian year the table has rows for, the
# table replaces the `holidays` package; other years still come from the package.
_official_readers: list[Callable[[list[int]], dict[int, dict[dt.date, str]]]] = []


def register_official_holidays(reader: Callable[[list[int]], dict[int, dict[dt.date, str]]],
                               model=None) -> None:
    """Add `reader(years) -> {Gregorian year: {date: Persian title}}`, which answers only for the years its
    table holds rows for (a year it leaves out falls back to the `holidays` package). occasions registers
    its OfficialHoliday table at start-up; `model` (the table's model class) is watched so that a save or
    delete changes the calendar's version (a bulk write must call `bump_calendar_version` itself)."""
    if reader not in _official_readers:
        _official_readers.append(reader)
    if model is not None:
        watch_calendar_model(model)


def _official_years(years: list[int]) -> dict[int, dict[dt.date, str]]:
    table: dict[int, dict[dt.date, str]] = {}
    for reader in _official_readers:
        table.update(reader(years))
    return {year: table[year] if year in table else _official(year) for year in years}


def official_holidays(year: int) -> dict[dt.date, str]:
    """Official holidays of a Gregorian year, with Persian names: HQ's table where it holds the year,
    else the `holidays` package (whose lunar dates after 2026 are estimates). Read through the per-process
    cache (see the module's docstring); the caller gets its own copy."""
    return dict(_year(year)[0])


# HQ's own closures (a day the offices shut that is not an official holiday) live in the database of
# the app that owns them; that app registers a reader here, so lib imports no app.
_closure_readers: list[Callable[[dt.date, dt.date], dict[dt.date, str]]] = []


def register_closures(reader: Callable[[dt.date, dt.date], dict[dt.date, str]], model=None) -> None:
    """Add `reader(start, end) -> {date: Persian title}` (Gregorian dates, both ends included) to the
    non-working days every calendar counts. offices registers its Closure table at start-up; `model` is
    watched as in `register_official_holidays`."""
    if reader not in _closure_readers:
        _closure_readers.append(reader)
    if model is not None:
        watch_calendar_model(model)


def _closures_read(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    result: dict[dt.date, str] = {}
    for reader in _closure_readers:
        result.update(reader(start, end))
    return result


def closures_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """HQ closures between two Gregorian dates (both included), with their Persian titles (through the
    per-process cache, one whole year at a time)."""
    result: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        result.update({d: name for d, name in _year(year)[1].items() if start <= d <= end})
    return result


def holidays_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Every non-working day between two Gregorian dates (both included) that is not a weekend, with its
    Persian name: official holidays (HQ's table or the package) and HQ's closures. Served from the
    per-process cache of whole years, valid for the calendar's current version."""
    result: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        official, closures = _year(year)
        result.update({d: name for d, name in official.items() if start <= d <= end})
        result.update({d: name for d, name in closures.items() if start <= d <= end})
    return result


# --- The per-process cache and its version ------------------------------------------------------------------

_years = stamps.KeptPerProcess()  # {Gregorian year: (official holidays, closures)} under the calendar's token


def calendar_version() -> str:
    """The calendar's current version token (str; "" before any change was recorded), read from the
    database once per request with the other stamps (lib.stamps), and on every call outside a request."""
    return stamps.token(CALENDAR_STAMP)


def _year(year: int) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """(official holidays, HQ closures) of a Gregorian year as {date: Persian title}, from the cache when
    it holds the current version; read from the tables (two queries) otherwise. Callers must not change
    the dicts returned."""
    return _years.get(year, lambda: (_official_years([year])[year],
                                     _closures_read(dt.date(year, 1, 1), dt.date(year, 12, 31))),
                      calendar_version())


def bump_calendar_version(**_signal_kwargs) -> None:
    """Record that the calendar changed: a fresh random token in the database, inside the caller's
    transaction (so it commits or rolls back with the change). Every process's next read misses its cache.
    Connected to the save and delete of every watched table; call it after a bulk write
    (`bulk_create`, `update`) to HQ's holiday or closure tables."""
    stamps.bump(CALENDAR_STAMP)


def watch_calendar_model(model) -> None:
    """Bump the calendar's version on every save and delete of `model` (a holiday or closure table)."""
    uid = f"workdays.calendar.{model._meta.label}"
    post_save.connect(bump_calendar_version, sender=model, weak=False, dispatch_uid=f"{uid}.save")
    post_delete.connect(bump_calendar_version, sender=model, weak=False, dispatch_uid=f"{uid}.delete")


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
