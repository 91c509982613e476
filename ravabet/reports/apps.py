from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ravabet.reports"
    label = "reports"
    verbose_name = "گزارش‌های واحد به اداره کل"
