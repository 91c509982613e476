"""News and photo benchmarks: the editorial queue, the public side, the feeds, and the
near-duplicate lookup against a brute-force scan of every stored hash."""

import random

from ravabet.photos import hashing


def pages(ctx) -> list[dict]:
    from ravabet.news.models import News, NewsState

    published = ctx.first(News, unit__in=ctx.units, state=NewsState.PUBLISHED)
    unit = ctx.units[0]
    return [
        {"name": "news: HQ desk (submitted)", "path": "/news/desk/", "user": ctx.hq_expert},
        {"name": "news: HQ desk (all states, page 50)", "path": "/news/desk/?state=&page=50", "user": ctx.hq_expert},
        {"name": "news: HQ desk filtered by unit and kind", "path": f"/news/desk/?state=&unit={unit.pk}&kind=activity",
         "user": ctx.hq_expert},
        {"name": "news: unit's own list", "path": "/news/", "user": ctx.officers[unit.pk]},
        {"name": "news: daily compliance today", "path": "/news/daily/", "user": ctx.hq_expert},
        {"name": "news: month grid", "path": "/news/daily/month/", "user": ctx.hq_expert},
        {"name": "news: public list", "path": "/public/news/", "user": None},
        {"name": "news: public list page 100", "path": "/public/news/?page=100", "user": None},
        {"name": "news: public search", "path": "/public/news/?q=%D9%BE%D9%84", "user": None},
        {"name": "news: public unit filter", "path": f"/public/news/?unit={unit.code}", "user": None},
        {"name": "news: public detail", "path": f"/public/news/{published.pk}/", "user": None},
        {"name": "news: feed (Atom)", "path": "/public/news/feed/atom/", "user": None},
        {"name": "news: unit feed (RSS)", "path": f"/public/news/unit/{unit.code}/rss/", "user": None},
    ]


def measures(ctx) -> list[dict]:
    from ravabet.photos.models import Photo
    from ravabet.photos.services import find_duplicate

    rng = random.Random(7)
    samples = list(Photo.objects.filter(unit__in=ctx.units).order_by("?").values_list("unit_id", "phash")[:200])

    def probe():
        unit_id, value = rng.choice(samples)
        # A near copy: a few bits changed, as a re-saved or slightly cropped photo would be.
        for bit in rng.sample(range(64), 3):
            value = hashing.to_signed(hashing.to_unsigned(value) ^ (1 << bit))
        return unit_id, value

    def banded():
        unit_id, value = probe()
        assert find_duplicate(unit_id=unit_id, phash=value, max_distance=6) is not None

    def brute_force():
        unit_id, value = probe()
        best = min(hashing.distance(value, other) for other in Photo.objects.values_list("phash", flat=True).iterator(
            chunk_size=20000))
        assert best <= 6

    return [{"name": "photos: near-duplicate lookup (band index) vs brute-force scan of all hashes",
             "run": banded, "baseline": brute_force, "repeat": 200}]
