import pytest

from ravabet.events.demo import seed_demo
from ravabet.events.models import (
    Activity,
    Assignment,
    AssignmentState,
    Event,
    Guest,
    Occasion,
    OccasionContent,
    SupplyItem,
    SupplyLoan,
)
from ravabet.offices.demo import seed_platform

pytestmark = pytest.mark.django_db
MODELS = (Assignment, Event, Guest, Occasion, OccasionContent, SupplyItem, SupplyLoan, Activity)


def test_the_demo_shows_every_task_state_an_event_with_guests_and_a_second_run_adds_nothing():
    seed_demo(seed_platform())
    counts = {model: model.objects.count() for model in MODELS}
    assert set(Assignment.objects.values_list("state", flat=True)) == set(AssignmentState.values)
    assert Guest.objects.filter(rsvp="accepted").exists() and Guest.objects.filter(checked_in_at__isnull=False).exists()
    assert Occasion.objects.filter(lunar=True).exists() and OccasionContent.objects.filter(state="sent").exists()
    assert all(counts.values()), counts
    seed_demo(seed_platform())
    assert {model: model.objects.count() for model in MODELS} == counts


def test_bench_data_is_loaded_once():
    from ravabet.events.demo import seed_bench
    from ravabet.offices.demo import seed_bench_platform

    ctx = seed_bench_platform(units=2, staff_per_unit=3)
    ctx.years = 1
    seed_bench(ctx)
    counts = {model: model.objects.count() for model in MODELS}
    assert counts[Event] == 2 * 24 and counts[Guest] == 2 * 24 * 20 and counts[Assignment] == 2 * 52
    seed_bench(ctx)
    assert {model: model.objects.count() for model in MODELS} == counts
