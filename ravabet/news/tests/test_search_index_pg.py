"""Search that scales (issue 18.5): on PostgreSQL the public news search and the staff complaint search, both
`search_key LIKE '%word%'` over the folded search key, are answered through the trigram GIN indexes the
migrations create (news 0006, complaints 0004); on SQLite no index is made and the plain scan stays."""

import pytest
from django.db import connection

from ravabet.complaints import selectors as complaint_selectors
from ravabet.complaints.models import Case
from ravabet.complaints.tests.factories import make_case
from ravabet.news.models import News
from ravabet.news.selectors import public_news

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    """PostgreSQL's plan for a query with sequential scans priced out, so the plan shows whether an index can
    answer it at all (on a test table of a few rows the planner would rightly scan)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {name for name, info in connection.introspection.get_constraints(cursor, table).items()
                if info["index"]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes exist on PostgreSQL only")
def test_public_news_and_staff_complaint_search_use_the_trigram_indexes(world):
    from ravabet.news.tests.helpers import make_news

    news = make_news(world, title="بازسازی راه‌های روستایی شهرستان")
    News.objects.filter(pk=news.pk).update(state="published")
    assert list(public_news({"q": "راههای روستایی"})) == [News.objects.get(pk=news.pk)]
    make_case(world.county_a, subject="چاله بزرگ در جاده روستا")
    # The selectors' own conditions (Django's `contains` on PostgreSQL: `search_key::text LIKE '%…%'`) can be
    # answered by the trigram index; on a few rows the planner may still prefer another index, so the search
    # conditions are planned on their own here.
    news_query = public_news({"q": "راه‌های روستایی"}).query
    condition = news_query.where.children[-1]
    assert "search_key" in str(condition)
    assert "news_news_search_key_trgm" in plan(News.objects.filter(condition))
    cases = complaint_selectors.filter_cases(Case.objects.all(), {"q": "جاده روستا"}, complaint_selectors.Flags.now())
    # The same for the complaint search: with other filters beside it, a few-row table may be planned through
    # the date or state indexes (seen once in a full run), so its search condition is planned alone.
    searched = [child for child in cases.query.where.children if "search_key" in str(child)]
    assert len(searched) == 1
    assert "complaints_case_search_key_trgm" in plan(Case.objects.filter(searched[0]))
    assert [case.subject for case in cases] == ["چاله بزرگ در جاده روستا"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps the simple path")
def test_sqlite_has_no_trigram_index_and_search_still_finds_by_the_folded_key(world):
    from ravabet.news.tests.helpers import make_news

    news = make_news(world, title="بازسازی راه‌های روستایی شهرستان")
    News.objects.filter(pk=news.pk).update(state="published")
    assert "news_news_search_key_trgm" not in indexes("news_news")
    assert list(public_news({"q": "راههای روستایی"})) == [News.objects.get(pk=news.pk)]
