"""Small builders of planning records for the tests (county A unless told otherwise)."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.offices.models import Person

from ..models import Channel, ChannelFigure, Decision, Meeting, MeetingKind, MonthlyReport, Plan, PlanItem, Training


def this_month():
    return jalali.current_month()


def make_plan(unit, *, month=None, year=None, state="draft", codes=("B5",), target_count=10, items=1) -> Plan:
    cur_year, cur_month = this_month()
    plan = Plan.objects.create(unit=unit, year=year or cur_year, month=cur_month if month is None else month,
                               state=state)
    start, end = plan.period()
    for index in range(items):
        PlanItem.objects.create(plan=plan, title=f"کار {index}", codes=list(codes), target_count=target_count,
                                due_date=end, position=index)
    return plan


def make_meeting(unit, *, kind=MeetingKind.STAFF, when=None, decisions=1) -> Meeting:
    when = when or timezone.now()
    meeting = Meeting.objects.create(unit=unit, kind=kind, title="جلسه هماهنگی", starts_at=when,
                                     ends_at=when + dt.timedelta(hours=1), place="سالن اداره")
    owner = Person.objects.filter(unit=unit).first()
    for index in range(decisions):
        Decision.objects.create(meeting=meeting, unit=unit, text=f"مصوبه {index}", owner=owner,
                                due_date=jalali.today() + dt.timedelta(days=5))
    return meeting


def make_training(unit, *, hours=4) -> Training:
    return Training.objects.create(unit=unit, person=Person.objects.filter(unit=unit).first(), title="نگارش خبر",
                                   provider="اداره کل", hours=hours, date=jalali.today())


def make_channel(unit, *, figures=1) -> Channel:
    channel = Channel.objects.create(unit=unit, platform="messenger", name="کانال اداره", url="https://example.ir/c")
    year, month = this_month()
    for index in range(figures):
        y, m = (year, month - index) if month - index >= 1 else (year - 1, 12 + month - index)
        ChannelFigure.objects.create(channel=channel, year=y, month=m, posts=10 + index, members=100, views=500)
    return channel


def make_report(unit, *, state="draft", year=None, month=None) -> MonthlyReport:
    cur_year, cur_month = this_month()
    return MonthlyReport.objects.create(unit=unit, year=year or cur_year, month=month or cur_month, state=state)


@contextmanager
def refused(text: str):
    """The block raises a ValidationError whose Persian message contains `text`."""
    with pytest.raises(ValidationError) as error:
        yield
    assert any(text in message for message in error.value.messages), error.value.messages


def last_month() -> tuple[int, int]:
    """The Jalali (year, month) before this one: a month that is over."""
    year, month = jalali.current_month()
    return (year - 1, 12) if month == 1 else (year, month - 1)
