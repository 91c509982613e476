"""Indicators, home-page entries and the monthly report section of the events part."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from ravabet.compliance.registry import FEATURES, INDICATORS, REPORT_SECTIONS, REVIEW_PROVIDERS, TODO_PROVIDERS
from ravabet.events import services
from ravabet.events.features import events_review, events_todo
from ravabet.events.models import ActivityKind, EventState, RunSheetState, Task
from ravabet.lib import jalali
from ravabet.offices.access import Access
from ravabet.offices.models import Person

from .factories import make_activity, make_assignment, make_content, make_event, make_guest, make_occasion, make_supply

pytestmark = pytest.mark.django_db


def test_every_item_served_has_a_feature_and_an_indicator():
    for code in ("E1", "E2", "E3", "F2", "F4", "F5", "F7"):
        assert any(code in f.items for f in FEATURES.values() if f.key.startswith("events."))
        assert any(i.count.__module__ == "ravabet.events.features" for i in INDICATORS[code])
    assert events_todo in TODO_PROVIDERS and events_review in REVIEW_PROVIDERS


def test_indicators_count_the_units_evidence_in_the_month(world):
    unit, today = world.county_a, jalali.today()
    start, end = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    event = make_event(unit, days=0)
    row = event.items.first()
    services.runsheet_update(item=row, by=world.officer, person=Person.objects.get(user=world.officer),
                             state=RunSheetState.READY)
    make_guest(event)
    services.invitations_send(event=event, by=world.officer, base_url="http://x/")
    services.event_set_state(event=event, by=world.officer, state=EventState.HELD, attendance=30)
    services.supply_lend(item=make_supply(unit), by=world.officer, quantity=1, event=event)
    assignment = make_assignment(unit)
    services.assignment_done(assignment=assignment, by=world.officer, evidence="x")
    services.assignment_review(assignment=assignment, by=world.hq_head, accept=True)
    make_activity(unit, ActivityKind.MARCH)
    make_activity(unit, ActivityKind.ETHICS)
    services.content_send(content=make_content(unit), by=world.officer)
    counts = {code: sum(i.count(unit, start, end) for i in INDICATORS[code]
                        if i.count.__module__ == "ravabet.events.features")
              for code in ("F2", "F4", "F5", "F7", "E1", "E2", "E3")}
    assert counts == {"F2": 1, "F4": 1, "F5": 1, "F7": 1, "E1": 1, "E2": 1, "E3": 1}
    assert sum(i.count(world.county_b, start, end) for i in INDICATORS["F7"]
               if i.count.__module__ == "ravabet.events.features") == 0


def test_the_report_section_lists_events_tasks_and_occasions_of_the_month_as_plain_json(world):
    unit = world.county_a
    event = make_event(unit, days=0)
    services.event_set_state(event=event, by=world.officer, state=EventState.HELD, attendance=12)
    make_occasion(title="روز بسیج", days=0)
    make_assignment(unit)
    make_supply(unit, name="روبان", quantity=0)
    today = jalali.today()
    section = REPORT_SECTIONS["events"].build(unit, today - dt.timedelta(days=10), today + dt.timedelta(days=10))
    json.dumps(section)
    counts = dict(section["counts"])
    assert counts["مراسم برگزارشده"] == 1 and counts["مأموریت‌های اداره کل با مهلت در این ماه"] == 1
    assert section["table"]["rows"][0][1] == event.title and section["table"]["rows"][0][5] == 12
    assert any("روز بسیج" in line for line in section["highlights"])
    assert any("روبان" in line for line in section["highlights"])


def test_the_officer_home_shows_overdue_tasks_and_hq_home_shows_work_waiting_for_review(world):
    late = make_assignment(world.county_a)
    Task.objects.filter(pk=late.task_id).update(due_date=dt.date(2020, 1, 1))
    waiting = make_assignment(world.county_a, title="دیگری")
    services.assignment_done(assignment=waiting, by=world.officer, evidence="x")
    event = make_event(world.county_a, days=2)
    assert event.starts_at > timezone.now()
    todo = {e.title: e for e in events_todo(Access(world.officer), world.county_a)}
    assert todo["مأموریت اداره کل گذشته از مهلت"].level == "danger"
    assert todo["بند آماده‌نشده در برنامه اجرایی مراسم هفته پیش رو"].count == 12
    review = {e.title: e.count for e in events_review(Access(world.hq_head))}
    assert review["گزارش انجام مأموریت در انتظار بررسی"] == 1 and review["مأموریت واحدها گذشته از مهلت"] == 1
    assert events_todo(Access(world.staff), world.county_a) == []
