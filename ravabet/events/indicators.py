"""How HQ measures the ceremony items (F2, F4, F5) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import Event, EventState, Guest, SupplyLoan

declare(
    Measure(item="F2", label="مراسم برگزارشده با برنامه اجرایی و مسئول", model=Event, date="starts_at",
            done=Q(state=EventState.HELD, items__person__isnull=False), target=Decimal(1), title="title"),
    Measure(item="F4", label="امانت وسایل تشریفات به مراسم", model=SupplyLoan, unit="item__unit_id", date="lent_at",
            target=Decimal(0)),
    # A guest entered twice for the same event (same name and mobile) is one invitation.
    Measure(item="F5", label="مهمان دعوت‌شده با کارت یا پیامک", model=Guest, unit="event__unit_id",
            date="invited_at", done=~Q(event__state=EventState.CANCELLED), distinct=("event_id", "name", "mobile"),
            target=Decimal(10), title="name", note="هر مهمان یک بار در هر مراسم شمرده می‌شود."),
)
