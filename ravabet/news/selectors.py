"""Reads that cross relations: the desk queue, the public list, the daily compliance grid, diffs."""

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet

from ravabet.lib import jalali
from ravabet.lib.paging import OpenEndedPaginator
from ravabet.lib.text import search_key
from ravabet.lib.workdays import Calendar
from ravabet.offices.models import Unit, UnitKind

from .models import SENT_STATES, News, NewsState
from .text import plain

WORDS = re.compile(r"\n|[^\s]+")
FIELD_LABELS = {"title": "تیتر", "lead": "لید", "body": "متن"}


class KeysFirstPaginator(Paginator):
    """A Paginator over an ordered queryset that skips the rows before a deep page by their keys alone
    (a "deferred join", issue 11 §4): the page's primary keys are read in the list's order (no joins, no
    wide columns for the skipped rows), then only those rows with their relations. Page numbers, count and
    templates stay Django's. Two queries a page (plus the count); `object_list` must be a queryset."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = list(self.object_list.filter(pk__in=keys)) if keys else []  # the same order, only this page
        return self._get_page(rows, number, self)


def with_list_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("unit", "author", "cover")


def filter_news(queryset: QuerySet, params) -> QuerySet:
    """Filters of the desk and the unit's list: state, kind, Jalali date range, text (the unit
    choice is the access API's `narrow`)."""
    if params.get("state") in NewsState.values:
        queryset = queryset.filter(state=params["state"])
    if params.get("kind") in {"news", "activity", "achievement"}:
        queryset = queryset.filter(kind=params["kind"])
    for name, lookup in (("from", "news_date__gte"), ("to", "news_date__lte")):
        if params.get(name):
            try:
                queryset = queryset.filter(**{lookup: jalali.parse_date(params[name])})
            except jalali.JalaliParseError:
                pass
    if params.get("q"):
        queryset = queryset.filter(search_key__contains=search_key(params["q"]))
    return queryset


PUBLIC_ORDER = ("-published_at", "-pk")
SEARCH_WORDS = 8


def _published(params) -> QuerySet:
    queryset = News.objects.filter(state=NewsState.PUBLISHED)
    if params.get("unit"):
        queryset = queryset.filter(unit__code=params["unit"])
    return queryset


def search_words(params) -> list[str]:
    """The public search's words (list of str): the query `q` folded by lib.text.search_key and split, at most
    8; [] for no query. An item matches when its search key contains every word (a word inside a longer one
    counts: «راه» finds «راهها» and «همراه»), on SQLite and PostgreSQL alike."""
    return search_key(params.get("q") or "").split()[:SEARCH_WORDS]


def public_news(params=None) -> QuerySet:
    """Published news, newest first (published_at, then id, both descending), with unit and cover joined.
    `params` (a mapping, e.g. request.GET): `unit` a unit code, `q` search words (see `search_words`)."""
    params = params or {}
    queryset = _published(params).select_related("unit", "cover")
    condition = Q()
    for word in search_words(params):
        condition &= Q(search_key__contains=word)
    return queryset.filter(condition).order_by(*PUBLIC_ORDER)


# How many of the newest published items a search reads in date order before it asks the trigram index.
SEARCH_WINDOW = 4000


def _newest_matches(params, words: list[str], start: int, stop: int) -> list[int]:
    """Ids of the matches `start`…`stop` (0-based, newest first) among the SEARCH_WINDOW newest published items:
    one PostgreSQL query that reads the date index (news_public) newest first and stops at the `stop`-th match."""
    window = _published(params).order_by(*PUBLIC_ORDER).values("pk", "published_at", "search_key")[:SEARCH_WINDOW]
    window_sql, window_params = window.query.sql_with_params()
    # strpos(key, word) > 0 is `search_key LIKE '%word%'` (Django's contains) without LIKE's wildcards to escape
    # and without the planner trying the pattern on the column's 1,000 sampled values (news 0009): the plan
    # here is fixed, only the fallback's needs the estimate.
    contains = " AND ".join(["strpos(w.search_key, %s) > 0"] * len(words))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT w.pk FROM ({window_sql}) w WHERE {contains} "
                       f"ORDER BY w.published_at DESC, w.pk DESC LIMIT %s OFFSET %s",
                       [*window_params, *words, stop - start, start])
        return [row[0] for row in cursor.fetchall()]


class PublicSearchPaginator(OpenEndedPaginator):
    """The public news search's pages (issue 18 §5), `OpenEndedPaginator` over `public_news(params)` (no count).

    On PostgreSQL at a million items the two ways to a page of matches each lose on half of the words: a
    frequent word is found in the first few dozen items read newest first through the date index, but through
    the trigram index it means fetching and sorting most of the table; a rare word is found at once through
    the trigram index but newest first means reading every item. The planner picks from its estimate of the
    word's share, and a wrong estimate costs a second. So a page is first read newest first among the
    SEARCH_WINDOW newest items only (a bounded scan that stops at the page's last match); when those hold the
    whole page, it is the page, exactly as the full query would give it (same order, nothing skipped). When
    they do not, the word is rare (fewer than a page in 4,000 items): the full query is read, which the
    planner answers through the trigram index (news 0006; column statistics of news 0009). SQLite, a query
    without words, and pages past the window read the full query at once, as OpenEndedPaginator does.
    Queries: two for a page found in the window (the ids, then the rows with unit and cover), else one or
    three."""

    def __init__(self, params, per_page: int):
        self.params = params
        self.words = search_words(params)
        super().__init__(public_news(params), per_page)

    def _read(self, number: int) -> list:
        start = (number - 1) * self.per_page
        stop = start + self.per_page + 1
        if connection.vendor == "postgresql" and self.words and stop <= SEARCH_WINDOW:
            ids = _newest_matches(self.params, self.words, start, stop)
            if len(ids) == stop - start:
                # The rows by their ids alone: with the search words repeated here the planner may go through
                # the trigram index again (a bitmap of every match) instead of the 13 primary keys.
                return list(News.objects.select_related("unit", "cover").filter(pk__in=ids).order_by(*PUBLIC_ORDER))
        return super()._read(number)


def diff_since_submission(news: News) -> list[dict]:
    """What HQ changed in the submitted text, word by word, per field."""
    result = []
    for name in ("title", "lead", "body"):
        before = news.submitted_version.get(name, "")
        after = getattr(news, name)
        if name == "body":
            before, after = plain(before), plain(after)
        if before == after:
            continue
        # Words, and paragraph breaks as tokens of their own, so the diff keeps the paragraphs.
        old_words, new_words = WORDS.findall(before), WORDS.findall(after)
        segments = []
        matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                segments.append(("equal", " ".join(old_words[a1:a2])))
            if op in ("delete", "replace"):
                segments.append(("delete", " ".join(old_words[a1:a2])))
            if op in ("insert", "replace"):
                segments.append(("insert", " ".join(new_words[b1:b2])))
        result.append({"label": FIELD_LABELS[name], "segments": segments})
    return result


def county_units() -> list[Unit]:
    return list(Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).order_by("name"))


def senders_between(start: dt.date, end: dt.date) -> set[tuple[int, dt.date]]:
    """(unit id, day) for every day a unit sent at least one news item with a photo."""
    # order_by(): the model's default ordering would join DISTINCT and force a sort of every row.
    return set(News.objects.filter(sent_on__range=(start, end), photo_count__gt=0, state__in=SENT_STATES)
               .order_by().values_list("unit_id", "sent_on").distinct())


@dataclass
class DayCell:
    day: dt.date
    working: bool
    sent: bool
    future: bool


@dataclass
class UnitRow:
    unit: Unit
    cells: list[DayCell]
    sent_days: int
    working_days: int

    @property
    def percent(self) -> int:
        return round(100 * self.sent_days / self.working_days) if self.working_days else 100


def month_grid(year: int, month: int, today: dt.date | None = None) -> dict:
    """Unit × day for a Jalali month in three queries (units, closures, senders), whatever the data size."""
    today = today or jalali.today()
    start, end = jalali.month_bounds(year, month)
    calendar = Calendar(start, end)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    sent = senders_between(start, end)
    rows = []
    for unit in county_units():
        cells = [DayCell(day=d, working=calendar.is_working_day(d), sent=(unit.pk, d) in sent, future=d > today)
                 for d in days]
        counted = [c for c in cells if c.working and not c.future]
        rows.append(UnitRow(unit=unit, cells=cells, sent_days=sum(c.sent for c in counted),
                            working_days=len(counted)))
    return {"days": [(d, calendar.is_working_day(d), calendar.off.get(d, "")) for d in days], "rows": rows,
            "start": start, "end": end}


def today_status(today: dt.date | None = None) -> dict:
    today = today or jalali.today()
    calendar = Calendar(today, today)
    sent = {unit_id for unit_id, _ in senders_between(today, today)}
    units = county_units()
    return {"today": today, "working": calendar.is_working_day(today), "holiday": calendar.off.get(today, ""),
            "sent": [u for u in units if u.pk in sent], "missing": [u for u in units if u.pk not in sent]}
