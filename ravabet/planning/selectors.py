"""Reads that cross parts: plan progress from the registered indicators, the monthly report
compiled from the registered sections, yearly training hours."""

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from ravabet.compliance.registry import INDICATORS, REPORT_SECTIONS
from ravabet.lib import jalali

from .models import ItemMeasure, Plan, PlanItem, PlanItemLink, Training, year_bounds

logger = logging.getLogger(__name__)


def indicator_count(code: str, unit, start: dt.date, end: dt.date) -> int:
    return sum(int(indicator.count(unit, start, end) or 0) for indicator in INDICATORS.get(code, []))


@dataclass
class ItemProgress:
    item: PlanItem
    actual: int
    percent: int
    expected_percent: int
    done: bool
    behind: bool
    overdue: bool
    measured: bool  # False when no part registered an indicator for the item's codes yet

    @property
    def level(self) -> str:
        if self.done:
            return "success"
        if self.overdue or self.behind:
            return "danger"
        return "primary"


def item_progress(item: PlanItem, start: dt.date, end: dt.date, counts: dict[str, int],
                  today: dt.date, linked: int = 0) -> ItemProgress:
    """One item's progress on `today` (Gregorian) over its plan's period start..end: from the indicator
    counts of its instruction items (`counts`, {code: count}), or from the `linked` records when the
    item is measured by linked records (A1)."""
    if item.measure == ItemMeasure.RECORDS:
        actual, measured = linked, True
    else:
        actual = sum(counts.get(code, 0) for code in item.codes)
        measured = any(code in INDICATORS for code in item.codes)
    if item.target_count:
        target = item.target_count
        done = actual >= target
        percent = min(100, actual * 100 // target)
        span = max((item.due_date - start).days + 1, 1)
        elapsed = min(max((today - start).days + 1, 0), span)
        expected_percent = elapsed * 100 // span
        # Pro rata: by the middle of the period half the target should be there.
        behind = not done and actual < target * elapsed // span
    else:
        done = actual >= 1
        percent = 100 if done else 0
        deadline = min(item.target_date or item.due_date, item.due_date)
        expected_percent = 100 if today >= deadline else 0
        behind = not done and today > deadline
    overdue = not done and today > item.due_date
    return ItemProgress(item=item, actual=actual, percent=percent, expected_percent=expected_percent, done=done,
                        behind=behind or overdue, overdue=overdue, measured=measured)


def plan_progress(plan: Plan, items=None, today: dt.date | None = None) -> list[ItemProgress]:
    """Progress of every item over the plan's period: from the indicators of its instruction items, or
    from the records linked to it (one query for all the links)."""
    today = today or jalali.today()
    items = list(plan.items.select_related("owner") if items is None else items)
    start, end = plan.period()
    codes = {code for item in items if item.measure == ItemMeasure.INDICATOR for code in item.codes}
    counts = {code: indicator_count(code, plan.unit, start, end) for code in sorted(codes)}
    by_links = [item.pk for item in items if item.measure == ItemMeasure.RECORDS]
    linked = dict(PlanItemLink.objects.filter(item__in=by_links).values("item").annotate(n=Count("pk"))
                  .values_list("item", "n")) if by_links else {}
    return [item_progress(item, start, end, counts, today, linked.get(item.pk, 0)) for item in items]


@dataclass
class Candidate:
    """A record that may be linked to a plan item: its model, id, instruction item, title and page."""

    content_type_id: int
    object_id: int
    code: str
    label: str
    url: str
    date: dt.date | None

    @property
    def key(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


def link_candidates(item: PlanItem, limit: int = 200) -> list[Candidate]:
    """The records of the plan's unit and period that the evaluation counts for the item's instruction
    items (compliance.measures: done states only, nothing in the future), newest first, at most `limit`
    per item code: what the officer may link to the item (A1). One query per code."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from ravabet.compliance.measures import MEASURES, evidence_queryset

    plan = item.plan
    start, end = plan.period()
    found = []
    for code in item.codes:
        measure = MEASURES.get(code)
        if measure is None or measure.kind == "timely" or measure.model is Plan or measure.model is PlanItem:
            continue
        records = evidence_queryset(measure, start, end, [plan.unit_id])
        if records is None:
            continue
        content_type = ContentType.objects.get_for_model(measure.model)
        order = measure.date or (measure.month_fields[0] if measure.month_fields else "pk")
        for record in records.order_by(f"-{order}", "-pk")[:limit]:
            label = str(getattr(record, measure.title)) if measure.title else str(record)
            if measure.link:
                url = reverse(measure.link, args=[record.pk])
            else:
                url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
            when = getattr(record, measure.date, None) if measure.date and "__" not in measure.date else None
            if isinstance(when, dt.datetime):
                when = timezone.localtime(when).date()
            found.append(Candidate(content_type.pk, record.pk, code, label[:250], url, when))
    return found


@dataclass
class PlanSummary:
    percent: int
    done: int
    behind: int


def summarize(progress: list[ItemProgress]) -> PlanSummary:
    """A plan's items in three numbers: mean completion, items done, items behind."""
    if not progress:
        return PlanSummary(percent=0, done=0, behind=0)
    return PlanSummary(percent=sum(p.percent for p in progress) // len(progress),
                       done=sum(p.done for p in progress), behind=sum(p.behind for p in progress))


def store_summary(plan: Plan, progress: list[ItemProgress] | None = None) -> PlanSummary:
    """Keep the plan's progress summary on its row (read by the lists); writes only when it changed."""
    summary = summarize(plan_progress(plan) if progress is None else progress)
    fields = {"progress_percent": summary.percent, "done_count": summary.done, "behind_count": summary.behind}
    changed = any(getattr(plan, name) != value for name, value in fields.items()) or plan.progress_at is None
    if changed:
        fields["progress_at"] = timezone.now()
        Plan.objects.filter(pk=plan.pk).update(**fields)
        for name, value in fields.items():
            setattr(plan, name, value)
    return summary


def plans_to_refresh(today: dt.date | None = None, limit: int = 500):
    """Plans whose progress can still move (their period ends at most 40 days ago) or was never computed."""
    today = today or jalali.today()
    j = jalali.to_jalali(today - dt.timedelta(days=40))
    recent = Q(year__gt=j.year) | Q(year=j.year, month__isnull=True) | Q(year=j.year, month__gte=j.month)
    return Plan.objects.filter(recent | Q(progress_at__isnull=True)).select_related("unit") \
        .order_by(F("progress_at").asc(nulls_first=True), "pk")[:limit]


def refresh_summaries(today: dt.date | None = None, limit: int = 500) -> int:
    count = 0
    for plan in plans_to_refresh(today, limit):
        store_summary(plan)
        count += 1
    return count


def _plain(value):
    """A section's data as JSON a snapshot can keep: dates in Jalali, numbers as numbers, the rest as text."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return jalali.format_datetime(value)
    if isinstance(value, dt.date):
        return jalali.format_date(value)
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def compile_sections(unit, year: int, month: int) -> list[dict]:
    """Every registered report section built for the unit's month, in their order."""
    start, end = jalali.month_bounds(year, month)
    compiled = []
    for section in sorted(REPORT_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        try:
            data = section.build(unit, start, end) or {}
        except Exception:  # noqa: BLE001 — one broken part must not stop the whole report
            logger.exception("report section %s failed for unit %s %s/%s", section.key, unit.pk, year, month)
            data = {"error": "این بخش ساخته نشد؛ دوباره گردآوری کنید."}
        data = _plain(data) if isinstance(data, dict) else {}
        compiled.append({"key": section.key, "title": section.title, "items": list(section.items),
                         "counts": [[str(label), value] for label, value in data.get("counts", [])],
                         "table": data.get("table") or None, "highlights": list(data.get("highlights", [])),
                         "photos": list(data.get("photos", [])), "error": data.get("error", "")})
    return compiled


def training_hours(unit_ids, year: int):
    """Per person of the units (ids) who has a training recorded (not archived): the Jalali year's `hours`
    and number of trainings `courses`, with the unit, ordered by unit name and person name (one query)."""
    from ravabet.offices.models import Person

    start, end = year_bounds(year)
    in_year = Q(trainings__date__range=(start, end), trainings__is_archived=False)
    trained = Training.objects.filter(unit_id__in=unit_ids, is_archived=False).values("person_id")
    return (Person.objects.filter(unit_id__in=unit_ids, pk__in=trained)
            .annotate(hours=Sum("trainings__hours", filter=in_year, default=Decimal(0)),
                      courses=Count("trainings", filter=in_year))
            .select_related("unit").order_by("unit__name", "full_name"))


def training_summary(unit_ids, year: int, target, units=()) -> list[dict]:
    """HQ's first view of the year's training (A4): one row per unit instead of every trained person of the
    province (issue 11). In: the unit ids, the Jalali year, the yearly target in hours per person and `units`,
    the units to show even when they recorded nothing (the page's `?unit=` choices). Out: dicts with
    `unit_id`, `name`, `people` (people trained in the year), `reached` (of them, those whose year's hours
    reach the target), `courses` and `hours` (the trainings the unit recorded in the year, archived ones
    left out), ordered by unit name. Two grouped queries, whatever the number of people."""
    start, end = year_bounds(year)
    year_trainings = Training.objects.filter(unit_id__in=unit_ids, date__range=(start, end), is_archived=False) \
        .order_by()
    reached = Counter(year_trainings.values("unit_id", "person_id").annotate(total=Sum("hours"))
                      .filter(total__gte=target).values_list("unit_id", flat=True))
    rows = {unit.pk: {"unit_id": unit.pk, "name": unit.name, "people": 0, "reached": 0, "courses": 0,
                      "hours": Decimal(0)} for unit in units}
    for row in year_trainings.values("unit_id", "unit__name").annotate(
            people=Count("person_id", distinct=True), courses=Count("pk"), hours=Sum("hours")):
        rows[row["unit_id"]] = {"unit_id": row["unit_id"], "name": row.pop("unit__name"), **row,
                                "reached": reached[row["unit_id"]]}
    return sorted(rows.values(), key=lambda row: (row["name"], row["unit_id"]))


def training_hours_total(unit, start: dt.date, end: dt.date) -> Decimal:
    return Training.objects.filter(unit=unit, date__range=(start, end), is_archived=False).aggregate(
        total=Sum("hours", default=Decimal(0)))["total"]
