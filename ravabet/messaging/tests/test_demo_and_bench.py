import pytest

from ravabet.messaging import demo
from ravabet.messaging.models import Announcement, CondolenceBanner, Delivery, DuplicateCheck, StaffGroup, TickerText

pytestmark = pytest.mark.django_db

MODELS = (Announcement, Delivery, DuplicateCheck, StaffGroup, TickerText, CondolenceBanner)


def test_demo_data_has_every_part_and_a_second_run_adds_nothing():
    from ravabet.offices.demo import seed_platform

    demo.seed_demo(seed_platform())
    counts = {model: model.objects.count() for model in MODELS}
    assert all(counts.values()), counts
    assert DuplicateCheck.objects.get().outcome == "blocked"
    demo.seed_demo(seed_platform())
    assert {model: model.objects.count() for model in MODELS} == counts


def test_bench_data_is_loaded_once_and_the_outbox_measure_sends_through_the_fake_provider():
    from ravabet.messaging import bench
    from ravabet.offices.demo import seed_bench_platform
    from ravabet.outbox.models import OutboxMessage

    ctx = seed_bench_platform(units=2, staff_per_unit=5)
    ctx.years = 1
    demo.seed_bench(ctx)
    count = Delivery.objects.count()
    assert count == 2 * 24 * 5
    demo.seed_bench(ctx)
    assert Delivery.objects.count() == count
    assert bench._send_batch() > 0
    assert not OutboxMessage.objects.filter(source=bench.SOURCE).exists()
