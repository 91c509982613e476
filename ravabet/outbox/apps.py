from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "ravabet.outbox"
    label = "outbox"
    verbose_name = "صندوق ارسال"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Notification
        from .services import notice_changed

        post_save.connect(notice_changed, sender=Notification, dispatch_uid="outbox.notice_changed")
        post_delete.connect(notice_changed, sender=Notification, dispatch_uid="outbox.notice_deleted")
