"""Reads: which cases a user may see, deadline flags, duplicates and figures."""

import datetime as dt
import difflib
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Func, IntegerField, Q, QuerySet
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.text import search_key
from ravabet.lib.workdays import add_working_days
from ravabet.offices.access import scoped
from ravabet.offices.models import Person
from ravabet.offices.roles import WORK_ROLES

from .models import OPEN_STATES, Answer, Case, Channel, Kind, State
from .tracking import normalize_code

DUPLICATE_DAYS = 30
DUPLICATE_RATIO = 0.6
DUE_SOON_DAYS = 2


def cases_for(access, *, listing: bool = False) -> QuerySet:
    """Every case the user may open: those of the units where they work (the access API's `scoped`), and
    those referred to them (an employee with no unit role must still reach the case). Anything else 404.

    `listing=True` gives the same cases for reading a page of the list newest first: for someone who sees
    several units (HQ) the unit condition is written `+unit_id IN (…)`, which no index serves, so the
    database walks the created_at index newest first and stops after the page, instead of reading every
    case of every unit through the (unit, …) index and sorting the province's cases (issue 11: 200 ms a
    page on SQLite at 100k cases). Count with the plain queryset: the indexed IN counts fastest."""
    if not access.user.is_authenticated:
        return Case.objects.none()
    # The OR is added only when a case outside the user's units is referred to them (one indexed lookup):
    # under an OR, SQLite can neither walk an index in the list's order nor, with a join on
    # referred_to.user, use any index at all, and reads the province's cases whole (issue 11 §3).
    units = access.unit_ids(WORK_ROLES)
    referred = Case.objects.filter(referred_to_id__in=Person.objects.filter(user=access.user).values("pk"))
    if _referred_elsewhere(access, referred, units):
        return Case.objects.filter(unit_id__in=units) | referred
    if listing and len(units) > 1:
        return Case.objects.alias(listed_unit=Func(F("unit_id"), template="+%(expressions)s",
                                                   output_field=IntegerField())).filter(listed_unit__in=units)
    return scoped(access, Case.objects.all(), WORK_ROLES)


def _referred_elsewhere(access, referred: QuerySet, units: list[int]) -> bool:
    """Whether a case outside `units` is referred to the user: asked once per Access (one request), since a
    list page asks for its cases twice (counted and listed)."""
    kept = access.__dict__.setdefault("_complaints_referred_elsewhere", {})
    key = tuple(units)
    if key not in kept:
        kept[key] = referred.exclude(unit_id__in=units).exists()
    return kept[key]


@dataclass(frozen=True)
class Flags:
    """Yellow two working days before the deadline, red after it; computed once per page."""

    today: dt.date
    due_soon_until: dt.date

    @classmethod
    def now(cls) -> "Flags":
        today = jalali.today()
        return cls(today=today, due_soon_until=add_working_days(today, DUE_SOON_DAYS))

    def level(self, case: Case) -> str:
        """"danger" past the deadline without an answer (open, or closed without one after it), "warning"
        within two working days of it, else ""."""
        if case.state == State.CLOSED_UNANSWERED:
            return "danger" if case.closed_late else ""
        if case.state not in OPEN_STATES:
            return ""
        if case.deadline < self.today:
            return "danger"
        if case.deadline <= self.due_soon_until:
            return "warning"
        return ""

    def overdue(self) -> Q:
        """Open and past the deadline: what still needs doing (red rows, the unit's home, escalation)."""
        return Q(state__in=OPEN_STATES, deadline__lt=self.today)

    def late(self) -> Q:
        """Past the deadline without an answer: open ones, and ones closed without an answer after their
        deadline, so closing a late case does not take it off HQ's list or out of the figures."""
        # closed_late is stamped by the close_unanswered step: a column compare, no per-row date cast (issue 11).
        return self.overdue() | Q(state=State.CLOSED_UNANSWERED, closed_late=True)

    def due_soon(self) -> Q:
        return Q(state__in=OPEN_STATES, deadline__gte=self.today, deadline__lte=self.due_soon_until)


def received_period(params) -> tuple[dt.date | None, dt.date | None]:
    """The list's `start` and `end` parameters (Jalali dates in any digits, as the figures page writes its
    period) as Gregorian dates; a missing or unreadable one is None (no bound on that side)."""
    found = []
    for name in ("start", "end"):
        try:
            found.append(jalali.parse_date(params.get(name, "")) if params.get(name, "").strip() else None)
        except (jalali.JalaliParseError, ValueError):
            found.append(None)
    return found[0], found[1]


def filter_cases(queryset: QuerySet, params, flags: Flags) -> QuerySet:
    """The list filters, from GET parameters; unknown values are ignored rather than failing. `due` is
    `soon`, `overdue` (open past the deadline) or `late` (past the deadline without an answer, open or
    closed: the figures' overdue cases); `start`/`end` keep the cases received in that Jalali period. The
    `?unit=` choice is the access API's `narrow`, applied by the views."""
    state = params.get("state", "")
    if state in State.values:
        queryset = queryset.filter(state=state)
    kind = params.get("kind", "")
    if kind in Kind.values:
        queryset = queryset.filter(kind=kind)
    channel = params.get("channel", "")
    if channel in Channel.values:
        queryset = queryset.filter(channel=channel)
    due = params.get("due", "")
    if due == "overdue":
        queryset = queryset.filter(flags.overdue())
    elif due == "late":
        queryset = queryset.filter(flags.late())
    elif due == "soon":
        queryset = queryset.filter(flags.due_soon())
    start, end = received_period(params)
    if start or end:
        queryset = queryset.filter(**jalali.in_days("created_at", start, end))
    query = params.get("q", "").strip()
    if query:
        code = normalize_code(query)
        condition = Q(search_key__contains=search_key(query))
        if len(code) == 12:
            condition |= Q(tracking_code=code)
        queryset = queryset.filter(condition)
    return queryset


DUPLICATE_CANDIDATES = 200


def suggested_duplicates(case: Case, visible: QuerySet, limit: int = 3) -> list[Case]:
    """Cases close to this one (subject and text compared on the folded search key, so spelling variants
    of ی/ک, ZWNJ and hamza do not hide a match) filed in the same unit, or from the same mobile, within 30
    days either side (issue 14). Returns up to `limit` cases, closest first; one query."""
    window = dt.timedelta(days=DUPLICATE_DAYS)
    around = case.created_at or timezone.now()
    same = Q(unit_id=case.unit_id)
    if case.citizen_mobile:
        same |= Q(citizen_mobile=case.citizen_mobile)
    candidates = visible.filter(same, created_at__gte=around - window, created_at__lte=around + window) \
        .exclude(pk=case.pk).order_by("-created_at") \
        .only("pk", "tracking_code", "subject", "search_key", "created_at", "state", "followup")[:DUPLICATE_CANDIDATES]
    scored = []
    for other in candidates:
        ratio = difflib.SequenceMatcher(None, case.search_key, other.search_key).ratio()
        if ratio >= DUPLICATE_RATIO:
            scored.append((ratio, other))
    scored.sort(key=lambda pair: -pair[0])
    return [other for _, other in scored[:limit]]


def _counts(prefix: str, field: str, choices) -> dict:
    return {f"{prefix}_{value}": Count("pk", filter=Q(**{field: value})) for value in choices.values}


def outcome_counts(flags: Flags) -> dict:
    """Aggregates of how cases ended: answered (an answer stands), in time, closed without an answer,
    open past the deadline, and late (past the deadline without an answer, closed or not)."""
    return {"answered": Count("pk", filter=Q(answered_at__isnull=False)),
            "in_time": Count("pk", filter=Q(answered_in_time=True)),
            "closed_unanswered": Count("pk", filter=Q(state=State.CLOSED_UNANSWERED)),
            "open_late": Count("pk", filter=flags.overdue()),
            "late": Count("pk", filter=flags.late())}


def in_time_percent(row: dict) -> int | None:
    """Answered in time, in percent of the cases that are due: answered, closed without an answer, or
    open past the deadline (a case closed without an answer never counts as answered in time). None
    when no case is due yet."""
    due = row["answered"] + row["closed_unanswered"] + row["open_late"]
    return round(100 * row["in_time"] / due) if due else None


def _ratings(queryset: QuerySet):
    """Ratings belong to answers (each version its own): the answers of the cases in `queryset`."""
    return Answer.objects.filter(case__in=queryset.order_by().values("pk"), rating__isnull=False)


def _due_counts(prefix: str, field: str, choices, flags: Flags) -> dict:
    """Per value: cases that are due (answered, closed without an answer, or open past the deadline) and
    those answered in time, for "answered in time" by kind and by channel in the same query."""
    due = Q(answered_at__isnull=False) | Q(state=State.CLOSED_UNANSWERED) | flags.overdue()
    counts = {}
    for value in choices.values:
        counts[f"{prefix}_due_{value}"] = Count("pk", filter=Q(**{field: value}) & due)
        counts[f"{prefix}_intime_{value}"] = Count("pk", filter=Q(**{field: value}, answered_in_time=True))
    return counts


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def figures(queryset: QuerySet, flags: Flags) -> dict:
    """Counts by kind, state and channel, answered in time (overall, by kind and by channel: every case
    whose deadline has passed counts, answered late or not at all), answer time and satisfaction: two
    queries whatever the number of cases (issue 14)."""
    row = queryset.aggregate(
        total=Count("pk"), **outcome_counts(flags), avg_days=Avg("answer_working_days"),
        **_counts("kind", "kind", Kind), **_counts("state", "state", State), **_counts("channel", "channel", Channel),
        **_due_counts("kind", "kind", Kind, flags), **_due_counts("channel", "channel", Channel, flags),
    )
    ratings = _ratings(queryset).aggregate(avg=Avg("rating"), count=Count("pk"))
    return {
        "total": row["total"],
        "answered": row["answered"],
        "closed_unanswered": row["closed_unanswered"],
        "in_time_percent": in_time_percent(row),
        "overdue": row["late"],
        "avg_days": round(row["avg_days"], 1) if row["avg_days"] is not None else None,
        "avg_rating": round(ratings["avg"], 1) if ratings["avg"] is not None else None,
        "rated": ratings["count"],
        "by_kind": [(label, row[f"kind_{value}"], _percent(row[f"kind_intime_{value}"], row[f"kind_due_{value}"]))
                    for value, label in Kind.choices],
        "by_state": [(label, row[f"state_{value}"]) for value, label in State.choices],
        "by_channel": [(label, row[f"channel_{value}"],
                        _percent(row[f"channel_intime_{value}"], row[f"channel_due_{value}"]))
                       for value, label in Channel.choices],
    }


def figures_by_unit(queryset: QuerySet, flags: Flags) -> list[dict]:
    """One row per unit for HQ's table: two grouped queries."""
    rows = queryset.values("unit_id", "unit__name").annotate(
        total=Count("pk"), **outcome_counts(flags), avg_days=Avg("answer_working_days"),
    ).order_by("unit__name")
    ratings = dict(_ratings(queryset).order_by().values("case__unit_id").annotate(avg=Avg("rating"))
                   .values_list("case__unit_id", "avg"))
    return [{**row, "overdue": row["late"], "in_time_percent": in_time_percent(row),
             "avg_rating": ratings.get(row["unit_id"])} for row in rows]


TREND_MONTHS = 12


start_of_day = jalali.start_of_day  # kept for callers in this app; the one helper is in ravabet.lib.jalali


def monthly_trend(queryset: QuerySet, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """Cases received and answered in time per Jalali month, for the figures chart: one query.

    Each month is a pair of conditional counts over a created_at range (plain comparisons on an
    indexed column; grouping by a truncated date would call a function on every row, seconds at
    province scale on SQLite). Without a period, the last twelve Jalali months up to today.
    """
    end = end or jalali.today()
    last = jalali.to_jalali(end)
    if start is None:
        year, month = last.year, last.month
        for _ in range(TREND_MONTHS - 1):
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    else:
        first = jalali.to_jalali(start)
        year, month = first.year, first.month
    months = []
    while (year, month) <= (last.year, last.month):
        first_day, last_day = jalali.month_bounds(year, month)
        low = start_of_day(max(first_day, start) if start else first_day)
        high = start_of_day(min(last_day, end) + dt.timedelta(days=1))
        months.append((year, month, Q(created_at__gte=low, created_at__lt=high), low, high))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    counts = {}
    for index, (_, _, when, _, _) in enumerate(months):
        counts[f"t{index}"] = Count("pk", filter=when)
        counts[f"i{index}"] = Count("pk", filter=when & Q(answered_in_time=True))
    # The outer range lets the created_at index skip rows outside the chart.
    row = queryset.filter(created_at__gte=months[0][3], created_at__lt=months[-1][4]).aggregate(**counts) \
        if months else {}
    return {"labels": [f"{jalali.month_name(m)} {to_persian_digits(y)}" for y, m, *_ in months],
            "total": [row[f"t{i}"] for i in range(len(months))],
            "in_time": [row[f"i{i}"] for i in range(len(months))]}
