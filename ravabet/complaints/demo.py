"""Demo cases in every state for the demo counties, and 100,000+ cases for the benchmark."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.lib.text import search_key
from ravabet.lib.workdays import add_working_days
from ravabet.offices.models import Person
from ravabet.workflow.engine import move

from . import services
from .models import Answer, Case, Channel, Kind, State, UnitCaseSettings
from .tracking import new_code

# (code suffix, kind, channel, subject, text, citizen name, mobile, what happens to it)
DEMO_CASES = [
    (1, Kind.COMPLAINT, Channel.WEB, "چاله‌های خطرناک جاده روستای خیرآباد",
     "در کیلومتر ۱۲ جاده روستای خیرآباد چند چاله بزرگ هست که شب‌ها دیده نمی‌شود و دو خودرو آسیب دیده‌اند.",
     "علی رضایی", "09121234501", "received"),
    (2, Kind.REQUEST, Channel.WEB, "درخواست نصب تابلو سرعت‌گیر کنار مدرسه",
     "کنار دبستان شهید بهشتی خودروها با سرعت زیاد می‌گذرند؛ خواهشمندیم تابلو و سرعت‌گیر نصب شود.",
     "مریم احمدی", "09171234502", "referred_head"),
    (3, Kind.CRITICISM, Channel.PHONE, "کندی رسیدگی به پرونده سند زمین",
     "پرونده سند زمین اینجانب سه ماه است بی‌پاسخ مانده و هر بار به اتاق دیگری ارجاع می‌شوم.",
     "حسین کریمی", "09131234503", "referred_staff"),
    (4, Kind.COMPLAINT, Channel.IN_PERSON, "آب‌گرفتگی زیرگذر ورودی شهر",
     "با هر بارندگی زیرگذر ورودی شهر پر از آب می‌شود و رفت‌وآمد بسته می‌شود.",
     "رضا موسوی", "09151234504", "answered"),
    (5, Kind.SUGGESTION, Channel.MAILBOX, "پیشنهاد نوبت‌دهی اینترنتی",
     "پیشنهاد می‌کنم برای مراجعه به واحد املاک نوبت‌دهی اینترنتی راه‌اندازی شود تا صف‌ها کوتاه شود.",
     "", "", "closed"),
    (6, Kind.COMPLAINT, Channel.WEB, "روشنایی نداشتن گردنه کوهستانی",
     "چراغ‌های گردنه کوهستانی مسیر روستا یک ماه است خاموش است و رانندگی شبانه خطرناک شده است.",
     "زهرا جعفری", "09361234506", "reopened"),
    (7, Kind.REQUEST, Channel.EMAIL, "درخواست لایروبی آبروی کنار جاده",
     "آبروی کنار جاده اصلی پر از خاک و زباله است و با باران آب روی جاده می‌آید.",
     "سعید نوروزی", "09191234507", "overdue"),
    (8, Kind.COMPLAINT, Channel.WEB, "خاکبرداری رهاشده در کوچه",
     "پیمانکار خاکبرداری کوچه را نیمه‌کاره رها کرده و مسیر عبور ساکنان بسته است.",
     "لیلا صادقی", "09171234508", "due_soon"),
    (9, Kind.COMPLAINT, Channel.PRESS, "گلایه مردم از ترافیک میدان اصلی در روزنامه",
     "روزنامه محلی از گلایه شهروندان درباره ترافیک سنگین میدان اصلی و نبود چراغ راهنمایی خبر داده است.",
     "", "", "press"),
    (10, Kind.COMPLAINT, Channel.HQ_FORWARD, "شکایت منتشرشده درباره تأخیر در ساخت پل",
     "یک پایگاه خبری استانی از تأخیر دوساله در ساخت پل روستایی و گلایه اهالی خبر داده است.",
     "", "", "hq_forward"),
    (11, Kind.THANKS, Channel.WEB, "قدردانی از ترمیم سریع جاده",
     "از رسیدگی سریع کارکنان راهداری به ترمیم جاده پس از سیل صمیمانه سپاسگزاریم.",
     "مجید باقری", "09121234511", "thanks"),
    (12, Kind.REPORT, Channel.PHONE, "گزارش ریزش سنگ در محور کوهستانی",
     "ساعت ۷ صبح امروز سنگ‌های بزرگی روی محور کوهستانی ریخته و یک خط جاده بسته شده است.",
     "", "09351234512", "received"),
    (13, Kind.COMPLAINT, Channel.WEB, "دوباره: چاله‌های جاده روستای خیرآباد",
     "همان چاله‌های کیلومتر ۱۲ جاده خیرآباد که پیش‌تر گزارش دادم؛ دوباره می‌نویسم.",
     "علی رضایی", "09121234501", "closed_unanswered"),
    (14, Kind.COMPLAINT, Channel.WEB, "چاله‌های جاده خیرآباد",
     "چند چاله بزرگ در کیلومتر ۱۲ جاده روستای خیرآباد هست که شب دیده نمی‌شود.",
     "فاطمه رحیمی", "09121234514", "merged"),
    (15, Kind.REQUEST, Channel.WEB, "درخواست رنگ‌آمیزی خط عابر پیاده",
     "خط عابر پیاده جلوی درمانگاه پاک شده است؛ خواهشمندیم دوباره رنگ‌آمیزی شود.",
     "نرگس حیدری", "09121234515", "pending_review"),
]
DEMO_COUNTIES = ("marvdasht", "kazerun")


def _demo_code(county_index: int, number: int) -> str:
    # Fixed codes make the demo idempotent and easy to try on the tracking page.
    return f"1405{county_index:04d}{number:04d}"


@transaction.atomic
def seed_demo(ctx) -> None:
    hq_expert = ctx.users.get("hq.expert")
    for county_index, code in enumerate(DEMO_COUNTIES, start=1):
        unit = ctx.counties[code]
        officer, manager = ctx.users.get(f"{code}.pr"), ctx.users.get(f"{code}.manager")
        if officer is None or manager is None:
            continue
        for number, kind, channel, subject, text, name, mobile, story in DEMO_CASES:
            tracking = _demo_code(county_index, number)
            if Case.objects.filter(tracking_code=tracking).exists():
                continue
            case = _play(story, unit=unit, officer=officer, manager=manager, hq_expert=hq_expert, kind=kind,
                         channel=channel, subject=subject, text=text, name=name, mobile=mobile)
            Case.objects.filter(pk=case.pk).update(tracking_code=tracking)


def _play(story, *, unit, officer, manager, hq_expert, kind, channel, subject, text, name, mobile) -> Case:
    today = jalali.today()
    if story == "press":
        return services.press_register(unit=unit, by=officer, kind=kind, subject=subject, text=text,
                                       press_outlet="روزنامه خبر جنوب", press_date=today - dt.timedelta(days=1),
                                       press_page="۴", press_link="https://example.ir/news/1405/traffic")
    if story == "hq_forward":
        return services.hq_forward(unit=unit, by=hq_expert, deadline=add_working_days(today, 5), kind=kind,
                                   subject=subject, text=text, press_outlet="پایگاه خبری فارس امروز",
                                   press_link="https://example.ir/news/1405/bridge")
    fields = {"unit": unit, "kind": kind, "subject": subject, "text": text, "citizen_name": name,
              "citizen_mobile": mobile}
    case = services.case_submit(**fields) if channel == Channel.WEB else \
        services.case_register(by=officer, channel=channel, **fields)
    head = services.head_of(unit)
    if story == "merged":
        # A second citizen writes of the same potholes: merged into the first case (issue 14 §10).
        main = Case.objects.filter(unit=unit, subject=DEMO_CASES[0][3]).order_by("pk").first()
        if main is not None:
            move(case, "merge", by=officer, main_case=main, merge_note="همان چاله‌های خیرآباد")
    elif story == "pending_review":
        # The office has its PR officer review staff answers (issue 14 §9); an employee's draft waits.
        staff = Person.objects.filter(unit=unit, user__isnull=False, is_active=True).exclude(
            user__in=[officer, manager]).order_by("pk").first()
        if staff is not None:
            UnitCaseSettings.objects.update_or_create(unit=unit, defaults={"review_staff_answers": True})
            move(case, "refer", by=officer, person=staff)
            move(case, "submit_draft", by=staff.user, answer="خط عابر پیاده هفته آینده رنگ‌آمیزی می‌شود.")
    elif story == "referred_head":
        move(case, "refer", by=officer, person=head, referral_note="لطفاً دستور بررسی میدانی بدهید.")
    elif story == "referred_staff":
        person = Person.objects.filter(unit=unit, user__isnull=True, is_active=True).order_by("pk").first() or head
        move(case, "refer", by=officer, person=person)
    elif story in ("answered", "closed", "reopened", "thanks"):
        move(case, "refer", by=officer, person=head)
        move(case, "answer", by=manager, answer=(
            "با سپاس از گزارش شما، موضوع در بازدید میدانی بررسی شد و گروه راهداری تا پایان هفته آن را رفع می‌کند."
            if story != "thanks" else "از لطف و همراهی شما سپاسگزاریم."))
        if story in ("closed", "thanks"):
            services.case_rate(case=case, rating=5)
            move(case, "close", by=officer)
        elif story == "answered":
            services.case_rate(case=case, rating=4)
        else:
            services.case_rate(case=case, rating=2)
            move(case, "reopen", by=None, objection="هنوز چراغ‌ها خاموش است و مشکلی حل نشده است.")
    elif story == "closed_unanswered":
        move(case, "close_unanswered", by=officer,
             close_reason="تکراری است: همین شکایت پیش‌تر ثبت شده و در دست رسیدگی است؛ پاسخ آن پرونده پیامک می‌شود.")
    elif story == "overdue":
        Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - dt.timedelta(days=25),
                                               deadline=add_working_days(today, -3))
        services.escalate_overdue()
    elif story == "due_soon":
        Case.objects.filter(pk=case.pk).update(deadline=add_working_days(today, 1))
    return case


# Benchmark data ---------------------------------------------------------------------------------------------

BENCH_TARGET = 100_800
BATCH = 5_000
SUBJECTS = [s[3] for s in DEMO_CASES]
TEXTS = [s[4] for s in DEMO_CASES]


def seed_bench(ctx) -> None:
    """About 3,400 cases per unit over the years, most answered, a few still open or overdue."""
    units = ctx.units
    if Case.objects.filter(unit__in=units).count() >= BENCH_TARGET:
        return
    rng = ctx.rng
    now = timezone.now()
    days = 365 * ctx.years
    per_unit = BENCH_TARGET // len(units)
    codes: set[str] = set(Case.objects.values_list("tracking_code", flat=True))
    kinds, channels = Kind.values, [c for c in Channel.values if c != Channel.HQ_FORWARD]
    created_field = Case._meta.get_field("created_at")
    # bulk_create would stamp every row "now"; the benchmark needs five years of history.
    created_field.auto_now_add = False
    try:
        batch: list[tuple[Case, Answer | None]] = []
        for unit in units:
            for _ in range(per_unit):
                age = rng.randint(0, days)
                created = now - dt.timedelta(days=age, minutes=rng.randint(0, 600))
                # Ten working days is about fourteen calendar days; exact arithmetic per row is not needed here.
                deadline = created.date() + dt.timedelta(days=14)
                code = new_code()
                while code in codes:
                    code = new_code()
                codes.add(code)
                subject, text = rng.choice(SUBJECTS), rng.choice(TEXTS)
                case = Case(unit=unit, kind=rng.choice(kinds), channel=rng.choice(channels), subject=subject,
                            text=text, search_key=search_key(f"{subject} {text}"), tracking_code=code,
                            citizen_mobile=f"09{rng.randint(100000000, 399999999)}" if rng.random() < 0.7 else "",
                            citizen_name="شهروند آزمون" if rng.random() < 0.5 else "",
                            deadline=deadline, created_at=created)
                answer = None
                if age > 30 or rng.random() < 0.5:
                    answer_days = rng.randint(1, 20)
                    case.state = State.CLOSED if age > 60 else State.ANSWERED
                    case.answered_at = created + dt.timedelta(days=answer_days)
                    case.answer_working_days = max(1, answer_days * 5 // 7)
                    case.answered_in_time = case.answered_at.date() <= deadline
                    answer = Answer(version=1, text="پاسخ آزمون بار", answered_at=case.answered_at,
                                    working_days=case.answer_working_days, in_time=case.answered_in_time,
                                    rating=rng.randint(1, 5) if rng.random() < 0.4 else None)
                else:
                    case.state = rng.choice([State.RECEIVED, State.REFERRED])
                batch.append((case, answer))
                if len(batch) >= BATCH:
                    _insert(batch)
                    batch = []
        if batch:
            _insert(batch)
    finally:
        created_field.auto_now_add = True


def _insert(batch: list) -> None:
    """Cases, then the answers of those answered (version 1, with the rating when there is one)."""
    Case.objects.bulk_create([case for case, _ in batch])
    answers = []
    for case, answer in batch:
        if answer is not None:
            answer.case = case
            answers.append(answer)
    Answer.objects.bulk_create(answers)
