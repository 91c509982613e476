from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "ravabet.events"
    label = "events"
    verbose_name = "مراسم، دعوت‌ها و وسایل تشریفات"
