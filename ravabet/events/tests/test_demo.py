import pytest

from ravabet.events.models import Event, Guest, SupplyItem, SupplyLoan
from ravabet.offices.demo import seed_platform

pytestmark = pytest.mark.django_db
MODELS = (Event, Guest, SupplyItem, SupplyLoan)


def test_the_demo_shows_an_event_with_guests_a_held_one_and_a_second_run_adds_nothing():
    from ravabet.events.demo import seed_demo
    from ravabet.occasions.demo import seed_demo as seed_occasions

    ctx = seed_platform()
    seed_occasions(ctx)
    seed_demo(ctx)
    counts = {model: model.objects.count() for model in MODELS}
    assert Guest.objects.filter(rsvp="accepted").exists() and Guest.objects.filter(checked_in_at__isnull=False).exists()
    assert Event.objects.filter(state="held", attendance=85).exists()
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
    assert counts[Event] == 2 * 24 and counts[Guest] == 2 * 24 * 20
    seed_bench(ctx)
    assert {model: model.objects.count() for model in MODELS} == counts
