from django.apps import AppConfig


class AnchorConfig(AppConfig):
    name = "bench.anchor"
    label = "anchor"
