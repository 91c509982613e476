from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "ravabet.photos"
    label = "photos"
    verbose_name = "عکس‌ها"
