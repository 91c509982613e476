from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "ravabet.offices"
    label = "offices"
    verbose_name = "واحدها و کارکنان"

    def ready(self):
        from ravabet.lib.workdays import register_closures

        from .models import Closure, closures_between

        register_closures(closures_between, model=Closure)

        from . import session_limits, twofactor  # noqa: F401 (login signal receivers)
