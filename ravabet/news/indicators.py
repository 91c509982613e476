"""How HQ measures the news items (B2, B3, B5) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import SENT_STATES, News, NewsKind, NewsState

SENT = Q(state__in=[s for s in SENT_STATES if s != NewsState.RETURNED])

declare(
    Measure(item="B5", label="روزهای کاری با خبر متنی و تصویری فرستاده‌شده", model=News, date="sent_on",
            done=SENT & Q(photo_count__gt=0), per="day", target=Decimal(1), target_per="working_day",
            quality=True, title="title", note="هر روز کاری دست‌کم یک خبر با عکس؛ روزهای بی‌خبر کسر می‌شوند."),
    Measure(item="B3", label="خبر و فعالیت فرستاده‌شده به اداره کل", model=News, date="sent_on", done=SENT,
            target=Decimal(15), quality=True, title="title"),
    Measure(item="B2", label="دستاورد منتشرشده", model=News, date="published_at",
            done=Q(kind=NewsKind.ACHIEVEMENT, state=NewsState.PUBLISHED), target=Decimal(1), quality=True,
            title="title"),
)
