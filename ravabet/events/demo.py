"""Demo data: the year's occasions, HQ tasks in every state, a ceremony with its run-sheet and guests,
protocol supplies with a loan and a shortage, participation records and occasion content."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.offices.models import Person

from . import services
from .calendar import seed_year
from .models import ActivityKind, Event, EventKind, Occasion, RunSheetKind, RunSheetState, SupplyItem, Task

SUPPLIES = [("قرآن نفیس", 4, 2, "good"), ("قیچی تشریفات", 2, 2, "good"), ("روبان سه‌رنگ (حلقه)", 1, 3, "good"),
            ("سینی تشریفات", 3, 2, "worn"), ("پرچم رومیزی", 6, 4, "good"), ("رومیزی مخمل", 2, 1, "damaged")]
GUESTS = [("حمید کاظمی", "فرماندار شهرستان", "09171110001"), ("امام جمعه", "امام جمعه شهرستان", "09171110002"),
          ("مریم حسینی", "خبرنگار روزنامه محلی", "09171110003"), ("سعید قاسمی", "رئیس شورای شهر", "09171110004"),
          ("الهام شریفی", "دهیار روستای خیرآباد", "")]


def _occasion_near(today, days_from, days_to):
    return Occasion.objects.filter(date__gte=today + dt.timedelta(days=days_from),
                                   date__lte=today + dt.timedelta(days=days_to)).order_by("date").first()


def seed_demo(ctx) -> None:
    today = jalali.today()
    year = jalali.current_month()[0]
    seed_year(year)
    seed_year(year + 1)
    head, expert = ctx.users["hq.head"], ctx.users["hq.expert"]
    marvdasht, kazerun = ctx.counties["marvdasht"], ctx.counties["kazerun"]
    officer, kazerun_officer = ctx.users["marvdasht.pr"], ctx.users["kazerun.pr"]

    if not Task.objects.exists():
        counties = list(ctx.counties.values())
        week = services.task_assign(
            by=head, title="ارسال گزارش تصویری افتتاح پروژه‌های هفته دولت", due_date=today + dt.timedelta(days=5),
            description="گزارش کوتاه همراه با دست‌کم پنج عکس افقی از هر افتتاح را بفرستید.", units=counties)
        services.task_assign(
            by=expert, title="به‌روزرسانی فهرست خبرنگاران شهرستان", due_date=today + dt.timedelta(days=12),
            description="نام، رسانه و شماره همراه خبرنگاران فعال شهرستان را بازبینی کنید.",
            units=[marvdasht, kazerun])
        old = services.task_assign(
            by=head, title="نصب بنر روز ملی ایمنی راه", due_date=today, units=[marvdasht, kazerun],
            description="بنر ابلاغی را در ورودی اداره نصب و عکس آن را بفرستید.")
        # One copy overdue, one accepted, one returned, one waiting for HQ's review.
        Task.objects.filter(pk=old.pk).update(due_date=today - dt.timedelta(days=3))
        done = week.assignments.get(unit=marvdasht)
        services.assignment_done(assignment=done, by=officer, evidence="گزارش سه افتتاح با ۱۲ عکس فرستاده شد.")
        services.assignment_review(assignment=done, by=head, accept=True, comment="سپاس؛ کامل بود.")
        returned = week.assignments.get(unit=kazerun)
        services.assignment_done(assignment=returned, by=kazerun_officer, evidence="یک عکس فرستاده شد.")
        services.assignment_review(assignment=returned, by=expert, accept=False,
                                   comment="عکس‌ها کم است؛ دست‌کم پنج عکس افقی بفرستید.")
        waiting = old.assignments.get(unit=kazerun)
        services.assignment_done(assignment=waiting, by=kazerun_officer, evidence="بنر نصب شد؛ عکس پیوست است.")

    if not Event.objects.filter(unit=marvdasht).exists():
        people = list(Person.objects.filter(unit=marvdasht, is_active=True).order_by("pk")[:12])
        event = services.event_create(
            unit=marvdasht, by=officer, kind=EventKind.CEREMONY, title="آیین بهره‌برداری از پل روستای خیرآباد",
            venue="محل پل، جاده خیرآباد", starts_at=timezone.now() + dt.timedelta(days=4),
            occasion=_occasion_near(today, 0, 30), description="با حضور فرماندار و مسئولان شهرستان.")
        states = [RunSheetState.READY, RunSheetState.ARRANGED, RunSheetState.READY, RunSheetState.PENDING,
                  RunSheetState.ARRANGED, RunSheetState.NOT_NEEDED]
        for index, row in enumerate(event.items.order_by("pk")):
            if index < len(states) and people:
                services.runsheet_update(item=row, by=officer, person=people[index % len(people)],
                                         state=states[index],
                                         note="قاری ممتاز استان" if row.kind == RunSheetKind.QURAN else "")
        for name, title, mobile in GUESTS:
            services.guest_add(event=event, by=officer, name=name, title=title, mobile=mobile)
        services.invitations_send(event=event, by=officer, base_url="http://localhost:8000/")
        first, second = event.guests.order_by("pk")[:2]
        services.guest_respond(guest=first, accept=True, companions=1)
        services.guest_respond(guest=second, accept=False)
        past = services.event_create(
            unit=marvdasht, by=officer, kind=EventKind.CONFERENCE, title="همایش ایمنی راه در زمستان",
            venue="سالن اجتماعات اداره", starts_at=timezone.now() + dt.timedelta(hours=1))
        guest = services.guest_add(event=past, by=officer, name="رضا موسوی", title="رئیس پلیس راه",
                                   mobile="09171110005")
        services.guest_check_in(event=past, by=officer, token=guest.token)
        services.event_set_state(event=past, by=officer, state="held", attendance=85)
        services.event_create(unit=kazerun, by=kazerun_officer, kind=EventKind.EXHIBITION,
                              title="نمایشگاه دستاوردهای هفته دولت", venue="نمایشگاه دائمی شهرستان",
                              starts_at=timezone.now() + dt.timedelta(days=9))

    if not SupplyItem.objects.filter(unit=marvdasht).exists():
        for name, quantity, minimum, condition in SUPPLIES:
            services.supply_save(unit=marvdasht, by=officer, name=name, quantity=quantity, min_quantity=minimum,
                                 condition=condition)
        event = Event.objects.filter(unit=marvdasht, state="planned").order_by("starts_at").first()
        scissors = SupplyItem.objects.get(unit=marvdasht, name="قیچی تشریفات")
        services.supply_lend(item=scissors, by=officer, quantity=1, event=event)
        services.supply_save(unit=kazerun, by=kazerun_officer, name="قرآن نفیس", quantity=2, min_quantity=1,
                             condition="good")

    from .models import Activity, OccasionContent

    past_occasion = Occasion.objects.filter(date__lte=today).order_by("-date").first()
    if past_occasion and not Activity.objects.filter(unit=marvdasht).exists():
        services.activity_create(unit=marvdasht, by=officer, kind=ActivityKind.CEREMONY, occasion=past_occasion,
                                 title=f"شرکت همکاران در مراسم {past_occasion.title}", date=past_occasion.date,
                                 participants=18)
        services.activity_create(unit=marvdasht, by=officer, kind=ActivityKind.ETHICS,
                                 title="کارگاه اخلاق اداری و تکریم ارباب رجوع", date=today - dt.timedelta(days=2),
                                 participants=32, description="با سخنرانی استاد حوزه و دانشگاه.")
        services.activity_create(unit=kazerun, by=kazerun_officer, kind=ActivityKind.MARCH,
                                 title="شرکت در راهپیمایی ۱۳ آبان", date=today - dt.timedelta(days=20),
                                 participants=24)
    upcoming = _occasion_near(today, 1, 60)
    if upcoming and not OccasionContent.objects.exists():
        sent = services.content_create(unit=marvdasht, by=officer, occasion=upcoming,
                                       title=f"ویژه‌نامه {upcoming.title}",
                                       text=f"برنامه‌های اداره برای {upcoming.title}: آذین‌بندی ورودی، نصب پارچه‌نوشته، "
                                            "پیام تبریک مدیر و گزارش تصویری.")
        services.content_send(content=sent, by=officer)
        services.content_create(unit=kazerun, by=kazerun_officer, occasion=upcoming,
                                title=f"پیام مدیر به مناسبت {upcoming.title}", text="متن پیش‌نویس پیام مدیر.")


def seed_bench(ctx) -> None:
    """Province scale: a task a week from HQ to every unit, two events a month per unit with a full
    run-sheet and 20 guests, supplies, monthly participation records and content, for `ctx.years` years."""
    from .models import (
        Activity,
        Assignment,
        AssignmentState,
        EventState,
        Guest,
        OccasionContent,
        Rsvp,
        RunSheetItem,
        Task,
    )

    if Event.objects.filter(unit__in=ctx.units).exists():
        return
    rng, now, today = ctx.rng, timezone.now(), jalali.today()
    first_year = jalali.current_month()[0] - ctx.years + 1
    for year in range(first_year, first_year + ctx.years + 1):
        seed_year(year)
    occasions = list(Occasion.objects.order_by("date"))
    weeks = ctx.years * 52
    tasks = Task.objects.bulk_create([
        Task(title=f"مأموریت هفته {n}", description="شرح مأموریت", due_date=today - dt.timedelta(days=7 * n - 5),
             created_by=ctx.hq_expert) for n in range(weeks)], batch_size=1000)
    states = list(AssignmentState.values)
    Assignment.objects.bulk_create([
        Assignment(task=task, unit=unit, state=AssignmentState.ACCEPTED if n > 2 else rng.choice(states),
                   evidence="گزارش انجام کار", done_at=now - dt.timedelta(days=7 * n),
                   reviewed_at=now - dt.timedelta(days=7 * n))
        for n, task in enumerate(tasks) for unit in ctx.units], batch_size=5000)
    for unit in ctx.units:
        officer = ctx.officer_by_unit[unit.pk]
        with transaction.atomic():
            events = Event.objects.bulk_create([
                Event(unit=unit, title=f"مراسم {n} {unit.name}", venue="سالن اجتماعات",
                      starts_at=now - dt.timedelta(days=15 * n - 10), created_by=officer,
                      kind=rng.choice(["ceremony", "conference", "exhibition"]),
                      state=EventState.PLANNED if n < 1 else EventState.HELD, attendance=None if n < 1 else 60)
                for n in range(ctx.years * 24)], batch_size=1000)
            RunSheetItem.objects.bulk_create([RunSheetItem(event=e, kind=k, state="ready") for e in events
                                              for k in RunSheetKind.values], batch_size=5000)
            Guest.objects.bulk_create([
                Guest(event=e, name=f"مهمان {g}", mobile=f"0917{g:07d}", rsvp=rng.choice(Rsvp.values),
                      invited_at=e.starts_at - dt.timedelta(days=5),
                      checked_in_at=e.starts_at if e.state == EventState.HELD and g % 2 else None)
                for e in events for g in range(20)], batch_size=5000)
            SupplyItem.objects.bulk_create([SupplyItem(unit=unit, name=name, quantity=quantity, min_quantity=minimum,
                                                       condition=condition)
                                            for name, quantity, minimum, condition in SUPPLIES])
            months = ctx.years * 12
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
