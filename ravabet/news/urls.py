from django.urls import path
from django.views.decorators.cache import cache_control

from . import feeds, pagecache, views

app_name = "news"
FEED_AGE = 300


def feed_cache(feed):
    """A feed cached by browsers and proxies for 5 minutes, and on the server until any news changes
    (ravabet.news.pagecache, issue 11 §5)."""
    return cache_control(public=True, max_age=FEED_AGE)(
        pagecache.server_cached(feed, views.public_last_modified, timeout=FEED_AGE))


urlpatterns = [
    path("news/", views.mine, name="mine"),
    path("news/new/", views.create, name="create"),
    path("news/<int:pk>/", views.detail, name="detail"),
    path("news/<int:pk>/edit/", views.edit, name="edit"),
    path("news/<int:pk>/comment/", views.comment, name="comment"),
    path("news/<int:pk>/cover/", views.set_cover, name="set_cover"),
    path("news/<int:pk>/photos/remove/", views.remove_photo, name="remove_photo"),
    path("news/desk/", views.desk, name="desk"),
    path("news/desk/bulk/", views.desk_bulk, name="desk_bulk"),
    path("news/daily/", views.daily, name="daily"),
    path("news/daily/month/", views.daily_month, name="daily_month"),
    path("news/settings/", views.news_settings, name="settings"),
    path("public/news/", views.public_list, name="public_list"),
    path("public/news/<int:pk>/", views.public_detail, name="public_detail"),
    path("public/news/feed/rss/", feed_cache(feeds.NewsFeed()), name="feed_rss"),
    path("public/news/feed/atom/", feed_cache(feeds.AtomNewsFeed()), name="feed_atom"),
    path("public/news/unit/<slug:code>/rss/", feed_cache(feeds.UnitNewsFeed()), name="unit_feed_rss"),
    path("public/news/unit/<slug:code>/atom/", feed_cache(feeds.UnitAtomNewsFeed()), name="unit_feed_atom"),
]
