"""Personal API tokens (issue 18, point 1): a user makes one on their own page, sees it once, revokes it.

Only a SHA-256 digest of the secret is stored. A token is 32 random bytes (256 bits), so a plain
digest is enough: slow password hashes exist to protect guessable secrets, and make every API request
pay for it (the same reasoning as GitHub's and Django REST Knox's token storage).
"""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name="کاربر")
    name = models.CharField("نام (برای چه برنامه‌ای)", max_length=100)
    prefix = models.CharField("آغاز کلید", max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("زمان ساخت", auto_now_add=True)
    last_used_at = models.DateTimeField("آخرین به‌کارگیری", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("زمان باطل شدن", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "کلید API"
        verbose_name_plural = "کلیدهای API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
