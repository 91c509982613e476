from django.apps import AppConfig


class OccasionsConfig(AppConfig):
    name = "ravabet.occasions"
    label = "occasions"
    verbose_name = "مناسبت‌ها"

    def ready(self):
        from ravabet.lib.workdays import register_official_holidays

        from .models import OfficialHoliday, official_holidays_of

        register_official_holidays(official_holidays_of, model=OfficialHoliday)
