"""Scores out of 100, ranks, changes and grades for HQ's units (issue 10 §1-2, §4-6).

attainment (0-100) per item:
- count measures: value / target × 100, capped at 100; a target of 0 means "no requirement" (100);
- ratio measures: good / all × 100; nothing due in the period counts as 100;
- a measure with HQ's own targets per unit and group (E2: `Measure.unit_targets`): each group counts up to
  its target, pro-rated to the period, and the unit's target is their sum;
- where HQ has marked evidence 1-5: 70 % the above and 30 % the mean mark ((mark-1)/4 × 100).
total = Σ weight × attainment / Σ weight (weights of the set in force at the period's start).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.lib.digits import to_latin_digits
from ravabet.lib.workdays import Calendar

from .catalog import items
from .measures import MEASURES, Measure, measure_spans, measure_totals, months_between
from .models import FrozenPeriod, QualityMark, WeightSet

# HQ's default weights (sum 100): the day-to-day items weigh 3, the occasional ones 2.
LIGHT = {"B7", "B8", "B9", "B10", "B11", "C3", "C4", "F4"}
DEFAULT_WEIGHTS = {code: Decimal(2 if code in LIGHT else 3) for code in items()}
GRADES = (("excellent", "سرآمد"), ("active", "فعال"), ("partial", "نیمه‌فعال"), ("inactive", "غیرفعال"))
QUALITY_SHARE = Decimal("0.3")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    """A Jalali month (number 1-12), quarter (1-4) or year."""

    kind: str  # "month" | "quarter" | "year"
    year: int
    number: int = 0

    @property
    def start(self) -> dt.date:
        first = {"month": self.number, "quarter": 3 * self.number - 2, "year": 1}[self.kind]
        return jalali.month_bounds(self.year, first)[0]

    @property
    def end(self) -> dt.date:
        last = {"month": self.number, "quarter": 3 * self.number, "year": 12}[self.kind]
        return jalali.month_bounds(self.year, last)[1]

    @property
    def key(self) -> str:
        return {"month": f"{self.year}-{self.number:02d}", "quarter": f"{self.year}-Q{self.number}",
                "year": f"{self.year}"}[self.kind]

    @property
    def label(self) -> str:
        from ravabet.lib.digits import to_persian_digits

        text = {"month": f"{jalali.month_name(self.number)} {self.year}",
                "quarter": f"فصل {self.number} سال {self.year}", "year": f"سال {self.year}"}[self.kind]
        return to_persian_digits(text)

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1)
        size = 12 if self.kind == "month" else 4
        return Period(self.kind, self.year - (self.number == 1), size if self.number == 1 else self.number - 1)

    def following(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year + 1)
        size = 12 if self.kind == "month" else 4
        return Period(self.kind, self.year + (self.number == size), 1 if self.number == size else self.number + 1)

    @property
    def is_closed(self) -> bool:
        return self.end < jalali.today()

    @classmethod
    def parse(cls, text: str) -> Period:
        """'1405-09', '1405/9', '1405-Q3' (or 'ف3'), '1405' in any digits; raises PeriodError with a
        Persian message for malformed or future periods."""
        value = to_latin_digits(text or "").strip().upper().replace("/", "-").replace("ف", "Q")
        match = re.fullmatch(r"(\d{4})(?:-(Q?)(\d{1,2}))?", value)
        if not match:
            raise PeriodError("دوره را به شکل ۱۴۰۵-۰۹ (ماه)، ۱۴۰۵-Q۳ (فصل) یا ۱۴۰۵ (سال) بنویسید.")
        year = int(match[1])
        if not 1390 <= year <= 1500:
            raise PeriodError("سال دوره باید میان ۱۳۹۰ و ۱۵۰۰ باشد.")
        if match[3] is None:
            period = cls("year", year)
        elif match[2]:
            if not 1 <= int(match[3]) <= 4:
                raise PeriodError("شماره فصل باید از ۱ تا ۴ باشد.")
            period = cls("quarter", year, int(match[3]))
        else:
            if not 1 <= int(match[3]) <= 12:
                raise PeriodError("شماره ماه باید از ۱ تا ۱۲ باشد.")
            period = cls("month", year, int(match[3]))
        if period.start > jalali.today():
            raise PeriodError("این دوره هنوز شروع نشده است؛ دوره‌ای در آینده را نمی‌توان ارزیابی کرد.")
        return period

    @classmethod
    def current_month(cls) -> Period:
        year, month = jalali.current_month()
        return cls("month", year, month)


@dataclass
class Weights:
    weight_set: WeightSet | None
    weights: dict[str, Decimal]
    targets: dict[str, Decimal]
    bands: tuple[int, int, int] = (85, 65, 40)

    def grade(self, total: float) -> tuple[str, str]:
        for (code, label), low in zip(GRADES, (*self.bands, 0), strict=True):
            if total >= low:
                return code, label
        return GRADES[-1]


def weights_for(day: dt.date) -> Weights:
    """The weights, targets and bands in force on `day` (Gregorian): HQ's latest set with
    valid_from <= day, else the defaults (DEFAULT_WEIGHTS, the measures' own targets)."""
    targets = {code: m.target for code, m in MEASURES.items()}
    found = WeightSet.objects.filter(valid_from__lte=day).prefetch_related("weights").order_by("-valid_from").first()
    if found is None:
        return Weights(None, dict(DEFAULT_WEIGHTS), targets)
    weights = {code: Decimal(0) for code in items()}
    for row in found.weights.all():
        weights[row.item] = row.weight
        targets[row.item] = row.target
    return Weights(found, weights, targets, (found.excellent_from, found.active_from, found.partial_from))


@dataclass
class Cell:
    item: str
    value: float
    target: float
    attainment: float
    weight: float
    ids: list[int] = field(default_factory=list)
    quality: float | None = None
    missing: str = ""

    @property
    def points(self) -> float:
        return self.weight * self.attainment / 100

    @property
    def gain(self) -> float:
        """Points the unit would add by reaching the item's target."""
        return self.weight * (100 - self.attainment) / 100


@dataclass
class UnitScore:
    unit: object
    cells: dict[str, Cell]
    total: float = 0.0
    rank: int = 0
    change: float | None = None
    grade: tuple[str, str] = GRADES[-1]
    trend: list[float] = field(default_factory=list)

    def gains(self, limit: int = 5) -> list[Cell]:
        return sorted((c for c in self.cells.values() if c.gain > 0.005), key=lambda c: -c.gain)[:limit]


@dataclass
class Evaluation:
    period: Period
    rows: list[UnitScore]
    weights: Weights
    frozen: FrozenPeriod | None = None

    @property
    def codes(self) -> list[str]:
        return list(items())

    def row_for(self, unit_id: int) -> UnitScore | None:
        return next((row for row in self.rows if row.unit.pk == unit_id), None)


def period_target(measure: Measure, target: Decimal, start: dt.date, end: dt.date, today: dt.date) -> float:
    """The item's target for start..end: per month × months, per working day × working days up to
    today, per year × months/12."""
    end = min(end, today)
    if end < start:
        return 0.0
    if measure.target_per == "working_day":
        return float(target) * len(Calendar(start, end).working_days())
    months = len(months_between(start, end))
    return float(target) * (months / 12 if measure.target_per == "year" else months)


def _quality(marks: dict[int, float], ids: list[int]) -> float | None:
    found = [marks[pk] for pk in ids if pk in marks]
    return sum(found) / len(found) if found else None


def attainment(measure: Measure, value: float, count: int, target: float, quality: float | None) -> float:
    """0-100 for one item (see the module's docstring)."""
    if measure.kind == "ratio":
        base = 100.0 if count == 0 else 100.0 * value / count
    else:
        base = 100.0 if target <= 0 else min(100.0, 100.0 * value / target)
    if quality is not None:
        share = float(QUALITY_SHARE)
        base = (1 - share) * base + share * (quality - 1) / 4 * 100
    return round(base, 2)


def compute(period: Period, units, *, today: dt.date | None = None, ids: bool = True) -> Evaluation:
    """Live scores of `units` for `period`: one grouped query per measure plus one for quality marks
    and one for the weights — the count does not grow with units or records. `ids=False` (pages that
    show scores, not evidence) leaves each cell's `ids` empty and has the database add the records up
    (`compute_many`)."""
    return compute_many([period], units, today=today, ids=ids)[0]


def compute_many(periods: list[Period], units, *, today: dt.date | None = None, ids: bool = True
                 ) -> list[Evaluation]:
    """Live scores of `units` for several ascending, non-overlapping periods (e.g. a trend's months), in
    their order: each measure is read once over the whole range, quality marks once, weights once a
    period — the same scores as `compute` period by period, in fewer queries.

    With `ids` (snapshots, the drill-down) every record that counts is read (`measures.measure_spans`)
    and each cell keeps their ids; without, each measure is ONE grouped aggregate by unit and period
    (`measures.measure_totals`, quality marks inside it): the same values, attainments and totals, with
    nothing per record in Python."""
    today = today or jalali.today()
    if not periods:
        return []
    units = list(units)
    unit_ids = [u.pk for u in units]
    spans = [(p.start, p.end) for p in periods]
    own = {code: m.unit_targets(unit_ids, spans, today) for code, m in MEASURES.items() if m.unit_targets}
    if not ids:
        found = {code: measure_totals(m, spans, unit_ids, today=today) for code, m in MEASURES.items()}
        return [_scores(period, units, {code: found[code][index] for code in found}, today,
                        {code: own[code][index] for code in own})
                for index, period in enumerate(periods)]
    found = {code: measure_spans(m, spans, unit_ids, today=today) for code, m in MEASURES.items()}
    marked = {code for code, m in MEASURES.items() if m.quality}
    marks: dict[str, dict[int, float]] = {code: {} for code in marked}
    if marked:
        types = {code: ContentType.objects.get_for_model(MEASURES[code].model) for code in marked}
        by_type = {}
        for code in marked:
            by_type.setdefault(types[code].pk, []).append(code)
        all_ids = {pk for code in marked for per_span in found[code] for ev in per_span.values() for pk in ev.ids}
        rows = (QualityMark.objects.filter(content_type__in=by_type, object_id__in=all_ids)
                .values_list("content_type_id", "object_id").annotate(avg=Avg("mark")))
        for type_id, object_id, avg in rows:
            for code in by_type[type_id]:
                marks[code][object_id] = float(avg)
    for code in marked:
        for per_span in found[code]:
            for ev in per_span.values():
                ev.mark = _quality(marks[code], ev.ids)
    return [_scores(period, units, {code: found[code][index] for code in found}, today,
                    {code: own[code][index] for code in own})
            for index, period in enumerate(periods)]


def _scores(period: Period, units: list, found: dict, today: dt.date, own: dict | None = None) -> Evaluation:
    weights = weights_for(period.start)
    targets = {code: period_target(m, weights.targets.get(code, m.target), period.start, period.end, today)
               for code, m in MEASURES.items()}
    rows = []
    for unit in units:
        cells = {}
        for code in items():
            m = MEASURES.get(code)
            weight = float(weights.weights.get(code, 0))
            if m is None:
                cells[code] = Cell(code, 0, 0, 0.0, weight, missing="سنجه‌ای تعریف نشده است")
                continue
            ev = found[code][unit.pk]
            target = targets[code]
            quality = ev.mark if m.quality else None
            value = ev.value(m)
            if own and unit.pk in own.get(code, {}):
                value, target = ev.against(own[code][unit.pk])
            cells[code] = Cell(code, value, ev.count if m.kind == "ratio" else target,
                               attainment(m, value, ev.count, target, quality), weight, ev.ids, quality)
        total_weight = sum(c.weight for c in cells.values()) or 1.0
        total = round(sum(c.points for c in cells.values()) * 100 / total_weight, 1)
        for cell in cells.values():
            cell.weight = cell.weight * 100 / total_weight
        rows.append(UnitScore(unit, cells, total, grade=weights.grade(total)))
    _rank(rows)
    return Evaluation(period, rows, weights)


def _rank(rows: list[UnitScore]) -> None:
    rows.sort(key=lambda r: (-r.total, r.unit.name))
    for index, row in enumerate(rows):
        row.rank = rows[index - 1].rank if index and row.total == rows[index - 1].total else index + 1


def to_data(evaluation: Evaluation) -> dict:
    """JSON-serialisable snapshot of an evaluation, with the evidence ids behind every cell."""
    ws = evaluation.weights
    return {
        "weight_set": ws.weight_set.pk if ws.weight_set else None, "bands": list(ws.bands),
        "rows": [{"unit": row.unit.pk, "total": row.total, "rank": row.rank,
                  "cells": {code: {"value": c.value, "target": c.target, "attainment": c.attainment,
                                   "weight": c.weight, "ids": c.ids, "quality": c.quality}
                            for code, c in row.cells.items()}}
                 for row in evaluation.rows],
    }


def from_data(period: Period, frozen: FrozenPeriod, units) -> Evaluation:
    by_id = {u.pk: u for u in units}
    data = frozen.data
    weights = Weights(None, {}, {}, tuple(data.get("bands", (85, 65, 40))))
    rows = []
    for raw in data["rows"]:
        if raw["unit"] not in by_id:
            continue
        cells = {code: Cell(code, c["value"], c["target"], c["attainment"], c["weight"], c["ids"], c["quality"])
                 for code, c in raw["cells"].items()}
        rows.append(UnitScore(by_id[raw["unit"]], cells, raw["total"], raw["rank"], grade=weights.grade(raw["total"])))
    rows.sort(key=lambda r: r.rank)
    return Evaluation(period, rows, weights, frozen)


def evaluate(period: Period, units, *, with_change: bool = True, today: dt.date | None = None,
             memo: dict | None = None, ids: bool = True) -> Evaluation:
    """The period's scores: the frozen snapshot when HQ has closed it, else live; with each unit's
    change since the previous period.

    `memo` (a dict the caller keeps for one request) holds the scores of each period already read for
    the same units: a page that draws the trend calls `trend(..., memo=memo)` first (all its periods
    scored in one pass) and then this, which reads the period and the previous one from it. `ids=False`:
    live scores without the evidence ids (see `compute_many`); a snapshot always has them."""
    units = list(units)
    if memo is not None and period.key in memo:
        result = memo[period.key]
    else:
        frozen = FrozenPeriod.objects.filter(key=period.key).first()
        result = from_data(period, frozen, units) if frozen else compute(period, units, today=today, ids=ids)
        if memo is not None:
            memo[period.key] = result
    if with_change:
        before = evaluate(period.previous(), units, with_change=False, today=today, memo=memo, ids=ids)
        previous = {row.unit.pk: row.total for row in before.rows}
        for row in result.rows:
            if row.unit.pk in previous:
                row.change = round(row.total - previous[row.unit.pk], 1)
    return result


def trend(period: Period, units, count: int = 6, *, memo: dict | None = None) -> dict[int, list[tuple[str, float]]]:
    """{unit id: [(period label, total), ...]} over the last `count` periods of the same kind, oldest
    first; `memo` as in `evaluate`. Closed periods come from their snapshots (one query for all); the
    live ones are scored together by `compute_many`, without evidence ids (one grouped aggregate per
    measure), so a period the memo gets from here has cells with empty `ids`."""
    units = list(units)
    periods = [period]
    for _ in range(count - 1):
        periods.insert(0, periods[0].previous())
    known: dict[str, Evaluation] = dict(memo or {})
    frozen = {f.key: f for f in FrozenPeriod.objects.filter(key__in=[p.key for p in periods if p.key not in known])}
    for each in periods:
        if each.key not in known and each.key in frozen:
            known[each.key] = from_data(each, frozen[each.key], units)
    live = [each for each in periods if each.key not in known]
    for each, result in zip(live, compute_many(live, units, ids=False), strict=True):
        known[each.key] = result
        if memo is not None:
            memo[each.key] = result
    series: dict[int, list[tuple[str, float]]] = {u.pk: [] for u in units}
    for each in periods:
        for row in known[each.key].rows:
            series[row.unit.pk].append((each.label, row.total))
    return series


def freeze(period: Period, units, *, by=None, recompute: bool = False) -> FrozenPeriod:
    """Stores the period's live scores as its published snapshot (the scheduled close or HQ's
    button). An existing snapshot is replaced only when `recompute` is True; that is logged."""
    from ravabet.audit.services import log_action

    units = list(units)
    existing = FrozenPeriod.objects.filter(key=period.key).first()
    if existing and not recompute:
        return existing
    data = to_data(compute(period, units))
    if existing:
        before = {row["unit"]: row["total"] for row in existing.data.get("rows", [])}
        existing.data = data
        existing.recomputed_at = timezone.now()
        existing.save(update_fields=["data", "recomputed_at"])
        log_action(actor=by, action="compliance.recomputed", target=existing,
                   summary=f"محاسبه دوباره امتیازهای {period.label}",
                   data={"before": before, "after": {row["unit"]: row["total"] for row in data["rows"]}})
        return existing
    frozen = FrozenPeriod.objects.create(key=period.key, data=data, frozen_at=timezone.now(),
                                         frozen_by=by if getattr(by, "is_authenticated", False) else None)
    log_action(actor=by, action="compliance.frozen", target=frozen, summary=f"بستن دوره ارزیابی {period.label}")
    return frozen


def tell_managers(period: Period, units) -> None:
    """Each unit manager is told, in-app, his unit's published score and rank (issue 10 §7); once per
    period and snapshot version."""
    from django.urls import reverse

    from ravabet.lib.digits import to_persian_digits
    from ravabet.offices.models import Membership
    from ravabet.offices.roles import Role
    from ravabet.outbox.services import notify

    units = list(units)
    result = evaluate(period, units, with_change=False)
    stamp = FrozenPeriod.objects.get(key=period.key)
    version = int((stamp.recomputed_at or stamp.frozen_at).timestamp())
    managers: dict[int, list] = {}
    for membership in Membership.objects.filter(unit__in=units, role=Role.UNIT_MANAGER).select_related("user"):
        managers.setdefault(membership.unit_id, []).append(membership.user)
    url = f"{reverse('compliance:mine')}?period={period.key}"
    for row in result.rows:
        title = to_persian_digits(f"امتیاز {row.unit.name} در {period.label}: {row.total:.1f} از ۱۰۰، "
                                  f"رتبه {row.rank} از {len(result.rows)} ({row.grade[1]})")
        for user in managers.get(row.unit.pk, []):
            notify(user=user, title=title, url=url, key=f"compliance:{period.key}:{version}:{row.unit.pk}:{user.pk}")


# A month is closed this many days after it ends, so that late monthly reports (A2 is due by the 5th
# working day) and answers still land in it.
CLOSE_AFTER_DAYS = 10


def last_deadline(period: Period) -> dt.date:
    """The last day (Gregorian) on which evidence of `period` can still arrive on time: the latest
    deadline the `kind="timely"` measures give for the period's last month (A2: the 5th working day of
    the next month), or the period's end when no measure has one."""
    last = jalali.to_jalali(period.end)
    deadlines = [max(m.deadlines([(last.year, last.month)]).values()) for m in MEASURES.values()
                 if m.kind == "timely" and m.deadlines]
    return max([period.end, *deadlines])


def close_due_periods(today: dt.date | None = None) -> list[str]:
    """The scheduled close: freezes the month before `today`'s Jalali month (and the quarter, and the
    year, it ends) once CLOSE_AFTER_DAYS have passed since its end and no timely measure's deadline is
    still ahead (`last_deadline`: after Nowruz the 5th working day of Farvardin can fall after the 10th),
    and tells the unit managers. Returns the keys it froze."""
    from ravabet.offices.models import Unit, UnitKind

    today = today or jalali.today()
    now = jalali.to_jalali(today)
    month = Period("month", now.year, now.month).previous()
    candidates = [month]
    if month.number % 3 == 0:
        candidates.append(Period("quarter", month.year, month.number // 3))
    if month.number == 12:
        candidates.append(Period("year", month.year))
    done = []
    for period in candidates:
        if ((today - period.end).days < CLOSE_AFTER_DAYS or today <= last_deadline(period)
                or FrozenPeriod.objects.filter(key=period.key).exists()):
            continue
        units = list(Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True))
        freeze(period, units)
        tell_managers(period, units)
        done.append(period.key)
    return done
