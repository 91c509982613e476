"""Indicators (F2, F4, F5), home-page entries and the monthly report section of the events part."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from ravabet.compliance.registry import FEATURES, INDICATORS, REPORT_SECTIONS, TODO_PROVIDERS
from ravabet.events import services
from ravabet.events.features import events_todo
from ravabet.events.models import Event, RunSheetState
from ravabet.lib import jalali
from ravabet.offices.access import Access
from ravabet.offices.models import Person
from ravabet.workflow.engine import move

from .factories import make_event, make_guest, make_supply

pytestmark = pytest.mark.django_db


def _held_today(unit, by, headcount):
    event = make_event(unit, days=0)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    event.refresh_from_db()
    return event, lambda: move(event, "hold", by=by, headcount=headcount)


def test_every_item_served_has_a_feature_and_an_indicator():
    for code in ("F2", "F4", "F5"):
        assert any(code in f.items for f in FEATURES.values() if f.key.startswith("events."))
        assert any(i.count.__module__ == "ravabet.events.features" for i in INDICATORS[code])
    assert events_todo in TODO_PROVIDERS


def test_indicators_count_the_units_evidence_in_the_month(world):
    unit, today = world.county_a, jalali.today()
    start, end = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    event, hold = _held_today(unit, world.officer, "30")
    services.runsheet_update(item=event.items.first(), by=world.officer,
                             person=Person.objects.get(user=world.officer), state=RunSheetState.READY)
    make_guest(event)
    services.invitations_send(event=event, by=world.officer, base_url="http://x/")
    services.supply_lend(item=make_supply(unit), by=world.officer, quantity=1, event=event)
    hold()
    counts = {code: sum(i.count(unit, start, end) for i in INDICATORS[code]
                        if i.count.__module__ == "ravabet.events.features") for code in ("F2", "F4", "F5")}
    assert counts == {"F2": 1, "F4": 1, "F5": 1}


def test_the_report_section_lists_the_months_events_and_shortages_as_plain_json(world):
    event, hold = _held_today(world.county_a, world.officer, "12")
    hold()
    make_supply(world.county_a, name="روبان", quantity=0)
    today = jalali.today()
    section = REPORT_SECTIONS["events"].build(world.county_a, today - dt.timedelta(days=10),
                                              today + dt.timedelta(days=10))
    json.dumps(section)
    assert dict(section["counts"])["مراسم برگزارشده"] == 1
    assert section["table"]["rows"][0][1] == event.title and section["table"]["rows"][0][5] == 12
    assert any("روبان" in line for line in section["highlights"])


def test_the_officer_home_shows_the_run_sheet_rows_not_ready_for_the_week(world):
    make_event(world.county_a, days=2)
    todo = {e.title: e for e in events_todo(Access(world.officer), world.county_a)}
    assert todo["بند آماده‌نشده در برنامه اجرایی مراسم هفته پیش رو"].count == 12
    assert events_todo(Access(world.staff), world.county_a) == []
