"""Plans (A1), meetings (A3, F1, F6), trainings (A4), digital channels (A5) and the
monthly report (A2) of a unit. The plan's and the report's workflows are declared on their models
(`ravabet.workflow`): states, steps, the roles of each step, its guards, needed values and notices."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ravabet.compliance.catalog import items as catalog_items
from ravabet.lib import jalali
from ravabet.lib.storage import PrivateStorage
from ravabet.offices.models import Person, Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role
from ravabet.workflow.declare import Guard, Need, Notice, StateField, WorkflowModel, hq_role, step, unit_role


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
        "مهلت گزارش ماهانه (چندمین روز کاری ماه بعد)", default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="ارزیابی اداره کل گزارش رسیده تا پنجمین روز کاری را به‌موقع می‌شمارد.")
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
    AWAITING_SIGN_OFF = "awaiting_sign_off", "منتظر تأیید رئیس اداره"
    SIGNED_OFF = "signed_off", "تأیید رئیس اداره"
    SUBMITTED = "submitted", "فرستاده به اداره کل"
    APPROVED = "approved", "تأییدشده"
    RETURNED = "returned", "برگشت‌خورده"


PLAN_EDITABLE = {PlanState.DRAFT, PlanState.RETURNED}
HAS_ITEMS = Guard("has_items", "برنامه‌ای بی‌بند را نمی‌توان فرستاد؛ دست‌کم یک بند بیفزایید.",
                  lambda plan: plan.items.exists(), q=~Q(items__isnull=True))


class Plan(WorkflowModel):
    """A unit's yearly or monthly operational plan (A1): written by the officer, signed off by the unit
    manager, sent to HQ, approved or returned with HQ's comment. A monthly plan belongs to the unit's
    yearly plan of its year (the year broken into months). Edited only while draft or returned."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name="واحد")
    year = models.PositiveSmallIntegerField("سال", validators=[MinValueValidator(1390), MaxValueValidator(1500)])
    month = models.PositiveSmallIntegerField("ماه", null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(12)])
    title = models.CharField("عنوان", max_length=200, blank=True)
    yearly_plan = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="monthly_plans", verbose_name="برنامه سالانه",
                                    limit_choices_to={"month__isnull": True})
    state = StateField("وضعیت", max_length=20, choices=PlanState.choices, default=PlanState.DRAFT)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name="تأییدکننده (رئیس اداره)")
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

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", args=[self.pk])

    # --- Workflow (A1: the officer plans, the unit manager signs off, HQ reviews) ----------------

    @step(source=[PlanState.DRAFT, PlanState.RETURNED], target=PlanState.AWAITING_SIGN_OFF, roles={Role.PR_OFFICER},
          label="درخواست تأیید رئیس اداره", log="planning.plan_sign_off_asked",
          summary="درخواست تأیید برنامه {obj.period_label} از رئیس اداره", guards=[HAS_ITEMS],
          notify=[Notice(unit_role(Role.UNIT_MANAGER), "برنامه {obj.period_label} منتظر تأیید شماست")],
          done="برنامه برای تأیید نزد رئیس اداره رفت.")
    def ask_sign_off(self, by):
        self.signed_off_by = None

    @step(source=[PlanState.DRAFT, PlanState.RETURNED, PlanState.AWAITING_SIGN_OFF], target=PlanState.SIGNED_OFF,
          roles={Role.UNIT_MANAGER}, label="تأیید رئیس اداره", log="planning.plan_signed_off", style="success",
          summary="تأیید برنامه {obj.period_label} به دست رئیس اداره", guards=[HAS_ITEMS],
          notify=[Notice(unit_role(Role.PR_OFFICER), "رئیس اداره برنامه {obj.period_label} را تأیید کرد؛ آن را بفرستید.")],
          done="برنامه تأیید شد و آماده ارسال به اداره کل است.")
    def sign_off(self, by):
        self.signed_off_by = by

    @step(source=[PlanState.AWAITING_SIGN_OFF, PlanState.SIGNED_OFF], target=PlanState.DRAFT, roles=UNIT_ROLES,
          label="بازگشت به پیش‌نویس برای ویرایش", log="planning.plan_reopened", aside=True, style="secondary",
          summary="بازگرداندن برنامه {obj.period_label} به پیش‌نویس",
          notify=[Notice(unit_role(*UNIT_ROLES), "برنامه {obj.period_label} برای ویرایش به پیش‌نویس برگشت")],
          done="برنامه به پیش‌نویس برگشت؛ پس از ویرایش دوباره تأیید رئیس اداره لازم است.")
    def reopen(self, by):
        self.signed_off_by = None

    @step(source=PlanState.SIGNED_OFF, target=PlanState.SUBMITTED, roles=UNIT_ROLES,
          label="ارسال به اداره کل", log="planning.plan_submitted",
          summary="ارسال برنامه {obj.period_label} به اداره کل", guards=[HAS_ITEMS],
          notify=[Notice(hq_role(*HQ_ROLES), "برنامه {obj.period_label} {obj.unit.name} برای بررسی رسید")],
          done="برنامه برای بررسی به اداره کل فرستاده شد.")
    def submit(self, by):
        self.submitted_at = timezone.now()

    @step(source=PlanState.SUBMITTED, target=PlanState.APPROVED, roles=HQ_ROLES, label="تأیید برنامه",
          log="planning.plan_approved", summary="تأیید برنامه {obj.period_label}", style="success",
          needs=[Need("comment", "نظر اداره کل")],
          notify=[Notice(unit_role(*UNIT_ROLES), "برنامه {obj.period_label} تأیید شد", body="{obj.hq_comment}")],
          done="برنامه تأیید شد.")
    def approve(self, by, comment: str = ""):
        self.hq_comment = (comment or "").strip()
        self.reviewed_at = timezone.now()

    @step(source=PlanState.SUBMITTED, target=PlanState.RETURNED, roles=HQ_ROLES, label="برگرداندن با نظر",
          log="planning.plan_returned", summary="برگرداندن برنامه {obj.period_label}: {comment}", style="danger",
          needs=[Need("comment", "نظر اداره کل", "برای برگرداندن برنامه، نظر خود را بنویسید.")],
          notify=[Notice(unit_role(*UNIT_ROLES), "برنامه {obj.period_label} برگشت خورد", body="{obj.hq_comment}")],
          done="برنامه با نظر شما برگردانده شد.")
    def send_back(self, by, comment: str):
        """HQ returns the plan; the manager's sign-off goes with it (the edited plan is signed off again)."""
        self.hq_comment = comment.strip()
        self.reviewed_at = timezone.now()
        self.signed_off_by = None

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


class ItemMeasure(models.TextChoices):
    INDICATOR = "indicator", "شمارش خودکار شاخص ارزیابی بند"
    RECORDS = "records", "سوابقی که مسئول به این کار پیوند می‌دهد"


class PlanItem(models.Model):
    """A task of a plan with a measurable target (A1): a count or a completion date, measured either by
    the evaluation's indicator of its instruction items (everything of that item the unit did in the
    plan's period) or by the records the officer links to it (only those), so two tasks of the same
    item each count their own work."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items", verbose_name="برنامه")
    title = models.CharField("عنوان", max_length=250)
    codes = models.JSONField("بندهای دستورالعمل", default=list)
    measure = models.CharField("سنجش پیشرفت", max_length=10, choices=ItemMeasure.choices,
                               default=ItemMeasure.INDICATOR)
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


class PlanItemLink(models.Model):
    """A record the officer counts toward a plan item measured by linked records (A1): a meeting, a
    training, a news item... of the item's instruction items, from the plan's unit and period."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="links", verbose_name="بند برنامه")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    code = models.CharField("بند دستورالعمل", max_length=4)
    label = models.CharField("عنوان سابقه", max_length=250)
    url = models.CharField("پیوند", max_length=300, blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "سابقه پیوندشده به بند برنامه"
        verbose_name_plural = "سوابق پیوندشده به بندهای برنامه"
        ordering = ["linked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "content_type", "object_id"],
                                               name="one_link_per_record_and_item")]

    def __str__(self) -> str:
        return self.label


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
    agenda = models.TextField("دستور جلسه", blank=True)
    minutes = models.TextField("صورت‌جلسه", blank=True)
    # A3/F6: the invitation with the agenda goes out before the meeting; the signed minutes are kept.
    invited_at = models.DateTimeField("زمان ارسال دعوت‌نامه", null=True, blank=True)
    signed_minutes = models.FileField("صورت‌جلسه امضاشده", storage=private_storage, blank=True,
                                      upload_to="planning/minutes/%Y/%m/")
    signed_minutes_at = models.DateTimeField("زمان بارگذاری صورت‌جلسه امضاشده", null=True, blank=True)
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


class Guest(models.Model):
    """Someone from outside the unit at a meeting (A3: the governor's office, the council, another
    department), by name and organisation; invited by SMS when a mobile is given."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    full_name = models.CharField("نام و نام خانوادگی", max_length=120)
    organisation = models.CharField("سازمان یا نهاد", max_length=150)
    mobile = models.CharField("شماره همراه", max_length=11, blank=True)
    present = models.BooleanField("حاضر", default=True)

    class Meta:
        verbose_name = "مهمان بیرونی جلسه"
        verbose_name_plural = "مهمانان بیرونی جلسه"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.organisation})"


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


# A4: the longest single course or workshop a record may hold (hours). A longer programme is
# recorded as its courses.
MAX_TRAINING_HOURS = 300


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
        """Hours of one course or workshop between 0 and MAX_TRAINING_HOURS, a completion date not
        after today (A4); the trainee of the unit. Raises ValidationError on the field."""
        from django.utils import timezone

        from ravabet.lib.digits import to_persian_digits

        if self.hours is not None and self.hours <= 0:
            raise ValidationError({"hours": "ساعت آموزش باید بیش از صفر باشد."})
        if self.hours is not None and self.hours > MAX_TRAINING_HOURS:
            raise ValidationError({"hours": f"یک دوره آموزشی حداکثر {to_persian_digits(MAX_TRAINING_HOURS)} ساعت "
                                            "است؛ دوره‌های بلندتر را در چند بند بنویسید."})
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "تاریخ پایان آموزش در آینده است؛ آموزش را پس از برگزاری ثبت کنید."})
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

    def clean(self):
        """A5: statistics are for a month that has begun (Jalali year and month), never a future one."""
        from ravabet.lib import jalali as jalali_dates

        if self.year and self.month and (self.year, self.month) > tuple(jalali_dates.current_month()):
            raise ValidationError({"month": "آمار ماهی که هنوز نیامده ثبت نمی‌شود."})

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.month)


# --- Monthly report (A2) ----------------------------------------------------------------------

class ReportState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    AWAITING_APPROVAL = "awaiting_approval", "منتظر تأیید رئیس اداره"
    MANAGER_APPROVED = "manager_approved", "تأیید رئیس اداره"
    SUBMITTED = "submitted", "فرستاده به اداره کل"
    ACCEPTED = "accepted", "پذیرفته‌شده"
    RETURNED = "returned", "برگشت‌خورده"


REPORT_EDITABLE = {ReportState.DRAFT, ReportState.RETURNED}


class MonthlyReport(WorkflowModel):
    """A unit's monthly performance report (A2): compiled from the month's records, written by the
    officer, approved by the unit manager, sent to HQ after the month ends (or earlier with a reason)
    and accepted or returned by HQ. A returned report needs the manager's approval again."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="monthly_reports", verbose_name="واحد")
    year = models.PositiveSmallIntegerField("سال", validators=[MinValueValidator(1390), MaxValueValidator(1500)])
    month = models.PositiveSmallIntegerField("ماه", validators=[MinValueValidator(1), MaxValueValidator(12)])
    state = StateField("وضعیت", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    narrative = models.TextField("شرح کارهای ماه", blank=True)
    problems = models.TextField("مشکلات و چالش‌ها", blank=True)
    proposals = models.TextField("پیشنهادها", blank=True)
    # The compiled sections: a preview while editing, frozen when submitted.
    sections = models.JSONField(default=list, blank=True)
    compiled_at = models.DateTimeField(null=True, blank=True)
    hq_comment = models.TextField("نظر اداره کل", blank=True)
    early_reason = models.TextField("علت ارسال پیش از پایان ماه", blank=True)
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

    def get_absolute_url(self) -> str:
        return reverse("planning:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.month)

    def period(self) -> tuple[dt.date, dt.date]:
        return jalali.month_bounds(self.year, self.month)

    def month_ended(self, today: dt.date | None = None) -> bool:
        """True once the report's Jalali month is over (A2: a month is reported after it ends)."""
        return (today or jalali.today()) > self.period()[1]

    @property
    def submitted_early(self) -> bool:
        """Sent to HQ before its month ended (with the early reason the person gave)."""
        return bool(self.submitted_at) and timezone.localdate(self.submitted_at) <= self.period()[1]

    @property
    def late_note(self) -> str:
        return " (پس از مهلت)" if self.submitted_at and timezone.localdate(self.submitted_at) > self.due_date() else ""

    @property
    def is_editable(self) -> bool:
        return self.state in REPORT_EDITABLE

    @property
    def is_frozen(self) -> bool:
        return self.state in {ReportState.SUBMITTED, ReportState.ACCEPTED}

    def due_date(self, due_day: int | None = None) -> dt.date:
        return report_due_date(self.year, self.month, due_day)

    # --- Workflow (A2: the officer writes, the manager approves, HQ reviews) ---------------------

    @step(source=[ReportState.DRAFT, ReportState.RETURNED], target=ReportState.AWAITING_APPROVAL,
          roles={Role.PR_OFFICER}, label="درخواست تأیید رئیس اداره", log="planning.report_approval_asked",
          summary="درخواست تأیید گزارش {obj.period_label} از رئیس اداره",
          notify=[Notice(unit_role(Role.UNIT_MANAGER), "گزارش عملکرد {obj.period_label} منتظر تأیید شماست")],
          done="گزارش برای تأیید نزد رئیس اداره رفت.")
    def ask_approval(self, by):
        self.approved_by = None

    @step(source=ReportState.AWAITING_APPROVAL, target=ReportState.MANAGER_APPROVED, roles={Role.UNIT_MANAGER},
          label="تأیید رئیس اداره", log="planning.report_approved", style="success",
          summary="تأیید گزارش {obj.period_label} به دست رئیس اداره",
          notify=[Notice(unit_role(Role.PR_OFFICER), "رئیس اداره گزارش {obj.period_label} را تأیید کرد؛ آن را بفرستید.")],
          done="گزارش تأیید شد و آماده ارسال است.")
    def approve(self, by):
        self.approved_by = by

    @step(source=[ReportState.AWAITING_APPROVAL, ReportState.MANAGER_APPROVED], target=ReportState.DRAFT,
          roles=UNIT_ROLES, label="بازگشت به پیش‌نویس برای ویرایش", log="planning.report_reopened", aside=True,
          style="secondary", summary="بازگرداندن گزارش {obj.period_label} به پیش‌نویس",
          notify=[Notice(unit_role(*UNIT_ROLES), "گزارش {obj.period_label} برای ویرایش به پیش‌نویس برگشت")],
          done="گزارش به پیش‌نویس برگشت؛ پس از ویرایش دوباره تأیید رئیس اداره لازم است.")
    def reopen(self, by):
        self.approved_by = None

    # Sent to HQ once its Jalali month is over (A2 reports a whole month), or earlier with a reason that
    # the report (and its PDF) carries: two steps with complementary guards, so the page offers the one
    # that applies today and the early one asks for its reason.
    @step(source=ReportState.MANAGER_APPROVED, target=ReportState.SUBMITTED, roles=UNIT_ROLES,
          label="ارسال به اداره کل", log="planning.report_submitted",
          summary="ارسال گزارش {obj.period_label} به اداره کل{obj.late_note}",
          confirm="پس از ارسال، ارقام گزارش ثابت می‌ماند. فرستاده شود؟",
          guards=[Guard("month_ended",
                        "ماه گزارش ({obj.period_label}) هنوز به پایان نرسیده است؛ گزارش پس از پایان ماه فرستاده "
                        "می‌شود، یا با «ارسال زودهنگام» و نوشتن علت ارسال زودهنگام.",
                        lambda report: report.month_ended())],
          notify=[Notice(hq_role(*HQ_ROLES), "گزارش {obj.period_label} {obj.unit.name} رسید")],
          done="گزارش به اداره کل فرستاده شد؛ ارقام آن ثابت ماند.")
    def submit(self, by):
        self.early_reason = ""
        self._freeze()

    @step(source=ReportState.MANAGER_APPROVED, target=ReportState.SUBMITTED, roles=UNIT_ROLES,
          label="ارسال زودهنگام به اداره کل", log="planning.report_submitted_early",
          summary="ارسال گزارش {obj.period_label} پیش از پایان ماه به اداره کل: {early_reason}",
          confirm="ماه گزارش هنوز تمام نشده و پس از ارسال، ارقام گزارش ثابت می‌ماند. فرستاده شود؟",
          guards=[Guard("month_not_ended",
                        "ماه گزارش ({obj.period_label}) به پایان رسیده است؛ «ارسال به اداره کل» را بزنید.",
                        lambda report: not report.month_ended())],
          needs=[Need("early_reason", "علت ارسال پیش از پایان ماه", "علت ارسال زودهنگام را بنویسید.", widget="text",
                      help="در گزارش و PDF آن هم چاپ می‌شود.")],
          notify=[Notice(hq_role(*HQ_ROLES), "گزارش {obj.period_label} {obj.unit.name} رسید (پیش از پایان ماه)",
                         body="{obj.early_reason}")],
          done="گزارش پیش از پایان ماه به اداره کل فرستاده شد؛ ارقام آن ثابت ماند.")
    def submit_early(self, by):
        self._freeze()

    def _freeze(self) -> None:
        """Compile the sections one last time and keep them: later edits of the records do not change them."""
        from .selectors import compile_sections

        self.sections = compile_sections(self.unit, self.year, self.month)
        self.compiled_at = self.submitted_at = timezone.now()

    @step(source=ReportState.SUBMITTED, target=ReportState.ACCEPTED, roles=HQ_ROLES, label="پذیرش گزارش",
          log="planning.report_accepted", summary="پذیرش گزارش {obj.period_label}", style="success",
          needs=[Need("comment", "نظر اداره کل")],
          notify=[Notice(unit_role(*UNIT_ROLES), "گزارش {obj.period_label} پذیرفته شد", body="{obj.hq_comment}")],
          done="گزارش پذیرفته شد.")
    def accept(self, by, comment: str = ""):
        self.hq_comment = (comment or "").strip()
        self.reviewed_at = timezone.now()

    @step(source=ReportState.SUBMITTED, target=ReportState.RETURNED, roles=HQ_ROLES, label="برگرداندن با نظر",
          log="planning.report_returned", summary="برگرداندن گزارش {obj.period_label}: {comment}", style="danger",
          needs=[Need("comment", "نظر اداره کل", "برای برگرداندن گزارش، نظر خود را بنویسید.")],
          notify=[Notice(unit_role(*UNIT_ROLES), "گزارش {obj.period_label} برگشت خورد", body="{obj.hq_comment}")],
          done="گزارش با نظر شما برگردانده شد.")
    def send_back(self, by, comment: str):
        """HQ returns the report; the manager's earlier approval goes with it (the edited report is
        approved again before it goes back to HQ)."""
        self.hq_comment = comment.strip()
        self.reviewed_at = timezone.now()
        self.approved_by = None


def report_due_dates(months, due_day: int | None = None) -> dict[tuple[int, int], dt.date]:
    """For Jalali (year, month) pairs, {pair: the Gregorian date of the `due_day`-th working day of the
    following Jalali month}: the last day the month's report (A2) reaches HQ on time. `due_day` defaults
    to HQ's setting (5, as issue 10 scores A2's timeliness). Working days follow lib.workdays (weekends,
    official holidays, HQ's closures), read in one query for all the months."""
    from ravabet.lib.workdays import Calendar

    if not months:
        return {}
    due_day = due_day or PlanningSettings.load().report_due_day
    firsts = {}
    for year, month in months:
        following = (year + 1, 1) if month == 12 else (year, month + 1)
        firsts[(year, month)] = jalali.month_bounds(*following)[0]
    # Nowruz leaves at most about two weeks off; three calendar days per working day and a month more cover it.
    last = max(firsts.values()) + dt.timedelta(days=due_day * 3 + 30)
    working = Calendar(min(firsts.values()), last).working_days()
    return {key: [day for day in working if day >= first][due_day - 1] for key, first in firsts.items()}


def report_due_date(year: int, month: int, due_day: int | None = None) -> dt.date:
    """The Gregorian date of the working day of the next Jalali month by which the month's report must
    reach HQ (see report_due_dates)."""
    return report_due_dates([(year, month)], due_day)[(year, month)]
