from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "ravabet.surveys"
    label = "surveys"
    verbose_name = "نظرسنجی"
