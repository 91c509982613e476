"""Announcements to staff (B1, B6), staff groups (B11), the duplicate-message guard (B7),
ticker and letterhead texts (B10) and condolence banners (B8)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ravabet.lib.storage import PrivateStorage
from ravabet.lib.text import search_key


def private_storage():
    return PrivateStorage()


class StaffGroup(models.Model):
    """A named set of a unit's staff, used as an announcement audience."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="staff_groups",
                             verbose_name="واحد")
    name = models.CharField("نام گروه", max_length=120)
    members = models.ManyToManyField("offices.Person", related_name="staff_groups", blank=True,
                                     verbose_name="اعضا")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "گروه کارکنان"
        verbose_name_plural = "گروه‌های کارکنان"
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unique_staff_group_name")]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    GENERAL = "general", "عمومی"
    PROGRAMME = "ceremony_programme", "مراسم یا برنامه پیش رو"
    CONGRATULATION = "congratulation", "تبریک"
    CONDOLENCE = "condolence", "تسلیت"
    OCCASION = "occasion", "مناسبت"
    URGENT = "urgent", "فوری"


class DeliveryChannel(models.TextChoices):
    IN_APP = "in_app", "اعلان درون‌سامانه"
    SMS = "sms", "پیامک"
    EMAIL = "email", "ایمیل"


class AnnouncementState(models.TextChoices):
    SCHEDULED = "scheduled", "زمان‌بندی‌شده"
    SENDING = "sending", "در حال ارسال"
    SENT = "sent", "ارسال شد"
    CANCELLED = "cancelled", "لغو شد"


ANNOUNCEMENT_TRANSITIONS = {
    AnnouncementState.SCHEDULED: {AnnouncementState.SENDING, AnnouncementState.CANCELLED},
    AnnouncementState.SENDING: {AnnouncementState.SENT},
    AnnouncementState.SENT: set(),
    AnnouncementState.CANCELLED: set(),
}


class Announcement(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="announcements",
                             verbose_name="واحد فرستنده")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="فرستنده")
    kind = models.CharField("نوع", max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField("عنوان", max_length=150)
    body = models.TextField("متن")
    occasion = models.CharField("مناسبت یا شخص موضوع پیام", max_length=150, blank=True,
                                help_text="برای تبریک، تسلیت و مناسبت: نام مناسبت یا شخص، تا پیام تکراری شناخته شود.")
    text_key = models.TextField(editable=False, default="")
    occasion_key = models.CharField(max_length=150, editable=False, default="", db_index=True)
    via_app = models.BooleanField("اعلان درون‌سامانه", default=True)
    via_sms = models.BooleanField("پیامک", default=False)
    via_email = models.BooleanField("ایمیل", default=False)
    target_units = models.ManyToManyField("offices.Unit", blank=True, related_name="+",
                                          verbose_name="همه کارکنان واحدها")
    groups = models.ManyToManyField(StaffGroup, blank=True, related_name="announcements", verbose_name="گروه‌ها")
    people = models.ManyToManyField("offices.Person", blank=True, related_name="+", verbose_name="افراد")
    send_at = models.DateTimeField("زمان ارسال", default=timezone.now, db_index=True)
    state = models.CharField("وضعیت", max_length=12, choices=AnnouncementState.choices,
                             default=AnnouncementState.SCHEDULED, db_index=True)
    recipients_count = models.PositiveIntegerField("شمار گیرندگان", default=0)
    processed_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("پایان ارسال", null=True, blank=True)

    class Meta:
        verbose_name = "اطلاعیه"
        verbose_name_plural = "اطلاعیه‌ها"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.text_key = search_key(f"{self.title} {self.body}")
        self.occasion_key = search_key(self.occasion)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "body", "occasion"} & set(update_fields):
            kwargs["update_fields"] = list({*update_fields, "text_key", "occasion_key"})
        super().save(*args, **kwargs)

    @property
    def channels(self) -> list[str]:
        return [channel for channel, on in ((DeliveryChannel.IN_APP, self.via_app), (DeliveryChannel.SMS, self.via_sms),
                                            (DeliveryChannel.EMAIL, self.via_email)) if on]

    @property
    def channel_labels(self) -> str:
        return "، ".join(DeliveryChannel(channel).label for channel in self.channels)


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "در صف"
    SENT = "sent", "رسید"
    FAILED = "failed", "ناموفق"
    SKIPPED = "skipped", "فرستاده نشد"


class Delivery(models.Model):
    """One announcement to one person by one channel."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey("offices.Person", on_delete=models.CASCADE, related_name="announcement_deliveries")
    channel = models.CharField("کانال", max_length=10, choices=DeliveryChannel.choices)
    state = models.CharField("وضعیت", max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    reason = models.CharField("علت", max_length=150, blank=True)
    outbox = models.ForeignKey("outbox.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    notification = models.ForeignKey("outbox.Notification", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField("زمان خواندن", null=True, blank=True)

    class Meta:
        verbose_name = "تحویل اطلاعیه"
        verbose_name_plural = "تحویل اطلاعیه‌ها"
        constraints = [models.UniqueConstraint(fields=["announcement", "person", "channel"],
                                               name="unique_delivery")]
        indexes = [models.Index(fields=["announcement", "state"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} به {self.person_id}"


class DuplicateOutcome(models.TextChoices):
    BLOCKED = "blocked", "جلوگیری شد (اداره کل پیش‌تر فرستاده)"
    WARNED = "warned", "هشدار داده شد و ارسال نشد"
    CONFIRMED = "confirmed", "با تأیید فرستنده ارسال شد"


class DuplicateCheck(models.Model):
    """Evidence of B7: a message that the guard stopped or that the sender sent after a warning."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="واحد")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="فرستنده")
    kind = models.CharField("نوع", max_length=20, choices=Kind.choices)
    title = models.CharField("عنوان پیام تازه", max_length=150)
    body = models.TextField("متن پیام تازه")
    earlier = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="+",
                                verbose_name="پیام پیشین")
    announcement = models.ForeignKey(Announcement, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicate_checks", verbose_name="پیام ارسال‌شده")
    outcome = models.CharField("نتیجه", max_length=10, choices=DuplicateOutcome.choices)
    similarity = models.FloatField("شباهت متن", default=0)
    overlap = models.PositiveIntegerField("گیرندگان مشترک", default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "بررسی پیام تکراری"
        verbose_name_plural = "بررسی‌های پیام تکراری"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ReviewState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    SUBMITTED = "submitted", "در انتظار تأیید اداره کل"
    APPROVED = "approved", "تأیید شد"
    RETURNED = "returned", "بازگردانده شد"


REVIEW_TRANSITIONS = {
    ReviewState.DRAFT: {ReviewState.SUBMITTED},
    ReviewState.SUBMITTED: {ReviewState.APPROVED, ReviewState.RETURNED},
    ReviewState.RETURNED: {ReviewState.SUBMITTED},
    ReviewState.APPROVED: set(),
}


class TickerKind(models.TextChoices):
    TV = "tv", "زیرنویس و تیتراژ تلویزیون"
    SCREEN = "screen", "تابلوی تبلیغاتی"
    LETTERHEAD = "letterhead", "سربرگ"


# Characters each medium can show: a TV crawl line, an LED screen frame, a letterhead header line.
TICKER_LIMITS = {TickerKind.TV: 90, TickerKind.SCREEN: 120, TickerKind.LETTERHEAD: 70}


class TickerText(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="ticker_texts",
                             verbose_name="واحد")
    kind = models.CharField("نوع", max_length=12, choices=TickerKind.choices)
    occasion = models.CharField("مناسبت", max_length=150)
    occasion_key = models.CharField(max_length=150, editable=False, default="", db_index=True)
    occasion_date = models.DateField("تاریخ مناسبت", null=True, blank=True)
    text = models.TextField("متن")
    state = models.CharField("وضعیت", max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT,
                             db_index=True)
    review_note = models.TextField("نظر اداره کل", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "متن زیرنویس و سربرگ"
        verbose_name_plural = "متن‌های زیرنویس و سربرگ"
        ordering = ["-occasion_date", "occasion", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def save(self, *args, **kwargs):
        self.occasion_key = search_key(self.occasion)
        if kwargs.get("update_fields") is not None and "occasion" in kwargs["update_fields"]:
            kwargs["update_fields"] = list({*kwargs["update_fields"], "occasion_key"})
        super().save(*args, **kwargs)

    @property
    def limit(self) -> int:
        return TICKER_LIMITS[TickerKind(self.kind)]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind in TICKER_LIMITS and len(self.text or "") > self.limit:
            from ravabet.lib.digits import to_persian_digits

            raise ValidationError({"text": f"متن {TickerKind(self.kind).label} حداکثر {to_persian_digits(self.limit)} "
                                           f"نویسه است؛ این متن {to_persian_digits(len(self.text))} نویسه دارد."})


class Relation(models.TextChoices):
    COLLEAGUE = "colleague", "همکار"
    OFFICIAL = "official", "مسئول شهرستان"
    FAMILY = "family", "بستگان همکار"


class BannerState(models.TextChoices):
    SUBMITTED = "submitted", "در انتظار تأیید اداره کل"
    APPROVED = "approved", "تأیید شد"
    RETURNED = "returned", "بازگردانده شد"
    INSTALLED = "installed", "نصب شد"


BANNER_TRANSITIONS = {
    BannerState.SUBMITTED: {BannerState.APPROVED, BannerState.RETURNED},
    BannerState.RETURNED: {BannerState.SUBMITTED},
    BannerState.APPROVED: {BannerState.INSTALLED},
    BannerState.INSTALLED: set(),
}

# Print sizes: (label, width, height) in the units CSS @page understands.
BANNER_SIZES = {
    "300x100": ("۳۰۰ × ۱۰۰ سانتی‌متر", "300cm", "100cm"),
    "200x70": ("۲۰۰ × ۷۰ سانتی‌متر", "200cm", "70cm"),
    "a3": ("A3 افقی", "420mm", "297mm"),
}


class CondolenceBanner(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="condolence_banners",
                             verbose_name="واحد")
    deceased_name = models.CharField("نام درگذشته", max_length=120)
    position = models.CharField("سمت", max_length=120, blank=True)
    relation = models.CharField("نسبت", max_length=12, choices=Relation.choices, default=Relation.COLLEAGUE)
    bereaved = models.CharField("صاحب عزا (در صورت درگذشت بستگان همکار)", max_length=120, blank=True)
    funeral_at = models.DateTimeField("زمان تشییع", null=True, blank=True)
    funeral_place = models.CharField("محل تشییع", max_length=200, blank=True)
    memorial_at = models.DateTimeField("زمان مراسم ترحیم", null=True, blank=True)
    memorial_place = models.CharField("محل مراسم ترحیم", max_length=200, blank=True)
    text = models.TextField("متن بنر")
    photo = models.ImageField("عکس", upload_to="condolence/photos/%Y/%m/", storage=private_storage, blank=True)
    state = models.CharField("وضعیت", max_length=10, choices=BannerState.choices, default=BannerState.SUBMITTED,
                             db_index=True)
    review_note = models.TextField("نظر اداره کل", blank=True)
    installed_photo = models.ImageField("عکس نصب", upload_to="condolence/installed/%Y/%m/",
                                        storage=private_storage, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # The screen PNG takes about a second to render: it is stored once and served from storage.
    rendered_png = models.FileField(upload_to="condolence/rendered/", storage=private_storage, blank=True,
                                    editable=False)
    rendered_png_key = models.CharField(max_length=32, blank=True, editable=False)
    installed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "بنر تسلیت"
        verbose_name_plural = "بنرهای تسلیت"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.deceased_name

    @property
    def is_printable(self) -> bool:
        return self.state in (BannerState.APPROVED, BannerState.INSTALLED)
