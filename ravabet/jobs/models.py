from django.db import models


class JobSchedule(models.Model):
    name = models.CharField(max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "زمان‌بندی"
        verbose_name_plural = "زمان‌بندی‌ها"

    def __str__(self) -> str:
        return self.name
