from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ravabet.lib.digits import to_persian_digits
from ravabet.lib.storage import private_storage
from ravabet.lib.validators import normalize_mobile, validate_mobile, validate_national_code
from ravabet.workflow.declare import Guard, Need, Notice, StateField, WorkflowModel, hq_role, step, unit_role

from .roles import HQ_ROLES, UNIT_ROLES, Role


class User(AbstractUser):
    full_name = models.CharField("نام و نام خانوادگی", max_length=120)
    mobile = models.CharField("شماره همراه", max_length=11, blank=True, validators=[validate_mobile])
    # Urgent workflow notices (a condolence banner request, a journalist at the door...) also go
    # by SMS to the mobile above, unless the user turns it off on the notices page.
    sms_notices = models.BooleanField("پیامک برای کارهای فوری", default=True)

    class Meta:
        verbose_name = "کاربر"
        verbose_name_plural = "کاربران"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username


class UnitKind(models.TextChoices):
    HQ = "hq", "اداره کل"
    COUNTY = "county", "اداره شهرستان"


class Unit(models.Model):
    """A node of the organisation: HQ or a county office. `path` makes subtree queries one filter."""

    parent = models.ForeignKey("self", verbose_name="واحد بالادست", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    kind = models.CharField("نوع", max_length=10, choices=UnitKind.choices, default=UnitKind.COUNTY)
    code = models.SlugField("کد", max_length=30, unique=True, allow_unicode=False)
    name = models.CharField("نام", max_length=150)
    city = models.CharField("شهر", max_length=80)
    address = models.CharField("نشانی", max_length=300, blank=True)
    phone = models.CharField("تلفن", max_length=40, blank=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    is_active = models.BooleanField("فعال", default=True)

    class Meta:
        verbose_name = "واحد"
        verbose_name_plural = "واحدها"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)

    @property
    def is_hq(self) -> bool:
        return self.kind == UnitKind.HQ

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="کاربر")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name="واحد")
    role = models.CharField("نقش", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "عضویت"
        verbose_name_plural = "عضویت‌ها"
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class Person(models.Model):
    """Someone in a unit's staff directory, with or without a login."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people", verbose_name="واحد")
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="person", verbose_name="کاربر")
    full_name = models.CharField("نام و نام خانوادگی", max_length=120)
    position = models.CharField("سمت", max_length=120, blank=True)
    mobile = models.CharField("شماره همراه", max_length=11, blank=True, db_index=True,
                              validators=[validate_mobile])
    email = models.EmailField("ایمیل", blank=True)
    national_code = models.CharField("کد ملی", max_length=10, blank=True,
                                     validators=[validate_national_code])
    sms_opt_out = models.BooleanField("انصراف از پیامک", default=False)
    is_active = models.BooleanField("فعال", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "کارمند"
        verbose_name_plural = "کارکنان"
        ordering = ["unit", "full_name"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        self.mobile = normalize_mobile(self.mobile)
        if self.mobile and Person.objects.filter(unit=self.unit_id, mobile=self.mobile, is_active=True) \
                .exclude(pk=self.pk).exists():
            raise ValidationError({"mobile": "این شماره همراه برای کارمند دیگری از همین واحد ثبت شده است."})


class Closure(models.Model):
    """A day off that HQ announces by hand (snow, heat, pollution, an unlisted holiday)."""

    date = models.DateField("تاریخ", unique=True)
    title = models.CharField("علت", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "تعطیلی"
        verbose_name_plural = "تعطیلی‌ها"
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title


def closures_between(start, end) -> dict:
    """HQ closures between two Gregorian dates (both included): {date: Persian title}; read by
    lib.workdays through `register_closures`."""
    return dict(Closure.objects.filter(date__range=(start, end)).values_list("date", "title"))


# --- The unit's introduction and brochure (B9) ---------------------------------------------------------------
# Moved here from the reports part (issue 9: "the unit profile lives with the units"); the tables keep
# their old names, so no row or file was moved.


class ProfileState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    SUBMITTED = "submitted", "فرستاده‌شده به اداره کل"
    ACKNOWLEDGED = "acknowledged", "تأییدشده اداره کل"
    RETURNED = "returned", "برگشت برای اصلاح"


PROFILE_EDITABLE = (ProfileState.DRAFT, ProfileState.RETURNED)
# What a profile must say before HQ sees it (the fields the form requires).
PROFILE_REQUIRED = ("mission", "address", "phones", "manager_name")


def _profile_complete(profile: "UnitProfile") -> bool:
    return all((getattr(profile, name) or "").strip() for name in PROFILE_REQUIRED)


class UnitProfile(WorkflowModel):
    """One version of the unit's introduction (B9). A new version starts as a copy of the last one;
    the unit submits it, HQ (hq_head or hq_expert) approves it or returns it with a comment; the
    public page shows the latest version HQ approved."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="profiles", verbose_name="واحد")
    version = models.PositiveIntegerField("نسخه")
    state = StateField("وضعیت", max_length=15, choices=ProfileState.choices, default=ProfileState.DRAFT,
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
        db_table = "reports_unitprofile"
        verbose_name = "معرفی‌نامه واحد"
        verbose_name_plural = "معرفی‌نامه‌های واحد"
        ordering = ["unit", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "version"], name="unique_profile_version")]

    def __str__(self) -> str:
        return f"معرفی‌نامه {self.unit} - نسخه {self.version_fa}"

    def get_absolute_url(self) -> str:
        return reverse("offices:profile_detail", args=[self.pk])

    @property
    def version_fa(self) -> str:
        return to_persian_digits(self.version)

    @property
    def is_editable(self) -> bool:
        return self.state in PROFILE_EDITABLE

    @property
    def service_lines(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]

    # --- Workflow (B9: the unit introduces itself, HQ approves it for the public page) ---------------------

    @step(source=PROFILE_EDITABLE, target=ProfileState.SUBMITTED, roles=UNIT_ROLES, label="فرستادن به اداره کل",
          log="offices.profile_submitted", summary="ارسال نسخه {obj.version_fa} معرفی‌نامه به اداره کل",
          guards=[Guard("complete", "معرفی‌نامه کامل نیست: مأموریت، نشانی، تلفن و نام رئیس اداره را بنویسید.",
                        _profile_complete,
                        q=~Q(mission="") & ~Q(address="") & ~Q(phones="") & ~Q(manager_name=""))],
          notify=[Notice(hq_role(*HQ_ROLES), "معرفی‌نامه {obj.unit.name} (نسخه {obj.version_fa}) برای بررسی رسید")],
          done="معرفی‌نامه به اداره کل فرستاده شد.")
    def submit(self, by):
        """The unit sends this version to HQ for review."""
        self.submitted_at = timezone.now()

    @step(source=ProfileState.SUBMITTED, target=ProfileState.ACKNOWLEDGED, roles=HQ_ROLES, label="تأیید و انتشار",
          log="offices.profile_acknowledged", summary="تأیید نسخه {obj.version_fa} معرفی‌نامه", style="success",
          needs=[Need("review_comment", "نظر اداره کل (اختیاری)")],
          notify=[Notice(unit_role(*UNIT_ROLES), "معرفی‌نامه نسخه {obj.version_fa} تأیید شد و در صفحه عمومی است",
                         body="{obj.review_comment:.300}")],
          done="معرفی‌نامه تأیید شد و در صفحه عمومی واحد نمایش داده می‌شود.")
    def approve(self, by):
        """HQ approves this version: from now on the public page shows it."""
        self.reviewed_by, self.reviewed_at = by, timezone.now()

    @step(source=ProfileState.SUBMITTED, target=ProfileState.RETURNED, roles=HQ_ROLES, label="برگرداندن برای اصلاح",
          log="offices.profile_returned", summary="برگرداندن نسخه {obj.version_fa} معرفی‌نامه: {obj.review_comment:.200}",
          style="warning",
          needs=[Need("review_comment", "چه چیزی باید اصلاح شود", "برای برگرداندن، بنویسید چه چیزی باید اصلاح شود.")],
          notify=[Notice(unit_role(*UNIT_ROLES), "معرفی‌نامه نسخه {obj.version_fa} برای اصلاح برگشت",
                         body="{obj.review_comment:.300}")],
          done="معرفی‌نامه برای اصلاح به واحد برگشت.")
    def send_back(self, by):
        """HQ returns this version to the unit with what to correct (`review_comment`)."""
        self.reviewed_by, self.reviewed_at = by, timezone.now()


class ProfilePhoto(models.Model):
    profile = models.ForeignKey(UnitProfile, on_delete=models.CASCADE, related_name="photos",
                                verbose_name="معرفی‌نامه")
    image = models.FileField("تصویر", upload_to="reports/profile-photos/%Y/", storage=private_storage)
    caption = models.CharField("شرح تصویر", max_length=200, blank=True)
    content_type = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "reports_profilephoto"
        verbose_name = "تصویر معرفی‌نامه"
        verbose_name_plural = "تصاویر معرفی‌نامه"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name
