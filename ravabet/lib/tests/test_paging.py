"""Issue 18 §5: a search result paged without counting it (lib.paging.OpenEndedPaginator)."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ravabet.lib.models import RateCounter
from ravabet.lib.paging import BoundedPaginator, OpenEndedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    RateCounter.objects.bulk_create(RateCounter(key=f"k{n:02d}", bucket=n, expires_at=n) for n in range(25))
    return RateCounter.objects.order_by("bucket")


def test_a_page_is_one_query_with_no_count_and_knows_only_whether_a_next_page_exists(rows):
    with CaptureQueriesContext(connection) as queries:
        page = OpenEndedPaginator(rows, 10).get_page("1")
        assert [row.bucket for row in page] == list(range(10))
        assert page.has_next() and not page.has_previous()
    assert len(queries) == 1 and "COUNT(" not in queries[0]["sql"].upper()
    assert page.paginator.num_pages == 2  # one page past the page read, not the 3 there are


def test_the_last_page_has_no_next_and_persian_digits_and_junk_are_read(rows):
    last = OpenEndedPaginator(rows, 10).get_page("۳")
    assert [row.bucket for row in last] == list(range(20, 25))
    assert last.number == 3 and not last.has_next() and last.has_previous()
    assert OpenEndedPaginator(rows, 10).get_page("x\x00").number == 1
    assert OpenEndedPaginator(rows, 10).get_page("-4").number == 1


def test_a_page_past_the_end_gives_the_last_page_with_rows(rows):
    page = OpenEndedPaginator(rows, 10).get_page("9")
    assert page.number == 3 and [row.bucket for row in page] == list(range(20, 25))
    empty = OpenEndedPaginator(RateCounter.objects.none(), 10).get_page("4")
    assert empty.number == 1 and list(empty) == [] and not empty.has_other_pages()


def test_the_pagination_shows_page_n_without_a_total(rows):
    page = OpenEndedPaginator(rows, 10).get_page("2")
    html = render_to_string("includes/pagination.html", {"page_obj": page},
                            request=RequestFactory().get("/public/news/", {"q": "راه", "page": "2"}))
    assert "صفحه ۲</span>" in html and " از " not in html
    assert "page=1" in html and "page=3" in html


class SmallCap(BoundedPaginator):
    COUNT_CAP = 12


def test_a_bounded_count_is_exact_up_to_the_cap_with_page_n_of_m(rows):
    few = rows.filter(bucket__lt=12)
    page = SmallCap(few, 5).get_page("۲")
    assert not page.paginator.open_ended and page.paginator.count == 12 and page.paginator.num_pages == 3
    assert [row.bucket for row in page] == list(range(5, 10)) and page.has_next()
    html = render_to_string("includes/pagination.html", {"page_obj": page},
                            request=RequestFactory().get("/reports/", {"page": "2"}))
    assert "صفحه ۲ از ۳</span>" in html
    assert SmallCap(few, 5).get_page("9").number == 3  # past the end: the last page, as Django's get_page
    for before_the_first in ("0", "-5", "۰", "abc", None):  # page 1 on this side of the cap as on the other
        assert SmallCap(few, 5).get_page(before_the_first).number == 1
        assert SmallCap(rows, 5).get_page(before_the_first).number == 1


def test_past_the_cap_the_count_reads_cap_plus_one_keys_and_pages_open_ended(rows):
    with CaptureQueriesContext(connection) as queries:
        page = SmallCap(rows, 5).get_page("1")
        assert [row.bucket for row in page] == list(range(5))
    assert page.paginator.open_ended and page.has_next()
    assert "LIMIT 13" in queries[0]["sql"].upper()
    deep = SmallCap(rows, 5).get_page("5")  # beyond the cap's 13 rows: the last 5 of 25
    assert deep.number == 5 and [row.bucket for row in deep] == list(range(20, 25)) and not deep.has_next()
    html = render_to_string("includes/pagination.html", {"page_obj": deep},
                            request=RequestFactory().get("/reports/", {"page": "5"}))
    assert "صفحه ۵</span>" in html and " از " not in html
