from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "ravabet.outbox"
    label = "outbox"
    verbose_name = "صندوق ارسال"
