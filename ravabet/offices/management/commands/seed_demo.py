from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from ravabet.offices.demo import DEMO_PASSWORD, demo_logins, seed_platform


def app_hooks(name: str):
    """`name` functions of every app's demo.py, in INSTALLED_APPS order (the platform's excluded)."""
    hooks = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ravabet.") or config.label == "offices":
            continue
        try:
            hooks.append(import_string(f"{config.name}.demo.{name}"))
        except ImportError:
            continue
    return hooks


class Command(BaseCommand):
    help = "Load the demo province (HQ, six counties, one user per role, realistic records). Idempotent."

    def handle(self, *args, **options):
        ctx = seed_platform()
        for hook in app_hooks("seed_demo"):
            hook(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        for username, role, unit in demo_logins():
            self.stdout.write(f"  {username:<20} {role} — {unit}")
