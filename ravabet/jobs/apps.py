from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ravabet.jobs"
    label = "jobs"
    verbose_name = "کارهای زمان‌بندی‌شده"

    def ready(self):
        # Periodic jobs are declared next to their tasks in each app's tasks.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
