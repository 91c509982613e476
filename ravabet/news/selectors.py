"""Reads that cross relations: the desk queue, the public list, the daily compliance grid, diffs."""

import datetime as dt
import difflib
import math
import re
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.functional import cached_property

from ravabet.lib import jalali
from ravabet.lib.paging import BoundedPaginator, OpenEndedPaginator
from ravabet.lib.templatetags.options import select_options
from ravabet.lib.text import search_key
from ravabet.lib.urls import urls_by_last_arg
from ravabet.lib.workdays import Calendar
from ravabet.offices.models import Unit, UnitKind

from .models import SENT_STATES, News, NewsState
from .text import plain

WORDS = re.compile(r"\n|[^\s]+")
FIELD_LABELS = {"title": "تیتر", "lead": "لید", "body": "متن"}


class KeysFirstPaginator(BoundedPaginator):
    """A Paginator over an ordered queryset that skips the rows before a deep page by their keys alone
    (a "deferred join", issue 11 §4): the page's primary keys are read in the list's order (no joins, no
    wide columns for the skipped rows), then only those rows with their relations. Counted up to
    BoundedPaginator.COUNT_CAP rows, open-ended past it. Two queries a page (plus the count); `object_list`
    must be a queryset."""

    def _read(self, number: int) -> list:
        start = (number - 1) * self.per_page
        keys = list(self.object_list.values_list("pk", flat=True)[start:start + self.per_page + 1])
        return list(self.object_list.filter(pk__in=keys)) if keys else []

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


def _published(params, since: dt.date | None = None, until: dt.date | None = None) -> QuerySet:
    queryset = News.objects.filter(state=NewsState.PUBLISHED)
    if params.get("unit"):
        queryset = queryset.filter(unit__code=params["unit"])
    if since:
        queryset = queryset.filter(news_date__gte=since)
    if until:
        queryset = queryset.filter(news_date__lte=until)
    return queryset


def search_words(params) -> list[str]:
    """The public search's words (list of str): the query `q` folded by lib.text.search_key and split, at most
    8; [] for no query. An item matches when its search key contains every word (a word inside a longer one
    counts: «راه» finds «راهها» and «همراه»), on SQLite and PostgreSQL alike."""
    return search_key(params.get("q") or "").split()[:SEARCH_WORDS]


class NewsCard(NamedTuple):
    """A published item as a card of the public newsroom shows it (news/public_list.html): its id, title, lead,
    publication time (aware datetime), unit's name and cover thumbnail (a file name in the default storage, or
    None). Read as plain values (CARD_COLUMNS): no model instances, no body, search key or submitted version (a
    search page's largest columns), about a millisecond less of a search page's CPU than News rows (issue 18 §5)."""

    pk: int
    title: str
    lead: str
    published_at: dt.datetime
    unit_name: str
    thumbnail: str | None
    url: str = ""  # the item's public page

    @property
    def thumbnail_url(self) -> str:
        """The thumbnail's URL in the default storage ("" without a cover or thumbnail)."""
        return default_storage.url(self.thumbnail) if self.thumbnail else ""


CARD_COLUMNS = ("pk", "title", "lead", "published_at", "unit__name", "cover__thumbnail")


def news_cards(rows) -> list[NewsCard]:
    """NewsCard of each row (tuples of CARD_COLUMNS, as `public_news(cards=True)` and a search page read them), with
    its public page's address (one reverse for all: a `{% url %}` a card was a third of the page's drawing)."""
    page = urls_by_last_arg("news:public_detail")
    return [NewsCard(*row, url=page(row[0])) for row in rows]


def public_news(params=None, since: dt.date | None = None, until: dt.date | None = None,
                cards: bool = False) -> QuerySet:
    """Published news, newest first (published_at, then id, both descending), with unit and cover joined.
    `params` (a mapping, e.g. request.GET): `unit` a unit code, `q` search words (see `search_words`);
    `since`/`until` (dates, inclusive, optional): the news date's range (the API's date filters); `cards`: tuples of
    CARD_COLUMNS instead of News (for news_cards)."""
    params = params or {}
    queryset = _published(params, since, until)
    condition = Q()
    for word in search_words(params):
        condition &= Q(search_key__contains=word)
    return _shaped(queryset.filter(condition).order_by(*PUBLIC_ORDER), cards)


# How many of the newest published items a search reads in date order before it asks the word index.
SEARCH_WINDOW = 4000
# A query word found inside more distinct key words than this is left to the other words' index conditions
# (it is still tested on each item found): such a word is short and frequent, its index condition would be
# a union of most posting lists.
KEY_WORDS_LIMIT = 100


def _newest_matches(params, words: list[str], start: int, stop: int, since=None, until=None) -> tuple[str, list]:
    """SQL and parameters of the ids of the matches `start`…`stop` (0-based, newest first) among the
    SEARCH_WINDOW newest published items (PostgreSQL): it reads the date index newest first and stops at the
    `stop`-th match."""
    window = (_published(params, since, until).order_by(*PUBLIC_ORDER)
              .values("pk", "published_at", "search_key")[:SEARCH_WINDOW])
    window_sql, window_params = window.query.sql_with_params()
    # strpos(key, word) > 0 is `search_key LIKE '%word%'` (Django's contains) without LIKE's wildcards to escape
    # and without the planner trying the pattern on the column's 1,000 sampled values (news 0009): the plan
    # here is fixed.
    contains = " AND ".join(["strpos(w.search_key, %s) > 0"] * len(words))
    return (f"SELECT w.pk FROM ({window_sql}) w WHERE {contains} "
            f"ORDER BY w.published_at DESC, w.pk DESC LIMIT %s OFFSET %s",
            [*window_params, *words, stop - start, start])


def key_words_containing(words: list[str]) -> list[list[str] | None]:
    """PostgreSQL only. For each of `words` (folded query words, no space), the distinct words of the items'
    search keys that contain it, read from news_search_word through its trigram index (news 0010) in one query;
    None for a word inside more than KEY_WORDS_LIMIT of them. [] means no item's key contains that word."""
    # One SELECT per word, each with its pattern written in (not a parameter of a join), so that its plan can
    # use the trigram index: the planner sees the pattern's letters.
    one = "SELECT %s, ARRAY(SELECT word FROM news_search_word WHERE word LIKE %s LIMIT %s)"
    params = []
    for number, word in enumerate(words):
        params += [number, "%" + connection.ops.prep_for_like_query(word) + "%", KEY_WORDS_LIMIT + 1]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([one] * len(words)), params)
        found = [keys for _number, keys in sorted(cursor.fetchall())]
    return [None if len(keys) > KEY_WORDS_LIMIT else keys for keys in found]


# The word index by period (news 0011) holds each key word with the 30-day period of the item's publication.
PERIOD_SECONDS = 30 * 86400
# At most this many `word@period` terms in one condition of that index (each is a look-up in its entry tree); a
# wider one (many key words over many periods) goes to the word index of news 0010.
PERIOD_TERMS_LIMIT = 400


def word_period_terms(found: list[str], newer_than: dt.datetime, now: dt.datetime | None = None) -> list[str] | None:
    """PostgreSQL only. The elements of the word index by period (news 0011, `word@period`) that an item published
    at or after `newer_than` (an aware datetime) and having one of the key words `found` has: each word with every
    30-day period (whole PERIOD_SECONDS spans since 1970-01-01 UTC) from newer_than's to the one after `now`'s
    (default: the current time; News.publish stamps the publishing moment, so no published item is later). None
    when they are more than PERIOD_TERMS_LIMIT."""
    now = now or timezone.now()
    last = math.floor(now.timestamp() / PERIOD_SECONDS) + 1
    first = min(math.floor(newer_than.timestamp() / PERIOD_SECONDS), last)
    if len(found) * (last - first + 1) > PERIOD_TERMS_LIMIT:
        return None
    return [f"{word}@{period}" for word in found for period in range(first, last + 1)]


def _word_condition(found: list[str], newer_than: dt.datetime | None) -> tuple[RawSQL, bool]:
    """The index condition (PostgreSQL) of one query word whose key words are `found`, and whether it bounds the
    publication: through the word index by period (news 0011) for the items published in or after the 30-day
    period of `newer_than` when its terms are few enough (True), else through the word index (news 0010, False)."""
    terms = word_period_terms(found, newer_than) if newer_than is not None else None
    if terms is None:
        return RawSQL("string_to_array(search_key, ' ') && %s::text[]", (found,), output_field=BooleanField()), False
    return RawSQL("news_search_word_periods(search_key, published_at) && %s::text[]", (terms,),
                  output_field=BooleanField()), True


def _indexed_matches(params, words: list[str], keys: list[list[str] | None], start: int, stop: int, since=None,
                     until=None, *, newer_than: dt.datetime | None = None,
                     indexed: set[int] | None = None) -> tuple[str, list] | None:
    """PostgreSQL only. SQL and parameters of the ids of the matches `start`…`stop` (0-based, newest first) of the
    whole search, read through the word index (news 0010): a key contains a query word exactly when one of its
    space-separated words does, so a query word becomes `string_to_array(search_key, ' ') && <the key words
    containing it>` (GIN), and every word is still tested with strpos on the rows found. `keys`:
    key_words_containing(words); `indexed` (positions in `words`, default all) the words given such a condition;
    `newer_than` (a datetime, optional) keeps the items published at or after it, or at or after the start of its
    30-day period when a condition reads only the latest periods' posting lists (the word index by period, news
    0011; see _word_condition): the page is then the full search's only when it comes back full. None when no
    chosen word has an index condition (every one is inside too many key words, see KEY_WORDS_LIMIT); ("", [])
    when a word is in no key at all (no item matches)."""
    if any(found == [] for found in keys):
        return "", []
    chosen = [_word_condition(found, newer_than) for number, found in enumerate(keys)
              if found is not None and (indexed is None or number in indexed)]
    if not chosen:
        return None
    conditions = [condition for condition, _bounded in chosen]
    queryset = _published(params, since, until)
    if newer_than is not None and not any(bounded for _condition, bounded in chosen):
        queryset = queryset.filter(published_at__gte=newer_than)
    # Else a period condition bounds the items to those published since its first period began (before
    # `newer_than`): still every item newer than a bound, so a full page is the full search's page. Without the
    # date condition the planner cannot AND the date index's bitmap (64,000 entries, 2.5 ms) to the period
    # condition's few hundred.
    # strpos first: when the planner reads the date index for a range and filters (instead of ANDing the two
    # indexes' bitmaps), the cheap test runs on every row and the costly string_to_array only on those it passed.
    for word in words:
        queryset = queryset.filter(RawSQL("strpos(search_key, %s) > 0", (word,), output_field=BooleanField()))
    for condition in conditions:
        queryset = queryset.filter(condition)
    matches_sql, matches_params = queryset.order_by().values("pk", "published_at").query.sql_with_params()
    # Every match is read first (MATERIALIZED: the bitmap of the word index), then sorted: asked for the newest
    # 13 at once, the planner may read the date index newest first filtering each item instead, which for a
    # rare pair of words means most of the table (150 ms seen with a 224-word condition).
    return (f"WITH m AS MATERIALIZED ({matches_sql}) SELECT m.pk FROM m "
            f"ORDER BY m.published_at DESC, m.pk DESC LIMIT %s OFFSET %s", [*matches_params, stop - start, start])


@dataclass(frozen=True)
class SearchStatistics:
    """What PostgreSQL's ANALYZE knows about the news (see search_statistics): `shares` {key word: share of items
    whose key has it} for the 1,000 most common key words, `floor` the share below which the other key words lie,
    `published` the published items (estimated), `bounds` the published_at histogram (ascending datetimes, each
    step about the same number of items)."""

    shares: dict
    floor: float
    published: float
    bounds: list

    def share(self, found: list[str] | None) -> float:
        """At most this share of items has one of the key words `found` (None: too many to know, 1.0)."""
        if found is None:
            return 1.0
        return min(1.0, sum(self.shares.get(key, self.floor) for key in found))

    def newest(self, items: float) -> dt.datetime | None:
        """The published_at after which about the newest `items` published items lie (read from the histogram,
        straight between its bounds); None when that is a quarter of them or more."""
        steps = len(self.bounds) - 1
        if steps < 1 or self.published <= 0 or items * 4 >= self.published:
            return None
        position = steps - items / self.published * steps  # in histogram steps from the oldest bound
        below = math.floor(position)
        older, newer = self.bounds[below], self.bounds[min(below + 1, steps)]
        return older + (newer - older) * (position - below)


NO_STATISTICS = SearchStatistics({}, 1.0, 0.0, [])
# How long a worker keeps the statistics (search_statistics) before it reads them again.
STATISTICS_AGE = 600.0
_statistics: dict = {}


def search_statistics() -> SearchStatistics:
    """PostgreSQL only. The SearchStatistics of the news, from pg_stats and pg_class in one query: the most common
    elements of the word index's expression (news 0010: ANALYZE samples `string_to_array(search_key, ' ')` and keeps
    its 1,000 most common words with their shares) and the histogram of published_at. NO_STATISTICS before the
    first ANALYZE. Read once every STATISTICS_AGE seconds per worker; used only to choose how a search page is
    read, never what it holds."""
    now = time.monotonic()
    if _statistics and now - _statistics["read_at"] < STATISTICS_AGE:
        return _statistics["value"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.most_common_elems::text::text[], e.most_common_elem_freqs, "
            "       h.histogram_bounds::text::timestamptz[], c.reltuples * (1 - coalesce(h.null_frac, 1)) "
            "FROM pg_class c "
            "LEFT JOIN pg_stats e ON e.schemaname = current_schema() AND e.tablename = 'news_news_search_words' "
            "LEFT JOIN pg_stats h ON h.schemaname = current_schema() AND h.tablename = 'news_news' "
            "                    AND h.attname = 'published_at' "
            "WHERE c.oid = 'news_news'::regclass")
        elements, shares, bounds, published = cursor.fetchone()
    value = NO_STATISTICS
    if elements and shares:
        # The shares are followed by their minimum, their maximum and the share of empty elements.
        value = SearchStatistics(dict(zip(elements, shares[:len(elements)], strict=True)), shares[len(elements)],
                                 float(published or 0), list(bounds or []))
    _statistics.update(read_at=now, value=value)
    return value


def window_holds(words: list[str], wanted: int, statistics: SearchStatistics) -> bool:
    """PostgreSQL only. Whether the SEARCH_WINDOW newest items surely hold `wanted` (int) matches of all `words`
    (folded query words, taken as independent): the items having each query word as a whole key word (a lower
    bound of its share) make twice `wanted` likely. True without statistics (the window is then tried first)."""
    if not statistics.shares:
        return True
    lower = math.prod(statistics.shares.get(word, 0.0) for word in words)
    return lower * SEARCH_WINDOW >= 2 * wanted


# A word index condition whose words are in at most this share of the items is cheap to read (its posting lists),
# so it is added to the rarest word's even when that one would do.
CHEAP_SHARE = 0.05
# Below this many items (estimated) through the rarest word's condition, the date index is not worth ANDing.
FEW_ITEMS = 1000


def _indexed_page(params, words: list[str], keys: list[list[str] | None], start: int, stop: int, since, until,
                  statistics: SearchStatistics, *, windowed: bool, cards: bool = False) -> list | None:
    """PostgreSQL only. The News (CARD_COLUMNS tuples with `cards`) of matches `start`…`stop` for a search whose
    words' key words are `keys` (key_words_containing), after the window was read (`windowed`) or not. The
    statistics bound how many of the newest items hold three times the page (the words taken as independent,
    each in at most the share of its key words):
    - when that fits in the window and it was not read yet, the window (_newest_matches);
    - else the word index (see _indexed_matches) among that many newest items (the date index's bitmap ANDed
      with the word index's: a few dozen rows read instead of every match; 80 ms for 2,500 matches at a million
      items), a range that comes back short widened 8 times, up to every item.
    Only the rarest word and the cheap ones (CHEAP_SHARE) get an index condition: a frequent word's posting lists
    cost more to read (19 ms seen) than testing it on the rows found. Without statistics: the word index over
    every item, every word with its condition. None when the word index cannot answer (as _indexed_matches)."""
    shares = [statistics.share(found) for found in keys]
    indexed = None
    items = None
    if statistics.shares and statistics.published > 0:
        rarest = min(range(len(words)), key=shares.__getitem__)
        indexed = {n for n, share in enumerate(shares) if n == rarest or share <= CHEAP_SHARE}
        together = math.prod(shares)  # at most this share of the items has every word
        if together > 0 and statistics.published * shares[rarest] > FEW_ITEMS:
            items = 3 * stop / together
    if items is not None and items <= SEARCH_WINDOW and not windowed:
        rows = _rows(*_newest_matches(params, words, start, stop, since, until), cards)
        if len(rows) == stop - start:
            return rows
        items = SEARCH_WINDOW * 8
    while True:
        newer_than = statistics.newest(items) if items is not None else None
        ids = _indexed_matches(params, words, keys, start, stop, since, until, newer_than=newer_than,
                               indexed=indexed)
        if ids is None:
            return None
        rows = _rows(*ids, cards)
        if newer_than is None or len(rows) == stop - start:
            return rows
        items *= 8


def _shaped(queryset: QuerySet, cards: bool) -> QuerySet:
    """`queryset` of News with unit and cover joined, or its tuples of CARD_COLUMNS when `cards`."""
    return queryset.values_list(*CARD_COLUMNS) if cards else queryset.select_related("unit", "cover")


# CARD_COLUMNS read for a page of ids (PostgreSQL; the tables and columns of the migrations), written out: the ORM's
# query building cost 0.75 ms of CPU a search page (issue 18 §5), three times the query's own reading.
CARDS_SQL = ("SELECT n.id, n.title, n.lead, n.published_at, u.name, c.thumbnail FROM news_news n "
             "JOIN offices_unit u ON u.id = n.unit_id LEFT JOIN photos_photo c ON c.id = n.cover_id "
             "WHERE n.id IN ({ids}) ORDER BY n.published_at DESC, n.id DESC")


def _rows(ids_sql: str, ids_params: list, cards: bool = False) -> list:
    """PostgreSQL only. The News (unit and cover joined, newest first), or tuples of CARD_COLUMNS when `cards`,
    whose ids the subquery gives, in one query. The rows are joined by id alone: with the search words repeated
    here the planner may go through the trigram index again (a bitmap of every match) instead of the 13 primary
    keys."""
    if not ids_sql:
        return []
    if cards:
        with connection.cursor() as cursor:
            cursor.execute(CARDS_SQL.format(ids=ids_sql), ids_params)
            return cursor.fetchall()
    return list(_shaped(News.objects.filter(pk__in=RawSQL(ids_sql, ids_params)).order_by(*PUBLIC_ORDER), False))


class PublicSearchPaginator(OpenEndedPaginator):
    """The public news search's pages (issue 18 §5), `OpenEndedPaginator` over `public_news(params)` (no count).
    `params` as public_news's; `since`/`until` optional dates (the API's news-date range); `cards`: pages of tuples
    of CARD_COLUMNS (for news_cards) instead of News.

    On PostgreSQL at a million items a page of matches is read in one of two ways, both bounded:
    1. newest first among the SEARCH_WINDOW newest items only (the date index, a scan that stops at the page's
       last match): a frequent word's page is found in its first few dozen items. When those hold the whole
       page, it is the page, exactly as the full query would give it (same order, nothing skipped).
    2. otherwise (the words are rare together: fewer than a page in 4,000 items) through the word index of
       news 0010: the key words containing each query word, then the items having them (GIN posting lists, a
       few hundred or thousand rows), sorted by date. The date index filtering every item, or the trigram
       index over the whole key (news 0006), took 80-170 ms for such a two-word search at a million items;
       this takes 4-15 ms.
    Which one comes first is chosen from PostgreSQL's statistics (`search_statistics`): words that as whole key
    words are common enough together for the window to hold the page (`window_holds`) read the window first;
    otherwise the key words are read first and `_indexed_page` reads the window only when even they could fill
    the page there, else the word index among the newest items that should hold it (the window would read its
    4,000 items for nothing: 9 ms at a million items). Either way the page is the full query's.
    When every word is too short or too common for the word index, and for a page past the window (page 334
    and on at 12 a page), the full query is read (the planner's choice: date index or trigram index). SQLite
    and a query without words read the full query at once, as OpenEndedPaginator does. Queries: one for a page
    found in the window (its ids in a subquery, the rows with unit and cover joined by id), else three (that
    one, the key words of every query word, the page through the word index; two when the window is skipped, one
    more for each widening of the newest items' range) or two (that one, then the full query); once every
    STATISTICS_AGE seconds a worker also reads the statistics."""

    def __init__(self, params, per_page: int, since: dt.date | None = None, until: dt.date | None = None,
                 cards: bool = False):
        self.params = params
        self.since, self.until = since, until
        self.cards = cards
        self.words = search_words(params)
        super().__init__((), per_page)
        # The full query is built when a page needs it (the object_list property): most PostgreSQL searches never
        # do, and building it cost 0.4 ms.
        del self.object_list

    @cached_property
    def object_list(self) -> QuerySet:
        """The full query, public_news(params, since, until, cards)."""
        return public_news(self.params, self.since, self.until, self.cards)

    def read(self, number: int) -> list:
        """The News (unit and cover joined; CARD_COLUMNS tuples with `cards`) of page `number` (int, from 1) and
        one more when a next page has any: [] past the end (get_page goes back to the last page instead). For the
        API's `?q=`."""
        return self._read(number)

    def _read(self, number: int) -> list:
        start = (number - 1) * self.per_page
        stop = start + self.per_page + 1
        if connection.vendor == "postgresql" and self.words and stop <= SEARCH_WINDOW:
            statistics = search_statistics()
            windowed = window_holds(self.words, stop, statistics)
            if windowed:
                rows = _rows(*_newest_matches(self.params, self.words, start, stop, self.since, self.until),
                             self.cards)
                if len(rows) == stop - start:
                    return rows
            keys = key_words_containing(self.words)
            rows = _indexed_page(self.params, self.words, keys, start, stop, self.since, self.until, statistics,
                                 windowed=windowed, cards=self.cards)
            if rows is not None:
                return rows
            if not windowed:  # every word too common for the word index: the window may still hold the page
                rows = _rows(*_newest_matches(self.params, self.words, start, stop, self.since, self.until),
                             self.cards)
                if len(rows) == stop - start:
                    return rows
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


# The public newsroom's unit filter, kept in Django's cache (see public_units).
PUBLIC_UNITS_KEY = "news:public-units:pairs"
PUBLIC_UNITS_AGE = 120


class PublicUnit(NamedTuple):
    """A unit as the public newsroom's filter shows it: its code (str, the `?unit=` value) and name (str)."""

    code: str
    name: str


def public_units() -> list[PublicUnit]:
    """The active units of the public newsroom's unit filter, HQ first then by name, as PublicUnit pairs (a
    search page that misses the page cache reads them on every request: plain tuples cost a tenth of unpickling
    30 Unit objects). Kept in Django's cache for PUBLIC_UNITS_AGE seconds (the newsroom page's own max-age): a
    unit saved or deleted through the ORM empties it (receivers.forget_public_units) at once where the cache is
    shared (Redis), else in the worker that saved it and in the others within that age, as the cached newsroom
    pages themselves."""
    units = cache.get(PUBLIC_UNITS_KEY)
    if units is None:
        units = [PublicUnit(*row) for row in Unit.objects.filter(is_active=True).order_by("kind", "name")
                 .values_list("code", "name")]
        cache.set(PUBLIC_UNITS_KEY, [tuple(unit) for unit in units], PUBLIC_UNITS_AGE)
        return units
    return [PublicUnit(*unit) for unit in units]


def unit_options(units: list[PublicUnit], selected: PublicUnit | None) -> str:
    """The `<option>`s of the newsroom's unit filter (safe HTML, names and codes escaped) for `units`, the one of
    `selected` (one of them, or None) marked selected: built here instead of by a template loop (a third of the
    page's template time for 30 units)."""
    return select_options(units, selected.code if selected is not None else None)


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
