"""Ceremonies, conferences and exhibitions with their run-sheet (F2), guests, invitations and check-in at
the door (F5), and the protocol supplies a unit lends to them (F4)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from ravabet.lib.digits import to_latin_digits
from ravabet.lib.validators import validate_mobile
from ravabet.offices.roles import WORK_ROLES
from ravabet.workflow.declare import Guard, Need, StateField, WorkflowModel, step


def new_token() -> str:
    # 128 bits: the invitation link is the guest's only key, so it must not be guessable.
    return secrets.token_urlsafe(16)


# F2, F5: events, run-sheet, guests --------------------------------------------------------------------------


class EventKind(models.TextChoices):
    CEREMONY = "ceremony", "مراسم"
    CONFERENCE = "conference", "همایش"
    EXHIBITION = "exhibition", "نمایشگاه"


class EventState(models.TextChoices):
    PLANNED = "planned", "در حال برنامه‌ریزی"
    HELD = "held", "برگزارشده"
    CANCELLED = "cancelled", "لغوشده"


# F2: an event is marked held only once it has started (issue 9: one was marked held months early).
STARTED = Guard("started", "«{obj.title:.60}» هنوز شروع نشده است؛ پس از زمان برگزاری آن را «برگزارشده» کنید.",
                lambda event: event.starts_at <= timezone.now(), q=Q(starts_at__lte=Now()))


class Event(WorkflowModel):
    """A ceremony, conference or exhibition of a unit (F2, F5).

    planned → held (once it has started; the attendance is counted from check-ins unless given)
    planned → cancelled → planned again. HQ people may run a county's event too.
    """

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="events", verbose_name="واحد")
    kind = models.CharField("نوع", max_length=12, choices=EventKind.choices, default=EventKind.CEREMONY)
    title = models.CharField("عنوان", max_length=200)
    venue = models.CharField("محل برگزاری", max_length=200)
    starts_at = models.DateTimeField("زمان برگزاری", db_index=True)
    description = models.TextField("شرح", blank=True)
    occasion = models.ForeignKey("occasions.Occasion", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="events", verbose_name="مناسبت")
    state = StateField("وضعیت", max_length=12, choices=EventState.choices, default=EventState.PLANNED,
                       db_index=True)
    attendance = models.PositiveIntegerField("شمار حاضران (برآورد)", null=True, blank=True)
    # One record of the ceremony (issue 15 §5): its coordination meeting (F1, kept by planning), its photos
    # (the photo library with the F3 rules) and the news item it resulted in.
    meeting = models.ForeignKey("planning.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="ceremonies", verbose_name="جلسه هماهنگی (F1)")
    photos = models.ManyToManyField("photos.Photo", blank=True, related_name="ceremonies",
                                    verbose_name="عکس‌های مراسم")
    news = models.ForeignKey("news.News", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="خبر مراسم")
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

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @step(source=EventState.PLANNED, target=EventState.HELD, roles=WORK_ROLES, label="برگزار شد",
          log="events.event_held", summary="مراسم «برگزارشده» شد", guards=[STARTED], style="success",
          needs=[Need("headcount", "شمار حاضران", widget="text",
                      help="خالی بگذارید تا از ورودهای ثبت‌شده (با همراهان) شمرده شود.")],
          done="مراسم «برگزارشده» شد.")
    def hold(self, by, headcount=None):
        """Record the attendance: the number given, or everyone checked in with their companions."""
        self.attendance = parse_headcount(headcount)
        if self.attendance is None:
            self.attendance = sum(1 + g.companions for g in self.guests.filter(checked_in_at__isnull=False))

    @step(source=EventState.PLANNED, target=EventState.CANCELLED, roles=WORK_ROLES, label="لغو مراسم",
          log="events.event_cancelled", summary="مراسم لغو شد", aside=True, style="outline-danger",
          confirm="این مراسم لغو شود؟ ورود مهمانان دیگر ثبت نمی‌شود.", done="مراسم لغو شد.")
    def cancel(self, by):
        """Every guest already invited (SMS or printed card) who has a mobile is told by SMS (F5)."""
        from ravabet.outbox.services import queue_sms

        for guest in self.guests.filter(invited_at__isnull=False).exclude(mobile=""):
            queue_sms(to=guest.mobile, unit=self.unit, source="events.cancelled",
                      key=f"events.cancelled.{self.pk}.{guest.pk}.{timezone.now():%Y%m%d%H%M}",
                      body=f"{guest.name} گرامی، «{self.title}» برگزار نمی‌شود. از پوزش ما بپذیرید.")

    @step(source=EventState.CANCELLED, target=EventState.PLANNED, roles=WORK_ROLES, label="برگرداندن به برنامه",
          log="events.event_planned", summary="مراسم دوباره در برنامه آمد", aside=True, style="outline-primary",
          done="مراسم به برنامه برگشت.")
    def replan(self, by):
        pass


def parse_headcount(value) -> int | None:
    """A typed attendance (Persian or Latin digits) as a number; None when empty. Raises ValidationError
    with a Persian message on the field for anything else."""
    text = to_latin_digits(str(value if value is not None else "")).strip()
    if not text:
        return None
    if not text.isdecimal() or int(text) > 1_000_000:  # isdigit() passes «²», which int() refuses
        raise ValidationError({"headcount": "شمار حاضران را با عدد (صفر یا بیشتر) بنویسید."})
    return int(text)


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


class OutsidePerson(models.Model):
    """Someone outside the office a unit calls on for its ceremonies — a Quran reciter, a guest speaker, an
    art group's head (F2, issue 15 §5): the unit's directory the run-sheet picks from; a name typed on the
    run-sheet is added to it."""

    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="outside_people",
                             verbose_name="واحد")
    full_name = models.CharField("نام و نام خانوادگی", max_length=150)
    role = models.CharField("نقش یا سمت", max_length=150, blank=True, help_text="مانند قاری قرآن یا سخنران.")
    mobile = models.CharField("شماره همراه", max_length=11, blank=True, validators=[validate_mobile])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "شخص بیرون از اداره"
        verbose_name_plural = "فهرست اشخاص بیرون از اداره"
        ordering = ["full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "full_name"], name="events_one_outside_name_per_unit")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.role})" if self.role else self.full_name


class RunSheetItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="items", verbose_name="مراسم")
    kind = models.CharField("بخش", max_length=12, choices=RunSheetKind.choices)
    person = models.ForeignKey("offices.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="مسئول")
    # A county given this part of an HQ ceremony (F2: the county helps HQ run it).
    helper_unit = models.ForeignKey("offices.Unit", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="شهرستان همکار")
    # Someone outside the office from the unit's directory (issue 15 §5); `outside_person` keeps the name
    # as typed (rows from before the directory, and a new name the run-sheet added to it).
    outside = models.ForeignKey(OutsidePerson, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="rows", verbose_name="شخص بیرونی از فهرست")
    outside_person = models.CharField("شخص بیرون از اداره", max_length=150, blank=True,
                                      help_text="مانند قاری یا سخنران مهمان؛ وقتی مسئول از کارکنان اداره نیست.")
    state = models.CharField("وضعیت", max_length=12, choices=RunSheetState.choices, default=RunSheetState.PENDING)
    note = models.CharField("توضیح", max_length=200, blank=True)
    # The timed programme (F2): the order of the part, when it starts and how long it takes.
    order = models.PositiveSmallIntegerField("ردیف", default=0)
    start_time = models.TimeField("ساعت شروع", null=True, blank=True)
    duration = models.PositiveSmallIntegerField("مدت (دقیقه)", null=True, blank=True)

    class Meta:
        verbose_name = "بند برنامه اجرایی"
        verbose_name_plural = "برنامه اجرایی"
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="events_one_row_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def responsible(self) -> str:
        """Who does this part: the staff member, the outside person typed in, and the county HQ gave it to."""
        who = self.person.full_name if self.person else (self.outside.full_name if self.outside_id
                                                         else self.outside_person)
        if self.helper_unit_id:
            return f"{who} ({self.helper_unit.name})" if who else self.helper_unit.name
        return who


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
    invited_via = models.CharField("راه دعوت", max_length=4, blank=True,
                                   choices=[("sms", "پیامک"), ("card", "کارت چاپی")])
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
