"""Issue 13, point 8: `check --deploy` clean in a production environment; the development warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ravabet.lib.devwarning import development_warning

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_with_production_settings():
    env = {**os.environ, "DEBUG": "False", "SECRET_KEY": "k" * 20 + "-Zq8#pL2@vR5!wX9^mN4&bT7*cY1(hJ6)", "ALLOWED_HOSTS": "ravabet.example.ir"}
    env.pop("RAVABET_TESTING", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser fixture sets it for the test process only
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_make_run_warns_with_debug_and_the_development_key(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    assert "DEBUG" in development_warning() and "هشدار" in development_warning()
    settings.SECRET_KEY = "a-real-secret-" + "z" * 40
    assert development_warning() == ""
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    settings.DEBUG = False
    assert development_warning() == ""


def test_the_makefile_run_target_prints_the_warning_and_relaxes_enrolment_for_the_demo():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile[makefile.index("run: demo"):]
    assert "development_warning" in run.split("\n\n")[0]
    assert "run: export TWO_FACTOR_REQUIRED ?= 0" in makefile


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """Issue 18 §5: JIT compiling cost 80 ms on a 10 ms search over a million news items (settings: PG_JIT)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
