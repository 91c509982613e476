from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "ravabet.messaging"
    label = "messaging"
    verbose_name = "اطلاع‌رسانی به کارکنان"

    def ready(self):
        from ravabet.news.signals import achievement_published

        from .officials import send_achievement_to_officials

        achievement_published.connect(send_achievement_to_officials, dispatch_uid="messaging.achievement_to_officials")
