"""Settings of the bench's anchor project (production mode: DEBUG off, no middleware beyond Django's
common one, SQLite in var/bench_anchor.sqlite3 or $ANCHOR_DB)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEBUG = False
SECRET_KEY = "bench-anchor-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["bench.anchor"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "bench.anchor.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.environ.get("ANCHOR_DB", str(ROOT / "var" / "bench_anchor.sqlite3"))}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": False,
              "OPTIONS": {}}]
USE_TZ = True
TIME_ZONE = "Asia/Tehran"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
