import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ravabet.news import services
from ravabet.photos.imagegen import landscape


def photo_file(seed: int, size=(1600, 1067), name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or f"photo-{seed}.jpg", landscape(seed, size=size), content_type="image/jpeg")


def make_news(world, *, kind="news", title="بازدید مدیر کل از پروژه راه روستایی", photos=1, by=None, unit=None,
              seed=1):
    by = by or world.officer
    news, _ = services.news_create(unit=unit or world.county_a, by=by, kind=kind, title=title,
                                   lead="لید خبر", body="متن خبر درباره پیشرفت پروژه.",
                                   news_date=datetime.date(2026, 11, 20), occasion="", tags="",
                                   uploads=[photo_file(seed * 100 + i, size=(640, 427)) for i in range(photos)])
    news.refresh_from_db()
    return news


def submitted(world, **kwargs):
    news = make_news(world, **kwargs)
    return services.news_submit(news=news, by=kwargs.get("by") or world.officer)


def step_url(news, name: str) -> str:
    """The generic workflow URL of one step of a news item."""
    return reverse("workflow:transition", args=["news.news", news.pk, name])
