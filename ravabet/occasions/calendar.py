"""The year's occasions: solar ones at their fixed Jalali dates, lunar ones (which move about eleven days
a year and may be off by a day in Iran's calendar) from the `holidays` tables, marked lunar so HQ checks them."""

import datetime as dt

import holidays
import jdatetime

from .models import Occasion, OccasionKind

N, R, ORG = OccasionKind.NATIONAL, OccasionKind.RELIGIOUS, OccasionKind.ORGANISATIONAL
# (month, day, title, kind, note)
SOLAR = [
    (1, 1, "نوروز و آغاز سال نو", N, "پیام تبریک و دیدار نوروزی"),
    (1, 12, "روز جمهوری اسلامی", N, ""),
    (1, 13, "روز طبیعت", N, ""),
    (1, 29, "روز ارتش جمهوری اسلامی", N, ""),
    (2, 12, "روز معلم", N, ""),
    (2, 27, "روز ملی ارتباطات و روابط عمومی", ORG, "گزارش عملکرد روابط عمومی و تقدیر از همکاران"),
    (3, 14, "رحلت امام خمینی (ره)", N, "شرکت در مراسم سالگرد"),
    (3, 15, "قیام ۱۵ خرداد", N, ""),
    (4, 7, "روز قوه قضاییه و سالروز شهادت آیت‌الله بهشتی", N, ""),
    (5, 17, "روز خبرنگار", ORG, "دیدار و تقدیر از خبرنگاران شهرستان"),
    (6, 2, "آغاز هفته دولت", N, "گزارش افتتاح‌ها و دستاوردها"),
    (6, 8, "روز مبارزه با تروریسم و سالروز شهادت رجایی و باهنر", N, ""),
    (6, 31, "آغاز هفته دفاع مقدس", N, "مراسم و نمایشگاه دفاع مقدس"),
    (8, 13, "روز ملی مبارزه با استکبار جهانی", N, "راهپیمایی ۱۳ آبان"),
    (9, 5, "روز بسیج مستضعفان", N, ""),
    (9, 16, "روز دانشجو", N, ""),
    (10, 9, "روز بصیرت و میثاق امت با ولایت", N, "راهپیمایی ۹ دی"),
    (11, 12, "آغاز دهه فجر انقلاب اسلامی", N, "آذین‌بندی، برنامه‌های دهه فجر"),
    (11, 22, "سالروز پیروزی انقلاب اسلامی", N, "راهپیمایی ۲۲ بهمن"),
    (12, 15, "روز درختکاری", N, ""),
    (12, 29, "روز ملی شدن صنعت نفت", N, ""),
]
# Official holidays that are not lunar occasions, or that SOLAR already lists.
SKIP = ("نوروز", "عیدنوروز", "تعطیلی عمومی", "روز طبیعت", "جمهوری اسلامی", "پیروزی انقلاب", "رحلت حضرت امام خمینی",
        "قیام 15 خرداد", "صنعت نفت")


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    start = jdatetime.date(year, 1, 1).togregorian()
    return start, jdatetime.date(year + 1, 1, 1).togregorian() - dt.timedelta(days=1)


def lunar_occasions(year: int) -> list[tuple[dt.date, str]]:
    start, end = year_bounds(year)
    table = holidays.country_holidays("IR", years=[start.year, end.year], language="fa")
    found = []
    for day, names in sorted(table.items()):
        if not start <= day <= end:
            continue
        for name in names.split(";"):
            name = name.replace("(تخمینی)", "").strip()
            if name and not any(skip in name for skip in SKIP) and not name.startswith("تعطیل"):
                found.append((day, name))
            if name == "عید سعید فطر":
                # Quds Day, the march of the last Friday of Ramadan (Friday is weekday 4).
                quds = day - dt.timedelta(days=(day.weekday() - 4) % 7 or 7)
                if start <= quds <= end:
                    found.append((quds, "روز جهانی قدس"))
    return sorted(found)


def seed_year(year: int) -> int:
    """Add the year's occasions that are not there yet; returns how many were added."""
    added = 0
    for month, day, title, kind, note in SOLAR:
        date = jdatetime.date(year, month, day).togregorian()
        _, created = Occasion.objects.get_or_create(title=title, date=date,
                                                    defaults={"kind": kind, "note": note})
        added += created
    for date, title in lunar_occasions(year):
        # A lunar occasion HQ already moved keeps HQ's date: match by title within the year.
        start, end = year_bounds(year)
        if Occasion.objects.filter(title=title, date__gte=start, date__lte=end).exists():
            continue
        Occasion.objects.create(title=title, date=date, kind=R, lunar=True,
                                note="تاریخ قمری؛ اداره کل آن را با تقویم رسمی کشور بررسی کند.")
        added += 1
    return added
