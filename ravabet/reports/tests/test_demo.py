import pytest

from ravabet.offices.demo import seed_platform
from ravabet.reports.demo import seed_demo
from ravabet.reports.models import Kind, ProfileState, State, UnitProfile, UnitReport

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
