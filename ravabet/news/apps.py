from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "ravabet.news"
    label = "news"
    verbose_name = "اخبار"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from ravabet.offices.models import Unit
        from ravabet.photos.signals import photo_changed

        from .models import News
        from .pagecache import forget_newest_change
        from .receivers import forget_public_units, touch_news_showing

        post_save.connect(forget_newest_change, sender=News, dispatch_uid="news.forget_newest_change.save")
        post_delete.connect(forget_newest_change, sender=News, dispatch_uid="news.forget_newest_change.delete")

        photo_changed.connect(touch_news_showing, dispatch_uid="news.touch_news_showing")
        post_save.connect(forget_public_units, sender=Unit, dispatch_uid="news.forget_public_units.save")
        post_delete.connect(forget_public_units, sender=Unit, dispatch_uid="news.forget_public_units.delete")
