"""What news does when another part changes something it shows."""

from django.utils import timezone

from .models import News


def touch_news_showing(sender, photo, **kwargs) -> None:
    """A photo's caption changed: the public pages showing it must not answer 304 with the old one."""
    from .pagecache import forget_newest_change

    News.objects.filter(news_photos__photo=photo).update(updated_at=timezone.now())
    forget_newest_change()


def forget_public_units(sender, **kwargs) -> None:
    """A unit was saved or deleted: the public newsroom's unit filter (selectors.public_units) is read again."""
    from django.core.cache import cache

    from .selectors import PUBLIC_UNITS_KEY

    cache.delete(PUBLIC_UNITS_KEY)
