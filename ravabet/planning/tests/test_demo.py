import pytest

from ravabet.offices.demo import seed_bench_platform, seed_platform

from ..demo import seed_bench, seed_demo
from ..models import Meeting, MonthlyReport, Plan, ReportState, Training

pytestmark = pytest.mark.django_db


def test_demo_adds_plans_meetings_trainings_and_a_submitted_report_once():
    ctx = seed_platform()
    seed_demo(ctx)
    counts = [Plan.objects.count(), Meeting.objects.count(), Training.objects.count(), MonthlyReport.objects.count()]
    seed_demo(ctx)
    assert counts == [Plan.objects.count(), Meeting.objects.count(), Training.objects.count(),
                      MonthlyReport.objects.count()]
    # Per county: the year plan, this month's plan and last month's (approved, for the report's plan section).
    assert counts[0] == 6 and counts[1] == 8 and counts[3] == 2
    assert set(MonthlyReport.objects.values_list("state", flat=True)) == {ReportState.SUBMITTED, ReportState.ACCEPTED}
    assert all(report.sections for report in MonthlyReport.objects.all())
    for report in MonthlyReport.objects.all():
        plan_section = next(section for section in report.sections if section["key"] == "planning.plans")
        assert plan_section["counts"] and plan_section["table"]["rows"]


def test_bench_seed_fills_years_of_records_for_every_unit_once():
    ctx = seed_bench_platform(units=2, staff_per_unit=8)
    ctx.years = 2
    seed_bench(ctx)
    plans = Plan.objects.count()
    seed_bench(ctx)
    assert Plan.objects.count() == plans > 2 * 2
    assert Meeting.objects.filter(unit=ctx.units[1]).count() >= 6 * 12
