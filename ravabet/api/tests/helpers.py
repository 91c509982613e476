"""Records for the API tests: published news (through the news services, then the published state set
directly: the workflow's own tests cover publishing), and a token for an actor of the test world."""

from django.test import Client
from django.utils import timezone

from ravabet.api.tokens import token_create
from ravabet.news.models import News, NewsState
from ravabet.news.tests.helpers import make_news


def published(world, *, unit=None, photos=1, title="بازدید مدیر کل از پروژه راه روستایی", seed=1) -> News:
    news = make_news(world, unit=unit, photos=photos, title=title, seed=seed,
                     by=world.officer if unit in (None, world.county_a) else world.outsider)
    News.objects.filter(pk=news.pk).update(state=NewsState.PUBLISHED, published_at=timezone.now())
    news.refresh_from_db()
    return news


def token_client(user) -> Client:
    """A test client sending a fresh personal token of `user` as `Authorization: Bearer`."""
    _, text = token_create(by=user, name="آزمون")
    return Client(HTTP_AUTHORIZATION=f"Bearer {text}")
