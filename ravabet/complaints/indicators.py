"""How HQ measures the complaint items (D2, D4) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import Case, Channel, State


def _due(today):
    # A case counts once its deadline has passed, or earlier if it was answered; a duplicate merged into
    # another case is answered there and counts once, as that case.
    return (~Q(channel__in=(Channel.PRESS, Channel.HQ_FORWARD)) & ~Q(state=State.MERGED)
            & (Q(deadline__lt=today) | Q(answered_at__isnull=False)))


def _in_time(today):
    # Stamped by the answer steps (Iran's local date of the answer ≤ the deadline then), so no per-row date
    # cast of answered_at (issue 11 §1).
    return Q(answered_in_time=True)


declare(
    Measure(item="D2", label="شکایت‌های سررسیده که به‌موقع پاسخ داده شد", model=Case, date="deadline",
            done=_due, kind="ratio", good=_in_time, target=Decimal(0), title="tracking_code",
            note="سهم شکایت‌های سررسیده در دوره که تا مهلت پاسخ گرفتند؛ شکایت بی‌پاسخِ گذشته از مهلت کسر می‌شود."),
    Measure(item="D4", label="شکایت مطبوعاتی ارجاعی اداره کل که پاسخ داده شد", model=Case, date="answered_at",
            done=Q(forwarded_by_hq=True), target=Decimal(0), title="tracking_code"),
)
