"""How HQ measures visits to the places the office covers (D6) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import State, Visit

declare(
    Measure(item="D6", label="بازدید انجام‌شده از محیط‌های تحت پوشش", model=Visit, date="done_on",
            done=Q(state=State.DONE), target=Decimal(2)),
)
