from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "ravabet.compliance"
    label = "compliance"
    verbose_name = "دستورالعمل و پایش"

    def ready(self):
        # Each app declares the instruction items it serves in its own features.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("features")
        # ... and how each item is measured for HQ's evaluation, in its own indicators.py (issue 10).
        autodiscover_modules("indicators")
        # What changes scores without new evidence makes every cached evaluation board stale at once.
        from django.db.models.signals import post_delete, post_save

        from ravabet.offices.models import Unit

        from .board import invalidate
        from .models import FrozenPeriod, ItemWeight, QualityMark, WeightSet

        for model in (QualityMark, WeightSet, ItemWeight, FrozenPeriod, Unit):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"compliance-board-{model.__name__}-save")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"compliance-board-{model.__name__}-delete")
