import pytest


@pytest.fixture(autouse=True)
def _captcha_test_mode(monkeypatch):
    """django-simple-captcha reads CAPTCHA_TEST_MODE once at import, so the root conftest's
    settings override does not reach it; "PASSED" must be accepted in these tests."""
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
