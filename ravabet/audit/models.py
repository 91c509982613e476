from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AppendOnlyError(Exception):
    pass


class ActionLog(models.Model):
    """Who did what to which record, when. Never changed or deleted: it is the audit trail
    and, through `audit/timeline.html`, the history each record shows its users."""

    created_at = models.DateTimeField("زمان", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="انجام‌دهنده")
    unit = models.ForeignKey("offices.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name="واحد")
    action = models.CharField("کنش", max_length=80, db_index=True)
    summary = models.CharField("شرح", max_length=300)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "رویداد"
        verbose_name_plural = "رویدادها"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Action log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Action log entries cannot be deleted.")


class Refusal(models.Model):
    """A request the system refused (HTTP 403): who asked for what, from where. Append-only like the
    action log (database triggers, ravabet/audit/triggers.py); kept apart from it so a record's history
    shows what was done to it, not what someone failed to do. Source: issue 13, point 5."""

    created_at = models.DateTimeField("زمان", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="درخواست‌کننده")
    method = models.CharField("روش", max_length=10)
    path = models.CharField("نشانی", max_length=500)
    reason = models.CharField("دلیل", max_length=300, blank=True)
    ip_address = models.GenericIPAddressField("نشانی IP", null=True, blank=True)

    class Meta:
        verbose_name = "درخواست ردشده"
        verbose_name_plural = "درخواست‌های ردشده"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Refusal entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Refusal entries cannot be deleted.")
