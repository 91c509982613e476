"""HQ's evaluation of its units (issue 10): what counts, exactly how much, and what stays put."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.complaints.models import Case
from ravabet.complaints.tests.factories import make_case
from ravabet.compliance.catalog import items
from ravabet.compliance.evaluation import DEFAULT_WEIGHTS, Period, PeriodError, compute, evaluate, freeze
from ravabet.compliance.measures import MEASURES
from ravabet.compliance.models import ItemWeight, WeightSet
from ravabet.events.tests.factories import make_event, make_guest
from ravabet.lib import jalali
from ravabet.offices.models import Unit
from ravabet.planning.models import MeetingKind
from ravabet.planning.tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def score(world, period=None):
    period = period or Period.current_month()
    result = compute(period, [world.county_a, world.county_b])
    return result.row_for(world.county_a.pk)


def last_month() -> Period:
    return Period.current_month().previous()


def test_every_item_has_a_measure_and_the_default_weights_sum_to_100():
    assert set(MEASURES) == set(items())
    assert sum(DEFAULT_WEIGHTS.values()) == 100


def test_a_held_coordination_meeting_adds_its_weight_and_a_future_dated_one_adds_nothing(world):
    before = score(world)
    assert before.cells["F1"].attainment == 0
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=timezone.now() - dt.timedelta(minutes=5))
    held = score(world)
    assert held.cells["F1"].attainment == 100
    assert held.total == pytest.approx(before.total + 3, abs=0.05)  # F1 weighs 3 of 100
    # Dated next month, or later today: not held yet, so it does not count in this period nor early.
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=timezone.now() + dt.timedelta(days=40))
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=timezone.now() + dt.timedelta(minutes=30))
    after = score(world)
    assert after.total == held.total
    assert len(after.cells["F1"].ids) == 1


def test_a_guest_entered_twice_counts_once(world):
    event = make_event(world.county_a, days=-1, state="held")
    invited = timezone.now() - dt.timedelta(minutes=5)
    make_guest(event, invited_at=invited)
    one = score(world)
    assert one.cells["F5"].value == 1
    assert one.cells["F5"].attainment == 10  # HQ's default target: 10 invitations a month
    make_guest(event, invited_at=invited)  # the same guest again
    assert score(world).total == one.total
    make_guest(event, name="مهندس سارا احمدی", mobile="09121112222", invited_at=invited)
    two = score(world)
    assert two.cells["F5"].value == 2
    assert two.total == pytest.approx(one.total + 0.3, abs=0.05)  # 10 % more of a weight of 3


def test_an_unanswered_overdue_complaint_counts_against_d2(world):
    period = last_month()
    nothing_due = score(world, period)
    assert nothing_due.cells["D2"].attainment == 100  # nothing was due: nothing failed
    deadline = period.start + dt.timedelta(days=9)
    overdue = make_case(world.county_a)
    Case.objects.filter(pk=overdue.pk).update(deadline=deadline)
    one_late = score(world, period)
    assert one_late.cells["D2"].attainment == 0
    assert one_late.total == pytest.approx(nothing_due.total - 3, abs=0.05)
    in_time = make_case(world.county_a, mobile="09127654321")
    Case.objects.filter(pk=in_time.pk).update(
        deadline=deadline, state="answered", answered_in_time=True,  # the stamp the answer step keeps
        answered_at=timezone.make_aware(dt.datetime.combine(deadline - dt.timedelta(days=2), dt.time(10))))
    half = score(world, period)
    assert half.cells["D2"].attainment == 50
    assert half.cells["D2"].value == 1 and len(half.cells["D2"].ids) == 2
    assert half.total == pytest.approx(nothing_due.total - 1.5, abs=0.05)


def test_a_frozen_period_does_not_move_when_a_record_behind_it_changes(world):
    users = world.users
    period = last_month()
    meeting = make_meeting(world.county_a, kind=MeetingKind.COORDINATION,
                           when=timezone.make_aware(dt.datetime.combine(period.start + dt.timedelta(days=3), dt.time(9))))
    frozen = freeze(period, [world.county_a, world.county_b], by=users["hq_head"])
    published = evaluate(period, [world.county_a, world.county_b]).row_for(world.county_a.pk)
    assert published.cells["F1"].ids == [meeting.pk]
    meeting.is_archived = True
    meeting.save()
    again = evaluate(period, [world.county_a, world.county_b]).row_for(world.county_a.pk)
    assert again.total == published.total and again.cells["F1"].attainment == 100
    assert ActionLog.objects.filter(action="compliance.frozen").count() == 1
    freeze(period, [world.county_a, world.county_b], by=users["hq_head"], recompute=True)
    moved = evaluate(period, [world.county_a, world.county_b]).row_for(world.county_a.pk)
    assert moved.total == pytest.approx(published.total - 3, abs=0.05)
    assert ActionLog.objects.filter(action="compliance.recomputed", target_id=str(frozen.pk)).count() == 1


def test_a_past_period_is_scored_with_the_weights_in_force_then(world):
    period = last_month()
    old = WeightSet.objects.create(valid_from=period.start - dt.timedelta(days=400))
    ItemWeight.objects.create(weight_set=old, item="F1", weight=Decimal(100), target=Decimal(1))
    new = WeightSet.objects.create(valid_from=Period.current_month().start)
    ItemWeight.objects.bulk_create([ItemWeight(weight_set=new, item=code, weight=w) for code, w in
                                    DEFAULT_WEIGHTS.items()])
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION,
                 when=timezone.make_aware(dt.datetime.combine(period.start + dt.timedelta(days=3), dt.time(9))))
    assert score(world, period).total == 100  # only F1 weighed then
    assert score(world).total < 100


def test_units_are_ranked_by_total_with_ties_sharing_a_rank(world):
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=timezone.now() - dt.timedelta(minutes=5))
    result = compute(Period.current_month(), [world.county_a, world.county_b])
    assert [row.unit for row in result.rows] == [world.county_a, world.county_b]
    assert [row.rank for row in result.rows] == [1, 2]


def test_the_number_of_queries_does_not_grow_with_units_or_records(world):
    period = Period.current_month()
    compute(period, [world.county_a])  # warms the content-type and holiday caches
    with CaptureQueriesContext(connection) as few:
        compute(period, [world.county_a, world.county_b])
    for index in range(6):
        unit = Unit.objects.create(code=f"c{index}", name=f"اداره {index}", city="شهر", parent=world.hq)
        make_meeting(unit, kind=MeetingKind.COORDINATION, when=timezone.now() - dt.timedelta(minutes=5))
        event = make_event(unit, days=-1, state="held")
        make_guest(event, invited_at=timezone.now() - dt.timedelta(minutes=5))
    units = list(Unit.objects.filter(parent=world.hq))
    with CaptureQueriesContext(connection) as many:
        compute(period, units)
    assert len(many) == len(few)
    # One grouped query per measure, quality marks, weights, the working-day calendars of B5's target and
    # A2's deadlines (official holidays and closures each).
    assert len(few) <= len(MEASURES) + 7


@pytest.mark.parametrize("text, message", [
    ("۱۴۰۵-۱۳", "ماه باید"), ("1405-Q5", "فصل باید"), ("14x5", "به شکل"), ("1499", "آینده"),
])
def test_a_malformed_or_future_period_is_refused_in_persian(text, message):
    with pytest.raises(PeriodError, match=message):
        Period.parse(text)


def test_periods_parse_in_any_digits():
    year = jalali.to_jalali(jalali.today()).year
    assert Period.parse(f"{year}-Q1").kind == "quarter"
    assert Period.parse(f"{year}/1") == Period("month", year, 1)
    assert Period.parse(str(year - 1)).end < jalali.today()


def test_the_scorecard_command_prints_rank_code_score_and_change(world):
    import io

    from django.core.management import call_command

    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=timezone.now() - dt.timedelta(minutes=5))
    period = Period.current_month()
    out = io.StringIO()
    call_command("scorecard", "--year", str(period.year), "--month", str(period.number), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(period.key)
    first = lines[1].split()
    assert first[:2] == ["1", "county-a"] and float(first[2]) > 0 and first[3].startswith("+")
    quarter = io.StringIO()
    call_command("scorecard", "--year", str(period.year), "--quarter", str((period.number - 1) // 3 + 1),
                 stdout=quarter)
    assert "county-b" in quarter.getvalue()


def test_the_scheduled_close_freezes_last_month_once_and_tells_the_managers(world):
    from ravabet.compliance.evaluation import CLOSE_AFTER_DAYS, close_due_periods, last_deadline
    from ravabet.compliance.models import FrozenPeriod
    from ravabet.outbox.models import Notification

    month = last_month()
    due = max(month.end + dt.timedelta(days=CLOSE_AFTER_DAYS), last_deadline(month) + dt.timedelta(days=1))
    assert close_due_periods(month.end + dt.timedelta(days=1)) == []
    assert month.key in close_due_periods(due)
    assert close_due_periods(due + dt.timedelta(days=1)) == []
    assert FrozenPeriod.objects.filter(key=month.key).count() == 1
    assert Notification.objects.filter(user=world.users["manager"], title__contains="رتبه").count() == 1


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_the_monthly_report_is_due_by_the_5th_working_day_of_the_next_month():
    from ravabet.lib.workdays import Calendar
    from ravabet.planning.indicators import report_deadlines

    deadlines = report_deadlines([(1404, 12), (1405, 8)])
    # Farvardin 1405: 1-4 (Nowruz) are holidays, Thursdays and Fridays weekends → the 5th working day is the 11th.
    assert jalali.format_date(deadlines[(1404, 12)], persian=False) == "1405/01/11"
    first = jalali.month_bounds(1405, 9)[0]
    working = Calendar(first, deadlines[(1405, 8)]).working_days()
    assert len(working) == 5 and working[-1] == deadlines[(1405, 8)]


def test_a2_scores_timeliness_on_time_full_late_reduced_missing_zero(world):
    from ravabet.planning.indicators import REPORT_LATE_CREDIT, report_deadlines
    from ravabet.planning.models import MonthlyReport
    from ravabet.planning.tests.factories import make_report

    period = last_month()
    deadline = report_deadlines([(period.year, period.number)])[(period.year, period.number)]
    missing = score(world, period)
    assert missing.cells["A2"].attainment == 0 and missing.cells["A2"].target == 1
    report = make_report(world.county_a, state="draft", year=period.year, month=period.number)
    MonthlyReport.objects.filter(pk=report.pk).update(submitted_at=_at(deadline, 16))
    assert score(world, period).cells["A2"].attainment == 0  # a draft is not handed in
    MonthlyReport.objects.filter(pk=report.pk).update(state="submitted")
    on_time = score(world, period)
    assert on_time.cells["A2"].value == 1 and on_time.cells["A2"].attainment == 100
    assert on_time.total == pytest.approx(missing.total + 3, abs=0.05)  # A2 weighs 3 of 100
    MonthlyReport.objects.filter(pk=report.pk).update(state="accepted", submitted_at=_at(deadline + dt.timedelta(days=1), 8))
    late = score(world, period)
    assert late.cells["A2"].value == float(REPORT_LATE_CREDIT) == 0.5
    assert late.cells["A2"].attainment == 50
    assert late.total == pytest.approx(missing.total + 1.5, abs=0.05)


def test_a2_over_a_quarter_adds_each_months_credit(world):
    from ravabet.planning.indicators import report_deadlines
    from ravabet.planning.models import MonthlyReport
    from ravabet.planning.tests.factories import make_report

    current = Period.current_month()
    quarter = Period("quarter", current.year, (current.number - 1) // 3 + 1).previous()
    months = [(quarter.year, quarter.number * 3 - 2), (quarter.year, quarter.number * 3 - 1),
              (quarter.year, quarter.number * 3)]
    deadlines = report_deadlines(months)
    on_time = make_report(world.county_a, state="accepted", year=months[0][0], month=months[0][1])
    late = make_report(world.county_a, state="submitted", year=months[1][0], month=months[1][1])
    MonthlyReport.objects.filter(pk=on_time.pk).update(submitted_at=_at(deadlines[months[0]] - dt.timedelta(days=2), 10))
    MonthlyReport.objects.filter(pk=late.pk).update(submitted_at=_at(deadlines[months[1]] + dt.timedelta(days=9), 10))
    cell = score(world, quarter).cells["A2"]  # the third month's report never came
    assert (cell.value, cell.target, cell.attainment) == (1.5, 3, 50)
    assert sorted(cell.ids) == sorted([on_time.pk, late.pk])


def test_the_a2_drill_down_says_which_report_was_late(world, client_for):
    from django.urls import reverse

    from ravabet.planning.indicators import report_deadlines
    from ravabet.planning.models import MonthlyReport
    from ravabet.planning.tests.factories import make_report

    period = last_month()
    deadline = report_deadlines([(period.year, period.number)])[(period.year, period.number)]
    report = make_report(world.county_a, state="submitted", year=period.year, month=period.number)
    MonthlyReport.objects.filter(pk=report.pk).update(submitted_at=_at(deadline + dt.timedelta(days=3), 10))
    page = client_for("hq_head").get(reverse("compliance:cell", args=[world.county_a.pk, "A2"]),
                                     {"period": period.key}).content.decode()
    summary = page[page.index('id="cell-summary"'):page.index('id="evidence"')]
    assert "۰٫۵" in summary and "۵۰٪" in summary
    evidence = page[page.index('id="evidence"'):]
    assert "به‌موقع" in evidence and 'class="text-danger">خیر' in evidence and report.get_absolute_url() in evidence


def test_a_month_is_not_closed_before_its_monthly_reports_are_due(world):
    """Esfand 1404's reports are due on the 5th working day of Farvardin 1405 (the 11th, after Nowruz):
    the scheduled close waits for it although CLOSE_AFTER_DAYS have passed on the 10th."""
    from ravabet.compliance.evaluation import CLOSE_AFTER_DAYS, close_due_periods, last_deadline
    from ravabet.compliance.models import FrozenPeriod

    esfand = Period("month", 1404, 12)
    assert jalali.format_date(last_deadline(esfand), persian=False) == "1405/01/11"
    tenth = jalali.month_bounds(1405, 1)[0] + dt.timedelta(days=9)
    assert (tenth - esfand.end).days >= CLOSE_AFTER_DAYS
    assert close_due_periods(tenth) == [] and close_due_periods(tenth + dt.timedelta(days=1)) == []
    assert close_due_periods(tenth + dt.timedelta(days=2)) == ["1404-12", "1404-Q4", "1404"]
    assert FrozenPeriod.objects.count() == 3


def test_the_trend_scores_several_months_in_one_pass_exactly_as_month_by_month(world):
    """compute_many reads each measure once over the trend's months; every unit's total and every cell
    must equal compute() of that month alone (records on month edges, a guest entered twice, a late
    report, a complaint overdue)."""
    from ravabet.compliance.evaluation import compute_many, trend
    from ravabet.planning.indicators import report_deadlines
    from ravabet.planning.models import MonthlyReport
    from ravabet.planning.tests.factories import make_report

    months = [last_month().previous().previous(), last_month().previous(), last_month()]
    for month in months:
        make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=_at(month.start, 0) + dt.timedelta(minutes=1))
        make_meeting(world.county_b, kind=MeetingKind.STAFF, when=_at(month.end, 23))
    event = make_event(world.county_a, days=-1, state="held")
    make_guest(event, invited_at=_at(months[1].end, 22))
    make_guest(event, invited_at=_at(months[1].end, 22))
    deadline = report_deadlines([(months[0].year, months[0].number)])[(months[0].year, months[0].number)]
    report = make_report(world.county_a, state="submitted", year=months[0].year, month=months[0].number)
    MonthlyReport.objects.filter(pk=report.pk).update(submitted_at=_at(deadline + dt.timedelta(days=1), 9))
    overdue = make_case(world.county_a)
    Case.objects.filter(pk=overdue.pk).update(deadline=months[2].start + dt.timedelta(days=3))
    units = [world.county_a, world.county_b]
    together = compute_many(months, units)
    for month, many in zip(months, together, strict=True):
        alone = compute(month, units)
        assert [(r.unit.pk, r.total, r.rank) for r in many.rows] == [(r.unit.pk, r.total, r.rank) for r in alone.rows]
        for one, other in zip(many.rows, alone.rows, strict=True):
            assert {c: (x.value, x.attainment, sorted(x.ids)) for c, x in one.cells.items()} == {
                c: (x.value, x.attainment, sorted(x.ids)) for c, x in other.cells.items()}
    assert together[0].row_for(world.county_a.pk).cells["A2"].value == 0.5
    series = trend(months[2], units, count=3)
    assert [total for _label, total in series[world.county_a.pk]] == [
        each.row_for(world.county_a.pk).total for each in together]


def test_the_drill_down_names_the_item_in_persian(world, client_for):
    from django.urls import reverse

    page = client_for("hq_head").get(reverse("compliance:cell", args=[world.county_a.pk, "F1"])).content.decode()
    heading = page[page.index("<h1"):page.index("</h1>")]
    assert "بند و-۱" in heading and "F1" not in heading


def test_the_grouped_totals_score_exactly_as_the_records_do(world):
    """The pages score with one grouped aggregate per measure (ids=False); every cell's value, target,
    attainment and quality mark, every total and rank must equal the record-by-record reading (ids=True):
    records on month edges, a future meeting, a guest entered twice, on-time and late reports with a
    quality mark, an overdue and an in-time complaint, channel figures summed, E2's kinds, B11's staff."""
    from ravabet.compliance.evaluation import compute_many
    from ravabet.compliance.models import QualityMark
    from ravabet.occasions.models import ActivityKind
    from ravabet.occasions.tests.factories import make_activity
    from ravabet.planning.indicators import report_deadlines
    from ravabet.planning.models import MonthlyReport
    from ravabet.planning.tests.factories import make_channel, make_report, make_training

    months = [last_month().previous().previous(), last_month().previous(), last_month(), Period.current_month()]
    for month in months:
        make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=_at(month.start, 0) + dt.timedelta(minutes=1))
        make_meeting(world.county_b, kind=MeetingKind.STAFF, when=_at(month.end, 23))
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=timezone.now() + dt.timedelta(days=3))
    event = make_event(world.county_a, days=-1, state="held")
    for _ in range(2):
        make_guest(event, invited_at=_at(months[1].end, 22))
    make_guest(event, name="مهندس سارا احمدی", mobile="09121112222", invited_at=_at(months[1].end, 22))
    deadlines = report_deadlines([(m.year, m.number) for m in months[:2]])
    late = make_report(world.county_a, state="submitted", year=months[0].year, month=months[0].number)
    MonthlyReport.objects.filter(pk=late.pk).update(
        submitted_at=_at(deadlines[(months[0].year, months[0].number)] + dt.timedelta(days=1), 9))
    on_time = make_report(world.county_a, state="accepted", year=months[1].year, month=months[1].number)
    MonthlyReport.objects.filter(pk=on_time.pk).update(
        submitted_at=_at(deadlines[(months[1].year, months[1].number)], 9))
    from django.contrib.contenttypes.models import ContentType

    QualityMark.objects.create(content_type=ContentType.objects.get_for_model(MonthlyReport), object_id=on_time.pk,
                               unit=world.county_a, item="A2", mark=4)
    overdue = make_case(world.county_a)
    Case.objects.filter(pk=overdue.pk).update(deadline=months[2].start + dt.timedelta(days=3))
    answered = make_case(world.county_a, mobile="09127654321")
    Case.objects.filter(pk=answered.pk).update(
        deadline=months[2].start + dt.timedelta(days=3), state="answered", answered_in_time=True,
        answered_at=_at(months[2].start, 10))
    make_channel(world.county_a, figures=3)
    make_training(world.county_b)
    make_activity(world.county_a, kind=ActivityKind.CULTURE)
    make_activity(world.county_a, kind=ActivityKind.CULTURE)
    make_activity(world.county_b, kind=ActivityKind.MARCH)
    units = [world.county_a, world.county_b]

    def cells(result):
        return [(r.unit.pk, r.total, r.rank, {c: (x.value, x.target, x.attainment, x.quality) for c, x in r.cells.items()})
                for r in result.rows]

    records = compute_many(months, units)
    totals = compute_many(months, units, ids=False)
    assert [cells(r) for r in totals] == [cells(r) for r in records]
    assert records[1].row_for(world.county_a.pk).cells["A2"].quality == 4
    assert records[2].row_for(world.county_a.pk).cells["D2"].attainment == 50
    assert len({row.total for row in records[2].rows}) == 2  # the two units differ
    quarter = Period("quarter", months[2].year, (months[2].number - 1) // 3 + 1)
    assert cells(compute(quarter, units, ids=False)) == cells(compute(quarter, units))
    assert all(not cell.ids for row in totals[2].rows for cell in row.cells.values())


def test_the_grouped_totals_run_one_query_per_measure_whatever_the_units_and_records(world):
    from ravabet.compliance.evaluation import compute_many

    months = [last_month().previous(), last_month(), Period.current_month()]
    compute_many(months, [world.county_a], ids=False)  # warms the content-type and holiday caches
    with CaptureQueriesContext(connection) as few:
        compute_many(months, [world.county_a, world.county_b], ids=False)
    for index in range(6):
        unit = Unit.objects.create(code=f"c{index}", name=f"اداره {index}", city="شهر", parent=world.hq)
        make_meeting(unit, kind=MeetingKind.COORDINATION, when=timezone.now() - dt.timedelta(minutes=5))
        make_guest(make_event(unit, days=-1, state="held"), invited_at=timezone.now() - dt.timedelta(minutes=5))
        make_case(unit)
    units = list(Unit.objects.filter(parent=world.hq))
    with CaptureQueriesContext(connection) as many:
        compute_many(months, units, ids=False)
    assert len(many) == len(few)
    # One grouped query per measure, E2's unit targets, each month's weights, the working-day calendars.
    assert len(few) <= len(MEASURES) + len(months) + 8
