"""Announcements to staff (B1, B6), staff groups (B11), the duplicate-message guard (B7),
ticker and letterhead texts (B10) and condolence banners (B8)."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ravabet.lib.storage import PrivateStorage
from ravabet.lib.text import search_key
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES, Role
from ravabet.workflow.declare import (
    Guard,
    Need,
    Notice,
    StateField,
    WorkflowModel,
    field_user,
    hq_role,
    step,
    unit_role,
)


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


class StaffImport(models.Model):
    """One Excel import of a unit's staff (B11): its row-by-row preview (nothing is written until
    someone confirms it), then what it wrote, kept so the import can be undone."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="واحد")
    file_name = models.CharField("پرونده", max_length=200, blank=True)
    rows = models.JSONField("ردیف‌ها", default=list)
    new_groups = models.JSONField("گروه‌های ناموجود", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="بارگذاری")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="تأیید")
    applied_at = models.DateTimeField("زمان تأیید", null=True, blank=True)
    # What the confirmation wrote: {"created": [person ids], "updated": {id: {field: before}},
    # "memberships": [[group id, person id]], "groups": [group ids]}.
    undo_log = models.JSONField(default=dict, editable=False)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="بازگردانی")
    undone_at = models.DateTimeField("زمان بازگردانی", null=True, blank=True)

    class Meta:
        verbose_name = "ورود فهرست از اکسل"
        verbose_name_plural = "ورودهای فهرست از اکسل"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name or f"ورود {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:staff_import_detail", args=[self.pk])

    @property
    def stage(self) -> str:
        return "undone" if self.undone_at else "applied" if self.applied_at else "preview"


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


class together:  # noqa: N801 — read as a phrase in declarations: Notice(together(a, b), ...)
    """Several sets of recipients as one notice, so a person in two of them is told once."""

    def __init__(self, *parts):
        self.parts = parts

    def __call__(self, obj, by) -> list:
        return [user for part in self.parts for user in part(obj, by)]

    def __str__(self) -> str:
        return " + ".join(str(part) for part in self.parts)


# Who hears back from HQ about a unit's text or banner: whoever wrote it and the unit's PR officers.
UNIT_SIDE = together(field_user("created_by"), unit_role(Role.PR_OFFICER))


class Announcement(WorkflowModel):
    """A message to staff (B1, B6). The scheduler starts and finishes the sending; a sender of the
    unit (or HQ above it) may cancel it while it waits for its time."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="announcements",
                             verbose_name="واحد فرستنده")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="فرستنده")
    kind = models.CharField("نوع", max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField("عنوان", max_length=150)
    body = models.TextField("متن")
    occasion = models.CharField("مناسبت یا شخص موضوع پیام", max_length=150, blank=True,
                                help_text="برای تبریک، تسلیت و مناسبت: نام مناسبت یا شخص، تا پیام تکراری شناخته شود.")
    occasion_ref = models.ForeignKey("occasions.Occasion", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="announcements", verbose_name="مناسبت تقویم")
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
    state = StateField("وضعیت", max_length=12, choices=AnnouncementState.choices,
                       default=AnnouncementState.SCHEDULED, db_index=True)
    recipients_count = models.PositiveIntegerField("شمار گیرندگان", default=0)
    # The record it announces (a meeting, a ceremony), linked from the announcement (B6).
    about_url = models.CharField("پیوند به موضوع", max_length=200, blank=True)
    about_label = models.CharField("موضوع", max_length=200, blank=True)
    # The ceremony it announces (B6, issue 15 §2): HQ's occasion matrix reads from it which county
    # announced its ceremony of an occasion to its staff.
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="announcements", verbose_name="مراسم")
    # The people the sender addressed, fixed when they pressed send (B1): someone who joins a unit
    # or group before a scheduled announcement goes out is not added to it.
    audience_ids = models.JSONField(default=list, editable=False)
    processed_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("پایان ارسال", null=True, blank=True)

    class Meta:
        verbose_name = "اطلاعیه"
        verbose_name_plural = "اطلاعیه‌ها"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("messaging:announcement_detail", args=[self.pk])

    def all_settled(self) -> bool:
        """Every person was processed and no message of it waits in the outbox."""
        return self.processed_count >= self.recipients_count and \
            not self.deliveries.filter(state=DeliveryState.QUEUED).exists()

    @step(source=AnnouncementState.SCHEDULED, target=AnnouncementState.SENDING, roles=(), system=True,
          label="آغاز ارسال", log="messaging.announcement_sending", summary="ارسال اطلاعیه «{obj.title:.80}» آغاز شد",
          guards=[Guard("due", "زمان ارسال اطلاعیه «{obj.title:.60}» هنوز نرسیده است.",
                        lambda o: o.send_at <= timezone.now())])
    def start(self, by):
        """The scheduler (or the sender's own request, for one due now) begins the sending (B1)."""

    @step(source=AnnouncementState.SENDING, target=AnnouncementState.SENT, roles=(), system=True,
          label="پایان ارسال", log="messaging.announcement_sent",
          summary="ارسال اطلاعیه «{obj.title:.80}» به پایان رسید",
          guards=[Guard("settled", "هنوز پیام‌هایی از اطلاعیه «{obj.title:.60}» در صف ارسال است.",
                        lambda o: o.all_settled())])
    def finish(self, by):
        self.sent_at = timezone.now()

    @step(source=AnnouncementState.SCHEDULED, target=AnnouncementState.CANCELLED, roles=WORK_ROLES,
          label="لغو ارسال", log="messaging.announcement_cancelled", summary="لغو اطلاعیه «{obj.title:.80}»",
          aside=True, style="outline-danger", confirm="این اطلاعیه لغو شود و فرستاده نشود؟",
          done="اطلاعیه لغو شد و فرستاده نمی‌شود.",
          notify=[Notice(field_user("sender"), "اطلاعیه «{obj.title:.80}» را {by} لغو کرد و فرستاده نمی‌شود")])
    def cancel(self, by):
        """A scheduled announcement is withdrawn before its time; the sender is told if someone else did it."""

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
    """B1: "sent" is the provider's acceptance (or an in-app notice shown); for an SMS "delivered" and
    "bounced" come only from the provider's delivery report (services.fetch_delivery_reports)."""

    QUEUED = "queued", "در صف"
    SENT = "sent", "فرستاده شد"
    DELIVERED = "delivered", "به گوشی رسید"
    BOUNCED = "bounced", "به گوشی نرسید"
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
    reported_at = models.DateTimeField("زمان گزارش تحویل", null=True, blank=True)

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
    override_reason = models.TextField("علت ارسال با وجود هشدار", blank=True)
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


class TickerKind(models.TextChoices):
    TV = "tv", "زیرنویس و تیتراژ تلویزیون"
    SCREEN = "screen", "تابلوی تبلیغاتی"
    LETTERHEAD = "letterhead", "سربرگ"


# Characters each medium can show: a TV crawl line, an LED screen frame, a letterhead header line.
TICKER_LIMITS = {TickerKind.TV: 90, TickerKind.SCREEN: 120, TickerKind.LETTERHEAD: 70}


TICKER_TO_HQ = Notice(hq_role(*HQ_ROLES),
                      "متن {obj.kind_label} برای «{obj.occasion:.60}» از {obj.unit.name} منتظر بررسی شماست")


class TickerText(WorkflowModel):
    """A ticker, advertising-screen or letterhead text (B10): written by a unit, reviewed by HQ.
    HQ's own texts go through the same review by HQ's people (`submit_own`)."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="ticker_texts",
                             verbose_name="واحد")
    kind = models.CharField("نوع", max_length=12, choices=TickerKind.choices)
    occasion = models.CharField("مناسبت", max_length=150)
    occasion_ref = models.ForeignKey("occasions.Occasion", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="ticker_texts", verbose_name="مناسبت تقویم")
    occasion_key = models.CharField(max_length=150, editable=False, default="", db_index=True)
    occasion_date = models.DateField("تاریخ مناسبت", null=True, blank=True)
    text = models.TextField("متن")
    state = StateField("وضعیت", max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT,
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

    def get_absolute_url(self) -> str:
        return reverse("messaging:ticker_edit", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return str(self.get_kind_display())

    @property
    def editable(self) -> bool:
        return self.state in (ReviewState.DRAFT, ReviewState.RETURNED)

    @step(source=(ReviewState.DRAFT, ReviewState.RETURNED), target=ReviewState.SUBMITTED, roles=UNIT_ROLES,
          label="فرستادن برای تأیید اداره کل", log="messaging.ticker_submitted", view="messaging:ticker_edit",
          summary="متن {obj.kind_label} برای «{obj.occasion:.60}» برای تأیید اداره کل فرستاده شد",
          notify=[TICKER_TO_HQ])
    def submit(self, by):
        """The unit sends its text to HQ; HQ's reviewers are told (B10)."""

    @step(source=(ReviewState.DRAFT, ReviewState.RETURNED), target=ReviewState.SUBMITTED, roles=HQ_ROLES,
          label="فرستادن برای تأیید اداره کل", log="messaging.ticker_submitted", view="messaging:ticker_edit",
          summary="متن {obj.kind_label} برای «{obj.occasion:.60}» برای بررسی فرستاده شد",
          guards=[Guard("hq_own", "این متن از آنِ {obj.unit.name} است و فرستادنش با خود آن اداره است.",
                        lambda o: o.unit.is_hq, q=Q(unit__kind="hq"))],
          notify=[TICKER_TO_HQ])
    def submit_own(self, by):
        """HQ's own text goes to HQ's other reviewers."""

    @step(source=ReviewState.SUBMITTED, target=ReviewState.APPROVED, roles=HQ_ROLES, label="تأیید",
          log="messaging.ticker_approved", summary="متن «{obj.occasion:.60}» تأیید شد", style="success",
          needs=[Need("review_note", "نظر اداره کل (اختیاری)")], done="متن تأیید شد.",
          notify=[Notice(UNIT_SIDE, "متن {obj.kind_label} برای «{obj.occasion:.60}» را اداره کل تأیید کرد")])
    def approve(self, by):
        self.reviewed_by = by

    @step(source=ReviewState.SUBMITTED, target=ReviewState.RETURNED, roles=HQ_ROLES, label="بازگرداندن",
          log="messaging.ticker_returned", summary="متن «{obj.occasion:.60}» بازگردانده شد: {obj.review_note:.200}",
          style="danger", done="متن با علت آن به واحد بازگردانده شد.",
          needs=[Need("review_note", "علت بازگرداندن", "برای بازگرداندن، علت را بنویسید.")],
          notify=[Notice(UNIT_SIDE, "اداره کل متن {obj.kind_label} برای «{obj.occasion:.60}» را بازگرداند",
                         body="{obj.review_note}")])
    def send_back(self, by):
        self.reviewed_by = by

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


class Kinship(models.TextChoices):
    """The deceased's relation to the bereaved colleague (B8), for the customary text's wording."""

    FATHER = "father", "پدر"
    MOTHER = "mother", "مادر"
    SPOUSE = "spouse", "همسر"
    CHILD = "child", "فرزند"
    BROTHER = "brother", "برادر"
    SISTER = "sister", "خواهر"
    FATHER_IN_LAW = "father_in_law", "پدر همسر"
    MOTHER_IN_LAW = "mother_in_law", "مادر همسر"
    OTHER = "other", "سایر بستگان"


# A woman's kinship: the text says «آن مرحومه».
FEMALE_KINSHIPS = {Kinship.MOTHER, Kinship.SISTER, Kinship.MOTHER_IN_LAW}


class DeceasedTitle(models.TextChoices):
    """The title written before the deceased's name on a banner (B8)."""

    MARHOUM = "مرحوم", "مرحوم"
    MARHOUMEH = "مرحومه", "مرحومه"
    SHADRAVAN = "شادروان", "شادروان"
    HAJ = "مرحوم حاج", "مرحوم حاج"
    HAJIEH = "مرحومه حاجیه خانم", "مرحومه حاجیه خانم"
    SHAHID = "شهید", "شهید"


class ColleagueTitle(models.TextChoices):
    MR = "جناب آقای", "جناب آقای"
    MRS = "سرکار خانم", "سرکار خانم"


# Names a condolence template may use, each filled from the request (B8).
TEMPLATE_PLACEHOLDERS = {
    "عنوان": "عنوان درگذشته (مرحوم، شادروان...)",
    "درگذشته": "نام درگذشته",
    "سمت": "سمت درگذشته",
    "نسبت": "نسبت درگذشته با همکار (پدر، مادر، همسر...)",
    "همکار": "عنوان و نام همکار داغدار",
    "آن_مرحوم": "«آن مرحوم» یا «آن مرحومه»",
    "اداره": "نام اداره",
}


class CondolenceTemplate(models.Model):
    """HQ's customary condolence text for one relation (and, for a colleague's relative, one kinship),
    with {placeholders} filled from the request (B8). A kinship left empty covers every kinship
    that has no text of its own."""

    relation = models.CharField("نسبت با اداره", max_length=12, choices=Relation.choices)
    kinship = models.CharField("نسبت درگذشته با همکار", max_length=16, choices=Kinship.choices, blank=True,
                               help_text="خالی: برای هر نسبتی که متن جداگانه ندارد.")
    text = models.TextField("متن", help_text="جای‌نماها: " + "، ".join(f"{{{k}}}" for k in TEMPLATE_PLACEHOLDERS))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="آخرین ویرایش")
    updated_at = models.DateTimeField("زمان ویرایش", auto_now=True)

    class Meta:
        verbose_name = "متن نمونه تسلیت"
        verbose_name_plural = "متن‌های نمونه تسلیت"
        ordering = ["relation", "kinship"]
        constraints = [models.UniqueConstraint(fields=["relation", "kinship"], name="unique_condolence_template")]

    def __str__(self) -> str:
        kinship = f" — {self.get_kinship_display()}" if self.kinship else ""
        return f"{self.get_relation_display()}{kinship}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .condolence import unknown_placeholders

        unknown = unknown_placeholders(self.text or "")
        if unknown:
            raise ValidationError({"text": "جای‌نمای ناشناخته: " + "، ".join(f"{{{name}}}" for name in unknown)
                                           + "؛ جای‌نماهای درست: " + "، ".join(f"{{{k}}}" for k in TEMPLATE_PLACEHOLDERS)})
        if self.relation != Relation.FAMILY and self.kinship:
            raise ValidationError({"kinship": "نسبت با همکار فقط برای درگذشت بستگان همکار است."})


class BannerState(models.TextChoices):
    # A request is saved as a draft and sent in the same transaction (so sending it tells HQ's head).
    DRAFT = "draft", "پیش‌نویس"
    SUBMITTED = "submitted", "در انتظار تأیید اداره کل"
    APPROVED = "approved", "تأیید شد"
    RETURNED = "returned", "بازگردانده شد"
    INSTALLED = "installed", "نصب شد"


# Print sizes: (label, width, height) in the units CSS @page understands.
BANNER_SIZES = {
    "300x100": ("۳۰۰ × ۱۰۰ سانتی‌متر", "300cm", "100cm"),
    "200x70": ("۲۰۰ × ۷۰ سانتی‌متر", "200cm", "70cm"),
    "a3": ("A3 افقی", "420mm", "297mm"),
}


# The funeral is often tomorrow: HQ's head hears of a request in the app and by SMS.
BANNER_TO_HEAD = Notice(hq_role(Role.HQ_HEAD),
                        "فوری: بنر تسلیت درگذشت «{obj.deceased_name:.60}» از {obj.unit.name} منتظر تأیید شماست"
                        "{obj.funeral_note}", urgent=True)


class CondolenceBanner(WorkflowModel):
    """A condolence banner (B8): requested by a county, approved only by HQ's head (DESIGN §1), then
    printed and installed by the county with a photo as proof."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="condolence_banners",
                             verbose_name="واحد")
    deceased_name = models.CharField("نام درگذشته", max_length=120)
    deceased_title = models.CharField("عنوان درگذشته", max_length=30, choices=DeceasedTitle.choices, blank=True)
    position = models.CharField("سمت", max_length=120, blank=True)
    relation = models.CharField("نسبت", max_length=12, choices=Relation.choices, default=Relation.COLLEAGUE)
    kinship = models.CharField("نسبت درگذشته با همکار", max_length=16, choices=Kinship.choices, blank=True)
    bereaved_title = models.CharField("عنوان همکار", max_length=12, choices=ColleagueTitle.choices, blank=True)
    bereaved = models.CharField("صاحب عزا (در صورت درگذشت بستگان همکار)", max_length=120, blank=True)
    funeral_at = models.DateTimeField("زمان تشییع", null=True, blank=True)
    funeral_place = models.CharField("محل تشییع", max_length=200, blank=True)
    memorial_at = models.DateTimeField("زمان مراسم ترحیم", null=True, blank=True)
    memorial_place = models.CharField("محل مراسم ترحیم", max_length=200, blank=True)
    text = models.TextField("متن بنر")
    photo = models.ImageField("عکس", upload_to="condolence/photos/%Y/%m/", storage=private_storage, blank=True)
    state = StateField("وضعیت", max_length=10, choices=BannerState.choices, default=BannerState.DRAFT,
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

    def get_absolute_url(self) -> str:
        return reverse("messaging:banner_detail", args=[self.pk])

    @property
    def is_printable(self) -> bool:
        return self.state in (BannerState.APPROVED, BannerState.INSTALLED)

    @property
    def funeral_note(self) -> str:
        """"؛ تشییع ۱۴۰۵/۰۹/۰۷ ۰۹:۳۰" for the head's notice and SMS, or nothing when unknown."""
        from ravabet.lib.jalali import format_datetime

        return f"؛ تشییع {format_datetime(self.funeral_at)}" if self.funeral_at else ""

    @step(source=BannerState.DRAFT, target=BannerState.SUBMITTED, roles=UNIT_ROLES,
          label="فرستادن برای تأیید اداره کل", log="messaging.banner_requested",
          summary="درخواست بنر تسلیت درگذشت «{obj.deceased_name:.60}» برای تأیید اداره کل فرستاده شد",
          notify=[BANNER_TO_HEAD])
    def submit(self, by):
        """The county sends its request; HQ's head is told in the app and by SMS (B8)."""

    @step(source=BannerState.RETURNED, target=BannerState.SUBMITTED, roles=UNIT_ROLES,
          label="اصلاح و فرستادن دوباره", log="messaging.banner_resubmitted", view="messaging:banner_edit",
          summary="بنر تسلیت «{obj.deceased_name:.60}» پس از اصلاح دوباره فرستاده شد", notify=[BANNER_TO_HEAD])
    def resubmit(self, by):
        """The county corrects a returned request (on its edit page) and sends it again."""

    @step(source=BannerState.SUBMITTED, target=BannerState.APPROVED, roles={Role.HQ_HEAD},
          label="تأیید متن و ساخت بنر", log="messaging.banner_approved", style="success",
          summary="بنر تسلیت «{obj.deceased_name:.60}» تأیید شد", done="بنر تأیید شد و فایل‌های چاپی آماده می‌شود.",
          needs=[Need("edited_text", "متن بنر (پیش از تأیید می‌توانید ویرایش کنید)"),
                 Need("review_note", "نظر اداره کل (اختیاری)")],
          notify=[Notice(UNIT_SIDE, "بنر تسلیت «{obj.deceased_name:.60}» را رئیس روابط عمومی اداره کل تأیید کرد؛ "
                                    "فایل چاپی آماده است")])
    def approve(self, by, edited_text: str = ""):
        """Only HQ's head approves (DESIGN §1), possibly with an edited text; the screen PNG is
        rendered by a task right after the approval commits."""
        edited = (edited_text or "").strip()
        if edited:
            self.text = edited
        self.approved_by, self.approved_at = by, timezone.now()
        from .tasks import render_banner_png

        pk = self.pk
        transaction.on_commit(lambda: render_banner_png.enqueue(pk))

    @step(source=BannerState.SUBMITTED, target=BannerState.RETURNED, roles={Role.HQ_HEAD}, label="بازگرداندن",
          log="messaging.banner_returned", style="danger", done="درخواست با علت آن به اداره بازگردانده شد.",
          summary="بنر تسلیت «{obj.deceased_name:.60}» بازگردانده شد: {obj.review_note:.200}",
          needs=[Need("review_note", "علت بازگرداندن", "برای بازگرداندن، علت را بنویسید.")],
          notify=[Notice(UNIT_SIDE, "رئیس روابط عمومی اداره کل بنر تسلیت «{obj.deceased_name:.60}» را "
                                    "برای اصلاح بازگرداند", body="{obj.review_note}")])
    def send_back(self, by):
        """HQ's head returns the request with a reason."""

    @step(source=BannerState.APPROVED, target=BannerState.INSTALLED, roles=UNIT_ROLES, label="ثبت نصب با عکس",
          log="messaging.banner_installed", view="messaging:banner_installed", done="نصب بنر با عکس ثبت شد.",
          summary="نصب بنر تسلیت «{obj.deceased_name:.60}» با عکس ثبت شد",
          guards=[Guard("installed_photo", "عکس بنر نصب‌شده را بارگذاری کنید.", lambda o: bool(o.installed_photo),
                        typed=True)])
    def install(self, by):
        """The county records the installation; its photo (given as `installed_photo`) is the proof."""
        self.installed_at = timezone.now()


class OfficialBody(models.TextChoices):
    GOVERNOR = "governor", "فرمانداری یا استانداری"
    COUNCIL = "council", "شورای اسلامی"
    MP = "mp", "دفتر نماینده مجلس"
    FRIDAY_PRAYER = "friday_prayer", "دفتر امام جمعه"
    JUDICIARY = "judiciary", "دادگستری"
    MUNICIPALITY = "municipality", "شهرداری"
    OTHER = "other", "دیگر"


class Official(models.Model):
    """An official of the region (B2): the governor's office, the council, an MP's office... with
    their contact channels. Those who receive achievements are sent each achievement their unit
    (or, for HQ's register, any unit) publishes."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="officials",
                             verbose_name="واحد")
    full_name = models.CharField("نام و نام خانوادگی", max_length=120)
    title = models.CharField("سمت", max_length=150)
    body = models.CharField("نهاد", max_length=16, choices=OfficialBody.choices)
    organisation = models.CharField("نام نهاد", max_length=150, blank=True)
    mobile = models.CharField("شماره همراه", max_length=11, blank=True)
    email = models.EmailField("ایمیل", blank=True)
    receives_achievements = models.BooleanField("دستاوردها برایش فرستاده شود", default=True)
    is_active = models.BooleanField("فعال", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "مسئول منطقه"
        verbose_name_plural = "مسئولان منطقه"
        ordering = ["unit", "body", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.title})"

    def get_absolute_url(self) -> str:
        return reverse("messaging:official_edit", args=[self.pk])


class AchievementDispatch(models.Model):
    """One published achievement sent to one official by one channel through the outbox: B2's
    evidence that achievements reach the officials of the region."""

    news = models.ForeignKey("news.News", on_delete=models.CASCADE, related_name="+", verbose_name="دستاورد")
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="dispatches",
                                 verbose_name="مسئول")
    channel = models.CharField("کانال", max_length=10, choices=DeliveryChannel.choices)
    outbox = models.ForeignKey("outbox.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "ارسال دستاورد به مسئول"
        verbose_name_plural = "ارسال‌های دستاورد به مسئولان"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["news", "official", "channel"],
                                               name="unique_achievement_dispatch")]

    def __str__(self) -> str:
        return f"{self.news_id} → {self.official_id}"
