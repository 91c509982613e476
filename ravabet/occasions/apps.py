from django.apps import AppConfig


class OccasionsConfig(AppConfig):
    name = "ravabet.occasions"
    label = "occasions"
    verbose_name = "مناسبت‌ها"
