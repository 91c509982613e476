from ravabet.testing import Case, hq_only, post_only, public, unit_record


def _news(world, **extra):
    import datetime

    from ravabet.news.models import News

    fields = {"unit": world.county_a, "author": world.officer, "title": "بازدید از پروژه", "body": "<p>متن</p>",
              "news_date": datetime.date(2026, 11, 20), **extra}
    return {"pk": News.objects.create(**fields).pk}


def _published(world):
    from django.utils import timezone

    return _news(world, state="published", published_at=timezone.now())


def _unit_code(world):
    return {"code": world.county_a.code}


CASES = {
    "news:mine": Case(),
    "news:create": Case(),
    "news:detail": unit_record(_news),
    # A draft is the unit's own: HQ may read it but edits only what was sent.
    "news:edit": Case(kwargs=_news, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "news:comment": post_only(_news),
    "news:set_cover": post_only(_news),
    "news:remove_photo": post_only(_news),
    "news:desk": hq_only(),
    "news:desk_bulk": post_only(),
    "news:daily": hq_only(),
    "news:daily_month": hq_only(),
    "news:settings": hq_only(),
    "news:public_list": public(),
    "news:public_detail": public(_published),
    "news:feed_rss": public(),
    "news:feed_atom": public(),
    "news:unit_feed_rss": public(_unit_code),
    "news:unit_feed_atom": public(_unit_code),
}
