"""Demo visits for the demo counties: done with findings and actions, planned, overdue, cancelled."""

import datetime as dt

from django.db import transaction

from ravabet.lib import jalali
from ravabet.lib.text import search_key
from ravabet.offices.models import Person
from ravabet.workflow.engine import move

from . import services
from .models import FollowUp, PlaceKind, Visit

DEMO_COUNTIES = ("marvdasht", "kazerun")
# (place, kind, address, purpose, days from today, what happens, findings, actions)
DEMO_VISITS = [
    ("کارگاه تعریض محور شهر - روستای خیرآباد", PlaceKind.SITE, "کیلومتر ۱۲ جاده خیرآباد",
     "بررسی پیشرفت کار و تهیه گزارش خبری و عکس برای اطلاع‌رسانی", -12, "done",
     "کار ۶۰ درصد پیشرفت دارد؛ تابلوهای هشدار کارگاه کافی نیست و اهالی از گرد و خاک گله دارند.",
     [("نصب تابلوهای هشدار در دو سوی کارگاه", 5, True), ("آب‌پاشی روزانه مسیر خاکی", -2, False)]),
    ("دفتر پیشخوان خدمات دولت مرکز شهر", PlaceKind.OFFICE, "خیابان امام، روبروی شهرداری",
     "بررسی نحوه پاسخگویی به مراجعان و نصب تابلو راهنما", -6, "done",
     "صف مراجعان طولانی است و تابلو راهنمای خدمات نصب نشده است.",
     [("نصب تابلو راهنمای خدمات", 10, False)]),
    ("محور ارتباطی روستاهای بخش مرکزی", PlaceKind.ROAD, "",
     "بازدید از خرابی‌های پس از بارندگی همراه با رئیس اداره", -3, "late", "", []),
    ("روستای دهنو", PlaceKind.VILLAGE, "دهستان رامجرد",
     "دیدار با دهیار و شنیدن درخواست‌های اهالی", 4, "planned", "", []),
    ("پروژه مسکن ملی", PlaceKind.SITE, "شهرک ولیعصر", "بازدید خبرنگاران از پروژه", 8, "cancelled", "", []),
]


def _demo_photo(seed: int):
    """A landscape picture drawn here (a road under a sky), so the demo needs no files."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1024, 768), (135, 185, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 430, 1024, 768], fill=(150 + 10 * seed, 130, 90))
    draw.polygon([(420, 768), (600, 768), (530, 430), (500, 430)], fill=(70, 70, 75))
    draw.ellipse([780, 60, 900, 180], fill=(250, 220, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"demo-visit-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


@transaction.atomic
def seed_demo(ctx) -> None:
    today = jalali.today()
    for code in DEMO_COUNTIES:
        unit = ctx.counties[code]
        officer = ctx.users[f"{code}.pr"]
        if Visit.objects.filter(unit=unit, place=DEMO_VISITS[0][0]).exists():
            continue
        people = list(Person.objects.filter(unit=unit, is_active=True).order_by("pk"))
        for index, (place, kind, address, purpose, days, outcome, findings, actions) in enumerate(DEMO_VISITS):
            planned_on = today + dt.timedelta(days=days)
            visit = services.visit_plan(unit=unit, by=officer, place=place, place_kind=kind, address=address,
                                        purpose=purpose, planned_on=planned_on, team=people[index:index + 2])
            if outcome == "done":
                move(visit, "record", by=officer, done_on=planned_on, findings=findings)
                services.photo_add(visit=visit, by=officer, upload=_demo_photo(index), caption=place)
                for title, due_in, finished in actions:
                    action = services.action_add(visit=visit, by=officer, title=title, owner=people[index + 2],
                                                 due_on=today + dt.timedelta(days=max(due_in, 0)))
                    if due_in < 0:  # given earlier: a due date in the past is refused when given
                        FollowUp.objects.filter(pk=action.pk).update(due_on=today + dt.timedelta(days=due_in))
                        action.refresh_from_db()
                    if finished:
                        move(action, "done", by=officer, done_note="انجام و عکس آن بایگانی شد.")
            elif outcome == "cancelled":
                move(visit, "cancel", by=officer, cancel_reason="هم‌زمانی با جلسه استانی")


def seed_bench(ctx) -> None:
    """Two visits a month per unit for `ctx.years` years, most done with one or two follow-up actions."""
    from .models import ActionState, FollowUp

    if Visit.objects.filter(unit__in=ctx.units).exists():
        return
    rng, today = ctx.rng, jalali.today()
    for unit in ctx.units:
        officer = ctx.officer_by_unit[unit.pk]
        people = list(Person.objects.filter(unit=unit).values_list("pk", flat=True)[:20])
        with transaction.atomic():
            visits = []
            for n in range(ctx.years * 24):
                place, kind, address, purpose, *_ = DEMO_VISITS[n % len(DEMO_VISITS)]
                planned_on = today - dt.timedelta(days=15 * n - 10)
                done = planned_on <= today and rng.random() < 0.85
                visits.append(Visit(unit=unit, created_by=officer, place=f"{place} {n}", place_kind=kind,
                                    address=address, purpose=purpose, planned_on=planned_on,
                                    state="done" if done else "planned", done_on=planned_on if done else None,
                                    findings="یافته‌های بازدید" if done else "",
                                    search_key=search_key(f"{place} {n} {address} {purpose}")))
            visits = Visit.objects.bulk_create(visits, batch_size=1000)
            if people:
                FollowUp.objects.bulk_create([
                    FollowUp(visit=v, unit=unit, title=f"اقدام {i} بازدید {v.place}", owner_id=rng.choice(people),
                             due_on=v.planned_on + dt.timedelta(days=10),
                             state=ActionState.DONE if rng.random() < 0.8 else ActionState.OPEN)
                    for v in visits if v.state == "done" for i in range(rng.randint(1, 2))], batch_size=2000)
