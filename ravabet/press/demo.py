"""Demo media directory, requests in every state, journalist visits, contacts and monitored press items."""

import datetime as dt

from django.utils import timezone

from . import services
from .models import (
    ItemState,
    Outlet,
    OutletKind,
    Party,
    PressItem,
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
            services.request_decide(request=request, by=hq_head, decision=RequestState.MORE_INFO,
                                    note="محورهای پرسش‌ها و فهرست خبرنگاران دعوت‌شده را بفرستید.")
        elif story == "rejected":
            services.request_decide(request=request, by=hq_head, decision=RequestState.REJECTED,
                                    note="این موضوع را اداره کل در نشست استانی پاسخ می‌دهد.")
        elif story in ("approved", "done"):
            services.request_decide(request=request, by=hq_head, decision=RequestState.APPROVED,
                                    note="با هماهنگی زمان با روابط عمومی اداره کل انجام شود.")
            if story == "done":
                services.request_done(request=request, by=officer, report="گزارش در بخش خبری ساعت ۱۴ پخش شد.",
                                      link="https://example.ir/news/radio-report")
    services.visit_record(unit=unit, by=officer, journalist=journalists[0], arrived_at=now,
                                    purpose="تهیه گزارش از روند بازسازی جاده سیل‌زده", coordinated_with_hq=True)
    done = services.visit_record(unit=unit, by=officer, journalist=journalists[1],
                                 arrived_at=now - dt.timedelta(days=6), purpose="گفت‌وگو درباره طرح‌های نیمه‌تمام")
    services.visit_permit(visit=done, by=officer, granted=True, given_by="مهدی کشاورز",
                          at=now - dt.timedelta(days=6), note="با حضور مسئول روابط عمومی انجام شود.")
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
        if state != ItemState.NEW:
            services.item_review(item=item, by=officer, decision=state,
                                 note="شهروندان از ترافیک ورودی شهر گله دارند؛ پیشنهاد بازدید میدانی."
                                 if state == ItemState.COMPLAINT else "")
