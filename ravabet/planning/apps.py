from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "ravabet.planning"
    label = "planning"
    verbose_name = "برنامه‌ریزی و گزارش ماهانه"
