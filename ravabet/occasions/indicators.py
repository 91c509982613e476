"""How HQ measures the occasion items (E1-E3) in its evaluation of units (issue 10)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare, months_between

from .models import ACTIVITY_ITEM, Activity, ContentState, CultureTarget, OccasionContent


def _kinds(item):
    return [kind for kind, code in ACTIVITY_ITEM.items() if code == item]


def e2_targets(unit_ids, spans: list[tuple[dt.date, dt.date]], today: dt.date) -> list[dict[int, dict[str, float]]]:
    """HQ's yearly E2 targets (CultureTarget: programmes of each kind — Islamic culture, administrative
    ethics — a unit is to hold in a Jalali year, set on the culture targets page) pro-rated to each span
    (Gregorian dates, both ends included) as the evaluation does a yearly target: a twelfth for every
    Jalali month of the span up to `today`. Out: one {unit id: {kind: target}} per span; a unit with no
    target in the span's year is left out (it keeps the item's common target). One query."""
    months = [months_between(start, min(end, today)) if min(end, today) >= start else [] for start, end in spans]
    years = {year for span in months for year, _month in span}
    yearly: dict[tuple[int, int], dict[str, int]] = {}
    for unit_id, year, kind, target in CultureTarget.objects.filter(unit__in=list(unit_ids), year__in=years) \
            .values_list("unit", "year", "kind", "target"):
        yearly.setdefault((unit_id, year), {})[kind] = target
    result = []
    for span in months:
        per_unit: dict[int, dict[str, float]] = {}
        for (unit_id, year), kinds in yearly.items():
            share = sum(1 for y, _m in span if y == year) / 12
            if share:
                targets = per_unit.setdefault(unit_id, {})
                for kind, target in kinds.items():
                    targets[kind] = targets.get(kind, 0.0) + target * share
        result.append(per_unit)
    return result


declare(
    Measure(item="E1", label="شرکت در مراسم و راهپیمایی", model=Activity, date="date",
            done=Q(kind__in=_kinds("E1")), target=Decimal(1)),
    # Against HQ's yearly target per unit and kind, pro-rated to the period (issue 15 §3): holding more
    # culture programmes does not make up for missing ethics ones. A unit with no target keeps 1 a month.
    Measure(item="E2", label="برنامه ترویج فرهنگ اسلامی و اخلاق اداری", model=Activity, date="date",
            done=Q(kind__in=_kinds("E2")), target=Decimal(1), group="kind", unit_targets=e2_targets,
            note="هر نوع برنامه (فرهنگ اسلامی، اخلاق اداری) در برابر هدف سالانه‌ای که اداره کل برای واحد "
                 "گذاشته، به نسبت ماه‌های گذشته از دوره، سنجیده می‌شود."),
    Measure(item="E3", label="محتوای مناسبتی پذیرفته یا به‌کاررفته در اداره کل", model=OccasionContent,
            date="sent_at", done=Q(state__in=[ContentState.SENT, ContentState.ACKNOWLEDGED, ContentState.USED]),
            target=Decimal(1), quality=True),
)
