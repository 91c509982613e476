"""News items for the generated step × actor test (ravabet/workflow/tests/test_matrix.py)."""

import datetime

from django.utils import timezone

from ravabet.lib import jalali

# Steps whose record must be an achievement (B2) for its guards to hold.
ACHIEVEMENT_STEPS = {"send_to_manager", "submit_approved", "manager_approve", "manager_return", "approve_achievement"}


def make_news(world, step_name: str, source_state: str):
    """A news item in `source_state` that the step's guards accept, with one photo, and the values
    a person types for the step's needs. HQ's own news (submit_hq) belongs to HQ's unit."""
    from ravabet.news.models import News, NewsKind, NewsPhoto
    from ravabet.photos.models import Photo

    hq_own = step_name == "submit_hq"
    unit = world.hq if hq_own else world.county_a
    now = timezone.now()
    achievement = step_name in ACHIEVEMENT_STEPS
    news = News.objects.create(
        unit=unit, author=world.hq_expert if hq_own else world.officer, title="افتتاح پل روستای کوشک",
        body="<p>پل روستا پس از دو سال به بهره‌برداری رسید.</p>", news_date=datetime.date(2026, 11, 20),
        kind=NewsKind.ACHIEVEMENT if achievement else NewsKind.NEWS, state=source_state, photo_count=1,
        manager_approved_at=now if step_name == "approve_achievement" else None,
        scheduled_for=now + datetime.timedelta(days=1) if source_state == "scheduled" else None,
        published_at=now if source_state == "published" else None)
    photo = Photo.objects.create(unit=unit, image="photos/sample.jpg", thumbnail="photos/sample-thumb.jpg",
                                 width=1600, height=1067)
    NewsPhoto.objects.create(news=news, photo=photo)
    News.objects.filter(pk=news.pk).update(cover=photo)
    values = {}
    if step_name in ("return_to_unit", "manager_return"):
        values["comment"] = "عکس افقی بهتری بفرستید."
    if step_name == "schedule":
        values["scheduled_for"] = jalali.format_datetime(now + datetime.timedelta(days=2))
    return news, values


SAMPLES = {"news.news": make_news}
