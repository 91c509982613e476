from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "ravabet.messaging"
    label = "messaging"
    verbose_name = "اطلاع‌رسانی به کارکنان"
