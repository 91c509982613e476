"""RSS and Atom feeds of published news: HQ-wide and per unit."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ravabet.offices.models import Unit

from .models import News
from .selectors import public_news
from .text import plain

SITE_TITLE = "اخبار روابط عمومی"


class NewsFeed(Feed):
    language = "fa"
    description = "تازه‌ترین اخبار منتشرشده اداره کل و ادارات شهرستان"

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
