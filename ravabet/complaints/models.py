"""Cases from citizens (complaints, requests, criticisms, suggestions, reports, thanks) and their workflow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property

from ravabet.lib.storage import PrivateStorage
from ravabet.lib.validators import validate_mobile, validate_national_code


def private_storage():
    return PrivateStorage()


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "شکایت"
    REQUEST = "request", "درخواست"
    CRITICISM = "criticism", "انتقاد"
    SUGGESTION = "suggestion", "پیشنهاد"
    REPORT = "report", "گزارش"
    THANKS = "thanks", "قدردانی"


# Working days to answer, used until HQ sets its own on the deadlines page.
DEFAULT_DEADLINES = {Kind.COMPLAINT: 10, Kind.REQUEST: 10, Kind.CRITICISM: 15, Kind.SUGGESTION: 15,
                     Kind.REPORT: 7, Kind.THANKS: 5}


class Channel(models.TextChoices):
    WEB = "web", "سامانه (فرم عمومی)"
    MAILBOX = "mailbox", "صندوق انتقادات و پیشنهادات"
    EMAIL = "email", "ایمیل"
    PHONE = "phone", "تلفن"
    IN_PERSON = "in_person", "مراجعه حضوری"
    PRESS = "press", "مطبوعات"
    HQ_FORWARD = "hq_forward", "ارجاع اداره کل"


# Channels the PR officer registers by hand on the quick form.
QUICK_CHANNELS = (Channel.PHONE, Channel.IN_PERSON, Channel.MAILBOX, Channel.EMAIL)


class State(models.TextChoices):
    RECEIVED = "received", "دریافت‌شده"
    REFERRED = "referred", "ارجاع‌شده"
    ANSWERED = "answered", "پاسخ‌داده‌شده"
    CLOSED = "closed", "بسته‌شده"


# The one declaration of the workflow. An objection moves an answered or closed case back
# to "referred" (or "received" when nobody was named), which is the reopening.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.RECEIVED: frozenset({State.REFERRED, State.ANSWERED, State.CLOSED}),
    State.REFERRED: frozenset({State.REFERRED, State.ANSWERED}),
    State.ANSWERED: frozenset({State.CLOSED, State.REFERRED, State.RECEIVED}),
    State.CLOSED: frozenset({State.REFERRED, State.RECEIVED}),
}
OPEN_STATES = (State.RECEIVED, State.REFERRED)


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, ()):
        raise ValidationError(
            f"پرونده در وضعیت «{State(current).label}» است و نمی‌تواند «{State(target).label}» شود.",
            code="bad_transition")


class KindDeadline(models.Model):
    """Working days a unit has to answer a kind of case; HQ sets them."""

    kind = models.CharField("نوع", max_length=20, choices=Kind.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(
        "مهلت (روز کاری)", validators=[MinValueValidator(1), MaxValueValidator(90)])

    class Meta:
        verbose_name = "مهلت پاسخ"
        verbose_name_plural = "مهلت‌های پاسخ"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.working_days}"

    @classmethod
    def table(cls) -> dict[str, int]:
        days = {str(kind): value for kind, value in DEFAULT_DEADLINES.items()}
        days.update(dict(cls.objects.values_list("kind", "working_days")))
        return days


class Case(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="cases", verbose_name="واحد")
    kind = models.CharField("نوع", max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField("مسیر دریافت", max_length=20, choices=Channel.choices, default=Channel.WEB)
    subject = models.CharField("موضوع", max_length=200)
    text = models.TextField("متن")
    # subject + text in search form, for filters and the duplicate check.
    search_key = models.TextField(editable=False, default="")
    citizen_name = models.CharField("نام و نام خانوادگی", max_length=120, blank=True)
    citizen_mobile = models.CharField("شماره همراه", max_length=11, blank=True, db_index=True,
                                      validators=[validate_mobile])
    citizen_national_code = models.CharField("کد ملی", max_length=10, blank=True,
                                             validators=[validate_national_code])
    tracking_code = models.CharField("کد رهگیری", max_length=12, unique=True, editable=False)
    state = models.CharField("وضعیت", max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True)
    referred_to = models.ForeignKey("offices.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="referred_cases", verbose_name="ارجاع به")
    deadline = models.DateField("مهلت پاسخ", db_index=True)
    answer = models.TextField("پاسخ", blank=True)
    answered_at = models.DateTimeField("زمان پاسخ", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="پاسخ‌دهنده")
    # Working days from receipt to answer, stored at answer time so figures can average it in SQL.
    answer_working_days = models.PositiveIntegerField(null=True, blank=True, editable=False)
    answered_in_time = models.BooleanField(null=True, editable=False)
    closed_at = models.DateTimeField("زمان بستن", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("رضایت", null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    objection = models.TextField("اعتراض", blank=True)
    objected_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField("ارجاع به اداره کل برای پیگیری", null=True, blank=True)
    # Press (D1) and HQ-forwarded (D4) cases.
    press_outlet = models.CharField("نشریه", max_length=150, blank=True)
    press_date = models.DateField("تاریخ انتشار", null=True, blank=True)
    press_page = models.CharField("صفحه", max_length=20, blank=True)
    press_link = models.URLField("پیوند", blank=True, max_length=500)
    clipping = models.FileField("تصویر بریده روزنامه", upload_to="complaints/clippings/%Y/%m/",
                                storage=private_storage, blank=True)
    forwarded_by_hq = models.BooleanField("ارجاع اداره کل", default=False)
    hq_deadline = models.DateField("مهلت اداره کل", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="ثبت‌کننده")
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "پرونده مردمی"
        verbose_name_plural = "پرونده‌های مردمی"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "state", "deadline"]),
                   models.Index(fields=["unit", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.display_code} — {self.subject}"

    @property
    def display_code(self) -> str:
        from .tracking import group

        return group(self.tracking_code)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def has_personal_data(self) -> bool:
        return bool(self.citizen_name or self.citizen_mobile or self.citizen_national_code)

    @cached_property
    def masked(self) -> dict[str, str]:
        from .privacy import mask

        return mask(self)


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name="پرونده")
    file = models.FileField("پرونده پیوست", upload_to="complaints/%Y/%m/", storage=private_storage)
    name = models.CharField("نام", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "پیوست"
        verbose_name_plural = "پیوست‌ها"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
