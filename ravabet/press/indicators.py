"""How HQ measures the media items (C1-C4, D1) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import (
    ContactLog,
    ItemState,
    JournalistVisit,
    MediaRequest,
    PressItem,
    RequestKind,
    RequestState,
    VisitState,
)

# A request counts once HQ has decided on it (approved, done or rejected), not while it waits.
DECIDED = Q(state__in=[RequestState.APPROVED, RequestState.DONE, RequestState.REJECTED])

declare(
    Measure(item="C1", label="درخواست مجوز مصاحبه و تهیه خبر بررسی‌شده در اداره کل", model=MediaRequest,
            date="submitted_at", done=DECIDED & Q(kind__in=[RequestKind.INTERVIEW, RequestKind.NEWS]),
            target=Decimal(1), title="subject"),
    Measure(item="C2", label="هماهنگی مصاحبه، نشست خبری و گزارش مسئولان با اداره کل", model=MediaRequest,
            date="submitted_at", done=DECIDED, target=Decimal(1), title="subject"),
    Measure(item="C3", label="مراجعه خبرنگار با مجوز تلفنی ثبت‌شده", model=JournalistVisit, date="arrived_at",
            done=~Q(state=VisitState.WAITING), target=Decimal(0), title="journalist_name"),
    Measure(item="C4", label="ارتباط درون و برون‌سازمانی ثبت‌شده", model=ContactLog, date="contacted_at",
            target=Decimal(2), title="subject"),
    Measure(item="D1", label="مطلب مطبوعات بررسی‌شده", model=PressItem, date="reviewed_at",
            done=~Q(state=ItemState.NEW), target=Decimal(4), title="title"),
)
