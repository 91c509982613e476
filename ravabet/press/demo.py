"""Demo media directory, requests in every state, journalist visits, contacts and monitored press items."""

import datetime as dt

from django.utils import timezone

from ravabet.workflow.engine import move

from . import services
from .models import (
    ItemState,
    Outlet,
    OutletKind,
    Party,
    PressItem,
    PressSource,
    RequestKind,
    RequestState,
    Scope,
    SourceKind,
)

DEMO_COUNTIES = ("marvdasht", "kazerun")
OUTLETS = [("روزنامه خبر جنوب", OutletKind.NEWSPAPER, Scope.PROVINCIAL, "071-32330000"),
           ("خبرگزاری ایرنا — دفتر فارس", OutletKind.AGENCY, Scope.NATIONAL, "071-32340000"),
           ("صدا و سیمای مرکز فارس", OutletKind.BROADCAST, Scope.PROVINCIAL, "071-36270000"),
           ("پایگاه خبری {city} امروز", OutletKind.WEBSITE, Scope.LOCAL, "")]
JOURNALISTS = [("سارا محمدی", 0, "خبرنگار", "09171110001"), ("امیر حسینی", 1, "دبیر سرویس استان", "09171110002"),
               ("نرگس رحیمی", 2, "خبرنگار تلویزیون", "09171110003")]
# (kind, subject, outlet index, days ahead, story)
REQUESTS = [
    (RequestKind.INTERVIEW, "مصاحبه رئیس اداره درباره پیشرفت کمربندی شهر", 0, 3, "submitted"),
    (RequestKind.NEWS, "تهیه گزارش خبری از افتتاح پل روستایی", 1, 5, "approved"),
    (RequestKind.CONFERENCE, "نشست خبری آغاز طرح ایمن‌سازی جاده‌ها", 2, 7, "more_info"),
    (RequestKind.OFFICIAL_REPORT, "گزارش رادیویی معاون اداره از بارندگی‌ها", 2, 1, "done"),
    (RequestKind.INTERVIEW, "گفت‌وگوی شبکه اجتماعی درباره قیمت زمین", 3, 2, "rejected"),
]
ITEMS = [("گلایه اهالی {city} از خاکی بودن جاده روستا", "new"),
         ("افتتاح دو طرح راهسازی در {city} با حضور استاندار", "relevant"),
         ("ترافیک سنگین ورودی {city} در روزهای تعطیل؛ شهروندان گله‌مندند", "complaint"),
         ("برگزاری نمایشگاه کتاب در {city}", "ignored")]


def seed_demo(ctx) -> None:
    hq_head = ctx.users.get("hq.head")
    for code in DEMO_COUNTIES:
        unit = ctx.counties[code]
        officer = ctx.users.get(f"{code}.pr")
        if officer is None or hq_head is None or Outlet.objects.filter(unit=unit).exists():
            continue  # already seeded (or the county has no staff): running twice adds nothing
        _seed_unit(unit, officer, hq_head)


def _seed_unit(unit, officer, hq_head) -> None:
    now = timezone.now()
    outlets = [services.outlet_save(unit=unit, by=officer, name=name.format(city=unit.city), kind=kind, scope=scope,
                                    phone=phone) for name, kind, scope, phone in OUTLETS]
    journalists = [services.journalist_save(unit=unit, by=officer, full_name=name, outlet=outlets[index],
                                            position=position, mobile=mobile)
                   for name, index, position, mobile in JOURNALISTS]
    for kind, subject, index, days, story in REQUESTS:
        request = services.request_submit(
            unit=unit, by=officer, kind=kind, subject=subject, outlet=outlets[index],
            journalist=journalists[index] if index < len(journalists) else None,
            proposed_at=now + dt.timedelta(days=days), officials="رئیس اداره، معاون فنی")
        if story == "more_info":
            move(request, "ask_more", by=hq_head,
                 decision_note="محورهای پرسش‌ها و فهرست خبرنگاران دعوت‌شده را بفرستید.")
        elif story == "rejected":
            move(request, "reject", by=hq_head, decision_note="این موضوع را اداره کل در نشست استانی پاسخ می‌دهد.")
        elif story in ("approved", "done"):
            move(request, "approve", by=hq_head, decision_note="با هماهنگی زمان با روابط عمومی اداره کل انجام شود.")
            if story == "done":
                move(request, "record_done", by=officer, done_report="گزارش در بخش خبری ساعت ۱۴ پخش شد.",
                     done_link="https://example.ir/news/radio-report")
    services.visit_record(unit=unit, by=officer, journalist=journalists[0], arrived_at=now,
                                    purpose="تهیه گزارش از روند بازسازی جاده سیل‌زده", coordinated_with_hq=True)
    done = services.visit_record(unit=unit, by=officer, journalist=journalists[1],
                                 arrived_at=now - dt.timedelta(days=6), purpose="گفت‌وگو درباره طرح‌های نیمه‌تمام")
    move(done, "permit", by=hq_head, permit_note="با حضور مسئول روابط عمومی انجام شود.")
    services.visit_outcome(visit=done, by=officer, outcome="مصاحبه با معاون فنی انجام و خبر فردا منتشر شد.")
    services.contact_record(unit=unit, by=officer, contacted_at=now - dt.timedelta(days=2), party=Party.LOCAL_OFFICE,
                            party_name="فرمانداری", subject="هماهنگی بازدید نوروزی از طرح‌ها")
    services.contact_record(unit=unit, by=officer, contacted_at=now - dt.timedelta(days=1), party=Party.BROADCASTER,
                            party_name="صدا و سیمای مرکز فارس", subject="پخش گزارش بازگشایی جاده",
                            hq_coordination="با هماهنگی آقای کشاورز، رئیس روابط عمومی اداره کل")
    for word in (unit.city, "جاده", "راهسازی"):
        services.keyword_add(unit=unit, by=officer, text=word)
    source = services.source_save(unit=unit, by=officer, name="روزنامه خبر جنوب (خوراک)", kind=SourceKind.LOCAL,
                                  url=f"https://example.ir/rss/{unit.code}.xml")
    for number, (title, state) in enumerate(ITEMS, start=1):
        item = PressItem.objects.create(unit=unit, source=source, title=title.format(city=unit.city),
                                        link=f"https://example.ir/news/{unit.code}/{number}",
                                        summary="متن کوتاه مطلب از خوراک روزنامه.", matched=unit.city,
                                        published_at=now - dt.timedelta(hours=number * 5))
        if state == ItemState.COMPLAINT:
            move(item, "forward_complaint", by=officer,
                 note="شهروندان از ترافیک ورودی شهر گله دارند؛ پیشنهاد بازدید میدانی.")
        elif state != ItemState.NEW:
            move(item, REVIEW_STEPS[state], by=officer)


REVIEW_STEPS = {ItemState.RELEVANT: "mark_relevant", ItemState.IGNORED: "mark_ignored"}
BENCH_ITEMS_PER_UNIT = 2000
BENCH_REQUESTS_PER_UNIT = 120
BATCH = 1000


def seed_bench(ctx) -> None:
    """Five years of a province's press work: per unit 120 requests, 60 visits, 120 contacts, 2,000 press items."""
    from ravabet.lib.text import search_key

    from .models import ContactLog, JournalistVisit, MediaRequest, VisitState

    units = ctx.units
    if PressItem.objects.filter(unit__in=units).count() >= BENCH_ITEMS_PER_UNIT * len(units):
        return
    rng, now, days = ctx.rng, timezone.now(), 365 * ctx.years
    states = [RequestState.DONE] * 6 + [RequestState.APPROVED, RequestState.REJECTED, RequestState.SUBMITTED,
                                        RequestState.MORE_INFO]
    fetched = PressItem._meta.get_field("fetched_at")
    fetched.auto_now_add = False  # bulk_create would stamp every row "now"; the benchmark needs history
    try:
        for unit in units:
            officer = ctx.officer_by_unit[unit.pk]
            outlet, _ = Outlet.objects.get_or_create(unit=unit, name_key=search_key("روزنامه آزمون"), defaults={
                "name": "روزنامه آزمون", "kind": OutletKind.NEWSPAPER, "scope": Scope.LOCAL})
            source, _ = PressSource.objects.get_or_create(unit=unit, url=f"https://example.ir/bench/{unit.pk}.xml",
                                                          defaults={"name": "خوراک آزمون"})
            requests, visits, contacts, items = [], [], [], []
            for n in range(BENCH_REQUESTS_PER_UNIT):
                when = now - dt.timedelta(days=rng.randint(0, days), minutes=rng.randint(0, 600))
                requests.append(MediaRequest(unit=unit, kind=rng.choice(RequestKind.values), outlet=outlet,
                                             subject=f"درخواست آزمون {n}", proposed_at=when + dt.timedelta(days=2),
                                             state=rng.choice(states), created_by=officer, submitted_at=when,
                                             decided_by=ctx.hq_expert, decided_at=when + dt.timedelta(hours=3)))
                contacts.append(ContactLog(unit=unit, contacted_at=when, party=Party.LOCAL_OFFICE,
                                           party_name="فرمانداری", subject="هماهنگی آزمون", recorded_by=officer))
                if n % 2:
                    visits.append(JournalistVisit(unit=unit, journalist_name="خبرنگار آزمون", arrived_at=when,
                                                  purpose="گزارش آزمون", state=VisitState.PERMITTED,
                                                  recorded_by=officer, permit_given_by="کارشناس", permit_at=when))
            for n in range(BENCH_ITEMS_PER_UNIT):
                when = now - dt.timedelta(days=rng.randint(0, days), minutes=rng.randint(0, 600))
                items.append(PressItem(unit=unit, source=source, title=f"مطلب آزمون {n} درباره جاده",
                                       link=f"https://example.ir/bench/{unit.pk}/{n}", matched="جاده",
                                       fetched_at=when, published_at=when,
                                       state=ItemState.NEW if n % 10 == 0 else rng.choice(
                                           [ItemState.IGNORED, ItemState.RELEVANT, ItemState.COMPLAINT]),
                                       reviewed_at=None if n % 10 == 0 else when + dt.timedelta(hours=5)))
            MediaRequest.objects.bulk_create(requests, batch_size=BATCH)
            ContactLog.objects.bulk_create(contacts, batch_size=BATCH)
            JournalistVisit.objects.bulk_create(visits, batch_size=BATCH)
            PressItem.objects.bulk_create(items, batch_size=BATCH, ignore_conflicts=True)
    finally:
        fetched.auto_now_add = True
