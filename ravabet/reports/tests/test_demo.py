import pytest

from ravabet.offices.demo import seed_platform
from ravabet.offices.models import ProfileState, UnitProfile
from ravabet.reports.demo import seed_demo
from ravabet.reports.models import Kind, State, UnitReport

pytestmark = pytest.mark.django_db


def test_the_demo_has_reports_in_every_state_and_profiles_and_a_second_run_adds_nothing():
    ctx = seed_platform()
    seed_demo(ctx)
    counts = (UnitReport.objects.count(), UnitProfile.objects.count())
    assert set(UnitReport.objects.values_list("state", flat=True)) == set(State.values)
    assert UnitReport.objects.filter(kind=Kind.SOLUTION, solves__isnull=False).exists()
    assert set(UnitProfile.objects.values_list("state", flat=True)) >= {
        ProfileState.ACKNOWLEDGED, ProfileState.SUBMITTED, ProfileState.DRAFT}
    seed_demo(seed_platform())
    assert (UnitReport.objects.count(), UnitProfile.objects.count()) == counts


def test_the_bench_data_spreads_reports_over_the_years_and_a_second_run_adds_nothing():
    from ravabet.offices.demo import seed_bench_platform
    from ravabet.reports.demo import seed_bench

    ctx = seed_bench_platform(units=2, staff_per_unit=2)
    ctx.years = 1
    seed_bench(ctx)
    count = UnitReport.objects.count()
    assert count == 2 * 12 * 4
    assert UnitReport.objects.filter(state=State.ACTION, followup_due__isnull=False).exists()
    assert UnitProfile.objects.filter(state=ProfileState.ACKNOWLEDGED).count() == 2
    seed_bench(ctx)
    assert UnitReport.objects.count() == count
