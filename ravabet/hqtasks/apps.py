from django.apps import AppConfig


class HqTasksConfig(AppConfig):
    name = "ravabet.hqtasks"
    label = "hqtasks"
    verbose_name = "مأموریت‌های اداره کل"
