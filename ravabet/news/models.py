"""News from units to HQ and the public newsroom (B2, B3, B5)."""

import datetime as dt

from django.conf import settings
from django.db import models


class NewsKind(models.TextChoices):
    NEWS = "news", "خبر"
    ACTIVITY = "activity", "فعالیت"
    ACHIEVEMENT = "achievement", "موفقیت و دستاورد"


class NewsState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    MANAGER_REVIEW = "manager_review", "در انتظار تأیید رئیس اداره"
    SUBMITTED = "submitted", "ارسال‌شده به اداره کل"
    RETURNED = "returned", "برگشت برای اصلاح"
    APPROVED = "approved", "تأییدشده"
    SCHEDULED = "scheduled", "زمان‌بندی‌شده"
    PUBLISHED = "published", "منتشرشده"


S = NewsState
# The one place that says which state may follow which. An achievement (B2) goes to the
# unit manager before HQ, and only the HQ head may approve it; see services.check_transition.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.MANAGER_REVIEW},
    S.MANAGER_REVIEW: {S.SUBMITTED, S.RETURNED},
    S.SUBMITTED: {S.RETURNED, S.APPROVED, S.SCHEDULED, S.PUBLISHED},
    S.RETURNED: {S.SUBMITTED, S.MANAGER_REVIEW},
    S.APPROVED: {S.RETURNED, S.SCHEDULED, S.PUBLISHED},
    S.SCHEDULED: {S.RETURNED, S.APPROVED, S.PUBLISHED},
    S.PUBLISHED: {S.APPROVED},
}
# States in which the unit may still change the text.
UNIT_EDITABLE = {S.DRAFT, S.RETURNED}
# States in which HQ edits (and the unit then sees the diff).
HQ_EDITABLE = {S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.PUBLISHED}
# States that count as "sent to HQ" for the daily compliance (B5).
SENT_STATES = {S.MANAGER_REVIEW, S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.PUBLISHED, S.RETURNED}


class News(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="news", verbose_name="واحد")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="نویسنده")
    kind = models.CharField("نوع", max_length=12, choices=NewsKind.choices, default=NewsKind.NEWS)
    title = models.CharField("تیتر", max_length=200)
    lead = models.TextField("لید (خلاصه)", max_length=600, blank=True)
    body = models.TextField("متن خبر")
    news_date = models.DateField("تاریخ خبر")
    occasion = models.CharField("مناسبت یا رویداد مرتبط", max_length=200, blank=True)
    tags = models.CharField("برچسب‌ها", max_length=300, blank=True, help_text="با ویرگول جدا کنید.")
    state = models.CharField("وضعیت", max_length=16, choices=NewsState.choices, default=NewsState.DRAFT,
                             db_index=True)
    photos = models.ManyToManyField("photos.Photo", through="NewsPhoto", related_name="news", blank=True)
    cover = models.ForeignKey("photos.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name="عکس اصلی")
    photo_count = models.PositiveSmallIntegerField(default=0)
    search_key = models.TextField(default="", editable=False)
    # The text as the unit last submitted it, so the unit can see what HQ changed.
    submitted_version = models.JSONField(default=dict, blank=True, editable=False)
    hq_edited = models.BooleanField(default=False)
    sent_on = models.DateField("تاریخ ارسال", null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    manager_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    manager_approved_at = models.DateTimeField(null=True, blank=True)
    head_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    head_approved_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField("زمان انتشار", null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A hidden token of the create form: submitting the same form twice makes one news item.
    form_token = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the newest change is the Last-Modified of the public list, read on every request.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "خبر"
        verbose_name_plural = "اخبار"
        ordering = ["-news_date", "-pk"]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="news_public"),
            models.Index(fields=["unit", "state", "-published_at"], name="news_unit_public"),
            models.Index(fields=["unit", "sent_on"], name="news_unit_sent"),
            # The desk's order: read in index order instead of sorting every sent item per page.
            models.Index(fields=["-submitted_at", "-id"], name="news_desk_order"),
            # Covers the daily and monthly compliance query (B5), which reads a day range for all units.
            models.Index(fields=["sent_on", "unit", "state", "photo_count"], name="news_sent_day"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("news:detail", args=[self.pk])

    @property
    def is_achievement(self) -> bool:
        return self.kind == NewsKind.ACHIEVEMENT

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split("،") if tag.strip()]

    def get_public_url(self) -> str:
        from django.urls import reverse

        return reverse("news:public_detail", args=[self.pk])


class NewsPhoto(models.Model):
    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="news_photos")
    photo = models.ForeignKey("photos.Photo", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["news", "photo"], name="unique_news_photo")]

    def __str__(self) -> str:
        return f"{self.news_id}/{self.photo_id}"


class NewsComment(models.Model):
    """The thread between the unit and HQ; a return carries its reason here."""

    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("پیام", max_length=2000)
    is_return = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class NewsSettings(models.Model):
    """HQ's settings for daily news (B5); one row (pk=1)."""

    reminder_time = models.TimeField("ساعت یادآوری", default=dt.time(13, 0),
                                     help_text="اگر واحدی تا این ساعت در روز کاری خبری نفرستاده باشد یادآوری می‌شود.")
    reminders_enabled = models.BooleanField("یادآوری پیامکی و درون‌برنامه‌ای فعال باشد", default=True)

    class Meta:
        verbose_name = "تنظیمات اخبار"
        verbose_name_plural = "تنظیمات اخبار"

    def __str__(self) -> str:
        return "تنظیمات اخبار"

    @classmethod
    def current(cls) -> "NewsSettings":
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row
