"""Reports from a unit to HQ that are not news: problems and challenges (B4), the solutions found (D3),
and the unit's own introduction, its profile and brochure (B9)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ravabet.lib.storage import private_storage


class Kind(models.TextChoices):
    PROBLEM = "problem", "مشکل و چالش"
    SOLUTION = "solution", "راهکار حل مشکل"


# The instruction item each kind of report is evidence for.
KIND_ITEMS = {Kind.PROBLEM: "B4", Kind.SOLUTION: "D3"}
KIND_ITEMS_FA = {Kind.PROBLEM: "ب۴", Kind.SOLUTION: "د۳"}


class Source(models.TextChoices):
    PEOPLE = "people", "مردم"
    STAFF = "staff", "کارکنان"
    OFFICIALS = "officials", "مسئولان"
    MEDIA = "media", "رسانه‌ها"


class Urgency(models.TextChoices):
    NORMAL = "normal", "عادی"
    URGENT = "urgent", "فوری"
    CRITICAL = "critical", "بسیار فوری"


class State(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    SENT = "sent", "فرستاده‌شده به اداره کل"
    ACKNOWLEDGED = "acknowledged", "دیده‌شده در اداره کل"
    ACTION = "action", "در دست اقدام اداره کل"
    CLOSED = "closed", "بسته‌شده"


# The one declaration of the report workflow. HQ answers a sent report either by acknowledging it
# or by taking action (a follow-up person and due date); an acknowledged report may still need action.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.SENT}),
    State.SENT: frozenset({State.ACKNOWLEDGED, State.ACTION}),
    State.ACKNOWLEDGED: frozenset({State.ACTION, State.CLOSED}),
    State.ACTION: frozenset({State.CLOSED}),
    State.CLOSED: frozenset(),
}
OPEN_STATES = (State.SENT, State.ACKNOWLEDGED, State.ACTION)


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, ()):
        raise ValidationError(
            f"گزارش در وضعیت «{State(current).label}» است و نمی‌تواند «{State(target).label}» شود.",
            code="bad_transition")


class UnitReport(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="unit_reports",
                             verbose_name="واحد")
    kind = models.CharField("نوع گزارش", max_length=10, choices=Kind.choices, default=Kind.PROBLEM)
    source = models.CharField("خاستگاه", max_length=10, choices=Source.choices,
                              help_text="مشکل مورد توجه چه کسانی است؟")
    subject = models.CharField("موضوع", max_length=200)
    description = models.TextField("شرح", max_length=5000)
    urgency = models.CharField("فوریت", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    solves = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="solutions", verbose_name="مشکلی که حل می‌کند",
                               limit_choices_to={"kind": Kind.PROBLEM})
    state = models.CharField("وضعیت", max_length=15, choices=State.choices, default=State.DRAFT, db_index=True)
    search_key = models.TextField(blank=True, default="", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="نویسنده")
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField("زمان ارسال", null=True, blank=True, db_index=True)
    hq_comment = models.TextField("نظر اداره کل", blank=True, max_length=3000)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="پاسخ‌دهنده اداره کل")
    answered_at = models.DateTimeField("زمان پاسخ اداره کل", null=True, blank=True)
    followup_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="report_followups", verbose_name="پیگیری‌کننده در اداره کل")
    followup_due = models.DateField("مهلت پیگیری", null=True, blank=True)
    closed_at = models.DateTimeField("زمان بستن", null=True, blank=True)
    closing_note = models.TextField("نتیجه پیگیری", blank=True, max_length=3000)

    class Meta:
        verbose_name = "گزارش واحد به اداره کل"
        verbose_name_plural = "گزارش‌های واحد به اداره کل"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "kind", "sent_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def item(self) -> str:
        return KIND_ITEMS[Kind(self.kind)]

    @property
    def item_fa(self) -> str:
        return KIND_ITEMS_FA[Kind(self.kind)]

    @property
    def is_editable(self) -> bool:
        return self.state == State.DRAFT

    def clean(self):
        if self.solves_id is not None:
            if self.kind != Kind.SOLUTION:
                raise ValidationError({"solves": "فقط گزارش راهکار می‌تواند به مشکلی پیوند بخورد."})
            problem = self.solves
            if problem.kind != Kind.PROBLEM or problem.unit_id != self.unit_id:
                raise ValidationError({"solves": "مشکل برگزیده از گزارش‌های مشکل همین واحد نیست."})


class ReportAttachment(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="attachments",
                               verbose_name="گزارش")
    file = models.FileField("پیوست", upload_to="reports/%Y/%m/", storage=private_storage)
    name = models.CharField("نام", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "پیوست گزارش"
        verbose_name_plural = "پیوست‌های گزارش"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ProfileState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    SUBMITTED = "submitted", "فرستاده‌شده به اداره کل"
    ACKNOWLEDGED = "acknowledged", "تأییدشده اداره کل"
    RETURNED = "returned", "برگشت برای اصلاح"


PROFILE_TRANSITIONS: dict[str, frozenset[str]] = {
    ProfileState.DRAFT: frozenset({ProfileState.SUBMITTED}),
    ProfileState.SUBMITTED: frozenset({ProfileState.ACKNOWLEDGED, ProfileState.RETURNED}),
    ProfileState.RETURNED: frozenset({ProfileState.SUBMITTED}),
    ProfileState.ACKNOWLEDGED: frozenset(),
}
PROFILE_EDITABLE = (ProfileState.DRAFT, ProfileState.RETURNED)


def check_profile_transition(current: str, target: str) -> None:
    if target not in PROFILE_TRANSITIONS.get(current, ()):
        raise ValidationError(
            f"معرفی‌نامه در وضعیت «{ProfileState(current).label}» است و نمی‌تواند «{ProfileState(target).label}» شود.",
            code="bad_transition")


class UnitProfile(models.Model):
    """One version of the unit's introduction (B9). A new version starts as a copy of the last one;
    the public page shows the latest version HQ acknowledged."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="profiles", verbose_name="واحد")
    version = models.PositiveIntegerField("نسخه")
    state = models.CharField("وضعیت", max_length=15, choices=ProfileState.choices, default=ProfileState.DRAFT,
                             db_index=True)
    history = models.TextField("تاریخچه", max_length=5000, blank=True)
    mission = models.TextField("مأموریت و وظایف", max_length=5000)
    services = models.TextField("خدمات به مردم", max_length=5000, blank=True,
                                help_text="هر خدمت در یک سطر")
    address = models.CharField("نشانی", max_length=300)
    phones = models.CharField("تلفن‌ها", max_length=120)
    hours = models.CharField("ساعت کاری", max_length=120, blank=True)
    manager_name = models.CharField("رئیس اداره", max_length=120)
    website = models.CharField("نشانی وبگاه یا ایمیل", max_length=200, blank=True)
    brochure = models.FileField("بروشور (PDF)", upload_to="reports/brochures/%Y/", storage=private_storage,
                                blank=True)
    review_comment = models.TextField("نظر اداره کل", blank=True, max_length=3000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="تهیه‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField("زمان ارسال", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="بررسی‌کننده")
    reviewed_at = models.DateTimeField("زمان بررسی", null=True, blank=True)

    class Meta:
        verbose_name = "معرفی‌نامه واحد"
        verbose_name_plural = "معرفی‌نامه‌های واحد"
        ordering = ["unit", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "version"], name="unique_profile_version")]

    def __str__(self) -> str:
        return f"معرفی‌نامه {self.unit} - نسخه {self.version}"

    @property
    def is_editable(self) -> bool:
        return self.state in PROFILE_EDITABLE

    @property
    def service_lines(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]


class ProfilePhoto(models.Model):
    profile = models.ForeignKey(UnitProfile, on_delete=models.CASCADE, related_name="photos",
                                verbose_name="معرفی‌نامه")
    image = models.FileField("تصویر", upload_to="reports/profile-photos/%Y/", storage=private_storage)
    caption = models.CharField("شرح تصویر", max_length=200, blank=True)
    content_type = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "تصویر معرفی‌نامه"
        verbose_name_plural = "تصاویر معرفی‌نامه"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name
