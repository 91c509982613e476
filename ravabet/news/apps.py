from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "ravabet.news"
    label = "news"
    verbose_name = "اخبار"

    def ready(self):
        from ravabet.photos.signals import photo_changed

        from .receivers import touch_news_showing

        photo_changed.connect(touch_news_showing, dispatch_uid="news.touch_news_showing")
