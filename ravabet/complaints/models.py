"""Cases from citizens (complaints, requests, criticisms, suggestions, reports, thanks), their declared
workflow and every answer given to them."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from ravabet.lib.digits import to_latin_digits, to_persian_digits
from ravabet.lib.storage import PrivateStorage
from ravabet.lib.validators import validate_mobile, validate_national_code
from ravabet.lib.workdays import working_days_between
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role
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


# Stored file names are ours (a random name and the checked type's extension), never the uploader's.
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}


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
    REOPENED = "reopened", "بازگشایی با اعتراض"
    ANSWERED = "answered", "پاسخ‌داده‌شده"
    CLOSED = "closed", "بسته‌شده"
    CLOSED_UNANSWERED = "closed_unanswered", "بسته‌شده بدون پاسخ"


OPEN_STATES = (State.RECEIVED, State.REFERRED, State.REOPENED)
# States with an answer that stands (the citizen may rate it); a reopened case has none until answered again.
ANSWERED_STATES = (State.ANSWERED, State.CLOSED)
CLOSED_STATES = (State.CLOSED, State.CLOSED_UNANSWERED)


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


# --- Who is told ---------------------------------------------------------------------------------------


class case_handlers:  # noqa: N801 — read as a phrase in declarations: Notice(case_handlers(), ...)
    """The unit's manager and PR officer, and the person the case is referred to (once each)."""

    def __call__(self, case, by) -> list:
        users = {user.pk: user for user in unit_role(*UNIT_ROLES)(case, by)}
        users.update({user.pk: user for user in field_user("referred_to.user")(case, by)})
        return list(users.values())

    def __str__(self) -> str:
        return f"{unit_role(*UNIT_ROLES)}، referred_to.user"


class hq_if_forwarded:  # noqa: N801
    """HQ's PR people above the unit, for a case HQ forwarded (D4: the unit's answer comes back to HQ)."""

    def __call__(self, case, by):
        return hq_role(*HQ_ROLES)(case, by) if case.forwarded_by_hq else []

    def __str__(self) -> str:
        return f"{hq_role(*HQ_ROLES)} — ارجاع‌های اداره کل"


CLOSE_REFUSAL = ("پرونده بی‌پاسخ بسته نمی‌شود: یا پاسخ بدهید، یا با «بستن بدون پاسخ» علت را بنویسید "
                 "تا برای شهروند و اداره کل ثبت شود.")


class Case(WorkflowModel):
    """A citizen's complaint, request, criticism, suggestion, report or thanks (D2), a press complaint
    (D1) or one HQ forwards with its own deadline (D4), and its one declared workflow:

    received/referred/reopened --refer--> referred --answer--> answered --close--> closed;
    an open case closes without an answer only with a written reason (closed_unanswered); the
    citizen's objection reopens an answered or closed case. Every answer is a version row (Answer);
    the fields `answered_*` describe the answer that stands now (none while reopened).
    """

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
    state = StateField("وضعیت", max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True)
    referred_to = models.ForeignKey("offices.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="referred_cases", verbose_name="ارجاع به")
    referral_note = models.CharField("توضیح ارجاع", max_length=300, blank=True)
    deadline = models.DateField("مهلت پاسخ", db_index=True)
    # The answer that stands now (its text and attachment are the case's last Answer row).
    answered_at = models.DateTimeField("زمان پاسخ", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="پاسخ‌دهنده")
    # Working days from receipt to answer, stored at answer time so figures can average it in SQL.
    answer_working_days = models.PositiveIntegerField(null=True, blank=True, editable=False)
    answered_in_time = models.BooleanField(null=True, editable=False)
    closed_at = models.DateTimeField("زمان بستن", null=True, blank=True)
    close_reason = models.TextField("علت بستن بدون پاسخ", blank=True)
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

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", args=[self.pk])

    # --- The workflow (D2, D4; issue 9) -----------------------------------------------------------------

    @step(source=OPEN_STATES, target=State.REFERRED, roles=UNIT_ROLES, label="ارجاع", log="complaints.referred",
          summary="ارجاع به {obj.referred_to.full_name}", view="complaints:refer",
          needs=[Need("person", "ارجاع به", "کسی را برای ارجاع برگزینید.", widget="text",
                      help="شناسه کارمند در دفتر تلفن اداره، یا head برای رئیس اداره"),
                 Need("referral_note", "توضیح ارجاع", widget="text")],
          notify=[Notice(field_user("referred_to.user"), "پرونده ارجاعی: {obj.subject:.80}",
                         body="{obj.referral_note}")],
          done="پرونده ارجاع شد.")
    def refer(self, by, person=None):
        """Refer to a person of the unit's staff directory: a Person, its id, or "head" (the office head)."""
        from ravabet.offices.models import Person

        from .services import head_of

        if person == "head":
            person = head_of(self.unit)
        elif not isinstance(person, Person):
            value = to_latin_digits(str(person or "")).strip()
            person = Person.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if person is None or person.unit_id != self.unit_id or not person.is_active:
            raise ValidationError({"person": "فقط به کارکنان همین اداره می‌توان ارجاع داد."})
        self.referred_to = person

    @step(source=OPEN_STATES, target=State.ANSWERED, roles=UNIT_ROLES, label="پاسخ به شهروند",
          log="complaints.answered", summary="پاسخ به شهروند (نسخه {obj.answer_version})", view="complaints:answer",
          style="success", needs=[Need("answer", "پاسخ به شهروند", "متن پاسخ را بنویسید.")],
          notify=[Notice(hq_if_forwarded(), "پاسخ {obj.unit.name} به ارجاع اداره کل: {obj.subject:.80}")],
          done="پاسخ ثبت شد و با پیامک برای شهروند فرستاده می‌شود.")
    def answer(self, by, answer="", attachment=None):
        """Keep the answer as a new version (an earlier one is never overwritten), stamp the time and
        whether it came within the deadline, and queue the SMS to the citizen through the outbox."""
        self._record_answer(by, answer, attachment)

    @step(source=(State.REFERRED, State.REOPENED), target=State.ANSWERED, roles={Role.STAFF},
          label="پاسخ به شهروند", log="complaints.answered",
          summary="پاسخ به شهروند از سوی ارجاع‌گیرنده (نسخه {obj.answer_version})", view="complaints:answer",
          style="success", aside=True, actor=field_user("referred_to.user"),
          needs=[Need("answer", "پاسخ به شهروند", "متن پاسخ را بنویسید.")],
          guards=[Guard("referred_to_someone", "این پرونده به کارمندی ارجاع نشده است.",
                        lambda case: bool(case.referred_to_id and case.referred_to.user_id),
                        q=Q(referred_to__user__isnull=False))],
          notify=[Notice(hq_if_forwarded(), "پاسخ {obj.unit.name} به ارجاع اداره کل: {obj.subject:.80}")],
          done="پاسخ ثبت شد و با پیامک برای شهروند فرستاده می‌شود.")
    def answer_as_referee(self, by, answer="", attachment=None):
        """The employee the case is referred to answers it (a plain staff member holds no unit role)."""
        self._record_answer(by, answer, attachment)

    @step(source=State.ANSWERED, target=State.CLOSED, roles=UNIT_ROLES, label="بستن پرونده", log="complaints.closed",
          aside=True, style="outline-dark", guards=[Guard("answered", CLOSE_REFUSAL, lambda case: case.answered_at is not None,
                                                           q=Q(answered_at__isnull=False))],
          done="پرونده بسته شد.")
    def close(self, by):
        self.closed_at = timezone.now()

    @step(source=OPEN_STATES, target=State.CLOSED_UNANSWERED, roles=UNIT_ROLES, label="بستن بدون پاسخ",
          log="complaints.closed_unanswered", summary="بستن بدون پاسخ؛ علت: {obj.close_reason:.300}", aside=True,
          style="danger", confirm="پرونده بی‌پاسخ بسته شود؟ علت آن به شهروند و اداره کل نشان داده می‌شود.",
          needs=[Need("close_reason", "علت بستن بدون پاسخ", "علت بستن پرونده بدون پاسخ را بنویسید؛ "
                      "شهروند آن را در صفحه پیگیری می‌بیند.")],
          done="پرونده بدون پاسخ بسته شد و علت آن برای شهروند ثبت شد.")
    def close_unanswered(self, by):
        """Close with a written reason instead of an answer; the citizen is told by SMS, the tracking page
        says so, and the case stays on HQ's overdue list if its deadline had passed."""
        from ravabet.outbox.services import queue_sms

        from .tracking import in_sms, tracking_url

        self.closed_at = timezone.now()
        if self.citizen_mobile:
            queue_sms(to=self.citizen_mobile, key=f"complaints.{self.pk}.closed_unanswered.{self.closed_at.timestamp()}",
                      unit=self.unit, source="complaints",
                      body=f"پرونده {in_sms(self.tracking_code)} در {self.unit.name} بدون پاسخ بسته شد.\n"
                           f"علت: {self.close_reason[:200]}\nاعتراض: {tracking_url(self)}")

    @step(source=(*ANSWERED_STATES, State.CLOSED_UNANSWERED), target=State.REOPENED, roles=(), system=True,
          label="اعتراض شهروند", log="complaints.objected", summary="اعتراض شهروند و بازگشایی پرونده: {objection:.300}",
          needs=[Need("objection", "اعتراض", "بنویسید از چه راضی نیستید.")],
          notify=[Notice(case_handlers(), "اعتراض شهروند: {obj.subject:.80}", body="{obj.objection:.300}")])
    def reopen(self, by):
        """The citizen objects (from the tracking page, no account): the case reopens with a fresh
        deadline; earlier answers stay as they were, with their ratings; none stands until the next."""
        from .services import deadline_for

        self.objected_at = timezone.now()
        self.deadline = deadline_for(self.kind)
        self.escalated_at = self.closed_at = None
        self.answered_at = self.answered_by = self.answer_working_days = self.answered_in_time = None

    def _record_answer(self, by, text: str, attachment) -> None:
        from ravabet.outbox.services import queue_sms

        from .tracking import in_sms, tracking_url

        now = timezone.now()
        today = timezone.localdate(now)
        self.answered_at, self.answered_by = now, by
        self.answer_working_days = max(working_days_between(timezone.localdate(self.created_at), today), 0)
        self.answered_in_time = today <= self.deadline
        version = Answer(case=self, version=self.answers.count() + 1, text=text.strip(), answered_at=now,
                         answered_by=by, working_days=self.answer_working_days, in_time=self.answered_in_time)
        if attachment:
            kind = getattr(attachment, "checked_type", "") or attachment.content_type
            version.attachment_name, version.attachment_type = attachment.name[:200], kind
            version.attachment.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", attachment, save=False)
        version.save()
        self.answer_version = to_persian_digits(version.version)
        if self.citizen_mobile:
            queue_sms(to=self.citizen_mobile, key=f"complaints.{self.pk}.answered.{version.version}", unit=self.unit,
                      source="complaints",
                      body=f"پاسخ {self.unit.name} به پرونده {in_sms(self.tracking_code)}:\n"
                           f"{version.text[:250]}\nپاسخ کامل، ثبت رضایت یا اعتراض: {tracking_url(self)}")

    # --- Reading ---------------------------------------------------------------------------------------

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
    def versions(self) -> list["Answer"]:
        """Every answer given, first to last."""
        return list(self.answers.select_related("answered_by").order_by("version"))

    @property
    def current_answer(self) -> "Answer | None":
        """The answer that stands now (the citizen may rate it), or None (not answered, reopened, or
        closed without an answer)."""
        return self.versions[-1] if self.state in ANSWERED_STATES and self.versions else None

    @cached_property
    def masked(self) -> dict[str, str]:
        from .privacy import mask

        return mask(self)


class Answer(models.Model):
    """One answer to a case; an objection and the next answer add a version, never overwrite one.
    The citizen's satisfaction belongs to the answer they rated."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers", verbose_name="پرونده")
    version = models.PositiveSmallIntegerField("نسخه")
    text = models.TextField("متن پاسخ")
    attachment = models.FileField("پیوست پاسخ", upload_to="complaints/answers/%Y/%m/", storage=private_storage,
                                  blank=True)
    attachment_name = models.CharField("نام پیوست", max_length=200, blank=True)
    attachment_type = models.CharField(max_length=50, blank=True)
    answered_at = models.DateTimeField("زمان پاسخ")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="پاسخ‌دهنده")
    working_days = models.PositiveIntegerField(null=True, blank=True)
    in_time = models.BooleanField(null=True)
    rating = models.PositiveSmallIntegerField("رضایت", null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "پاسخ"
        verbose_name_plural = "پاسخ‌ها"
        ordering = ["case", "version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="complaints_answer_version")]

    def __str__(self) -> str:
        return f"{self.case.display_code} — پاسخ {self.version}"

    @property
    def attachment_is_image(self) -> bool:
        return self.attachment_type.startswith("image/")


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
