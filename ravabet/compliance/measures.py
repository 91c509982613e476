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
import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, TruncDate
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
    # Filled by both readers: the records that count (each once) and the distinct days they fall on;
    # `mark` is the mean of HQ's quality marks on them (None when none is marked). `measure_totals`
    # leaves `ids`, `days`, `good_ids` and `late_ids` empty.
    count: int = 0
    day_count: int = 0
    mark: float | None = None

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
            return float(self.day_count)
        if measure.per == "sum":
            return float(self.amount)
        return float(self.count)


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
    for per_span in results:
        for found in per_span.values():
            found.count, found.day_count = len(found.ids), len(found.days)
    return results


def _q_paths(q: Q):
    for child in q.children:
        if isinstance(child, Q):
            yield from _q_paths(child)
        elif isinstance(child, tuple):
            yield child[0]


def _multi_valued(model, paths) -> bool:
    """True when one of the lookup `paths` crosses a reverse foreign key or a many-to-many relation (a
    record may then appear on several joined rows)."""
    for path in paths:
        current = model
        for part in path.split("__"):
            try:
                found = current._meta.get_field(part)
            except FieldDoesNotExist:
                break  # a lookup (isnull, in, gt...)
            if found.one_to_many or found.many_to_many:
                return True
            if not found.is_relation:
                break
            current = found.related_model
    return False


def measure_totals(measure: Measure, spans: list[tuple[dt.date, dt.date]], unit_ids, *,
                   today: dt.date | None = None) -> list[dict[int, Evidence]]:
    """What `measure_spans` gives, without the record ids: [{unit id: Evidence}, ...], one dict per
    ascending, non-overlapping span, with each unit's `count`, `day_count`, `good`, `amount`, `credit`,
    `groups` and `mark` computed by the database in ONE grouped query (by unit and span, and by
    `group`) — nothing per record reaches Python, so the page over six months of every unit's records
    costs what the number of units does. The same rules as `measure_spans`: the span of a record is its
    date's (its local date for a datetime) or its Jalali month's first day; each record counts once
    (`distinct` fields for a count measure); a timely record earns 1 when handed in by its month's
    deadline, else `late_credit`; `mark` is the mean of HQ's marks on the records (quality measures).
    A measure without a date (a state at the period's end) is read once and holds for every span that
    has begun. Raises ValueError for overlapping spans, or for `distinct` with anything but a count of
    records, or `group` with days, quality marks or sums (the database cannot add those up per group)."""
    today = today or jalali.today()
    if any(spans[i][1] >= spans[i + 1][0] for i in range(len(spans) - 1)):
        raise ValueError("spans must be ascending and must not overlap")
    if measure.distinct and (measure.kind != "count" or measure.per != "record" or measure.quality or measure.group):
        raise ValueError(f"{measure.item}: distinct fields are counted for plain counts of records only")
    if measure.group and (measure.per != "record" or measure.quality):
        raise ValueError(f"{measure.item}: a grouped measure counts records")
    if not (measure.date or measure.month_fields):
        # The same records for every span that has begun (evidence_queryset gives None for the others).
        begun = [index for index, (start, _end) in enumerate(spans) if start <= today]
        results = [{unit_id: Evidence() for unit_id in unit_ids} for _ in spans]
        if begun:
            once = _totals(measure, [spans[begun[0]]], unit_ids, today)[0]
            for index in begun:
                results[index] = {unit_id: dataclasses.replace(ev, groups=dict(ev.groups))
                                  for unit_id, ev in once.items()}
        return results
    return _totals(measure, spans, unit_ids, today)


def _totals(measure: Measure, spans, unit_ids, today: dt.date) -> list[dict[int, Evidence]]:
    results = [{unit_id: Evidence() for unit_id in unit_ids} for _ in spans]
    first, last = spans[0][0], spans[-1][1]
    qs = evidence_queryset(measure, first, last, unit_ids, today=today)
    if qs is None:
        return results
    good_q = measure.good_q(today) if measure.kind == "ratio" else Q()
    paths = [*_q_paths(measure.done_q(today)), *_q_paths(good_q), measure.unit, measure.date or "pk"]
    repeated = _multi_valued(measure.model, paths)
    if repeated and (measure.amount or measure.quality or measure.kind == "timely"):
        # Sums and means over joined rows would repeat a record: aggregate over the records themselves.
        qs = measure.model._default_manager.filter(pk__in=qs.values("pk"))
        repeated = False
    qs = qs.annotate(_span=_span_expression(measure, spans, today))
    keys = [measure.unit, "_span", *([measure.group] if measure.group else [])]
    if measure.distinct:
        parts = []
        for name in measure.distinct:
            parts += [Cast(name, CharField()), Value("\x1f")]
        counted = Count(Concat(*parts, output_field=CharField()), distinct=True)
    else:
        counted = Count("pk", distinct=repeated)  # one row per record unless a join repeats it
    aggregates = {"_n": counted}
    if measure.per == "day" and measure.date:
        day = measure.date
        if isinstance(_field(measure.model, measure.date), models.DateTimeField):
            day = TruncDate(measure.date, tzinfo=dt.UTC)  # as measure_spans: the stored (UTC) date
        aggregates["_days"] = Count(day, distinct=True)
    if measure.kind == "ratio":
        aggregates["_good"] = Count("pk", distinct=repeated, filter=good_q or None)
    if measure.amount:
        aggregates["_amount"] = Sum(measure.amount)
    if measure.kind == "timely":
        aggregates["_on_time"] = Count("pk", distinct=repeated, filter=_on_time_q(measure, first, last, today))
    if measure.quality:
        from django.contrib.contenttypes.models import ContentType

        from .models import QualityMark

        content_type = ContentType.objects.get_for_model(measure.model)
        aggregates["_mark"] = Avg(Subquery(QualityMark.objects.filter(
            content_type_id=content_type.pk, object_id=OuterRef("pk")).values("mark")[:1]))
    for row in qs.order_by().values(*keys).annotate(**aggregates):
        index = row["_span"]
        if index is None:
            continue  # between the spans
        found = results[index].setdefault(row[measure.unit], Evidence())
        count = row["_n"]
        found.count += count
        found.day_count += row.get("_days", 0)
        found.good += row.get("_good", 0)
        found.amount += row.get("_amount") or 0
        if measure.group:
            found.groups[row[measure.group]] = found.groups.get(row[measure.group], 0) + count
        if measure.kind == "timely":
            on_time = row["_on_time"]
            found.credit += on_time + float(measure.late_credit) * (count - on_time)
        if row.get("_mark") is not None:
            found.mark = float(row["_mark"])
    return results


def _span_expression(measure: Measure, spans, today: dt.date):
    """The index of the span holding a record (NULL between spans), as `measure_spans` places it."""
    if len(spans) == 1:
        return Value(0, output_field=IntegerField())
    whens = []
    if measure.month_fields:
        year_field, month_field = measure.month_fields
        starts = [span[0] for span in spans]
        for year, month in months_between(spans[0][0], min(spans[-1][1], today)):
            placed = jalali.month_bounds(year, month)[0]
            index = bisect.bisect_right(starts, placed) - 1
            if index >= 0 and placed <= spans[index][1]:
                whens.append(When(Q(**{year_field: year, month_field: month}), then=Value(index)))
    elif isinstance(_field(measure.model, measure.date), models.DateTimeField):
        for index, (start, end) in enumerate(spans):
            after, before = jalali.datetime_bounds(start, end)
            whens.append(When(Q(**{f"{measure.date}__gte": after, f"{measure.date}__lt": before}), then=Value(index)))
    else:
        for index, (start, end) in enumerate(spans):
            whens.append(When(Q(**{f"{measure.date}__gte": start, f"{measure.date}__lte": end}), then=Value(index)))
    return Case(*whens, default=None, output_field=IntegerField())


def _on_time_q(measure: Measure, first: dt.date, last: dt.date, today: dt.date) -> Q:
    """Records of a `kind="timely"` measure handed in by their month's deadline (`is_on_time` in SQL:
    the local date of `submitted` on or before the deadline); no submission moment is late."""
    months = months_between(first, min(last, today))
    deadlines = measure.deadlines(months)
    year_field, month_field = measure.month_fields
    is_datetime = isinstance(_field(measure.model, measure.submitted), models.DateTimeField)
    on_time = Q(pk__in=[])
    for (year, month), deadline in deadlines.items():
        if is_datetime:
            handed = {f"{measure.submitted}__lt": jalali.datetime_bounds(deadline, deadline)[1]}
        else:
            handed = {f"{measure.submitted}__lte": deadline}
        on_time |= Q(**{year_field: year, month_field: month, **handed})
    return on_time
