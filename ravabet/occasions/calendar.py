"""The year's occasions and official holidays (E1-E3).

- Official holidays: HQ's `OfficialHoliday` table, seeded per Gregorian year from the `holidays` package
  (its lunar dates after 2026 are marked «تخمینی» there, and stay estimated here until HQ confirms them).
- Occasions: the solar and lunar ones of the curated file `data/occasions.toml` (with its source), plus one
  occasion per lunar official holiday. A lunar occasion falls once or twice in a Jalali year; every date is
  added. Lunar rules are computed with the Umm al-Qura tables (`hijridate`) and shifted by the difference
  Iran's official holidays of the same Hijri month show (Iran's month often starts a day later).
"""

import datetime as dt
import functools
import tomllib
from importlib.metadata import version
from pathlib import Path

import holidays
import jdatetime
from hijridate import Gregorian, Hijri

from ravabet.lib.workdays import bump_calendar_version

from .models import Occasion, OccasionKind, OfficialHoliday

DATA = Path(__file__).with_name("data") / "occasions.toml"
ESTIMATED = "(تخمینی)"
# Official holidays that are no occasion of their own (Nowruz days, bridge days) or that the curated file
# already lists under a title of its own.
SKIP = ("نوروز", "عیدنوروز", "تعطیلی عمومی", "روز طبیعت", "جمهوری اسلامی", "پیروزی انقلاب", "رحلت حضرت امام خمینی",
        "قیام 15 خرداد", "صنعت نفت")
# Lunar official holidays and their Hijri (month, day): the anchors that tell how Iran's months sit
# against the Umm al-Qura tables.
ANCHORS = {
    "تاسوعای حسینی": (1, 9), "عاشورای حسینی": (1, 10), "اربعین حسینی": (2, 20),
    "رحلت رسول اکرم": (2, 28), "شهادت امام حسن عسکری": (3, 8), "میلاد رسول اکرم": (3, 17),
    "شهادت حضرت فاطمه زهرا": (6, 3), "ولادت امام علی": (7, 13), "مبعث رسول اکرم": (7, 27),
    "ولادت حضرت قائم": (8, 15), "شهادت حضرت علی": (9, 21), "عید سعید فطر": (10, 1),
    "شهادت امام جعفر صادق": (10, 25), "عید سعید قربان": (12, 10), "عید سعید غدیر خم": (12, 18),
}


@functools.cache
def curated() -> tuple[str, list[dict]]:
    """The curated file: (its source, its rows as dicts with title, kind, note, `solar` or `lunar`
    [month, day] — Jalali or Hijri — and `source`: the public page the row was checked against, or, for a
    row not yet checked (`checked = false`), the file's «بررسی‌نشده» wording so HQ sees it)."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    rows = [row | {"source": row["source"] if row.get("checked") and row.get("source") else data["unchecked"]}
            for row in data["occasion"]]
    return data["source"], rows


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian dates of the Jalali `year`."""
    start = jdatetime.date(year, 1, 1).togregorian()
    return start, jdatetime.date(year + 1, 1, 1).togregorian() - dt.timedelta(days=1)


def _names(title: str) -> list[str]:
    return [n.replace(ESTIMATED, "").strip() for n in title.replace("؛", ";").split(";") if n.strip()]


# --- Official holidays ------------------------------------------------------------------------------------

def seed_holidays(gregorian_year: int) -> int:
    """Copy the `holidays` package's Iranian holidays of a Gregorian year into HQ's table when the table
    holds none of that year yet (so HQ's corrections are never overwritten). A name the package marks
    «(تخمینی)» is kept as estimated. Returns how many rows were added."""
    if OfficialHoliday.objects.filter(year=gregorian_year).exists():
        return 0
    source = f"بسته holidays نسخه {version('holidays')}"
    rows = []
    for day, title in sorted(holidays.country_holidays("IR", years=gregorian_year, language="fa").items()):
        for raw in title.replace("؛", ";").split(";"):
            name = raw.replace(ESTIMATED, "").strip()
            if name:
                rows.append(OfficialHoliday(date=day, year=day.year, title=name, estimated=ESTIMATED in raw,
                                            source=source))
    OfficialHoliday.objects.bulk_create(rows, ignore_conflicts=True)
    bump_calendar_version()  # bulk_create sends no post_save: every worker's cached calendar reads the table
    return len(rows)


def _holiday_rows(start: dt.date, end: dt.date) -> list[tuple[dt.date, str, bool, OfficialHoliday | None]]:
    """(date, name, estimated, table row) of the official holidays between two dates: HQ's table for the
    Gregorian years it holds, the package's for the others."""
    years = list(range(start.year, end.year + 1))
    table = {}
    for row in OfficialHoliday.objects.filter(year__in=years, date__range=(start, end)).order_by("date", "pk"):
        table.setdefault(row.year, []).append((row.date, row.title, row.estimated, row))
    held = set(OfficialHoliday.objects.filter(year__in=years).values_list("year", flat=True).distinct())
    found = []
    for year in years:
        if year in held:
            found += table.get(year, [])
            continue
        for day, title in holidays.country_holidays("IR", years=year, language="fa").items():
            if start <= day <= end:
                found += [(day, n, ESTIMATED in title, None) for n in _names(title)]
    return sorted(found, key=lambda r: (r[0], r[1]))


def lunar_occasions(year: int) -> list[tuple[dt.date, str, bool, OfficialHoliday | None]]:
    """The Jalali `year`'s occasions that come from lunar official holidays, every date of each (a lunar
    holiday may fall twice in a solar year), with Quds Day (the last Friday of Ramadan) beside Eid al-Fitr:
    (date, title, estimated, holiday row or None)."""
    start, end = year_bounds(year)
    found = []
    for day, name, estimated, row in _holiday_rows(start - dt.timedelta(days=40), end):
        if name.startswith("تعطیل") or any(skip in name for skip in SKIP):
            continue
        if start <= day <= end:
            found.append((day, name, estimated, row))
        if name == "عید سعید فطر":
            quds = day - dt.timedelta(days=(day.weekday() - 4) % 7 or 7)  # Friday is weekday 4
            if start <= quds <= end:
                found.append((quds, "روز جهانی قدس", estimated, None))
    return sorted(found, key=lambda r: (r[0], r[1]))


# --- Lunar rules of the curated file ----------------------------------------------------------------------

def _hijri_on(hyear: int, month: int, day: int) -> dt.date | None:
    try:
        return Hijri(hyear, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None


def _shifts(start: dt.date, end: dt.date) -> dict[tuple[int, int], int]:
    """{(Hijri year, month): days Iran's official date lies after Umm al-Qura's} from the lunar official
    holidays around the range."""
    shifts = {}
    for day, name, _estimated, _row in _holiday_rows(start - dt.timedelta(days=60), end + dt.timedelta(days=60)):
        anchor = next((hm for key, hm in ANCHORS.items() if name.startswith(key)), None)
        if not anchor:
            continue
        hyear = Gregorian(day.year, day.month, day.day).to_hijri().year
        candidates = [d for d in (_hijri_on(y, *anchor) for y in (hyear - 1, hyear, hyear + 1)) if d]
        near = min(candidates, key=lambda d: abs((d - day).days))
        if abs((near - day).days) <= 3:
            shifts[(Gregorian(near.year, near.month, near.day).to_hijri().year, anchor[0])] = (day - near).days
    return shifts


def lunar_dates(year: int, month: int, day: int, shifts: dict | None = None) -> list[dt.date]:
    """Every Gregorian date in the Jalali `year` of the Hijri `month`/`day` (zero, one or two dates), shifted
    to agree with Iran's official holidays of the same Hijri month (or the nearest month that has one)."""
    start, end = year_bounds(year)
    shifts = _shifts(start, end) if shifts is None else shifts
    first = Gregorian(start.year, start.month, start.day).to_hijri().year
    dates = []
    for hyear in (first, first + 1, first + 2):
        base = _hijri_on(hyear, month, day)
        if base is None:
            continue
        near = sorted(shifts, key=lambda k: abs((k[0] * 12 + k[1]) - (hyear * 12 + month)))
        shifted = base + dt.timedelta(days=shifts[near[0]] if near else 0)
        if start <= shifted <= end:
            dates.append(shifted)
    return dates


def curated_occasions(year: int) -> list[tuple[dt.date, str, str, str, bool]]:
    """The curated file's occasions in the Jalali `year`: (date, title, kind, note, lunar)."""
    _source, rows = curated()
    start, end = year_bounds(year)
    shifts = _shifts(start, end)
    found = []
    for row in rows:
        if "solar" in row:
            month, day = row["solar"]
            found.append((jdatetime.date(year, month, day).togregorian(), row["title"], row["kind"],
                          row.get("note", ""), False))
        else:
            found += [(d, row["title"], row["kind"], row.get("note", ""), True)
                      for d in lunar_dates(year, *row["lunar"], shifts=shifts)]
    return sorted(found)


def _exists_near(title: str, date: dt.date) -> bool:
    # A lunar occasion HQ already moved keeps HQ's date: the same title within ten days is the same one.
    return Occasion.objects.filter(title=title, date__range=(date - dt.timedelta(days=10),
                                                             date + dt.timedelta(days=10))).exists()


LUNAR_NOTE = "تاریخ قمری تخمینی است تا اداره کل آن را تأیید کند."


def seed_year(year: int) -> int:
    """Add the Jalali `year`'s official holidays (both Gregorian years it spans, when HQ's table has none of
    them yet) and occasions that are not there yet; returns how many occasions were added."""
    start, end = year_bounds(year)
    for gregorian in {start.year, end.year}:
        seed_holidays(gregorian)
    sources = {row["title"]: row["source"] for row in curated()[1]}
    added = 0
    for date, title, kind, note, lunar in curated_occasions(year):
        if lunar and _exists_near(title, date):
            continue
        _, created = Occasion.objects.get_or_create(
            title=title, date=date, defaults={"kind": kind, "note": note or (LUNAR_NOTE if lunar else ""),
                                              "lunar": lunar, "estimated": lunar, "source": sources[title]})
        added += created
    for date, title, estimated, row in lunar_occasions(year):
        if _exists_near(title, date):
            continue
        Occasion.objects.create(title=title, date=date, kind=OccasionKind.RELIGIOUS, lunar=True, holiday=row,
                                estimated=estimated, note=LUNAR_NOTE if estimated else "",
                                source=row.source if row else "بسته holidays")
        added += 1
    return added

