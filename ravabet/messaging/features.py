"""What the messaging part declares: its features (B1, B6, B7, B8, B10, B11), the evidence
counts per item, its monthly-report section and the home-page entries."""

from django.db.models import Count, Q
from django.urls import reverse

from ravabet.compliance.registry import (
    Feature,
    HomeEntry,
    register_feature,
    register_indicator,
    register_report_section,
    register_todo,
)
from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.offices.roles import ALL_ROLES, HQ_ROLES, WORK_ROLES

from .models import (
    Announcement,
    AnnouncementState,
    CondolenceBanner,
    Delivery,
    DuplicateCheck,
    DuplicateOutcome,
    Kind,
    ReviewState,
    TickerText,
)

register_feature(
    Feature(key="messaging.announcements", title="اطلاعیه به کارکنان (اعلان، ایمیل، پیامک)",
            url_name="messaging:announcement_list", items=("B1", "B6"), roles=WORK_ROLES),
    Feature(key="messaging.inbox", title="اطلاعیه‌های من", url_name="messaging:inbox", items=("B1", "B6"),
            roles=ALL_ROLES),
    Feature(key="messaging.duplicates", title="جلوگیری از پیام تکراری", url_name="messaging:duplicate_list",
            items=("B7",), roles=WORK_ROLES),
    Feature(key="messaging.banners", title="بنر تسلیت", url_name="messaging:banner_list", items=("B8",), roles=WORK_ROLES),
    Feature(key="messaging.tickers", title="متن زیرنویس، تابلو و سربرگ", url_name="messaging:ticker_list",
            items=("B10",), roles=WORK_ROLES),
    Feature(key="messaging.import", title="ورود فهرست کارکنان و شماره‌ها از اکسل", url_name="messaging:staff_import",
            items=("B11",), roles=WORK_ROLES),
    Feature(key="messaging.groups", title="گروه‌های کارکنان", url_name="messaging:group_list", items=("B11",),
            roles=WORK_ROLES),
    Feature(key="messaging.coverage", title="سهم کارکنان با شماره همراه", url_name="messaging:mobile_coverage",
            items=("B11",), roles=HQ_ROLES),
)


# --- Evidence counts (inclusive dates) ----------------------------------------

def _announcements(unit, start, end):
    return Announcement.objects.filter(unit=unit, **jalali.in_days("created_at", start, end)).exclude(
        state=AnnouncementState.CANCELLED)


@register_indicator("B1", "اطلاعیه‌های فرستاده‌شده به کارکنان")
def count_announcements(unit, start, end) -> int:
    return _announcements(unit, start, end).count()


@register_indicator("B6", "اطلاعیه‌های مراسم، برنامه و مناسبت به کارکنان")
def count_event_announcements(unit, start, end) -> int:
    return _announcements(unit, start, end).filter(
        kind__in=[Kind.PROGRAMME, Kind.OCCASION, Kind.CONGRATULATION, Kind.CONDOLENCE]).count()


@register_indicator("B7", "پیام‌های تکراری که جلوگیری یا بررسی شد")
def count_duplicates(unit, start, end) -> int:
    return DuplicateCheck.objects.filter(unit=unit, **jalali.in_days("created_at", start, end)).count()


@register_indicator("B8", "بنرهای تسلیت تأییدشده")
def count_banners(unit, start, end) -> int:
    return CondolenceBanner.objects.filter(unit=unit, **jalali.in_days("approved_at", start, end)).count()


@register_indicator("B10", "متن‌های زیرنویس، تابلو و سربرگ تأییدشده")
def count_tickers(unit, start, end) -> int:
    return TickerText.objects.filter(unit=unit, state=ReviewState.APPROVED,
                                     **jalali.in_days("created_at", start, end)).count()


@register_indicator("B11", "کارکنان با شماره همراه معتبر")
def count_staff_with_mobile(unit, start, end) -> int:
    return Person.objects.filter(unit=unit, is_active=True, mobile__regex=r"^09[0-9]{9}$").count()


# --- Monthly report section ---------------------------------------------------

@register_report_section("messaging.staff", "اطلاع‌رسانی به کارکنان", order=40, items=("B1", "B6", "B7", "B8", "B10"))
def messaging_section(unit, start, end) -> dict:
    announcements = list(_announcements(unit, start, end).annotate(
        read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False))).order_by("created_at")[:40])
    prevented = DuplicateCheck.objects.filter(unit=unit, **jalali.in_days("created_at", start, end)).exclude(
        outcome=DuplicateOutcome.CONFIRMED).count()
    return {
        "counts": [["اطلاعیه‌های فرستاده‌شده", count_announcements(unit, start, end)],
                   ["پیام‌های تکراری جلوگیری‌شده", prevented],
                   ["بنرهای تسلیت", count_banners(unit, start, end)],
                   ["متن‌های زیرنویس و سربرگ تأییدشده", count_tickers(unit, start, end)]],
        "table": {"headers": ["تاریخ", "عنوان", "نوع", "گیرندگان", "خوانده"],
                  "rows": [[jalali.format_date(a.created_at), a.title, a.get_kind_display(), a.recipients_count,
                            a.read] for a in announcements]} if announcements else None,
    }


# --- Home pages ---------------------------------------------------------------
# Texts and banners waiting for someone (returned, submitted, approved but not installed) are on
# every home page through the workflow declarations ("waiting for you"); here only what is not a step.

@register_todo
def messaging_todo(access, unit) -> list[HomeEntry]:
    unread = Delivery.objects.filter(person__user=access.user, channel="in_app", state="sent",
                                     read_at__isnull=True).count()
    if unread:
        return [HomeEntry(title="اطلاعیه‌های نخوانده من", url=reverse("messaging:inbox"), count=unread)]
    return []
