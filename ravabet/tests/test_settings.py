import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "RAVABET_TESTING")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_settings_pass_the_deploy_check():
    result = _run({"DEBUG": "false", "SECRET_KEY": "k" * 60 + "-production-secret-!@#", "ALLOWED_HOSTS": "pr.example.ir"},
                  "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _run({"DEBUG": "false", "ALLOWED_HOSTS": "pr.example.ir"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_content_security_policy_allows_nothing_from_outside():
    from django.conf import settings

    for directive, sources in settings.SECURE_CSP.items():
        assert not any(str(source).startswith(("http", "*")) for source in sources), directive


def test_error_pages_are_persian(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "صفحه پیدا نشد" in page and 'dir="rtl"' in page


def test_the_500_page_needs_no_database_or_context():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "خطای پیش‌بینی‌نشده" in html
