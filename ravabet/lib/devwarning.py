"""The warning `make run` prints while the server runs with DEBUG on and the source's development key."""

from django.conf import settings


def development_warning() -> str:
    """A Persian and English warning when DEBUG is on with settings.DEVELOPMENT_SECRET_KEY, else ''.

    Source: issue 13, point 8."""
    if settings.DEBUG and settings.SECRET_KEY == getattr(settings, "DEVELOPMENT_SECRET_KEY", None):
        return ("هشدار: سامانه با DEBUG روشن و کلید توسعه‌ی داخل کد اجرا می‌شود؛ فقط برای نمایش روی رایانه‌ی خودتان.\n"
                "WARNING: DEBUG is on and SECRET_KEY is the development key from the source — never expose this "
                "server; set DEBUG=False and SECRET_KEY for any real use.")
    return ""
