from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ravabet.api"
    label = "api"
    verbose_name = "واسط برنامه‌نویسی (API)"
