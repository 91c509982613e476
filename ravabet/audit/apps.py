from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ravabet.audit"
    label = "audit"
    verbose_name = "گزارش رویدادها"
