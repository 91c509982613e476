"""How HQ measures the problem and solution reports (B4, D3) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import Kind, State, UnitReport

SENT = ~Q(state=State.DRAFT)

declare(
    Measure(item="B4", label="مشکل و چالش گزارش‌شده به اداره کل", model=UnitReport, date="sent_at",
            done=SENT & Q(kind=Kind.PROBLEM), target=Decimal(1), quality=True, title="subject"),
    Measure(item="D3", label="راهکار حل مشکل گزارش‌شده به اداره کل", model=UnitReport, date="sent_at",
            done=SENT & Q(kind=Kind.SOLUTION), target=Decimal(1), quality=True, title="subject"),
)
