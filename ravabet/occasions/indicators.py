"""How HQ measures the occasion items (E1-E3) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import ACTIVITY_ITEM, Activity, ContentState, OccasionContent


def _kinds(item):
    return [kind for kind, code in ACTIVITY_ITEM.items() if code == item]


declare(
    Measure(item="E1", label="شرکت در مراسم و راهپیمایی", model=Activity, date="date",
            done=Q(kind__in=_kinds("E1")), target=Decimal(1)),
    Measure(item="E2", label="برنامه ترویج فرهنگ اسلامی و اخلاق اداری", model=Activity, date="date",
            done=Q(kind__in=_kinds("E2")), target=Decimal(1)),
    Measure(item="E3", label="محتوای مناسبتی پذیرفته یا به‌کاررفته در اداره کل", model=OccasionContent,
            date="sent_at", done=Q(state__in=[ContentState.SENT, ContentState.ACKNOWLEDGED, ContentState.USED]),
            target=Decimal(1), quality=True),
)
