from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "ravabet.offices"
    label = "offices"
    verbose_name = "واحدها و کارکنان"
