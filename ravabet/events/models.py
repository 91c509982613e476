"""Tasks HQ assigns to units (F7), events with their run-sheet and guests (F2, F5), protocol supplies (F4),
and the occasions calendar with participation, programmes and occasion content (E1-E3)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ravabet.lib.storage import PrivateStorage
from ravabet.lib.validators import validate_mobile


def private_storage():
    return PrivateStorage()


def new_token() -> str:
    # 128 bits: the invitation link is the guest's only key, so it must not be guessable.
    return secrets.token_urlsafe(16)


def _check(transitions: dict, labels, current: str, target: str) -> None:
    if target not in transitions.get(current, ()):
        raise ValidationError(
            f"این مورد در وضعیت «{labels(current).label}» است و نمی‌تواند «{labels(target).label}» شود.",
            code="bad_transition")


# F7: tasks from HQ ------------------------------------------------------------------------------------------


class Task(models.Model):
    """One task written by HQ; every unit it goes to gets its own Assignment."""

    title = models.CharField("عنوان", max_length=200)
    description = models.TextField("شرح کار")
    due_date = models.DateField("مهلت انجام")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="ابلاغ‌کننده")
    created_at = models.DateTimeField("زمان ابلاغ", auto_now_add=True)

    class Meta:
        verbose_name = "مأموریت اداره کل"
        verbose_name_plural = "مأموریت‌های اداره کل"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AssignmentState(models.TextChoices):
    OPEN = "open", "در دست انجام"
    DONE = "done", "انجام‌شده، در انتظار بررسی"
    ACCEPTED = "accepted", "پذیرفته‌شده"
    RETURNED = "returned", "برگشت برای تکمیل"


ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssignmentState.OPEN: frozenset({AssignmentState.DONE}),
    AssignmentState.DONE: frozenset({AssignmentState.ACCEPTED, AssignmentState.RETURNED}),
    AssignmentState.RETURNED: frozenset({AssignmentState.DONE}),
    AssignmentState.ACCEPTED: frozenset(),
}
ASSIGNMENT_OPEN_STATES = (AssignmentState.OPEN, AssignmentState.RETURNED)


def check_assignment_transition(current: str, target: str) -> None:
    _check(ASSIGNMENT_TRANSITIONS, AssignmentState, current, target)


class Assignment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", verbose_name="مأموریت")
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="event_assignments",
                             verbose_name="واحد")
    state = models.CharField("وضعیت", max_length=12, choices=AssignmentState.choices,
                             default=AssignmentState.OPEN, db_index=True)
    evidence = models.TextField("گزارش انجام کار", blank=True)
    evidence_file = models.FileField("پیوست یا عکس", upload_to="events/tasks/%Y/%m/", storage=private_storage,
                                     blank=True)
    evidence_type = models.CharField(max_length=50, blank=True)
    done_at = models.DateTimeField("زمان انجام", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="انجام‌دهنده")
    review_comment = models.TextField("نظر اداره کل", blank=True)
    reviewed_at = models.DateTimeField("زمان بررسی", null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "مأموریت واحد"
        verbose_name_plural = "مأموریت‌های واحدها"
        ordering = ["task__due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="events_one_assignment_per_unit")]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return f"{self.task.title} — {self.unit}"

    def is_overdue(self, today) -> bool:
        return self.state in ASSIGNMENT_OPEN_STATES and self.task.due_date < today

    @property
    def evidence_is_image(self) -> bool:
        return self.evidence_type.startswith("image/")


# F2, F5: events, run-sheet, guests --------------------------------------------------------------------------


class EventKind(models.TextChoices):
    CEREMONY = "ceremony", "مراسم"
    CONFERENCE = "conference", "همایش"
    EXHIBITION = "exhibition", "نمایشگاه"


class EventState(models.TextChoices):
    PLANNED = "planned", "در حال برنامه‌ریزی"
    HELD = "held", "برگزارشده"
    CANCELLED = "cancelled", "لغوشده"


EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventState.PLANNED: frozenset({EventState.HELD, EventState.CANCELLED}),
    EventState.CANCELLED: frozenset({EventState.PLANNED}),
    EventState.HELD: frozenset(),
}


def check_event_transition(current: str, target: str) -> None:
    _check(EVENT_TRANSITIONS, EventState, current, target)


class Event(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="events", verbose_name="واحد")
    kind = models.CharField("نوع", max_length=12, choices=EventKind.choices, default=EventKind.CEREMONY)
    title = models.CharField("عنوان", max_length=200)
    venue = models.CharField("محل برگزاری", max_length=200)
    starts_at = models.DateTimeField("زمان برگزاری", db_index=True)
    description = models.TextField("شرح", blank=True)
    occasion = models.ForeignKey("Occasion", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="events", verbose_name="مناسبت")
    state = models.CharField("وضعیت", max_length=12, choices=EventState.choices, default=EventState.PLANNED,
                             db_index=True)
    attendance = models.PositiveIntegerField("شمار حاضران (برآورد)", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="ثبت‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "مراسم"
        verbose_name_plural = "مراسم و همایش‌ها"
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["unit", "-starts_at"])]

    def __str__(self) -> str:
        return self.title


class RunSheetKind(models.TextChoices):
    HOST = "host", "مجری"
    QURAN = "quran", "قاری قرآن"
    ANTHEM = "anthem", "سرود ملی"
    CLIP = "clip", "نماهنگ (کلیپ)"
    SPEAKER = "speaker", "سخنران"
    ART = "art", "گروه‌های هنری"
    DECORATION = "decoration", "تزیین سالن"
    BANNERS = "banners", "پارچه‌نوشته و بنر"
    SOUND = "sound", "صدا و نور"
    PHOTO = "photo", "عکاسی"
    FILM = "film", "فیلم‌برداری"
    NEWS = "news", "تهیه و ارسال خبر"


class RunSheetState(models.TextChoices):
    PENDING = "pending", "انجام نشده"
    ARRANGED = "arranged", "هماهنگ‌شده"
    READY = "ready", "آماده"
    NOT_NEEDED = "not_needed", "لازم نیست"


class RunSheetItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="items", verbose_name="مراسم")
    kind = models.CharField("بخش", max_length=12, choices=RunSheetKind.choices)
    person = models.ForeignKey("offices.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="مسئول")
    state = models.CharField("وضعیت", max_length=12, choices=RunSheetState.choices, default=RunSheetState.PENDING)
    note = models.CharField("توضیح", max_length=200, blank=True)

    class Meta:
        verbose_name = "بند برنامه اجرایی"
        verbose_name_plural = "برنامه اجرایی"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="events_one_row_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class Rsvp(models.TextChoices):
    PENDING = "pending", "بی‌پاسخ"
    ACCEPTED = "accepted", "می‌آید"
    DECLINED = "declined", "نمی‌آید"


class Guest(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="guests", verbose_name="مراسم")
    name = models.CharField("نام و نام خانوادگی", max_length=120)
    title = models.CharField("سمت یا عنوان", max_length=150, blank=True)
    mobile = models.CharField("شماره همراه", max_length=11, blank=True, validators=[validate_mobile])
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    invited_at = models.DateTimeField("زمان ارسال دعوت", null=True, blank=True)
    rsvp = models.CharField("پاسخ", max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    companions = models.PositiveSmallIntegerField("شمار همراهان", default=0,
                                                  validators=[MaxValueValidator(10)])
    responded_at = models.DateTimeField("زمان پاسخ", null=True, blank=True)
    checked_in_at = models.DateTimeField("زمان ورود", null=True, blank=True)

    class Meta:
        verbose_name = "مهمان"
        verbose_name_plural = "مهمانان"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


# F4: protocol supplies --------------------------------------------------------------------------------------


class Condition(models.TextChoices):
    GOOD = "good", "سالم"
    WORN = "worn", "فرسوده"
    DAMAGED = "damaged", "آسیب‌دیده"


class SupplyItem(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="supplies", verbose_name="واحد")
    name = models.CharField("نام وسیله", max_length=120)
    quantity = models.PositiveIntegerField("موجودی", default=0)
    min_quantity = models.PositiveIntegerField("حداقل موجودی لازم", default=1)
    condition = models.CharField("وضعیت", max_length=10, choices=Condition.choices, default=Condition.GOOD)
    note = models.CharField("توضیح", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "وسیله تشریفات"
        verbose_name_plural = "وسایل تشریفات"
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="events_one_supply_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class SupplyLoan(models.Model):
    item = models.ForeignKey(SupplyItem, on_delete=models.CASCADE, related_name="loans", verbose_name="وسیله")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="loans",
                              verbose_name="مراسم")
    quantity = models.PositiveIntegerField("تعداد", validators=[MinValueValidator(1)])
    lent_at = models.DateTimeField("زمان تحویل", auto_now_add=True)
    returned_at = models.DateTimeField("زمان بازگشت", null=True, blank=True)

    class Meta:
        verbose_name = "امانت وسیله"
        verbose_name_plural = "امانت وسایل"
        ordering = ["-lent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


# E1-E3: occasions -------------------------------------------------------------------------------------------


class OccasionKind(models.TextChoices):
    NATIONAL = "national", "ملی"
    RELIGIOUS = "religious", "مذهبی"
    ORGANISATIONAL = "organisational", "سازمانی"


class Occasion(models.Model):
    """One dated occasion of the calendar. Lunar ones move every year, so HQ sets their date by hand."""

    title = models.CharField("عنوان", max_length=150)
    date = models.DateField("تاریخ", db_index=True)
    kind = models.CharField("نوع", max_length=16, choices=OccasionKind.choices, default=OccasionKind.NATIONAL)
    lunar = models.BooleanField("قمری (تاریخ را اداره کل تعیین می‌کند)", default=False)
    remind_days = models.PositiveSmallIntegerField("یادآوری چند روز پیش", default=7,
                                                   validators=[MaxValueValidator(60)])
    note = models.CharField("توضیح", max_length=300, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "مناسبت"
        verbose_name_plural = "مناسبت‌ها"
        ordering = ["date", "pk"]
        constraints = [models.UniqueConstraint(fields=["title", "date"], name="events_one_occasion_per_day")]

    def __str__(self) -> str:
        return self.title


class ActivityKind(models.TextChoices):
    CEREMONY = "ceremony", "شرکت در مراسم مذهبی یا ملی"
    MARCH = "march", "شرکت در راهپیمایی"
    CULTURE = "culture", "برنامه ترویج فرهنگ اسلامی"
    ETHICS = "ethics", "برنامه اخلاق اداری"


# Which instruction item each kind of activity is evidence for.
ACTIVITY_ITEM = {ActivityKind.CEREMONY: "E1", ActivityKind.MARCH: "E1",
                 ActivityKind.CULTURE: "E2", ActivityKind.ETHICS: "E2"}


class Activity(models.Model):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="occasion_activities",
                             verbose_name="واحد")
    kind = models.CharField("نوع", max_length=10, choices=ActivityKind.choices)
    occasion = models.ForeignKey(Occasion, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="activities", verbose_name="مناسبت")
    title = models.CharField("عنوان", max_length=200)
    date = models.DateField("تاریخ", db_index=True)
    participants = models.PositiveIntegerField("شمار شرکت‌کنندگان", default=0)
    description = models.TextField("شرح", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="ثبت‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "مشارکت و برنامه فرهنگی"
        verbose_name_plural = "مشارکت‌ها و برنامه‌های فرهنگی"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title


class ContentState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    SENT = "sent", "فرستاده به اداره کل"
    ACKNOWLEDGED = "acknowledged", "دیده‌شده در اداره کل"


CONTENT_TRANSITIONS: dict[str, frozenset[str]] = {
    ContentState.DRAFT: frozenset({ContentState.SENT}),
    ContentState.SENT: frozenset({ContentState.ACKNOWLEDGED}),
    ContentState.ACKNOWLEDGED: frozenset(),
}


def check_content_transition(current: str, target: str) -> None:
    _check(CONTENT_TRANSITIONS, ContentState, current, target)


class OccasionContent(models.Model):
    """Content a unit prepares for an occasion (E3) and sends to HQ."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="occasion_contents",
                             verbose_name="واحد")
    occasion = models.ForeignKey(Occasion, on_delete=models.PROTECT, related_name="contents",
                                 verbose_name="مناسبت")
    title = models.CharField("عنوان", max_length=200)
    text = models.TextField("متن")
    file = models.FileField("پیوست", upload_to="events/content/%Y/%m/", storage=private_storage, blank=True)
    file_type = models.CharField(max_length=50, blank=True)
    state = models.CharField("وضعیت", max_length=14, choices=ContentState.choices, default=ContentState.DRAFT,
                             db_index=True)
    sent_at = models.DateTimeField("زمان ارسال", null=True, blank=True)
    acknowledged_at = models.DateTimeField("زمان دیدن", null=True, blank=True)
    hq_comment = models.TextField("نظر اداره کل", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="تهیه‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "محتوای مناسبتی"
        verbose_name_plural = "محتوای مناسبتی"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
