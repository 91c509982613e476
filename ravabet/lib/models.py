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


class SubmitToken(models.Model):
    """One sent create form (ravabet.lib.idempotency): the form's one-time token and the record its first
    POST made. The unique token is what makes a second POST of the same form (a double click, a resend
    after a lost answer, two at the same moment) lead to the first record instead of making another."""

    token = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=100, help_text="What the form creates, e.g. «complaints.public».")
    user_id = models.BigIntegerField(null=True, blank=True, help_text="Who sent it; empty for a citizen.")
    content_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.scope}:{self.token}"


class Stamp(models.Model):
    """A named version token shared by every process through the database: a per-process cache keyed by it
    (the working-day calendar, ravabet.lib.workdays) is right in every worker as soon as the token changes.
    A change writes a fresh random token in the same transaction as the data it versions, so a rolled-back
    change leaves no token behind and a token is never reused."""

    name = models.CharField(max_length=50, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
