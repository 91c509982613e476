"""The SQL of every benchmarked page, on small bench data (issue 11).

Loads `seed_bench` at 2 units × 1 year once, requests every page that an app lists in its `bench.py`
(`pages(ctx)`) through the Django test client as the bench user, captures its queries and fails when:
- a period filter casts every row's datetime to a date (`__date` lookups: django_datetime_cast_date on
  SQLite, AT TIME ZONE … ::date on PostgreSQL), which no index serves. A cast compared with another column
  of the same row (answered by its own deadline) is not a period filter and is allowed.
"""

import re
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[2]

# A row's datetime cast to a date and compared with a bound parameter or a literal: a period filter.
SQLITE_CAST = re.compile(r"django_datetime_cast_date\((?:[^()]|\([^()]*\))*\)\s*(?:[<>]=?|=|BETWEEN|IN)\s*(?:%s|\?|'|\d)",
                         re.IGNORECASE)
PG_CAST = re.compile(r"AT TIME ZONE\s+'[^']+'\)?::date\s*(?:[<>]=?|=|BETWEEN|IN)\s*(?:%s|'|\d)", re.IGNORECASE)


def period_casts(sql: str) -> list[str]:
    """The per-row date casts of `sql` that compare a datetime column's date with a constant."""
    return [match.group(0) for pattern in (SQLITE_CAST, PG_CAST) for match in pattern.finditer(sql)]


def test_the_detector_sees_a_date_lookup_and_not_a_datetime_range():
    from ravabet.complaints.models import Case
    from ravabet.lib import jalali

    start, end = jalali.month_bounds(1405, 1)
    cast = str(Case.objects.filter(created_at__date__range=(start, end)).query)
    assert "cast_date" in cast or "::date" in cast
    sqlite_form = 'WHERE django_datetime_cast_date("complaints_case"."created_at", \'Asia/Tehran\', \'UTC\') >= 2026-03-21'
    pg_form = "WHERE (\"complaints_case\".\"created_at\" AT TIME ZONE 'Asia/Tehran')::date BETWEEN '2026-03-21'"
    assert period_casts(sqlite_form) and period_casts(pg_form)
    assert not period_casts(str(Case.objects.filter(**jalali.in_days("created_at", start, end)).query))
    own_deadline = 'django_datetime_cast_date("complaints_case"."closed_at", \'Asia/Tehran\', \'UTC\') > "complaints_case"."deadline"'
    assert not period_casts(own_deadline)


@pytest.fixture(scope="module")
def bench_pages(django_db_setup, django_db_blocker):
    """(pages of every app's bench.py, the loaded context) at 2 units × 1 year."""
    sys.path.insert(0, str(ROOT))
    from bench.run import BenchRun, bench_modules

    with django_db_blocker.unblock():
        call_command("seed_bench", units=2, years=1, stdout=open("/dev/null", "w"))
        ctx = BenchRun()
        pages = [page for module in bench_modules(None) if hasattr(module, "pages") for page in module.pages(ctx)]
    yield pages, ctx
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_no_benchmarked_page_casts_every_row_to_a_date(bench_pages, settings):
    settings.AXES_ENABLED = False
    pages, _ctx = bench_pages
    assert len(pages) > 20
    clients, offenders = {}, []
    for page in pages:
        user = page.get("user")
        if user not in clients:
            clients[user] = Client()
            if user:
                clients[user].force_login(get_user_model().objects.get(username=user))
        with CaptureQueriesContext(connection) as captured:
            response = clients[user].get(page["path"])
        assert response.status_code in (200, 302), (page["name"], response.status_code)
        for query in captured.captured_queries:
            for cast in period_casts(query["sql"]):
                offenders.append(f"{page['name']} ({page['path']}): …{cast}…")
    assert not offenders, "per-row date casts:\n" + "\n".join(offenders)


def _query_counts(pages, users) -> dict[str, int]:
    clients, counts = {}, {}
    for page in pages:
        user = page["user"]
        if user not in clients:
            clients[user] = Client()
            clients[user].force_login(users[user])
        with CaptureQueriesContext(connection) as captured:
            response = clients[user].get(page["path"])
        assert response.status_code == 200, (page["name"], response.status_code)
        counts[page["name"]] = len(captured.captured_queries)
    return counts


@pytest.mark.django_db
def test_hq_pages_count_all_units_in_grouped_queries(bench_pages, settings):
    """Issue 11 §2/§6: HQ pages over all units (home, complaint figures, report states, evaluation, lists)
    run the same number of queries with 2 county offices and with 6: one grouped query per measure."""
    from ravabet.offices import kept
    from ravabet.offices.models import Membership, Unit
    from ravabet.offices.roles import Role

    settings.AXES_ENABLED = False
    pages, ctx = bench_pages
    hq_pages = [page for page in pages if page.get("user") == ctx.hq_expert]
    assert len(hq_pages) > 10
    User = get_user_model()
    users = {ctx.hq_expert: User.objects.get(username=ctx.hq_expert)}
    _query_counts(hq_pages, users)  # warm caches (content types, sessions)
    cache.clear()  # the work itself, not the evaluation board or figures kept from the first round
    kept.forget()  # both rounds read the signed-in person once (adding units below moves the people stamp)
    before = _query_counts(hq_pages, users)
    for index in range(4):
        unit = Unit.objects.create(code=f"bench-extra-{index}", name=f"اداره افزوده {index}", city="شهر",
                                   parent=ctx.hq)
        officer = User.objects.create_user(f"bench.extra{index}", password="x")
        Membership.objects.create(user=officer, unit=unit, role=Role.PR_OFFICER)
    cache.clear()
    kept.forget()
    after = _query_counts(hq_pages, users)
    grown = {name: (before[name], after[name]) for name in before if after[name] > before[name]}
    assert not grown, f"queries grow with the number of units (2 → 6 counties): {grown}"


def _large_tables() -> set[str]:
    """The tables that hold 50k+ rows at province scale (issue 11: photos, deliveries, complaints, guests,
    news, run-sheet items, press items, outbox)."""
    from ravabet.complaints.models import Case
    from ravabet.events.models import Guest, RunSheetItem
    from ravabet.messaging.models import Delivery
    from ravabet.news.models import News
    from ravabet.outbox.models import OutboxMessage
    from ravabet.photos.models import Photo
    from ravabet.press.models import PressItem

    return {model._meta.db_table for model in (Case, Guest, RunSheetItem, Delivery, News, OutboxMessage, Photo,
                                               PressItem)}


FULL_SCAN = re.compile(r"\bSCAN (\w+)(?: AS \w+)?$")
PG_SEQ_SCAN = re.compile(r"\bSeq Scan on (\w+)")


def full_scans(sql: str, params, large: set[str]) -> list[str]:
    """The large tables that the plan of `sql` reads whole. SQLite: EXPLAIN QUERY PLAN's "SCAN t" with no
    index ("SCAN t USING [COVERING] INDEX" walks an index and is allowed). PostgreSQL: EXPLAIN with
    sequential scans priced out (enable_seqscan off, as the planner would choose at province scale where a
    scan of 200k rows costs more than any index path): a "Seq Scan on t" that remains has no index to use."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            try:
                cursor.execute("EXPLAIN " + sql, params)
                lines = [row[0] for row in cursor.fetchall()]
            finally:
                cursor.execute("RESET enable_seqscan")
            return [match.group(1) for line in lines for match in PG_SEQ_SCAN.finditer(line)
                    if match.group(1) in large]
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        details = [row[-1] for row in cursor.fetchall()]
    return [match.group(1) for detail in details if (match := FULL_SCAN.search(detail)) and match.group(1) in large]


@pytest.mark.django_db
def test_benchmarked_queries_use_an_index_on_large_tables(bench_pages, settings):
    """Issue 11 §3: every SELECT of every benchmarked page, explained by the database, reads the large
    tables through an index (unit + state + date, unit + date, …), never whole. (On PostgreSQL the planner
    rightly prefers sequential scans on tables this small, so sequential scans are priced out while
    explaining: what still scans has no index — see `full_scans`.)"""
    settings.AXES_ENABLED = False
    pages, _ctx = bench_pages
    large = _large_tables()
    executed: list[tuple[str, str, tuple]] = []

    def keep(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT"):
            executed.append((page["name"], sql, params))
        return execute(sql, params, many, context)

    clients, offenders = {}, set()
    for page in pages:
        user = page.get("user")
        if user not in clients:
            clients[user] = Client(raise_request_exception=False)
            if user:
                clients[user].force_login(get_user_model().objects.get(username=user))
        with connection.execute_wrapper(keep):
            clients[user].get(page["path"])  # a page failing for other reasons is test_no_benchmarked_page…'s
    for name, sql, params in executed:
        for table in full_scans(sql, params, large):
            offenders.add(f"{name}: SCAN {table} — {sql[:300]}")
    assert not offenders, "full scans of large tables:\n" + "\n".join(sorted(offenders))
