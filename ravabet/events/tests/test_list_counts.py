"""The events list counts guests and ready run-sheet items for the rows on its page only (issue 11 §4)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ravabet.events.models import RunSheetItem, RunSheetState

from .factories import make_event, make_guest

LIST = reverse("events:list")


def test_the_hq_events_list_counts_only_the_page_rows_without_a_distinct_join(client_for, world):
    busy = make_event(world.county_a, title="مراسم پرمهمان")
    for n in range(3):
        make_guest(busy, name=f"مهمان {n}")
    RunSheetItem.objects.filter(event=busy, order__lte=2).update(state=RunSheetState.READY)
    RunSheetItem.objects.filter(event=busy, order=3).update(state=RunSheetState.NOT_NEEDED)
    RunSheetItem.objects.filter(event=busy, order=4).update(state=RunSheetState.ARRANGED)
    quiet = make_event(world.county_b, title="مراسم بی‌مهمان", days=5)
    client = client_for("hq_head")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST)
    rows = {e.title: (e.guest_count, e.ready) for e in response.context["page_obj"]}
    assert rows == {busy.title: (3, 3), quiet.title: (0, 0)}
    sql = "\n".join(q["sql"] for q in captured.captured_queries)
    assert "COUNT(DISTINCT" not in sql.upper()
    # The page's count and rows read the events alone; guests and items are counted by event id.
    event_queries = [q["sql"] for q in captured.captured_queries if 'FROM "events_event"' in q["sql"]]
    assert event_queries and not any("events_guest" in q or "events_runsheetitem" in q for q in event_queries)
    assert "«مراسم پرمهمان»" in response.content.decode() or busy.title in response.content.decode()


def test_the_export_still_gives_each_events_guests(client_for, world):
    event = make_event(world.county_a)
    make_guest(event)
    response = client_for("hq_head").get(LIST + "?export=xlsx")
    assert response.status_code == 200
