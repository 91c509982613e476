"""What the press part declares: features (C1-C4, D1), evidence counts, the monthly report
section and the home-page entries."""


from django.db.models import Count, Q
from django.urls import reverse

from ravabet.compliance.registry import (
    Feature,
    HomeEntry,
    register_feature,
    register_indicator,
    register_report_section,
    register_review,
    register_todo,
)
from ravabet.lib import jalali
from ravabet.offices.roles import HQ_ROLES, WORK_ROLES, Role

from .models import (
    ContactLog,
    HeadAction,
    HqCheck,
    ItemState,
    JournalistVisit,
    MediaRequest,
    PressItem,
    RequestKind,
    RequestState,
    VisitState,
)

register_feature(
    Feature(key="press.requests", title="درخواست مجوز مصاحبه و تهیه خبر از اداره کل", url_name="press:request_list",
            items=("C1", "C2"), roles=WORK_ROLES),
    Feature(key="press.visits", title="مراجعه خبرنگاران و مجوز تلفنی", url_name="press:visit_list", items=("C3",),
            roles=WORK_ROLES),
    Feature(key="press.contacts", title="ارتباط‌های درون و برون‌سازمانی", url_name="press:contact_list",
            items=("C4",), roles=WORK_ROLES),
    Feature(key="press.outlets", title="فهرست رسانه‌ها و خبرنگاران", url_name="press:outlet_list",
            items=("C1", "C2", "C3", "C4"), roles=WORK_ROLES),
    Feature(key="press.monitor", title="پایش روزنامه‌ها و پایگاه‌های خبری", url_name="press:item_list", items=("D1",),
            roles=WORK_ROLES),
    Feature(key="press.sources", title="منابع و کلیدواژه‌های پایش مطبوعات", url_name="press:source_list",
            items=("D1",), roles=WORK_ROLES, in_nav=False),
)


# --- Evidence counts (inclusive dates) ----------------------------------------------------------------

def _requests(unit, start, end):
    return MediaRequest.objects.filter(unit=unit, **jalali.in_days("submitted_at", start, end)).exclude(
        state=RequestState.CANCELLED)


@register_indicator("C1", "درخواست‌های مجوز مصاحبه و تهیه خبر فرستاده‌شده به اداره کل")
def count_c1(unit, start, end) -> int:
    return _requests(unit, start, end).filter(kind__in=[RequestKind.INTERVIEW, RequestKind.NEWS]).count()


@register_indicator("C2", "هماهنگی‌های مصاحبه، نشست خبری و گزارش مسئولان با اداره کل")
def count_c2(unit, start, end) -> int:
    return _requests(unit, start, end).count()


@register_indicator("C3", "مراجعه‌های خبرنگاران با مجوز تلفنی ثبت‌شده")
def count_c3(unit, start, end) -> int:
    return JournalistVisit.objects.filter(unit=unit, **jalali.in_days("arrived_at", start, end)).exclude(
        state=VisitState.WAITING).count()


@register_indicator("C4", "ارتباط‌های درون و برون‌سازمانی ثبت‌شده")
def count_c4(unit, start, end) -> int:
    return ContactLog.objects.filter(unit=unit, **jalali.in_days("contacted_at", start, end)).count()


@register_indicator("D1", "مطالب مطبوعات بررسی‌شده")
def count_d1(unit, start, end) -> int:
    return PressItem.objects.filter(unit=unit, **jalali.in_days("reviewed_at", start, end)).count()


# --- Monthly report section ------------------------------------------------------------------------------

@register_report_section("press.media", "رسانه‌ها و پایش مطبوعات", order=50, items=("C1", "C2", "C3", "C4", "D1"))
def press_section(unit, start, end) -> dict:
    requests = _requests(unit, start, end)
    states = dict(requests.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    items = PressItem.objects.filter(unit=unit, **jalali.in_days("fetched_at", start, end)).aggregate(
        found=Count("pk"), reviewed=Count("pk", filter=~Q(state=ItemState.NEW)),
        complaints=Count("pk", filter=Q(state=ItemState.COMPLAINT)))
    rows = list(requests.select_related("outlet").order_by("submitted_at")[:40])
    complaints = PressItem.objects.filter(unit=unit, state=ItemState.COMPLAINT,
                                          **jalali.in_days("reviewed_at", start, end)).select_related("source")[:20]
    return {
        "counts": [["درخواست‌های مجوز به اداره کل", sum(states.values())],
                   ["مجوزهای داده‌شده", states.get(RequestState.APPROVED, 0) + states.get(RequestState.DONE, 0)],
                   ["انجام‌شده", states.get(RequestState.DONE, 0)],
                   ["مراجعه خبرنگاران", JournalistVisit.objects.filter(
                       unit=unit, **jalali.in_days("arrived_at", start, end)).count()],
                   ["ارتباط‌های ثبت‌شده", count_c4(unit, start, end)],
                   ["مطالب یافته در پایش مطبوعات", items["found"]],
                   ["مطالب بررسی‌شده", items["reviewed"]],
                   ["شکایت‌های مطبوعاتی منعکس‌شده به رئیس اداره", items["complaints"]]],
        "table": {"headers": ["تاریخ", "نوع", "موضوع", "رسانه", "وضعیت"],
                  "rows": [[jalali.format_date(r.submitted_at), r.get_kind_display(), r.subject,
                            r.outlet.name if r.outlet else "", r.get_state_display()] for r in rows]} if rows else None,
        "highlights": [f"شکایت در «{item.source.name}»: {item.title}" for item in complaints],
    }


# --- Home pages -------------------------------------------------------------------------------------------

@register_todo
def press_todo(access, unit) -> list[HomeEntry]:
    if not access.has_role(unit, WORK_ROLES):
        return []
    entries = []
    more_info = MediaRequest.objects.filter(unit=unit, state=RequestState.MORE_INFO).count()
    if more_info:
        entries.append(HomeEntry(title="درخواست‌های رسانه‌ای که اداره کل توضیح خواسته", count=more_info,
                                 level="warning", url=reverse("press:request_list") + "?state=more_info"))
    approved = MediaRequest.objects.filter(unit=unit, state=RequestState.APPROVED).count()
    if approved:
        entries.append(HomeEntry(title="مجوزهای رسانه‌ای که گزارش انجامشان ثبت نشده", count=approved,
                                 url=reverse("press:request_list") + "?state=approved"))
    waiting = JournalistVisit.objects.filter(unit=unit, state=VisitState.WAITING).count()
    if waiting:
        entries.append(HomeEntry(title="خبرنگاران در انتظار مجوز تلفنی", count=waiting, level="warning",
                                 url=reverse("press:visit_list") + "?state=waiting"))
    if access.has_role(unit, {Role.UNIT_MANAGER}):
        forwarded = PressItem.objects.filter(unit=unit, state=ItemState.COMPLAINT,
                                             head_action=HeadAction.WAITING).count()
        if forwarded:
            entries.append(HomeEntry(title="شکایت‌های مردمی در مطبوعات که به شما منعکس شد و دستور رسیدگی می‌خواهد",
                                     count=forwarded, level="warning",
                                     url=reverse("press:item_list") + "?state=complaint"))
    new_items = PressItem.objects.filter(unit=unit, state=ItemState.NEW).count()
    if new_items:
        entries.append(HomeEntry(title="مطالب تازه پایش مطبوعات برای بررسی", count=new_items,
                                 url=reverse("press:item_list")))
    return entries


@register_review
def press_review(access) -> list[HomeEntry]:
    units = access.unit_ids(HQ_ROLES)
    entries = []
    submitted = MediaRequest.objects.filter(unit_id__in=units, state=RequestState.SUBMITTED).count()
    if submitted:
        entries.append(HomeEntry(title="درخواست‌های مجوز رسانه‌ای در انتظار تصمیم", count=submitted, level="warning",
                                 url=reverse("press:request_list") + "?state=submitted"))
    waiting = JournalistVisit.objects.filter(unit_id__in=units, state=VisitState.WAITING).count()
    if waiting:
        entries.append(HomeEntry(title="خبرنگاران در انتظار مجوز تلفنی", count=waiting, level="warning",
                                 url=reverse("press:visit_list") + "?state=waiting"))
    # C4: the coordinations counties credit HQ with, waiting for HQ to confirm them.
    awaiting = ContactLog.objects.filter(unit_id__in=units, hq_check=HqCheck.AWAITING).count()
    if awaiting:
        entries.append(HomeEntry(title="ارتباط‌هایی که هماهنگی آن‌ها با اداره کل باید تأیید شود", count=awaiting,
                                 url=reverse("press:contact_list") + "?hq_check=awaiting"))
    return entries
