"""How HQ measures the unit's introduction (B9) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import ProfileState, UnitProfile

declare(
    Measure(item="B9", label="نسخه معرفی‌نامه واحد که اداره کل پذیرفت", model=UnitProfile, date="submitted_at",
            done=Q(state=ProfileState.ACKNOWLEDGED), target=Decimal(1), target_per="year", quality=True),
)
