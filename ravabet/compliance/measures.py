"""How each instruction item is measured for HQ's evaluation of its units (issue 10).

Each part declares, in its own `indicators.py`, one `Measure` per item it owns the evidence of:
which records count (only the declared "done" workflow states), the field that dates them, the
unit they belong to, and HQ's default target. `measure(...)` then reads the evidence of *all*
units with one grouped query per measure (plus one for quality marks), whatever the number of
units or records.

    declare(Measure(item="F1", label="جلسه هماهنگی مراسم", model=Meeting, date="starts_at",
                    done=Q(kind="coordination", is_archived=False), target=1))

Rules (instruction items and issue 10 §1):
- a record counts only when it is in a done state, dated inside the period and not in the future;
- each record counts once (`distinct` names the fields that make two rows the same record, e.g. a
  guest entered twice for the same event);
- `per="day"` counts distinct days (B5: a news item on every working day);
- `kind="ratio"` scores the share of the records that satisfy `good` (D2: complaints due in the
  period answered in time; unanswered overdue ones count against it);
- `group` splits the records by a field (E2: the kind of programme) and `unit_targets` gives HQ's own
  target per unit and group for each period, pro-rated to it; each group then counts up to its own
  target (more of one kind does not make up for another) and the unit's target is their sum;
- `kind="timely"` scores timeliness: each record earns 1 when `submitted` (its local date) is on or before
  its deadline (`deadlines`, from the record's Jalali month), `late_credit` when later, and a month
  with no record earns 0 (A2: the monthly report by the 5th working day of the next month).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import BooleanField, Case, Q, When
from django.utils import timezone

from ravabet.lib import jalali


@dataclass(frozen=True)
class Measure:
    item: str
    label: str
    model: type[models.Model]
    # Path to the date (DateField or DateTimeField) that places a record in a period; "" for a
    # state measured at the period's end (B11: staff with a mobile number on record).
    date: str = ""
    # Alternatively Jalali (year, month) integer fields (monthly reports, channel figures).
    month_fields: tuple[str, str] | None = None
    unit: str = "unit_id"
    done: Q | Callable[[dt.date], Q] = field(default_factory=Q)
    per: str = "record"  # "record" | "day" | "sum"
    amount: str = ""  # field summed when per == "sum"
    distinct: tuple[str, ...] = ()
    kind: str = "count"  # "count" | "ratio" | "timely"
    good: Q | Callable[[dt.date], Q] | None = None  # ratio: which records are good
    # timely: path to the date/datetime a record was handed in; `deadlines(months)` gives, for Jalali
    # (year, month) pairs, {pair: the Gregorian date by which that month's record is due}, all at once
    # (one working-day calendar, so the query count stays flat); a late record earns `late_credit` (0-1).
    submitted: str = ""
    deadlines: Callable[[list[tuple[int, int]]], dict[tuple[int, int], dt.date]] | None = None
    late_credit: Decimal = Decimal(1)
    # HQ's default target for a month; the period's target is scaled by `target_per`.
    target: Decimal = Decimal(1)
    target_per: str = "month"  # "month" | "working_day" | "year"
    quality: bool = False  # HQ marks this evidence 1-5 (issue 10 §3)
    # Path to the field that splits a unit's records into groups with their own targets (E2: the kind).
    group: str = ""
    # HQ's own targets per unit and group: unit_targets(unit_ids, spans, today) -> one dict per span (as
    # measure_spans takes them) of {unit id: {group value: target for that span}}; a unit left out keeps
    # the item's common target. One query for all spans.
    unit_targets: Callable | None = None
    title: str = ""  # field shown for a record in the drill-down ("" = str(record))
    link: str = ""  # URL name (one pk argument) of a record's page, when it has no get_absolute_url
    note: str = ""  # the rule in plain Persian, shown to units

    def done_q(self, today: dt.date) -> Q:
        return self.done(today) if callable(self.done) else self.done

    def good_q(self, today: dt.date) -> Q:
        return self.good(today) if callable(self.good) else (self.good or Q())


MEASURES: dict[str, Measure] = {}


def declare(*measures: Measure) -> None:
    """Registers measures; one per instruction item (a second one for the same item replaces it)."""
    for measure in measures:
        MEASURES[measure.item] = measure


def _field(model, path: str):
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(parts[-1])


def months_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """Jalali (year, month) pairs whose month overlaps the Gregorian dates start..end (inclusive)."""
    months = []
    j = jalali.to_jalali(start)
    year, month = j.year, j.month
    while True:
        first, _ = jalali.month_bounds(year, month)
        if first > end:
            return months
        months.append((year, month))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)


@dataclass
class Evidence:
    """What one unit produced for one measure in a period."""

    ids: list[int] = field(default_factory=list)
    days: set = field(default_factory=set)
    good: int = 0
    amount: int = 0
    good_ids: list[int] = field(default_factory=list)
    credit: float = 0.0  # timely: on-time records count 1, late ones the measure's late_credit
    late_ids: list[int] = field(default_factory=list)
    groups: dict = field(default_factory=dict)  # {group value: records}, for a measure with `group`

    def against(self, targets: dict) -> tuple[float, float]:
        """(value, target) against per-group targets {group value: target}: each group counts up to its
        own target, the target is their sum (a measure's `unit_targets`)."""
        value = sum(min(float(self.groups.get(group, 0)), float(target)) for group, target in targets.items())
        return round(value, 4), round(float(sum(targets.values())), 4)

    def value(self, measure: Measure) -> float:
        if measure.kind == "timely":
            return round(self.credit, 4)
        if measure.kind == "ratio":
            return float(self.good)
        if measure.per == "day":
            return float(len(self.days))
        if measure.per == "sum":
            return float(self.amount)
        return float(len(self.ids))


def evidence_queryset(measure: Measure, start: dt.date, end: dt.date, unit_ids, *, today: dt.date | None = None):
    """The records that count for `measure` between Gregorian dates start..end (inclusive), never
    after today; None when the whole period lies in the future."""
    today = today or jalali.today()
    end = min(end, today)
    if end < start:
        return None
    qs = measure.model._default_manager.filter(measure.done_q(today), **{f"{measure.unit}__in": list(unit_ids)})
    if measure.month_fields:
        year_field, month_field = measure.month_fields
        months = Q(pk__in=[])
        for year, month in months_between(start, end):
            months |= Q(**{year_field: year, month_field: month})
        qs = qs.filter(months)
    elif measure.date:
        if isinstance(_field(measure.model, measure.date), models.DateTimeField):
            # Local-midnight bounds rather than __date, so that the field's index is used.
            first, after = jalali.datetime_bounds(start, end)
            qs = qs.filter(**{f"{measure.date}__gte": first, f"{measure.date}__lt": after,
                              f"{measure.date}__lte": timezone.now()})
        else:
            qs = qs.filter(**{f"{measure.date}__gte": start, f"{measure.date}__lte": end})
    return qs


def _local_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def is_on_time(measure: Measure, submitted, month: tuple[int, int], deadlines: dict) -> bool:
    """For a `kind="timely"` measure: True when `submitted` (date or aware datetime; its local date
    counts) is on or before the deadline of the Jalali (year, month) `month` in `deadlines` (from
    `measure.deadlines`). A record with no submission moment is late."""
    day = _local_date(submitted)
    return day is not None and day <= deadlines[tuple(month)]


def timeliness(measure: Measure, records) -> dict[int, bool]:
    """{record pk: handed in on time?} for records (model instances) of a `kind="timely"` measure with
    `month_fields`; the drill-down shows it per record. One working-day calendar for all of them."""
    year_field, month_field = measure.month_fields
    months = {(getattr(r, year_field), getattr(r, month_field)) for r in records}
    deadlines = measure.deadlines(sorted(months)) if months else {}
    return {r.pk: is_on_time(measure, getattr(r, measure.submitted), (getattr(r, year_field), getattr(r, month_field)),
                             deadlines) for r in records}


def measure(measure: Measure, start: dt.date, end: dt.date, unit_ids, *, today: dt.date | None = None
            ) -> dict[int, Evidence]:
    """{unit id: Evidence} for every unit in `unit_ids` — one SQL query whatever their number (a
    `kind="timely"` measure adds the queries of one working-day calendar for the period's months)."""
    return measure_spans(measure, [(start, end)], unit_ids, today=today)[0]


def measure_spans(measure: Measure, spans: list[tuple[dt.date, dt.date]], unit_ids, *,
                  today: dt.date | None = None) -> list[dict[int, Evidence]]:
    """[{unit id: Evidence}, ...], one dict per span, for ascending, non-overlapping Gregorian spans
    (start, end), both ends included — e.g. the six months of a trend — read with the one query of
    `measure` over the whole range; each record goes to the span holding its date (its local date for a
    datetime) or its Jalali month's first day; records between spans are left out. A measure without a
    date (a state at the period's end, B11) is read once per span."""
    today = today or jalali.today()
    if any(spans[i][1] >= spans[i + 1][0] for i in range(len(spans) - 1)):
        raise ValueError("spans must be ascending and must not overlap")
    if len(spans) > 1 and not measure.date and not measure.month_fields:
        return [measure_spans(measure, [span], unit_ids, today=today)[0] for span in spans]
    results = [{unit_id: Evidence() for unit_id in unit_ids} for _ in spans]
    first, last = spans[0][0], spans[-1][1]
    qs = evidence_queryset(measure, first, last, unit_ids, today=today)
    if qs is None:
        return results
    if measure.kind == "ratio":
        qs = qs.annotate(_good=Case(When(measure.good_q(today), then=True), default=False,
                                    output_field=BooleanField()))
    timely = measure.kind == "timely"
    deadlines = {}
    extra: list[str] = []
    if timely:
        # Deadlines of every month of the range, whether or not a record exists: the number of
        # queries does not depend on the records.
        deadlines = measure.deadlines(months_between(first, min(last, today)))
        extra = [measure.submitted]
    month_columns = list(measure.month_fields or ())
    date_path = measure.date or ""
    columns = [measure.unit, "pk", date_path or "pk", "_good" if measure.kind == "ratio" else "pk",
               measure.amount or "pk", measure.group or "pk", *extra, *month_columns, *measure.distinct]
    starts = [span[0] for span in spans]
    seen: set = set()
    for unit_id, pk, day, good, amount, group, *rest in qs.order_by("pk").values_list(*columns):
        handed = rest[:len(extra)]
        month = tuple(rest[len(extra):len(extra) + len(month_columns)])
        key = rest[len(extra) + len(month_columns):]
        index = 0
        if len(spans) > 1:
            placed = jalali.month_bounds(*month)[0] if month_columns else _local_date(day)
            index = bisect.bisect_right(starts, placed) - 1
            if index < 0 or placed > spans[index][1]:
                continue
        identity = (index, unit_id, *(key if measure.distinct else (pk,)))
        if identity in seen:
            continue
        seen.add(identity)
        found = results[index].setdefault(unit_id, Evidence())
        found.ids.append(pk)
        if date_path:
            found.days.add(day.date() if isinstance(day, dt.datetime) else day)
        if measure.kind == "ratio" and good:
            found.good += 1
            found.good_ids.append(pk)
        if measure.amount:
            found.amount += amount or 0
        if measure.group:
            found.groups[group] = found.groups.get(group, 0) + 1
        if timely:
            if is_on_time(measure, handed[0], month, deadlines):
                found.credit += 1
            else:
                found.credit += float(measure.late_credit)
                found.late_ids.append(pk)
    return results
