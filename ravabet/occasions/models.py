"""The occasions calendar (national, religious and organisational occasions in Jalali dates), the unit's
participation in ceremonies, marches and cultural programmes (E1, E2), and occasion content a unit
prepares and sends to HQ (E3)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ravabet.lib.storage import private_storage
from ravabet.offices.roles import HQ_ROLES, Role
from ravabet.workflow.declare import Need, Notice, StateField, WorkflowModel, hq_role, step, unit_role

# The unit's PR people: they prepare and send occasion content (E3).
UNIT_PR = (Role.UNIT_MANAGER, Role.PR_OFFICER)


class OccasionKind(models.TextChoices):
    NATIONAL = "national", "ملی"
    RELIGIOUS = "religious", "مذهبی"
    ORGANISATIONAL = "organisational", "سازمانی"


class OfficialHoliday(models.Model):
    """One official holiday on a Gregorian date, as HQ keeps it (E1-E3; the working-day calendar of every
    deadline reads this table through `lib.workdays.register_official_holidays`). Seeded from the
    `holidays` package, whose lunar dates are estimates until HQ confirms or moves them."""

    date = models.DateField("تاریخ", db_index=True)
    year = models.PositiveSmallIntegerField("سال میلادی", db_index=True, editable=False)
    title = models.CharField("عنوان", max_length=150)
    estimated = models.BooleanField("تخمینی (هنوز اداره کل تأیید نکرده)", default=False)
    source = models.CharField("منبع", max_length=150, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="تأییدکننده")
    confirmed_at = models.DateTimeField("زمان تأیید", null=True, blank=True)

    class Meta:
        verbose_name = "تعطیل رسمی"
        verbose_name_plural = "تعطیلات رسمی"
        ordering = ["date", "pk"]
        constraints = [models.UniqueConstraint(fields=["title", "date"], name="occasions_one_holiday_per_day")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.year = self.date.year
        super().save(*args, **kwargs)


def official_holidays_of(years: list[int]) -> dict[int, dict]:
    """{Gregorian year: {date: Persian title}} for the years the table holds rows for (one query); read by
    lib.workdays through `register_official_holidays`. Two holidays on one day are joined with «؛»."""
    result: dict[int, dict] = {}
    for date, title in OfficialHoliday.objects.filter(year__in=years).order_by("date", "pk").values_list(
            "date", "title"):
        days = result.setdefault(date.year, {})
        days[date] = f"{days[date]}؛ {title}" if date in days else title
    return result


class Occasion(models.Model):
    """One dated occasion of the calendar. Lunar ones move every year: their date is estimated until HQ
    confirms it."""

    title = models.CharField("عنوان", max_length=150)
    date = models.DateField("تاریخ", db_index=True)
    kind = models.CharField("نوع", max_length=16, choices=OccasionKind.choices, default=OccasionKind.NATIONAL)
    lunar = models.BooleanField("قمری (تاریخ را اداره کل تعیین می‌کند)", default=False)
    remind_days = models.PositiveSmallIntegerField("یادآوری چند روز پیش", default=7,
                                                   validators=[MaxValueValidator(60)])
    note = models.CharField("توضیح", max_length=300, blank=True)
    estimated = models.BooleanField("تاریخ تخمینی", default=False)
    source = models.CharField("منبع", max_length=300, blank=True)
    holiday = models.ForeignKey(OfficialHoliday, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="occasions", verbose_name="تعطیل رسمی")
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "مناسبت"
        verbose_name_plural = "مناسبت‌ها"
        ordering = ["date", "pk"]
        constraints = [models.UniqueConstraint(fields=["title", "date"], name="occasions_one_occasion_per_day")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("occasions:detail", args=[self.pk])


class ActivityKind(models.TextChoices):
    CEREMONY = "ceremony", "شرکت در مراسم مذهبی یا ملی"
    MARCH = "march", "شرکت در راهپیمایی"
    CULTURE = "culture", "برنامه ترویج فرهنگ اسلامی"
    ETHICS = "ethics", "برنامه اخلاق اداری"


# Which instruction item each kind of activity is evidence for.
ACTIVITY_ITEM = {ActivityKind.CEREMONY: "E1", ActivityKind.MARCH: "E1",
                 ActivityKind.CULTURE: "E2", ActivityKind.ETHICS: "E2"}


class ActivityFormat(models.TextChoices):
    """What a cultural or administrative-ethics programme (E2) was."""

    SESSION = "session", "نشست یا جلسه"
    LECTURE = "lecture", "سخنرانی یا کلاس"
    BULLETIN = "bulletin", "بولتن یا نشریه"
    POSTER = "poster", "پوستر، بنر یا تابلو اعلانات"
    COMPETITION = "competition", "مسابقه"
    WORKSHOP = "workshop", "کارگاه آموزشی"
    CYBERSPACE = "cyberspace", "محتوای فضای مجازی"
    EXHIBITION = "exhibition", "نمایشگاه"
    OTHER = "other", "دیگر"


# The activity kinds of E2, each with its own yearly target per unit.
E2_KINDS = (ActivityKind.CULTURE, ActivityKind.ETHICS)


class Activity(models.Model):
    """The unit's participation in a ceremony or march, or a cultural programme it held (E1, E2); an E2
    programme says what it was (`format`) and carries its evidence (a file, photos of the library)."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="occasion_activities",
                             verbose_name="واحد")
    kind = models.CharField("نوع", max_length=10, choices=ActivityKind.choices)
    occasion = models.ForeignKey(Occasion, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="activities", verbose_name="مناسبت")
    title = models.CharField("عنوان", max_length=200)
    date = models.DateField("تاریخ", db_index=True)
    participants = models.PositiveIntegerField("شمار شرکت‌کنندگان", default=0)
    description = models.TextField("شرح", blank=True)
    format = models.CharField("قالب برنامه", max_length=12, choices=ActivityFormat.choices, blank=True)
    evidence = models.FileField("مستند (PDF یا تصویر)", upload_to="occasions/evidence/%Y/%m/",
                                storage=private_storage, blank=True)
    evidence_type = models.CharField(max_length=50, blank=True)
    photos = models.ManyToManyField("photos.Photo", blank=True, related_name="activities", verbose_name="عکس‌ها")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="ثبت‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "مشارکت و برنامه فرهنگی"
        verbose_name_plural = "مشارکت‌ها و برنامه‌های فرهنگی"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title


class CultureTarget(models.Model):
    """How many programmes of one E2 kind (Islamic culture, administrative ethics) a unit is to hold in a
    Jalali year, as HQ sets it (E2)."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.CASCADE, related_name="culture_targets",
                             verbose_name="واحد")
    year = models.PositiveSmallIntegerField("سال (شمسی)")
    kind = models.CharField("نوع", max_length=10, choices=[(k.value, k.label) for k in E2_KINDS])
    target = models.PositiveSmallIntegerField("هدف سالانه (شمار برنامه)", validators=[MaxValueValidator(500)])
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name="تعیین‌کننده")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "هدف سالانه برنامه فرهنگی"
        verbose_name_plural = "هدف‌های سالانه برنامه‌های فرهنگی"
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="occasions_one_target_a_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.kind}: {self.target}"


class ContentState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    SENT = "sent", "فرستاده به اداره کل"
    RETURNED = "returned", "برگشت برای اصلاح"
    ACKNOWLEDGED = "acknowledged", "دیده‌شده در اداره کل"
    USED = "used", "به کار رفته"


# The unit may still change its content until it is sent, and again when HQ returns it (E3).
CONTENT_EDITABLE = (ContentState.DRAFT, ContentState.RETURNED)
QUALITY = range(1, 6)


def _check_quality(content: "OccasionContent") -> None:
    if content.quality is not None and content.quality not in QUALITY:
        raise ValidationError({"quality": "نمره کیفیت عددی از ۱ تا ۵ است."})


class OccasionContent(WorkflowModel):
    """Content a unit prepares for an occasion and sends to HQ, who reviews it (E3).

    draft → sent (the unit's PR people; HQ is told) → returned (HQ, with a comment; the unit edits and
    sends it again) | acknowledged (HQ, optional comment and quality mark 1-5) → used (HQ says where it was
    used, e.g. the province's special issue; from sent too). The unit is told at each HQ step.
    """

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="occasion_contents",
                             verbose_name="واحد")
    occasion = models.ForeignKey(Occasion, on_delete=models.PROTECT, related_name="contents",
                                 verbose_name="مناسبت")
    title = models.CharField("عنوان", max_length=200)
    text = models.TextField("متن")
    file = models.FileField("پیوست", upload_to="occasions/content/%Y/%m/", storage=private_storage, blank=True)
    file_type = models.CharField(max_length=50, blank=True)
    state = StateField("وضعیت", max_length=14, choices=ContentState.choices, default=ContentState.DRAFT,
                       db_index=True)
    sent_at = models.DateTimeField("زمان ارسال", null=True, blank=True)
    acknowledged_at = models.DateTimeField("زمان دیدن", null=True, blank=True)
    hq_comment = models.TextField("نظر اداره کل", blank=True)
    quality = models.PositiveSmallIntegerField("نمره کیفیت (۱ تا ۵)", null=True, blank=True)
    used_where = models.CharField("کجا به کار رفت", max_length=300, blank=True)
    used_at = models.DateTimeField("زمان به کار رفتن", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="تهیه‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "محتوای مناسبتی"
        verbose_name_plural = "محتوای مناسبتی"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("occasions:content", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.state in CONTENT_EDITABLE

    @step(source=CONTENT_EDITABLE, target=ContentState.SENT, roles=UNIT_PR, label="فرستادن برای اداره کل",
          log="occasions.content_sent", summary="محتوای مناسبتی برای اداره کل فرستاده شد",
          notify=[Notice(hq_role(*HQ_ROLES), "محتوای «{obj.occasion.title:.60}» از {obj.unit.name}")],
          done="محتوا برای اداره کل فرستاده شد.")
    def send(self, by):
        self.sent_at = timezone.now()

    @step(source=ContentState.SENT, target=ContentState.RETURNED, roles=HQ_ROLES, label="برگرداندن برای اصلاح",
          log="occasions.content_returned", summary="اداره کل محتوا را برای اصلاح برگرداند: {hq_comment}",
          needs=[Need("hq_comment", "آنچه باید اصلاح شود", "بنویسید چه چیزی باید اصلاح شود.")], style="warning",
          notify=[Notice(unit_role(*UNIT_PR), "اداره کل محتوای «{obj.title:.80}» را برای اصلاح برگرداند",
                         body="{obj.hq_comment}")],
          done="محتوا با نظر شما به واحد برگشت.")
    def return_to_unit(self, by):
        pass

    @step(source=ContentState.SENT, target=ContentState.ACKNOWLEDGED, roles=HQ_ROLES, label="دیدم",
          log="occasions.content_acknowledged", summary="اداره کل محتوا را دید",
          needs=[Need("hq_comment", "نظر اداره کل"),
                 Need("quality", "نمره کیفیت (۱ تا ۵)", widget="plain", help="اختیاری")], style="success",
          notify=[Notice(unit_role(*UNIT_PR), "اداره کل محتوای «{obj.title:.80}» را دید", body="{obj.hq_comment}")],
          done="دیدن محتوا ثبت و به واحد خبر داده شد.")
    def acknowledge(self, by):
        _check_quality(self)
        self.acknowledged_at = timezone.now()

    @step(source=(ContentState.SENT, ContentState.ACKNOWLEDGED), target=ContentState.USED, roles=HQ_ROLES,
          label="به کار رفت", log="occasions.content_used", summary="محتوا در «{used_where}» به کار رفت",
          needs=[Need("used_where", "کجا به کار رفت", "بنویسید محتوا کجا به کار رفت.", widget="text")],
          style="success",
          notify=[Notice(unit_role(*UNIT_PR), "محتوای «{obj.title:.80}» در {obj.used_where:.80} به کار رفت")],
          done="به کار رفتن محتوا ثبت و به واحد خبر داده شد.")
    def mark_used(self, by):
        self.used_at = timezone.now()
        self.acknowledged_at = self.acknowledged_at or self.used_at
