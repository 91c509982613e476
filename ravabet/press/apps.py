from django.apps import AppConfig


class PressConfig(AppConfig):
    name = "ravabet.press"
    label = "press"
    verbose_name = "رسانه‌ها و پایش مطبوعات"
