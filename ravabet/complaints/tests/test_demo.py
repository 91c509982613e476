import pytest

from ravabet.complaints.demo import seed_demo
from ravabet.complaints.models import Case, Channel, State
from ravabet.offices.demo import seed_platform

pytestmark = pytest.mark.django_db


def test_the_demo_has_cases_in_every_state_and_a_second_run_adds_nothing():
    ctx = seed_platform()
    seed_demo(ctx)
    count = Case.objects.count()
    assert set(Case.objects.values_list("state", flat=True)) == set(State.values)
    assert Case.objects.filter(channel=Channel.PRESS).exists() and Case.objects.filter(forwarded_by_hq=True).exists()
    assert Case.objects.filter(escalated_at__isnull=False).exists()
    seed_demo(seed_platform())
    assert Case.objects.count() == count
