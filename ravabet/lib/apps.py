from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "ravabet.lib"
    label = "lib"
    verbose_name = "ابزارها"
