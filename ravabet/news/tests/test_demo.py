import pytest

from ravabet.photos.imagegen import landscape

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_a_month_of_news_once(monkeypatch):
    from ravabet.news.demo import seed_demo
    from ravabet.news.models import News, NewsState
    from ravabet.offices.demo import seed_platform

    # Small pictures keep the test quick; the demo itself draws 1600×1067 ones.
    monkeypatch.setattr("ravabet.news.demo.landscape", lambda seed: landscape(seed, size=(480, 320)))
    ctx = seed_platform()
    seed_demo(ctx)
    count = News.objects.count()
    assert count >= 20
    assert News.objects.filter(state=NewsState.PUBLISHED).exists()
    assert News.objects.filter(kind="achievement", state=NewsState.PUBLISHED).exists()
    seed_demo(ctx)
    assert News.objects.count() == count


def test_seed_bench_bulk_loads_news_with_four_photo_hashes_each():
    from ravabet.news.demo import seed_bench
    from ravabet.news.models import News
    from ravabet.offices.demo import seed_bench_platform
    from ravabet.photos.models import Photo

    ctx = seed_bench_platform(units=2, staff_per_unit=1)
    ctx.years = 1
    seed_bench(ctx)
    news = News.objects.count()
    assert news > 300
    assert Photo.objects.count() == 4 * news
    assert not News.objects.filter(cover__isnull=True).exists()
