"""Demo data: a ceremony with its run-sheet and guests, a held conference, an exhibition, protocol supplies
with a loan and a shortage."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.occasions.demo import occasion_near
from ravabet.offices.models import Person
from ravabet.workflow.engine import move

from . import services
from .models import Event, EventKind, EventState, Guest, Rsvp, RunSheetItem, RunSheetKind, RunSheetState, SupplyItem

SUPPLIES = [("قرآن نفیس", 4, 2, "good"), ("قیچی تشریفات", 2, 2, "good"), ("روبان سه‌رنگ (حلقه)", 1, 3, "good"),
            ("سینی تشریفات", 3, 2, "worn"), ("پرچم رومیزی", 6, 4, "good"), ("رومیزی مخمل", 2, 1, "damaged")]
GUESTS = [("حمید کاظمی", "فرماندار شهرستان", "09171110001"), ("امام جمعه", "امام جمعه شهرستان", "09171110002"),
          ("مریم حسینی", "خبرنگار روزنامه محلی", "09171110003"), ("سعید قاسمی", "رئیس شورای شهر", "09171110004"),
          ("الهام شریفی", "دهیار روستای خیرآباد", "")]


def seed_demo(ctx) -> None:
    today = jalali.today()
    marvdasht, kazerun = ctx.counties["marvdasht"], ctx.counties["kazerun"]
    officer, kazerun_officer = ctx.users["marvdasht.pr"], ctx.users["kazerun.pr"]

    if not Event.objects.filter(unit=marvdasht).exists():
        people = list(Person.objects.filter(unit=marvdasht, is_active=True).order_by("pk")[:12])
        event = services.event_create(
            unit=marvdasht, by=officer, kind=EventKind.CEREMONY, title="آیین بهره‌برداری از پل روستای خیرآباد",
            venue="محل پل، جاده خیرآباد", starts_at=timezone.now() + dt.timedelta(days=4),
            occasion=occasion_near(today, 0, 30), description="با حضور فرماندار و مسئولان شهرستان.")
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
            venue="سالن اجتماعات اداره", starts_at=timezone.now() - dt.timedelta(hours=2))
        guest = services.guest_add(event=past, by=officer, name="رضا موسوی", title="رئیس پلیس راه",
                                   mobile="09171110005")
        services.guest_check_in(event=past, by=officer, token=guest.token)
        move(past, "hold", by=officer, headcount="85")
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


def seed_bench(ctx) -> None:
    """Province scale: two events a month per unit with a full run-sheet and 20 guests, and supplies, for
    `ctx.years` years."""
    if Event.objects.filter(unit__in=ctx.units).exists():
        return
    rng, now = ctx.rng, timezone.now()
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
