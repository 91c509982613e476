from django.db import models


class RateCounter(models.Model):
    """One fixed-window counter of ravabet.lib.ratelimit when no Redis is configured: shared by every
    process through the database. Old windows are removed as new ones are counted."""

    key = models.CharField(max_length=200)
    bucket = models.BigIntegerField(help_text="Window number: Unix seconds // window length.")
    count = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True, help_text="Unix seconds after which the row is useless.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "bucket"], name="lib_ratecounter_key_bucket")]

    def __str__(self) -> str:
        return f"{self.key}@{self.bucket}: {self.count}"
