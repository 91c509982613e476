"""How HQ measures the photo rules (F3) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import F, Q

from ravabet.compliance.measures import Measure, declare

from .models import Photo, PhotoRules


def _good(today):
    # Landscape, at least HQ's minimum long side, not a near-duplicate and not a single-person shot.
    return (Q(duplicate_of__isnull=True, width__gt=F("height"), width__gte=PhotoRules.current().min_long_side)
            & ~Q(face_count=1))


declare(
    Measure(item="F3", label="عکس افقی، باکیفیت، غیرتکراری و غیرانفرادی", model=Photo, date="created_at",
            done=_good, target=Decimal(20), quality=True, title="caption"),
)
