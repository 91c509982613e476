from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "ravabet.news"
    label = "news"
    verbose_name = "اخبار"
