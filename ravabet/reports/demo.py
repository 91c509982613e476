"""Demo problems and solutions in every state, and unit profiles (acknowledged, submitted, draft).

The unit profile lives in the offices part, whose demo hooks the seed commands do not call (the
platform seeds itself first), so its demo records are made here, beside the reports that cite it."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from ravabet.offices import profile_services
from ravabet.offices.models import ProfileState, UnitProfile
from ravabet.workflow.engine import move

from . import services
from .models import Kind, Source, State, UnitReport, Urgency

# (kind, source, urgency, subject, description, what happens to it; a solution names its problem's subject)
DEMO_REPORTS = [
    (Kind.PROBLEM, Source.PEOPLE, Urgency.URGENT, "صف طولانی ارباب رجوع در واحد املاک",
     "مراجعان واحد املاک هر روز بیش از دو ساعت در صف می‌مانند و در شبکه‌های اجتماعی گلایه کرده‌اند.", "action"),
    (Kind.SOLUTION, Source.PEOPLE, Urgency.NORMAL, "راه‌اندازی نوبت‌دهی اینترنتی واحد املاک",
     "با هماهنگی واحد فناوری اطلاعات، نوبت‌دهی اینترنتی راه افتاد و صف‌ها به نیم ساعت رسید.",
     "صف طولانی ارباب رجوع در واحد املاک"),
    (Kind.PROBLEM, Source.MEDIA, Urgency.CRITICAL, "گزارش خبرگزاری از خطر ریزش سنگ در محور کوهستانی",
     "یک خبرگزاری استانی از خطر ریزش سنگ در محور کوهستانی و نبود تابلو هشدار خبر داده است.", "sent"),
    (Kind.PROBLEM, Source.STAFF, Urgency.NORMAL, "کمبود خودرو برای بازدید میدانی",
     "کارکنان فنی برای بازدید از پروژه‌های روستایی خودرو ندارند و بازدیدها عقب افتاده است.", "acknowledged"),
    (Kind.PROBLEM, Source.OFFICIALS, Urgency.URGENT, "درخواست فرماندار برای تسریع ساخت پل روستایی",
     "فرماندار در جلسه شورای اداری خواستار تسریع ساخت پل روستای خیرآباد شد.", "closed"),
    (Kind.PROBLEM, Source.PEOPLE, Urgency.NORMAL, "نبود سایه‌بان در ایستگاه‌های کنار جاده",
     "ایستگاه‌های انتظار کنار جاده اصلی سایه‌بان ندارند و مردم در گرما منتظر می‌مانند.", "draft"),
]
DEMO_COUNTIES = ("marvdasht", "kazerun")


def _photo(label: int, color: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 800), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 250, 1100, 750), fill=(235, 235, 225))
    for column in range(5):
        draw.rectangle((160 + column * 190, 330, 260 + column * 190, 460), fill=(120, 160, 200))
    draw.rectangle((540, 560, 660, 750), fill=(110, 80, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"demo-{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _seed_reports(ctx, code: str) -> None:
    unit = ctx.counties[code]
    officer, hq_expert, hq_head = ctx.users[f"{code}.pr"], ctx.users["hq.expert"], ctx.users["hq.head"]
    if UnitReport.objects.filter(unit=unit).exists():
        return
    problems: dict[str, UnitReport] = {}
    for kind, source, urgency, subject, description, fate in DEMO_REPORTS:
        solves = problems.get(fate) if kind == Kind.SOLUTION else None
        report = services.report_create(unit=unit, by=officer, kind=kind, source=source, urgency=urgency,
                                        subject=subject, description=description, solves=solves,
                                        send=fate != "draft")
        problems[subject] = report
        if fate in ("acknowledged", "closed"):
            move(report, "acknowledge", by=hq_expert, comment="گزارش دیده شد؛ از پیگیری شما سپاسگزاریم.")
        if fate == "action":
            move(report, "act", by=hq_head, comment="موضوع در جلسه معاونت مطرح و پیگیری می‌شود.",
                 followup_by=hq_expert, followup_due=timezone.localdate() + dt.timedelta(days=10))
        if fate == "closed":
            move(report, "archive", by=hq_expert, closing_note="اعتبار ساخت پل در بودجه سال آینده دیده شد.")


def _seed_profile(ctx, code: str, state: str) -> None:
    unit = ctx.counties[code]
    if UnitProfile.objects.filter(unit=unit).exists():
        return
    officer = ctx.users[f"{code}.pr"]
    profile = profile_services.profile_start(unit=unit, by=officer)
    profile_services.profile_update(
        profile=profile, by=officer, photos=[_photo(1, (90, 150, 190)), _photo(2, (140, 170, 120))],
        captions="ساختمان اداره",
        history=f"{unit.name} در سال ۱۳۶۵ با هدف ساخت و نگهداری راه‌های شهرستان {unit.city} آغاز به کار کرد.",
        mission="ساخت، نگهداری و ایمنی راه‌های شهرستان؛ نظارت بر ساخت‌وساز و طرح‌های مسکن؛ خدمات املاک و اراضی.",
        services="صدور پروانه و مجوزهای راه\nپاسخگویی به درخواست‌ها و شکایات مردمی\nنوبت‌دهی اینترنتی واحد املاک\n"
                 "راهداری زمستانی و امداد جاده‌ای",
        address=f"{unit.city}، بلوار امام خمینی، ساختمان اداره راه و شهرسازی", phones="۰۷۱-۴۳۳۳۰۰۰۰ و ۱۴۱",
        hours="شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰", manager_name=ctx.users[f"{code}.manager"].full_name,
        website="", submit=state in ("submitted", "acknowledged"))
    if state == "acknowledged":
        move(profile, "approve", by=ctx.users["hq.expert"],
             review_comment="معرفی‌نامه کامل است و در صفحه عمومی منتشر شد.")
        # A second version being prepared, so the version history shows.
        profile_services.profile_start(unit=unit, by=officer)


@transaction.atomic
def seed_demo(ctx) -> None:
    for code in DEMO_COUNTIES:
        _seed_reports(ctx, code)
    _seed_profile(ctx, "marvdasht", "acknowledged")
    _seed_profile(ctx, "kazerun", "submitted")


BENCH_PER_UNIT_MONTH = 4
BENCH_BATCH = 1000


def seed_bench(ctx) -> None:
    """About four problems and solutions a month per unit over the years, most answered by HQ,
    and one acknowledged profile per unit."""
    units = ctx.units
    months = 12 * ctx.years
    target = len(units) * months * BENCH_PER_UNIT_MONTH
    if UnitReport.objects.filter(unit__in=units).count() >= target:
        return
    rng, now = ctx.rng, timezone.now()
    created_field = UnitReport._meta.get_field("created_at")
    # bulk_create would stamp every row "now"; the benchmark needs years of history.
    created_field.auto_now_add = False
    try:
        batch: list[UnitReport] = []
        for unit in units:
            author = ctx.officer_by_unit[unit.pk]
            for _ in range(months * BENCH_PER_UNIT_MONTH):
                kind, source, urgency, subject, description, _fate = rng.choice(DEMO_REPORTS)
                age = rng.randint(0, 30 * months)
                created = now - dt.timedelta(days=age, minutes=rng.randint(0, 600))
                report = UnitReport(unit=unit, kind=kind, source=source, urgency=urgency, subject=subject,
                                    description=description, created_by=author, created_at=created,
                                    search_key=subject, state=State.DRAFT)
                if age > 2 or rng.random() < 0.7:
                    report.state, report.sent_at = State.SENT, created + dt.timedelta(hours=1)
                    if age > 14:
                        report.state = rng.choice((State.ACKNOWLEDGED, State.CLOSED, State.ACTION))
                        report.answered_by, report.answered_at = ctx.hq_expert, created + dt.timedelta(days=2)
                        if report.state == State.ACTION:
                            report.followup_by = ctx.hq_expert
                            report.followup_due = (created + dt.timedelta(days=20)).date()
                batch.append(report)
                if len(batch) >= BENCH_BATCH:
                    UnitReport.objects.bulk_create(batch)
                    batch = []
        UnitReport.objects.bulk_create(batch)
    finally:
        created_field.auto_now_add = True
    profiles = []
    for unit in units:
        if not UnitProfile.objects.filter(unit=unit).exists():
            profiles.append(UnitProfile(
                unit=unit, version=1, state=ProfileState.ACKNOWLEDGED, mission="مأموریت اداره در آزمون بار",
                address=unit.address or unit.city, phones=unit.phone or "۰۷۱۰۰۰۰۰۰۰۰", manager_name="رئیس اداره",
                created_by=ctx.officer_by_unit[unit.pk], submitted_at=now, reviewed_by=ctx.hq_expert,
                reviewed_at=now))
    UnitProfile.objects.bulk_create(profiles)
