"""Demo data: the year's occasions (solar and lunar), participation records and occasion content, one
piece sent to HQ."""

import datetime as dt

from django.utils import timezone

from ravabet.lib import jalali
from ravabet.workflow.engine import move

from . import services
from .calendar import seed_year
from .models import Activity, ActivityFormat, ActivityKind, Occasion, OccasionContent


def occasion_near(today: dt.date, days_from: int, days_to: int) -> Occasion | None:
    """The first occasion between `days_from` and `days_to` days after `today` (demo data of other parts)."""
    return Occasion.objects.filter(date__gte=today + dt.timedelta(days=days_from),
                                   date__lte=today + dt.timedelta(days=days_to)).order_by("date").first()


def seed_demo(ctx) -> None:
    today = jalali.today()
    year = jalali.current_month()[0]
    seed_year(year)
    seed_year(year + 1)
    marvdasht, kazerun = ctx.counties["marvdasht"], ctx.counties["kazerun"]
    officer, kazerun_officer = ctx.users["marvdasht.pr"], ctx.users["kazerun.pr"]

    past_occasion = Occasion.objects.filter(date__lte=today).order_by("-date").first()
    if past_occasion and not Activity.objects.filter(unit=marvdasht).exists():
        services.activity_create(unit=marvdasht, by=officer, kind=ActivityKind.CEREMONY, occasion=past_occasion,
                                 title=f"شرکت همکاران در مراسم {past_occasion.title}", date=past_occasion.date,
                                 participants=18)
        services.activity_create(unit=marvdasht, by=officer, kind=ActivityKind.ETHICS,
                                 title="کارگاه اخلاق اداری و تکریم ارباب رجوع", date=today - dt.timedelta(days=2),
                                 participants=32, description="با سخنرانی استاد حوزه و دانشگاه.",
                                 format=ActivityFormat.WORKSHOP)
        services.activity_create(unit=kazerun, by=kazerun_officer, kind=ActivityKind.MARCH,
                                 title="شرکت در راهپیمایی ۱۳ آبان", date=today - dt.timedelta(days=20),
                                 participants=24)
    upcoming = occasion_near(today, 1, 60)
    if upcoming and not OccasionContent.objects.exists():
        sent = services.content_create(unit=marvdasht, by=officer, occasion=upcoming,
                                       title=f"ویژه‌نامه {upcoming.title}",
                                       text=f"برنامه‌های اداره برای {upcoming.title}: آذین‌بندی ورودی، نصب پارچه‌نوشته، "
                                            "پیام تبریک مدیر و گزارش تصویری.")
        move(sent, "send", by=officer)
        services.content_create(unit=kazerun, by=kazerun_officer, occasion=upcoming,
                                title=f"پیام مدیر به مناسبت {upcoming.title}", text="متن پیش‌نویس پیام مدیر.")


def seed_bench(ctx) -> None:
    """Province scale: the calendar of every year, monthly participation records and content of every
    unit for `ctx.years` years."""
    if Activity.objects.filter(unit__in=ctx.units).exists():
        return
    rng, now, today = ctx.rng, timezone.now(), jalali.today()
    first_year = jalali.current_month()[0] - ctx.years + 1
    for year in range(first_year, first_year + ctx.years + 1):
        seed_year(year)
    occasions = list(Occasion.objects.order_by("date"))
    months = ctx.years * 12
    for unit in ctx.units:
        officer = ctx.officer_by_unit[unit.pk]
        Activity.objects.bulk_create([
            Activity(unit=unit, kind=rng.choice(list(ActivityKind.values)), title=f"برنامه {n}",
                     date=today - dt.timedelta(days=30 * n), participants=rng.randint(5, 60), created_by=officer)
            for n in range(months)], batch_size=1000)
        if occasions:
            OccasionContent.objects.bulk_create([
                OccasionContent(unit=unit, occasion=occasions[n % len(occasions)], title=f"محتوای {n}",
                                text="متن", state="acknowledged", sent_at=now - dt.timedelta(days=30 * n),
                                created_by=officer)
                for n in range(months)], batch_size=1000)
