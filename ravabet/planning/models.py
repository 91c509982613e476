"""Plans (A1), meetings (A3, F1, F6), trainings (A4), digital channels (A5) and the
monthly report (A2) of a unit. Workflow states and their transitions sit next to each model."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ravabet.compliance.catalog import items as catalog_items
from ravabet.lib import jalali
from ravabet.lib.storage import PrivateStorage
from ravabet.offices.models import Person, Unit


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return jalali.month_bounds(year, 1)[0], jalali.month_bounds(year, 12)[1]


def period_label(year: int, month: int | None) -> str:
    from ravabet.lib.digits import to_persian_digits

    if month:
        return f"{jalali.month_name(month)} {to_persian_digits(year)}"
    return f"سال {to_persian_digits(year)}"


def private_storage():
    return PrivateStorage()


class PlanningSettings(models.Model):
    """HQ's settings for every unit: one row (pk=1)."""

    yearly_training_hours = models.PositiveIntegerField(
        "هدف ساعت آموزش سالانه هر نفر", default=40, validators=[MinValueValidator(1), MaxValueValidator(2000)])
    report_due_day = models.PositiveSmallIntegerField(
        "مهلت گزارش ماهانه (روز ماه بعد)", default=5, validators=[MinValueValidator(1), MaxValueValidator(29)])
    reminder_days_before = models.PositiveSmallIntegerField(
        "یادآوری چند روز پیش از مهلت", default=3, validators=[MaxValueValidator(20)])

    class Meta:
        verbose_name = "تنظیمات برنامه‌ریزی"
        verbose_name_plural = "تنظیمات برنامه‌ریزی"

    def __str__(self) -> str:
        return "تنظیمات برنامه‌ریزی"

    @classmethod
    def load(cls) -> "PlanningSettings":
        return cls.objects.get_or_create(pk=1)[0]


# --- Plans (A1) ---------------------------------------------------------------------------

class PlanState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    SUBMITTED = "submitted", "فرستاده به اداره کل"
    APPROVED = "approved", "تأییدشده"
    RETURNED = "returned", "برگشت‌خورده"


PLAN_TRANSITIONS = {
    PlanState.DRAFT: {PlanState.SUBMITTED},
    PlanState.RETURNED: {PlanState.SUBMITTED},
    PlanState.SUBMITTED: {PlanState.APPROVED, PlanState.RETURNED},
    PlanState.APPROVED: set(),
}
PLAN_EDITABLE = {PlanState.DRAFT, PlanState.RETURNED}


class Plan(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name="واحد")
    year = models.PositiveSmallIntegerField("سال", validators=[MinValueValidator(1390), MaxValueValidator(1500)])
    month = models.PositiveSmallIntegerField("ماه", null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(12)])
    title = models.CharField("عنوان", max_length=200, blank=True)
    state = models.CharField("وضعیت", max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    hq_comment = models.TextField("نظر اداره کل", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Progress summary kept on the plan so lists of many plans read it without asking every
    # part's indicators per plan; refreshed when the plan is shown or saved and by a periodic job.
    progress_percent = models.PositiveSmallIntegerField("پیشرفت (درصد)", default=0)
    done_count = models.PositiveSmallIntegerField("بندهای انجام‌شده", default=0)
    behind_count = models.PositiveSmallIntegerField("بندهای عقب از برنامه", default=0)
    progress_at = models.DateTimeField("زمان محاسبه پیشرفت", null=True, blank=True)

    class Meta:
        verbose_name = "برنامه عملیاتی"
        verbose_name_plural = "برنامه‌های عملیاتی"
        ordering = ["-year", "-month", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], condition=Q(month__isnull=True),
                                    name="one_yearly_plan_per_unit"),
            models.UniqueConstraint(fields=["unit", "year", "month"], condition=Q(month__isnull=False),
                                    name="one_monthly_plan_per_unit"),
        ]

    def __str__(self) -> str:
        return self.title or f"برنامه {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.month)

    @property
    def is_yearly(self) -> bool:
        return not self.month

    def period(self) -> tuple[dt.date, dt.date]:
        return jalali.month_bounds(self.year, self.month) if self.month else year_bounds(self.year)

    @property
    def is_editable(self) -> bool:
        return self.state in PLAN_EDITABLE

    def clean(self):
        duplicate = Plan.objects.filter(unit=self.unit_id, year=self.year, month=self.month).exclude(pk=self.pk)
        if self.unit_id and duplicate.exists():
            raise ValidationError({"month": f"برنامه {self.period_label} این واحد پیش‌تر ساخته شده است."})


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items", verbose_name="برنامه")
    title = models.CharField("عنوان", max_length=250)
    codes = models.JSONField("بندهای دستورالعمل", default=list)
    target_count = models.PositiveIntegerField("هدف (تعداد)", null=True, blank=True)
    target_date = models.DateField("هدف (انجام تا تاریخ)", null=True, blank=True)
    owner = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="مسئول")
    due_date = models.DateField("سررسید")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "بند برنامه"
        verbose_name_plural = "بندهای برنامه"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def _plan_or_none(self):
        # The plan may still be unsaved while a new plan and its items are validated together.
        try:
            return self.plan
        except Plan.DoesNotExist:
            return None

    def clean(self):
        errors = {}
        known = catalog_items()
        if not self.codes:
            errors["codes"] = "دست‌کم یک بند دستورالعمل را برای این کار برگزینید."
        elif any(code not in known for code in self.codes):
            errors["codes"] = "بند دستورالعمل ناشناخته است."
        if not self.target_count and not self.target_date:
            errors["target_count"] = "هدف را به شکل تعداد یا تاریخ انجام بنویسید."
        plan = self._plan_or_none()
        if plan is not None and plan.year and 1390 <= plan.year <= 1500 and self.due_date:
            start, end = plan.period()
            if not start <= self.due_date <= end:
                errors["due_date"] = (f"سررسید باید در بازه برنامه ({plan.period_label}: "
                                      f"{jalali.format_date(start)} تا {jalali.format_date(end)}) باشد.")
        if errors:
            raise ValidationError(errors)


# --- Meetings (A3, F1, F6) --------------------------------------------------------------------

class MeetingKind(models.TextChoices):
    OFFICIALS = "officials", "جلسه مدیران و مسئولان (A3)"
    COORDINATION = "coordination", "جلسه هماهنگی مراسم و مناسبت‌ها (F1)"
    STAFF = "staff", "جلسه رئیس اداره با کارکنان (F6)"


MEETING_ITEMS = {MeetingKind.OFFICIALS: "A3", MeetingKind.COORDINATION: "F1", MeetingKind.STAFF: "F6"}


class Meeting(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="meetings", verbose_name="واحد")
    kind = models.CharField("نوع جلسه", max_length=15, choices=MeetingKind.choices)
    title = models.CharField("موضوع", max_length=200)
    starts_at = models.DateTimeField("آغاز")
    ends_at = models.DateTimeField("پایان")
    place = models.CharField("محل", max_length=200)
    minutes = models.TextField("صورت‌جلسه", blank=True)
    is_archived = models.BooleanField("بایگانی‌شده", default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "جلسه"
        verbose_name_plural = "جلسه‌ها"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["unit", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "پایان جلسه باید پس از آغاز آن باشد."})


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="شرکت‌کننده")
    present = models.BooleanField("حاضر", default=True)

    class Meta:
        ordering = ["-present", "person__full_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")]

    def __str__(self) -> str:
        return f"{self.person} — {'حاضر' if self.present else 'غایب'}"


class Decision(models.Model):
    """A meeting's decision: a follow-up item until it is done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="واحد")
    text = models.CharField("مصوبه", max_length=500)
    owner = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="مسئول پیگیری")
    due_date = models.DateField("مهلت")
    done = models.BooleanField("انجام شد", default=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "مصوبه"
        verbose_name_plural = "مصوبه‌ها"
        ordering = ["done", "due_date", "pk"]
        indexes = [models.Index(fields=["unit", "done", "due_date"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.due_date < jalali.today()


# --- Trainings (A4) -----------------------------------------------------------------------------

class TrainingKind(models.TextChoices):
    COURSE = "course", "دوره آموزشی"
    SELF_STUDY = "self_study", "خودآموزی"


class Training(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="trainings", verbose_name="واحد")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trainings", verbose_name="فراگیر")
    kind = models.CharField("نوع", max_length=12, choices=TrainingKind.choices, default=TrainingKind.COURSE)
    title = models.CharField("عنوان", max_length=200)
    provider = models.CharField("برگزارکننده", max_length=200, blank=True)
    hours = models.DecimalField("ساعت", max_digits=6, decimal_places=1)
    date = models.DateField("تاریخ")
    certificate = models.FileField("گواهی", storage=private_storage, upload_to="planning/certificates/%Y/%m/",
                                   blank=True)
    is_archived = models.BooleanField("بایگانی‌شده", default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "آموزش"
        verbose_name_plural = "آموزش‌ها"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.hours is not None and self.hours <= 0:
            raise ValidationError({"hours": "ساعت آموزش باید بیش از صفر باشد."})
        if self.person_id and self.unit_id and self.person.unit_id != self.unit_id:
            raise ValidationError({"person": "این فرد از کارکنان این واحد نیست."})


# --- Electronic PR (A5) -----------------------------------------------------------------------

class Platform(models.TextChoices):
    WEBSITE = "website", "صفحه وب‌سایت"
    MESSENGER = "messenger", "کانال پیام‌رسان"
    SOCIAL = "social", "حساب شبکه اجتماعی"


class Channel(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="channels", verbose_name="واحد")
    platform = models.CharField("نوع", max_length=10, choices=Platform.choices)
    name = models.CharField("نام", max_length=150)
    url = models.URLField("نشانی", blank=True)
    is_active = models.BooleanField("فعال", default=True)
    is_archived = models.BooleanField("بایگانی‌شده", default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "کانال ارتباطی"
        verbose_name_plural = "کانال‌های ارتباطی"
        ordering = ["platform", "name"]

    def __str__(self) -> str:
        return self.name


class ChannelFigure(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField("سال", validators=[MinValueValidator(1390), MaxValueValidator(1500)])
    month = models.PositiveSmallIntegerField("ماه", validators=[MinValueValidator(1), MaxValueValidator(12)])
    posts = models.PositiveIntegerField("تعداد مطالب")
    members = models.PositiveIntegerField("تعداد اعضا/دنبال‌کنندگان")
    views = models.PositiveIntegerField("تعداد بازدید")

    class Meta:
        verbose_name = "آمار ماهانه کانال"
        verbose_name_plural = "آمار ماهانه کانال‌ها"
        ordering = ["year", "month"]
        constraints = [models.UniqueConstraint(fields=["channel", "year", "month"], name="one_figure_per_month")]

    def __str__(self) -> str:
        return f"{self.channel} — {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.month)


# --- Monthly report (A2) ----------------------------------------------------------------------

class ReportState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    MANAGER_APPROVED = "manager_approved", "تأیید رئیس اداره"
    SUBMITTED = "submitted", "فرستاده به اداره کل"
    ACCEPTED = "accepted", "پذیرفته‌شده"
    RETURNED = "returned", "برگشت‌خورده"


REPORT_TRANSITIONS = {
    ReportState.DRAFT: {ReportState.MANAGER_APPROVED},
    ReportState.MANAGER_APPROVED: {ReportState.SUBMITTED, ReportState.DRAFT},
    ReportState.SUBMITTED: {ReportState.ACCEPTED, ReportState.RETURNED},
    # A returned report is edited and sent again; the manager already approved it once.
    ReportState.RETURNED: {ReportState.MANAGER_APPROVED, ReportState.SUBMITTED},
    ReportState.ACCEPTED: set(),
}
REPORT_EDITABLE = {ReportState.DRAFT, ReportState.RETURNED}


class MonthlyReport(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="monthly_reports", verbose_name="واحد")
    year = models.PositiveSmallIntegerField("سال", validators=[MinValueValidator(1390), MaxValueValidator(1500)])
    month = models.PositiveSmallIntegerField("ماه", validators=[MinValueValidator(1), MaxValueValidator(12)])
    state = models.CharField("وضعیت", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    narrative = models.TextField("شرح کارهای ماه", blank=True)
    problems = models.TextField("مشکلات و چالش‌ها", blank=True)
    proposals = models.TextField("پیشنهادها", blank=True)
    # The compiled sections: a preview while editing, frozen when submitted.
    sections = models.JSONField(default=list, blank=True)
    compiled_at = models.DateTimeField(null=True, blank=True)
    hq_comment = models.TextField("نظر اداره کل", blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "گزارش عملکرد ماهانه"
        verbose_name_plural = "گزارش‌های عملکرد ماهانه"
        ordering = ["-year", "-month", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "month"], name="one_report_per_unit_month")]

    def __str__(self) -> str:
        return f"گزارش عملکرد {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.month)

    def period(self) -> tuple[dt.date, dt.date]:
        return jalali.month_bounds(self.year, self.month)

    @property
    def is_editable(self) -> bool:
        return self.state in REPORT_EDITABLE

    @property
    def is_frozen(self) -> bool:
        return self.state in {ReportState.SUBMITTED, ReportState.ACCEPTED}

    def due_date(self, due_day: int | None = None) -> dt.date:
        return report_due_date(self.year, self.month, due_day)


def report_due_date(year: int, month: int, due_day: int | None = None) -> dt.date:
    """The day of the next Jalali month by which the month's report must reach HQ."""
    due_day = due_day or PlanningSettings.load().report_due_day
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    start, end = jalali.month_bounds(next_year, next_month)
    return min(start + dt.timedelta(days=due_day - 1), end)
