from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from ravabet.lib.validators import normalize_mobile, validate_mobile, validate_national_code

from .roles import Role


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
