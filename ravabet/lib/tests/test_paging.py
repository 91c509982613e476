"""Issue 18 §5: a search result paged without counting it (lib.paging.OpenEndedPaginator)."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ravabet.lib.models import RateCounter
from ravabet.lib.paging import OpenEndedPaginator

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
