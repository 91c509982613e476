"""Paging a search result without counting it (issue 18 §5), and counting what the rows of one page hold.

Django's Paginator counts every matching row to number the pages: on PostgreSQL at a million news items a
search word found in most of them costs a count of hundreds of thousands of rows (3 s), while the page
itself is the newest 12 read through the date index (under 10 ms). `OpenEndedPaginator` reads the page and
one row more instead: the page knows whether a next page exists, never how many there are. Templates show
"page N" without "of M" when `paginator.open_ended` is true (includes/pagination.html).
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.utils.functional import cached_property

from .middleware import int_param


class OpenEndedPaginator(Paginator):
    """A Paginator over a queryset that never counts it: `get_page(number)` reads rows (number-1)·per_page
    up to number·per_page + 1 in one query. `count` and `num_pages` reach only one page past the page read
    (so `has_next` is right); a page past the end gives the last page that has rows (the first page when
    none has)."""

    open_ended = True

    @cached_property
    def count(self) -> int:
        """The rows up to the page read and one beyond it (not the total); 0 before a page is read."""
        return 0

    def get_page(self, number) -> Page:
        """The page `number` (a str or int in any digits; anything else, or less than 1, is page 1)."""
        number = int_param({"page": number}, "page", 1, minimum=1)
        rows = self._read(number)
        if not rows and number > 1:
            # Past the end (a link kept from an older result): the last page that has rows.
            before = self.object_list.values_list("pk", flat=True)[:(number - 1) * self.per_page].count()
            number = max(1, -(-before // self.per_page))
            rows = self._read(number)
        self.__dict__.pop("num_pages", None)
        self.__dict__["count"] = (number - 1) * self.per_page + len(rows)
        return Page(rows[:self.per_page], number, self)

    def _read(self, number: int) -> list:
        start = (number - 1) * self.per_page
        return list(self.object_list[start:start + self.per_page + 1])


class BoundedPaginator(OpenEndedPaginator):
    """A Paginator that counts at most COUNT_CAP rows (issue 11 §4: a deep list's COUNT read the whole table on
    every page, 3–7 ms on PostgreSQL for HQ's lists of every unit). Up to the cap it is Django's ("page 3 of 12",
    `count` exact, `open_ended` false); past it the list pages open-ended, as OpenEndedPaginator ("page 3",
    `count` not a total, `open_ended` true): the count then reads COUNT_CAP + 1 keys, never the table."""

    COUNT_CAP = 1000
    open_ended = False

    @cached_property
    def count(self) -> int:
        """The rows, counted up to COUNT_CAP + 1 (one query reading at most that many keys)."""
        return self.object_list.order_by().values("pk")[:self.COUNT_CAP + 1].count()

    def get_page(self, number) -> Page:
        """The page `number` (a str or int in any digits; anything else, or out of range, as Django's get_page
        and OpenEndedPaginator.get_page treat it; 0, a negative number or anything not a number is page 1 on
        both sides of the cap, where Django's get_page would give the last page for 0 or -5)."""
        number = int_param({"page": number}, "page", 1, minimum=1)
        if self.count <= self.COUNT_CAP:
            return Paginator.get_page(self, number)
        self.open_ended = True
        return super().get_page(number)


def count_related(rows: list, model, key: str, **counts) -> list:
    """Set on each of `rows` (model instances, e.g. one page of a list) how many `model` rows point at it through
    the foreign key `key` (a field name of `model`), one attribute per keyword of `counts`: its value a Q over
    `model` to count only those rows, or None to count them all (int; 0 when none). One grouped query over the
    rows' ids, instead of annotating Count() over a join of the whole table before the page limit (issue 11 §4:
    the database groups every row of the list, and two counted relations multiply each other's rows). Returns
    `rows`."""
    ids = [row.pk for row in rows]
    found = {}
    if ids:
        aggregates = {name: Count("pk", filter=condition) if condition is not None else Count("pk")
                      for name, condition in counts.items()}
        found = {entry[key]: entry for entry in model._base_manager.filter(**{f"{key}__in": ids}).order_by()
                 .values(key).annotate(**aggregates)}
    for row in rows:
        entry = found.get(row.pk, {})
        for name in counts:
            setattr(row, name, entry.get(name, 0))
    return rows
