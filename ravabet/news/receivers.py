"""What news does when another part changes something it shows."""

from django.utils import timezone

from .models import News


def touch_news_showing(sender, photo, **kwargs) -> None:
    """A photo's caption changed: the public pages showing it must not answer 304 with the old one."""
    News.objects.filter(news_photos__photo=photo).update(updated_at=timezone.now())
