from django.conf import settings
from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    SMS = "sms", "پیامک"
    EMAIL = "email", "ایمیل"


class State(models.TextChoices):
    PENDING = "pending", "در صف"
    SENDING = "sending", "در حال ارسال"
    SENT = "sent", "ارسال شد"
    FAILED = "failed", "ناموفق"


class OutboxMessage(models.Model):
    """One SMS or email to one recipient. Written in the same transaction as the change
    that caused it, sent later by the worker; the idempotency key makes a second
    enqueue of the same message a no-op and lets the SMS provider drop a resend."""

    channel = models.CharField("کانال", max_length=10, choices=Channel.choices)
    recipient = models.CharField("گیرنده", max_length=254)
    subject = models.CharField("موضوع", max_length=255, blank=True)
    body = models.TextField("متن")
    html_body = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    state = models.CharField("وضعیت", max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("تلاش‌ها", default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField("آخرین خطا", blank=True)
    sent_at = models.DateTimeField("زمان ارسال", null=True, blank=True)
    provider_ref = models.CharField(max_length=100, blank=True)
    unit = models.ForeignKey("offices.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField("منشأ", max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "پیام خروجی"
        verbose_name_plural = "صندوق ارسال"
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} به {self.recipient}"


class Notification(models.Model):
    """An in-app notice shown in the header bell and on the user's notices page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("عنوان", max_length=200)
    body = models.TextField("متن", blank=True)
    url = models.CharField("پیوند", max_length=300, blank=True)
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "اعلان"
        verbose_name_plural = "اعلان‌ها"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
