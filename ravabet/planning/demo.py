"""Demo and benchmark data for planning: a year plan and this month's plan, last month's
meetings, trainings, digital channels with figures, and submitted monthly reports."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.offices.models import Person
from ravabet.workflow.engine import move

from . import services
from .models import (
    Attendance,
    Channel,
    ChannelFigure,
    Decision,
    Meeting,
    MeetingKind,
    MonthlyReport,
    Plan,
    PlanItem,
    PlanState,
    ReportState,
    Training,
    TrainingKind,
)
from .selectors import refresh_summaries

YEAR_ITEMS = [
    ("ارسال روزانه خبر به اداره کل", ["B5"], 240),
    ("جلسه ماهانه با مدیران و مسئولان شهرستان", ["A3"], 12),
    ("جلسه رئیس اداره با کارکنان", ["F6"], 12),
    ("دوره‌های آموزشی کارکنان روابط عمومی", ["A4"], 4),
    ("گزارش عملکرد ماهانه به موقع", ["A2"], 12),
]
MONTH_ITEMS = [
    ("خبر روزانه از فعالیت‌های اداره", ["B5"], 20),
    ("جلسه هماهنگی مراسم هفته دولت", ["F1"], 1),
    ("جلسه با کارکنان", ["F6"], 1),
]
MEETINGS = [
    (MeetingKind.OFFICIALS, "جلسه شورای اداری شهرستان", "فرمانداری"),
    (MeetingKind.COORDINATION, "هماهنگی مراسم دهه فجر", "سالن اجتماعات اداره"),
    (MeetingKind.STAFF, "جلسه ماهانه رئیس اداره با کارکنان", "سالن اجتماعات اداره"),
    (MeetingKind.OFFICIALS, "نشست با دهیاران درباره راه‌های روستایی", "بخشداری مرکزی"),
]
DECISIONS = ["تهیه گزارش تصویری از پروژه‌ها", "پیگیری نصب بنر مناسبتی", "ارسال خبر جلسه به اداره کل",
             "هماهنگی با صدا و سیمای مرکز استان", "برگزاری دوره آموزش عکاسی خبری"]
TRAININGS = [("عکاسی و فیلم‌برداری خبری", "دانشگاه جامع علمی کاربردی", 16),
             ("نگارش خبر و گزارش", "اداره کل", 8), ("مدیریت شبکه‌های اجتماعی", "خودآموزی", 6),
             ("روابط عمومی الکترونیک", "مرکز آموزش وزارتخانه", 12)]
CHANNELS = [("website", "صفحه اداره در وب‌گاه اداره کل", "https://fars.example.ir/county"),
            ("messenger", "کانال خبری اداره در پیام‌رسان", "https://messenger.example.ir/county"),
            ("social", "حساب اداره در شبکه اجتماعی", "")]


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed_demo(ctx) -> None:
    year, month = jalali.current_month()
    last_year, last_month = _previous(year, month)
    for code in ("marvdasht", "kazerun"):
        unit = ctx.counties[code]
        officer, manager = ctx.users[f"{code}.pr"], ctx.users[f"{code}.manager"]
        people = list(Person.objects.filter(unit=unit, is_active=True).order_by("pk")[:8])
        rng = random.Random(f"{code}-planning")
        _demo_plans(unit, officer, manager, ctx.users["hq.expert"], people, year, month)
        _demo_meetings(unit, officer, people, last_year, last_month, rng)
        _demo_trainings(unit, officer, people, year, rng)
        _demo_channels(unit, officer, year, month, rng)
        _demo_report(unit, officer, manager, ctx.users["hq.expert"], last_year, last_month,
                     accept=code == "kazerun")


def _to_hq(plan, officer, manager) -> None:
    """The officer asks, the unit manager signs off and the officer sends the plan to HQ (A1)."""
    move(plan, "ask_sign_off", by=officer)
    move(plan, "sign_off", by=manager)
    move(plan, "submit", by=officer)


def _demo_plans(unit, officer, manager, expert, people, year, month) -> None:
    if not Plan.objects.filter(unit=unit, year=year, month=None).exists():
        plan = Plan(unit=unit, year=year, month=None, title=f"برنامه عملیاتی سال {to_persian_digits(year)}")
        end = jalali.month_bounds(year, 12)[1]
        items = [PlanItem(title=title, codes=codes, target_count=target, due_date=end,
                          owner=people[index % len(people)] if people else None)
                 for index, (title, codes, target) in enumerate(YEAR_ITEMS)]
        items.append(PlanItem(title="برگزاری همایش روز ملی راه", codes=["F2"], target_date=end, due_date=end))
        services.plan_save(plan=plan, items=items, by=officer)
        _to_hq(plan, officer, manager)
        move(plan, "approve", by=expert)
    if not Plan.objects.filter(unit=unit, year=year, month=month).exists():
        end = jalali.month_bounds(year, month)[1]
        plan = Plan(unit=unit, year=year, month=month, title=f"برنامه {jalali.month_name(month)}")
        services.plan_save(plan=plan, items=[
            PlanItem(title=title, codes=codes, target_count=target, due_date=end,
                     owner=people[0] if people else None) for title, codes, target in MONTH_ITEMS], by=officer)
        _to_hq(plan, officer, manager)
    # Last month's plan, approved, so the demo report (last month's) has its plan-progress section.
    last_year, last_month = _previous(year, month)
    if not Plan.objects.filter(unit=unit, year=last_year, month=last_month).exists():
        end = jalali.month_bounds(last_year, last_month)[1]
        plan = Plan(unit=unit, year=last_year, month=last_month, title=f"برنامه {jalali.month_name(last_month)}")
        services.plan_save(plan=plan, items=[
            PlanItem(title=title, codes=codes, target_count=target, due_date=end,
                     owner=people[0] if people else None) for title, codes, target in MONTH_ITEMS], by=officer)
        _to_hq(plan, officer, manager)
        move(plan, "approve", by=expert)


def _demo_meetings(unit, officer, people, year, month, rng) -> None:
    start, end = jalali.month_bounds(year, month)
    if Meeting.objects.filter(unit=unit, **jalali.in_days("starts_at", start, end)).exists():
        return
    for index, (kind, title, place) in enumerate(MEETINGS):
        day = start + dt.timedelta(days=3 + index * 6)
        meeting = Meeting(unit=unit, kind=kind, title=title, place=place, starts_at=_aware(day, 9),
                          ends_at=_aware(day, 11), minutes=f"در این جلسه درباره «{title}» گفت‌وگو شد و مصوبات زیر تعیین شد.")
        present = people[: 3 + index % 3]
        absent = people[len(present): len(present) + 1]
        decisions = [Decision(text=text, owner=rng.choice(people) if people else None,
                              due_date=day + dt.timedelta(days=rng.randint(5, 40)), done=rng.random() < 0.4)
                     for text in rng.sample(DECISIONS, 2)]
        services.meeting_save(meeting=meeting, present=present, absent=absent, decisions=decisions, by=officer)


def _demo_trainings(unit, officer, people, year, rng) -> None:
    if Training.objects.filter(unit=unit).exists() or not people:
        return
    start = jalali.month_bounds(year, 1)[0]
    for index, (title, provider, hours) in enumerate(TRAININGS):
        day = min(start + dt.timedelta(days=20 + index * 45), jalali.today())
        services.training_save(training=Training(
            unit=unit, person=people[index % 2], title=title, provider=provider, hours=Decimal(hours), date=day,
            kind=TrainingKind.SELF_STUDY if provider == "خودآموزی" else TrainingKind.COURSE), by=officer)


def _demo_channels(unit, officer, year, month, rng) -> None:
    if Channel.objects.filter(unit=unit).exists():
        return
    for platform, name, url in CHANNELS:
        channel = services.channel_save(channel=Channel(unit=unit, platform=platform, name=name, url=url),
                                        by=officer)
        members = rng.randint(300, 2000)
        y, m = year, month
        for _ in range(6):
            y, m = _previous(y, m)
            members += rng.randint(-20, 150)
            services.figure_record(channel=channel, year=y, month=m, posts=rng.randint(10, 60), members=members,
                                   views=rng.randint(2000, 20000), by=officer)


def _demo_report(unit, officer, manager, expert, year, month, *, accept: bool) -> None:
    if MonthlyReport.objects.filter(unit=unit, year=year, month=month).exists():
        return
    report = services.report_start(unit=unit, year=year, month=month, by=officer)
    services.report_update(
        report=report, by=officer,
        narrative="در این ماه جلسه‌های شورای اداری و هماهنگی مراسم برگزار شد و اخبار فعالیت‌های اداره روزانه فرستاده شد.",
        problems="کمبود دوربین عکاسی با کیفیت و نبود خودرو برای پوشش خبری پروژه‌های دور.",
        proposals="خرید یک دوربین و برگزاری دوره عکاسی خبری برای همکاران.")
    move(report, "ask_approval", by=officer)
    move(report, "approve", by=manager)
    move(report, "submit", by=officer)
    if accept:
        move(report, "accept", by=expert)


# --- Province scale -------------------------------------------------------------------------

BATCH = 1000


def _bulk(model, rows) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def seed_bench(ctx) -> None:
    """5 years of plans, meetings, trainings, channel figures and reports for every bench unit."""
    if Plan.objects.filter(unit__in=ctx.units).exists():
        return
    rng = ctx.rng
    this_year, this_month = jalali.current_month()
    years = list(range(this_year - ctx.years + 1, this_year + 1))
    months = [(y, m) for y in years for m in range(1, 13) if (y, m) <= (this_year, this_month)]
    people_by_unit = {}
    for person in Person.objects.filter(unit__in=ctx.units).only("pk", "unit_id").order_by("pk"):
        people_by_unit.setdefault(person.unit_id, []).append(person)
    plans, meetings, trainings, channels, reports = [], [], [], [], []
    for unit in ctx.units:
        for year in years:
            plans.append(Plan(unit=unit, year=year, month=None, state=PlanState.APPROVED))
        for year, month in months:
            plans.append(Plan(unit=unit, year=year, month=month, state=PlanState.APPROVED))
            start, _ = jalali.month_bounds(year, month)
            for index in range(6):
                day = start + dt.timedelta(days=index * 5)
                meetings.append(Meeting(unit=unit, kind=rng.choice(MeetingKind.values), title=MEETINGS[index % 4][1],
                                        place="سالن اجتماعات", starts_at=_aware(day, 9), ends_at=_aware(day, 11),
                                        minutes="صورت‌جلسه آزمون بار"))
            if month % 2 == 0:
                person = rng.choice(people_by_unit[unit.pk])
                trainings.append(Training(unit=unit, person=person, title=TRAININGS[month % 4][0], hours=8,
                                          date=start + dt.timedelta(days=10)))
            if (year, month) != (this_year, this_month):
                reports.append(MonthlyReport(unit=unit, year=year, month=month, state=ReportState.ACCEPTED,
                                             narrative="گزارش آزمون بار", submitted_at=_aware(start, 9)))
        for platform, name, url in CHANNELS:
            channels.append(Channel(unit=unit, platform=platform, name=name, url=url))
    plans = _bulk(Plan, plans)
    items = []
    for plan in plans:
        start, end = plan.period()
        for index, (title, codes, target) in enumerate(YEAR_ITEMS if plan.month is None else MONTH_ITEMS):
            items.append(PlanItem(plan=plan, title=title, codes=codes, target_count=target, due_date=end,
                                  position=index))
    _bulk(PlanItem, items)
    meetings = _bulk(Meeting, meetings)
    attendances, decisions = [], []
    for meeting in meetings:
        people = people_by_unit[meeting.unit_id]
        for person in rng.sample(people, 5):
            attendances.append(Attendance(meeting=meeting, person=person, present=rng.random() < 0.85))
        for text in rng.sample(DECISIONS, 2):
            decisions.append(Decision(meeting=meeting, unit_id=meeting.unit_id, text=text, owner=people[0],
                                      due_date=meeting.starts_at.date() + dt.timedelta(days=14),
                                      done=rng.random() < 0.8))
    _bulk(Attendance, attendances)
    _bulk(Decision, decisions)
    _bulk(Training, trainings)
    channels = _bulk(Channel, channels)
    _bulk(ChannelFigure, [ChannelFigure(channel=channel, year=year, month=month, posts=rng.randint(5, 60),
                                        members=1000 + index * 10, views=rng.randint(1000, 30000))
                          for channel in channels for index, (year, month) in enumerate(months)])
    _bulk(MonthlyReport, reports)
    # The lists read the plans' stored progress: compute it for the plans that can still move.
    refresh_summaries()
