from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "ravabet.visits"
    label = "visits"
    verbose_name = "بازدیدهای میدانی"
