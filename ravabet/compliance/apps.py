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
