"""What the news part declares: its pages per instruction item, home entries, indicators, report section."""

from django.db.models import Count
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
from ravabet.lib.workdays import is_working_day
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role

from .models import SENT_STATES, News, NewsKind, NewsState

register_feature(
    Feature(key="news.mine", title="اخبار روزانه واحد (متنی و تصویری)", url_name="news:mine", items=("B5", "B3"),
            roles=UNIT_ROLES),
    Feature(key="news.create", title="نوشتن خبر، فعالیت یا دستاورد", url_name="news:create",
            items=("B3", "B2", "B5"), roles=UNIT_ROLES),
    Feature(key="news.desk", title="میز خبر اداره کل (بررسی، ویرایش، انتشار)", url_name="news:desk",
            items=("B3", "B2"), roles=HQ_ROLES),
    Feature(key="news.daily", title="ارسال روزانه خبر واحدها", url_name="news:daily", items=("B5",), roles=HQ_ROLES),
    Feature(key="news.daily_month", title="جدول ماهانه ارسال خبر", url_name="news:daily_month", items=("B5",),
            roles=HQ_ROLES),
    Feature(key="news.public", title="اخبار (درگاه عمومی و خوراک RSS)", url_name="news:public_list",
            items=("B2", "B3"), roles=HQ_ROLES | UNIT_ROLES, public=True),
    Feature(key="news.photos", title="عکس‌های خبر با گزارش قواعد عکس", url_name="news:mine", items=("F3",),
            roles=UNIT_ROLES, in_nav=False),
)


@register_todo
def news_todo(access, unit) -> list[HomeEntry]:
    counts = dict(News.objects.filter(unit=unit, state__in=[NewsState.DRAFT, NewsState.RETURNED,
                                                             NewsState.MANAGER_REVIEW])
                  .values_list("state").annotate(n=Count("pk")))
    mine = reverse("news:mine")
    entries = []
    if counts.get(NewsState.RETURNED):
        entries.append(HomeEntry(title="خبرهای برگشتی برای اصلاح", url=f"{mine}?state=returned",
                                 count=counts[NewsState.RETURNED], level="danger"))
    if counts.get(NewsState.DRAFT):
        entries.append(HomeEntry(title="پیش‌نویس‌های خبر", url=f"{mine}?state=draft", count=counts[NewsState.DRAFT]))
    if counts.get(NewsState.MANAGER_REVIEW) and access.has_role(unit, {Role.UNIT_MANAGER}):
        entries.append(HomeEntry(title="دستاوردهای منتظر تأیید رئیس اداره", url=f"{mine}?state=manager_review",
                                 count=counts[NewsState.MANAGER_REVIEW], level="warning"))
    today = jalali.today()
    if is_working_day(today) and not News.objects.filter(unit=unit, sent_on=today, photo_count__gt=0,
                                                         state__in=SENT_STATES).exists():
        entries.append(HomeEntry(title="خبر امروز هنوز فرستاده نشده", url=reverse("news:create"), level="warning",
                                 detail="خبر متنی و تصویری روزانه (بند B5)"))
    return entries


@register_review
def news_review(access) -> list[HomeEntry]:
    if not access.is_hq:
        return []
    counts = dict(News.objects.filter(unit__in=access.unit_ids(HQ_ROLES), state=NewsState.SUBMITTED)
                  .values_list("kind").annotate(n=Count("pk")))
    desk = reverse("news:desk")
    entries = []
    total = sum(counts.values())
    if total:
        entries.append(HomeEntry(title="خبرهای رسیده برای بررسی", url=f"{desk}?state=submitted", count=total,
                                 level="warning"))
    if counts.get(NewsKind.ACHIEVEMENT) and access.is_hq_head():
        entries.append(HomeEntry(title="دستاوردهای منتظر تأیید رئیس روابط عمومی",
                                 url=f"{desk}?state=submitted&kind=achievement", count=counts[NewsKind.ACHIEVEMENT],
                                 level="danger"))
    return entries


def _sent(unit, start, end):
    return News.objects.filter(unit=unit, sent_on__range=(start, end), state__in=SENT_STATES)


@register_indicator("B5", "روزهایی که خبر متنی و تصویری فرستاده شد")
def daily_news_days(unit, start, end) -> int:
    return _sent(unit, start, end).filter(photo_count__gt=0).values("sent_on").distinct().count()


@register_indicator("B3", "خبرها و فعالیت‌های فرستاده‌شده به اداره کل")
def sent_news_count(unit, start, end) -> int:
    return _sent(unit, start, end).count()


@register_indicator("B2", "دستاوردهای منتشرشده")
def published_achievements(unit, start, end) -> int:
    return News.objects.filter(unit=unit, kind=NewsKind.ACHIEVEMENT, state=NewsState.PUBLISHED,
                               **jalali.in_days("published_at", start, end)).count()


@register_report_section("news", "اخبار و دستاوردها", order=30, items=("B2", "B3", "B5"))
def news_report(unit, start, end) -> dict:
    sent = list(_sent(unit, start, end).select_related("cover").order_by("news_date", "pk"))
    by_kind = {kind: 0 for kind in NewsKind.values}
    for news in sent:
        by_kind[news.kind] += 1
    published = [n for n in sent if n.state == NewsState.PUBLISHED]
    return {
        "counts": [[NewsKind(kind).label, count] for kind, count in by_kind.items()]
        + [["منتشرشده در درگاه", len(published)],
           ["روزهای دارای خبر روزانه", len({n.sent_on for n in sent if n.photo_count})]],
        "table": {"headers": ["تاریخ", "نوع", "تیتر", "وضعیت"],
                  "rows": [[jalali.format_date(n.news_date), n.get_kind_display(), n.title, n.get_state_display()]
                           for n in sent]},
        "highlights": [n.title for n in sent if n.kind == NewsKind.ACHIEVEMENT][:10],
        "photos": [n.cover.image.url for n in published if n.cover and n.cover.image][:6],
    }
