"""RSS and Atom feeds of published news: HQ-wide and per unit."""

import copy

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure

from ravabet.offices.models import Unit

from .models import News
from .selectors import public_news
from .text import plain

SITE_TITLE = "اخبار روابط عمومی"


class NewsFeed(Feed):
    language = "fa"
    description = "تازه‌ترین اخبار منتشرشده اداره کل و ادارات شهرستان"
    request = None

    def get_feed(self, obj, request):
        # The feed object is shared by every request: keep this request on a copy, which the
        # enclosure needs to make the cover photo's address absolute for feed readers.
        per_request = copy.copy(self)
        per_request.request = request
        return Feed.get_feed(per_request, obj, request)

    def title(self, obj=None):
        return f"{SITE_TITLE} — {obj.name}" if obj else SITE_TITLE

    def link(self, obj=None):
        url = reverse("news:public_list")
        return f"{url}?unit={obj.code}" if obj else url

    def items(self, obj=None):
        queryset = public_news()
        if obj is not None:
            queryset = queryset.filter(unit=obj)
        return queryset[:30]

    def item_title(self, item: News):
        return item.title

    def item_description(self, item: News):
        return item.lead or plain(item.body)[:400]

    def item_link(self, item: News):
        return item.get_public_url()

    def item_pubdate(self, item: News):
        return item.published_at

    def item_updateddate(self, item: News):
        return item.updated_at

    def item_categories(self, item: News):
        return [item.get_kind_display(), *item.tag_list]

    def item_enclosures(self, item: News):
        """The cover photo (the public, EXIF-free copy), so readers and aggregators show a picture."""
        if not (item.cover_id and item.cover.image and self.request is not None):
            return []
        # Length 0: the size is unknown without a storage round trip per item, which RSS readers accept.
        return [Enclosure(self.request.build_absolute_uri(item.cover.image.url), "0", "image/jpeg")]

    def item_author_name(self, item: News):
        return item.unit.name


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


class UnitMixin:
    def get_object(self, request, code):
        return get_object_or_404(Unit, code=code, is_active=True)


class UnitNewsFeed(UnitMixin, NewsFeed):
    pass


class UnitAtomNewsFeed(UnitMixin, AtomNewsFeed):
    pass
