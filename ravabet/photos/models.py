"""One photo library for every part that takes pictures (news now; events, visits later).

The original upload stays in private storage; what the public sees is a resized copy
and a thumbnail with no EXIF. The 64-bit perceptual hash is stored whole and split
into four indexed 16-bit bands, so a near-duplicate lookup reads only the photos that
share a (nearly) equal band instead of every hash of the unit.
"""

from django.conf import settings
from django.db import models


class RuleAction(models.TextChoices):
    BLOCK = "block", "مانع ثبت عکس"
    WARN = "warn", "فقط هشدار"
    OFF = "off", "بررسی نشود"


class Rule(models.TextChoices):
    RESOLUTION = "resolution", "وضوح کافی"
    ORIENTATION = "orientation", "افقی بودن"
    DUPLICATE = "duplicate", "تکراری نبودن"
    PORTRAIT = "portrait", "تک‌چهره نبودن"


class PhotoRules(models.Model):
    """The instruction's photo rules as HQ sets them; one row (pk=1)."""

    min_long_side = models.PositiveIntegerField("حداقل ضلع بلند (پیکسل)", default=1600)
    duplicate_distance = models.PositiveSmallIntegerField(
        "آستانه شباهت (فاصله همینگ)", default=6,
        help_text="دو عکس با اختلاف اثر انگشت کمتر یا برابر این عدد تکراری به شمار می‌روند (۰ تا ۱۵).")
    resolution_action = models.CharField("وضوح کمتر از حد", max_length=5, choices=RuleAction.choices,
                                         default=RuleAction.WARN)
    orientation_action = models.CharField("عکس عمودی", max_length=5, choices=RuleAction.choices,
                                          default=RuleAction.WARN)
    duplicate_action = models.CharField("عکس تکراری", max_length=5, choices=RuleAction.choices,
                                        default=RuleAction.BLOCK)
    portrait_action = models.CharField("عکس تک‌نفره (پرتره)", max_length=5, choices=RuleAction.choices,
                                       default=RuleAction.WARN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "قواعد عکس"
        verbose_name_plural = "قواعد عکس"

    def __str__(self) -> str:
        return "قواعد عکس"

    @classmethod
    def current(cls) -> "PhotoRules":
        rules, _ = cls.objects.get_or_create(pk=1)
        return rules

    def action_for(self, rule: str) -> str:
        return getattr(self, f"{rule}_action")


class Photo(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="photos", verbose_name="واحد")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="بارگذاری‌کننده")
    # Path inside storages["private"]; never served publicly.
    original_path = models.CharField(max_length=255, blank=True, editable=False)
    original_name = models.CharField("نام پرونده", max_length=255, blank=True)
    image = models.FileField("نسخه عمومی", upload_to="photos/%Y/%m/", blank=True)
    thumbnail = models.FileField("بندانگشتی", upload_to="photos/thumbs/%Y/%m/", blank=True)
    width = models.PositiveIntegerField("عرض", default=0)
    height = models.PositiveIntegerField("ارتفاع", default=0)
    phash = models.BigIntegerField("اثر انگشت تصویر", default=0)
    band0 = models.PositiveIntegerField(default=0)
    band1 = models.PositiveIntegerField(default=0)
    band2 = models.PositiveIntegerField(default=0)
    band3 = models.PositiveIntegerField(default=0)
    face_count = models.PositiveSmallIntegerField("تعداد چهره", default=0)
    # [{"rule": "orientation", "ok": false, "action": "warn", "message": "..."}]
    checks = models.JSONField("نتیجه بررسی قواعد", default=list, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="شبیه به")
    caption = models.CharField("شرح عکس", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "عکس"
        verbose_name_plural = "عکس‌ها"
        ordering = ["-created_at", "-pk"]
        # A unit's photos newest first, and its photos of a period (B-item counts, issue 11 §3); every unit's
        # newest first for HQ's library (read newest first and stopped at the page instead of sorting them all).
        indexes = [*(models.Index(fields=["unit", f"band{i}"], name=f"photo_unit_band{i}") for i in range(4)),
                   models.Index(fields=["unit", "-created_at"], name="photo_unit_created"),
                   models.Index(fields=["-created_at", "-id"], name="photo_created")]

    def __str__(self) -> str:
        return self.original_name or f"عکس {self.pk}"

    @property
    def is_landscape(self) -> bool:
        return self.width > self.height

    @property
    def warnings(self) -> list[dict]:
        return [check for check in self.checks if not check.get("ok")]
