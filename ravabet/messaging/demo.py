"""Demo and benchmark data for messaging: announcements, groups, tickers and condolence banners."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ravabet.lib.text import search_key
from ravabet.offices.models import Person
from ravabet.workflow.engine import move

from . import services
from .models import (
    Announcement,
    AnnouncementState,
    CondolenceBanner,
    Delivery,
    DeliveryState,
    DuplicateCheck,
    Kind,
    StaffGroup,
    TickerText,
)


def seed_demo(ctx) -> None:
    marvdasht, kazerun = ctx.counties["marvdasht"], ctx.counties["kazerun"]
    officer, head, expert = ctx.users["marvdasht.pr"], ctx.users["hq.head"], ctx.users["hq.expert"]
    if not StaffGroup.objects.filter(unit=marvdasht).exists():
        technical = Person.objects.filter(unit=marvdasht, is_active=True, position__contains="فنی")
        services.group_save(unit=marvdasht, by=officer, name="کارشناسان فنی", members=technical)
        services.group_save(unit=marvdasht, by=officer, name="مدیران و مسئولان",
                            members=Person.objects.filter(unit=marvdasht, user__isnull=False))
    if not Announcement.objects.filter(unit=marvdasht).exists():
        services.announcement_create(
            unit=marvdasht, by=officer, kind=Kind.PROGRAMME, title="همایش ایمنی راه در زمستان",
            body="همایش ایمنی راه در زمستان پنجشنبه ساعت ۹ در سالن اجتماعات اداره برگزار می‌شود؛ حضور همه همکاران الزامی است.",
            via_app=True, via_sms=True, target_units=[marvdasht])
        services.announcement_create(
            unit=marvdasht, by=officer, kind=Kind.URGENT, title="قطع برق ساختمان",
            body="برق ساختمان فردا از ساعت ۸ تا ۱۰ برای تعمیرات قطع است.", via_app=True,
            groups=StaffGroup.objects.filter(unit=marvdasht, name="کارشناسان فنی"))
    if not Announcement.objects.filter(unit=ctx.hq).exists():
        services.announcement_create(
            unit=ctx.hq, by=head, kind=Kind.CONGRATULATION, title="تبریک روز مهندس", occasion="روز مهندس",
            body="روز مهندس را به همه همکاران مهندس اداره کل و ادارات شهرستان تبریک می‌گوییم.",
            via_app=True, target_units=[marvdasht, kazerun])
        services.announcement_create(
            unit=kazerun, by=ctx.users["kazerun.pr"], kind=Kind.OCCASION, title="برنامه دهه فجر",
            body="برنامه‌های دهه فجر اداره در هفته آینده اعلام می‌شود.", occasion="دهه فجر", via_app=True,
            target_units=[kazerun], send_at=timezone.now() + dt.timedelta(days=2))
    if not DuplicateCheck.objects.exists():
        try:
            services.announcement_create(
                unit=kazerun, by=ctx.users["kazerun.pr"], kind=Kind.CONGRATULATION, title="تبریک روز مهندس",
                occasion="روز مهندس", body="روز مهندس را به همکاران گرامی تبریک می‌گوییم.", target_units=[kazerun])
        except services.DuplicateFound:
            pass  # the guard stopped it, and recorded that it did: the demo's evidence of B7
    if not TickerText.objects.exists():
        approved = services.ticker_save(unit=marvdasht, by=officer, kind="tv", occasion="روز ملی راه و شهرسازی",
                                        occasion_date=dt.date(2026, 12, 5), submit=True,
                                        text="روز ملی راه و شهرسازی بر همه تلاشگران این عرصه گرامی باد")
        move(approved, "approve", by=expert)
        services.ticker_save(unit=marvdasht, by=officer, kind="letterhead", occasion="دهه فجر", submit=True,
                             text="دهه مبارک فجر گرامی باد")
        services.ticker_save(unit=kazerun, by=ctx.users["kazerun.pr"], kind="screen", occasion="هفته ایمنی راه",
                             text="با رعایت سرعت مجاز، سفری ایمن داشته باشیم")
    if not CondolenceBanner.objects.exists():
        banner = services.banner_create(unit=marvdasht, by=officer, deceased_name="مرحوم غلامرضا فرهادی",
                                        position="بازنشسته راهداری", relation="colleague",
                                        funeral_at=timezone.now() + dt.timedelta(days=1),
                                        funeral_place="مسجد جامع مرودشت",
                                        memorial_at=timezone.now() + dt.timedelta(days=3),
                                        memorial_place="حسینیه اعظم مرودشت")
        move(banner, "approve", by=head)
        services.banner_create(unit=kazerun, by=ctx.users["kazerun.pr"], deceased_name="فاطمه یزدانی",
                               deceased_title="مرحومه", relation="family", kinship="mother",
                               bereaved_title="جناب آقای", bereaved="رسول امینی", memorial_place="مسجد امام کازرون")


def seed_bench(ctx) -> None:
    """About two announcements a month per unit for `ctx.years` years, with an in-app delivery to
    every person of the unit, plus tickers, banners and guard records."""
    if Announcement.objects.filter(unit__in=ctx.units).exists():
        return
    rng, now = ctx.rng, timezone.now()
    people = {unit.pk: list(Person.objects.filter(unit=unit).values_list("pk", flat=True)) for unit in ctx.units}
    kinds = list(Kind.values)
    for unit in ctx.units:
        officer = ctx.officer_by_unit[unit.pk]
        with transaction.atomic():
            announcements = Announcement.objects.bulk_create([
                Announcement(unit=unit, sender=officer, kind=rng.choice(kinds), title=f"اطلاعیه {n} {unit.name}",
                             body=f"متن اطلاعیه شماره {n} برای کارکنان {unit.name}.", via_app=True,
                             # bulk_create skips save(), which fills the search column.
                             text_key=search_key(f"اطلاعیه {n} {unit.name} متن اطلاعیه شماره {n} برای کارکنان {unit.name}."),
                             state=AnnouncementState.SENT, recipients_count=len(people[unit.pk]),
                             processed_count=len(people[unit.pk]),
                             send_at=now - dt.timedelta(days=15 * n), sent_at=now - dt.timedelta(days=15 * n))
                for n in range(ctx.years * 24)], batch_size=1000)
            for announcement in announcements:  # auto_now_add stamped them all today
                Announcement.objects.filter(pk=announcement.pk).update(created_at=announcement.send_at)
            Announcement.target_units.through.objects.bulk_create(
                [Announcement.target_units.through(announcement_id=a.pk, unit_id=unit.pk) for a in announcements],
                batch_size=2000)
            Delivery.objects.bulk_create(
                [Delivery(announcement=a, person_id=person_id, channel="in_app", state=DeliveryState.SENT,
                          read_at=now if rng.random() < 0.7 else None)
                 for a in announcements for person_id in people[unit.pk]], batch_size=5000)
            TickerText.objects.bulk_create([
                TickerText(unit=unit, kind=rng.choice(["tv", "screen", "letterhead"]), occasion=f"مناسبت {n % 40}",
                           occasion_key=search_key(f"مناسبت {n % 40}"),
                           text=f"متن مناسبت {n}", state=rng.choice(["draft", "submitted", "approved"]),
                           created_by=officer) for n in range(ctx.years * 12)], batch_size=1000)
            CondolenceBanner.objects.bulk_create([
                CondolenceBanner(unit=unit, deceased_name=f"مرحوم {n}", text="متن تسلیت", created_by=officer,
                                 state=rng.choice(["submitted", "approved", "installed"]))
                for n in range(ctx.years * 3)], batch_size=1000)
            DuplicateCheck.objects.bulk_create([
                DuplicateCheck(unit=unit, checked_by=officer, kind="congratulation", title=f"تکراری {n}", body="",
                               earlier=announcements[n], outcome=rng.choice(["blocked", "warned", "confirmed"]))
                for n in range(ctx.years * 4)], batch_size=1000)
