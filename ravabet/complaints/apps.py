from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "ravabet.complaints"
    label = "complaints"
    verbose_name = "شکایات و درخواست‌ها"

    def ready(self):
        from .signals import connect

        connect()
