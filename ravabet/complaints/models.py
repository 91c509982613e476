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

from ravabet.lib.digits import parse_int, to_persian_digits
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

from .sms import sms_answered, sms_closed_unanswered, sms_merged, sms_referred, sms_transferred


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
    PENDING_REVIEW = "pending_review", "پاسخ کارمند در انتظار بازبینی"
    ANSWERED = "answered", "پاسخ‌داده‌شده"
    CLOSED = "closed", "بسته‌شده"
    CLOSED_UNANSWERED = "closed_unanswered", "بسته‌شده بدون پاسخ"
    MERGED = "merged", "ادغام‌شده در پرونده مشابه"


OPEN_STATES = (State.RECEIVED, State.REFERRED, State.REOPENED, State.PENDING_REVIEW)


class Followup(models.TextChoices):
    """HQ's follow-up of a case, a second declared state beside the case's own (D2, D4)."""

    NONE = "none", "—"
    ESCALATED = "escalated", "پیگیری شهروند از اداره کل"
    REMINDED = "reminded", "یادآوری اداره کل"
    EXTENDED = "extended", "تمدید مهلت"
    TAKEN_OVER = "taken_over", "رسیدگی اداره کل"


FOLLOWUP_ACTIVE = (Followup.NONE, Followup.ESCALATED, Followup.REMINDED, Followup.EXTENDED)


class Resolution(models.TextChoices):
    RESOLVED = "resolved", "مشکل حل شد"
    PARTLY = "partly", "تا اندازه‌ای حل شد"
    NOT = "not", "حل نشد"
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


class ComplaintSettings(models.Model):
    """HQ's settings of the complaints part (one row)."""

    transfer_restarts_deadline = models.BooleanField(
        "با انتقال پرونده به اداره دیگر، مهلت پاسخ از نو شمرده شود", default=True)

    class Meta:
        verbose_name = "تنظیمات پرونده‌های مردمی"
        verbose_name_plural = "تنظیمات پرونده‌های مردمی"

    def __str__(self) -> str:
        return "تنظیمات پرونده‌های مردمی"

    @classmethod
    def current(cls) -> "ComplaintSettings":
        """The one row (created with the defaults on first use)."""
        return cls.objects.get_or_create(pk=1)[0]


class UnitCaseSettings(models.Model):
    """A unit's own settings of its cases (issue 14 §9); a unit without a row has the defaults."""

    unit = models.OneToOneField("offices.Unit", on_delete=models.CASCADE, related_name="complaint_settings",
                                verbose_name="واحد")
    review_staff_answers = models.BooleanField(
        "پاسخ کارکنان پیش از رسیدن به شهروند به بازبینی مسئول روابط عمومی برسد", default=False)

    class Meta:
        verbose_name = "تنظیمات پرونده‌های اداره"
        verbose_name_plural = "تنظیمات پرونده‌های اداره‌ها"

    def __str__(self) -> str:
        return f"تنظیمات پرونده‌های {self.unit}"

    @classmethod
    def reviews(cls, unit_id: int) -> bool:
        """True when the unit wants its PR officer to review an employee's answer before the citizen gets it."""
        return cls.objects.filter(unit_id=unit_id, review_staff_answers=True).exists()


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


def _hq_may_follow(case) -> bool:
    return case.state in OPEN_STATES and (case.forwarded_by_hq or case.followup == Followup.ESCALATED
                                          or case.deadline < _today())


def _today():
    from ravabet.lib import jalali

    return jalali.today()


def _q_hq_may_follow() -> Q:
    return Q(state__in=OPEN_STATES) & (Q(forwarded_by_hq=True) | Q(followup=Followup.ESCALATED)
                                       | Q(deadline__lt=_today()))


TAKEN_OVER = Guard("taken_over", "اداره کل فقط به پرونده‌ای پاسخ می‌دهد که رسیدگی‌اش را به دست گرفته است.",
                   lambda case: case.followup == Followup.TAKEN_OVER, q=Q(followup=Followup.TAKEN_OVER))
NOT_TAKEN_OVER = Guard("not_taken_over", "رسیدگی به این پرونده با اداره کل است.",
                       lambda case: case.followup != Followup.TAKEN_OVER, q=~Q(followup=Followup.TAKEN_OVER))
HQ_FOLLOW = Guard("hq_may_follow", "اداره کل فقط پرونده‌های باز گذشته از مهلت، پیگیری‌شده از سوی شهروند یا "
                  "ارجاع‌شده از اداره کل را پیگیری می‌کند.", _hq_may_follow, q=_q_hq_may_follow)
pr_officer = unit_role(Role.PR_OFFICER)
REVIEWED = Q(unit__complaint_settings__review_staff_answers=True)
NO_REVIEW = Guard("no_review", "در این اداره پاسخ کارکنان نخست به بازبینی مسئول روابط عمومی می‌رسد؛ "
                  "«فرستادن پاسخ برای بازبینی» را بزنید.", lambda case: not UnitCaseSettings.reviews(case.unit_id),
                  q=~REVIEWED)
REVIEW = Guard("review", "در این اداره پاسخ کارمند بی‌واسطه به شهروند می‌رسد.",
               lambda case: UnitCaseSettings.reviews(case.unit_id), q=REVIEWED)
REFERRED_TO_SOMEONE = Guard("referred_to_someone", "این پرونده به کارمندی ارجاع نشده است.",
                            lambda case: bool(case.referred_to_id and case.referred_to.user_id),
                            q=Q(referred_to__user__isnull=False))


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
    # A deadline counted in working days keeps what it was counted from, so a closure HQ adds or removes
    # later moves it (issue 14); a date HQ set by hand (a forward, an extension) has neither.
    deadline_start = models.DateField("آغاز شمارش مهلت", null=True, blank=True, editable=False)
    deadline_days = models.PositiveSmallIntegerField("مهلت (روز کاری)", null=True, blank=True, editable=False)
    # The answer that stands now (its text and attachment are the case's last Answer row).
    answered_at = models.DateTimeField("زمان پاسخ", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="پاسخ‌دهنده")
    # Working days from receipt to answer, stored at answer time so figures can average it in SQL.
    answer_working_days = models.PositiveIntegerField(null=True, blank=True, editable=False)
    answered_in_time = models.BooleanField(null=True, editable=False)
    # An employee's answer waiting for the PR officer's review (issue 14 §9); cleared when an answer is sent.
    draft_answer = models.TextField("پاسخ پیشنهادی کارمند", blank=True)
    draft_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="نویسنده پاسخ پیشنهادی")
    closed_at = models.DateTimeField("زمان بستن", null=True, blank=True)
    close_reason = models.TextField("علت بستن بدون پاسخ", blank=True)
    # Closed without an answer after its deadline (Iran's local date of closing > deadline), stamped by the
    # workflow so figures and HQ's late list compare a column instead of casting closed_at per row (issue 11).
    closed_late = models.BooleanField("بسته‌شده پس از مهلت", null=True, editable=False)
    objection = models.TextField("اعتراض", blank=True)
    objected_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField("ارجاع به اداره کل برای پیگیری", null=True, blank=True)
    followup = StateField("پیگیری اداره کل", max_length=20, choices=Followup.choices, default=Followup.NONE,
                          db_index=True)
    transferred = models.BooleanField("انتقال‌یافته", default=False)
    # A duplicate merged into an earlier case of the same unit (issue 14 §10): its citizen is told of
    # every answer, closing and transfer of that case, and its tracking page shows where that case stands.
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="merged_cases", verbose_name="ادغام‌شده در")
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
                   models.Index(fields=["unit", "-created_at"]),
                   # HQ's evaluation counts the press cases HQ forwarded by when they were answered (issue 11:
                   # without it every case of every unit was read to find the few forwarded ones).
                   models.Index(fields=["forwarded_by_hq", "answered_at"], name="complaints_fwd_answered"),
                   # D2 of HQ's evaluation (issue 10 speed): every unit's cases due in six months, counted and
                   # counted answered in time by unit and month from this index alone (covering: 148 -> 40 ms CPU
                   # on SQLite at bench scale; the table rows were read one by one).
                   models.Index(fields=["deadline", "unit", "channel", "state", "answered_at", "answered_in_time"],
                                name="complaints_due_cover"),
                   # HQ home's review counts (complaints.features.complaints_review, issue 11 §6): open, late
                   # and HQ-forwarded answered cases of every unit from this index alone (SQLite, bench scale:
                   # 80-130 ms reading the table rows -> 3 ms).
                   models.Index(fields=["state", "forwarded_by_hq", "unit", "deadline", "closed_late"],
                                name="complaints_state_cover")]

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
            pk = parse_int(person)  # any digits; «²» or 30 digits are no one, never a 500
            person = Person.objects.filter(pk=pk).first() if pk is not None else None
        if person is None or person.unit_id != self.unit_id or not person.is_active:
            raise ValidationError({"person": "فقط به کارکنان همین اداره می‌توان ارجاع داد."})
        self.referred_to = person
        if person.user_id is None and person.mobile:
            # Without an account the in-app notice reaches nobody: an SMS through the outbox does (issue 14).
            from ravabet.outbox.services import queue_sms

            queue_sms(to=person.mobile, key=f"complaints.{self.pk}.referred.{person.pk}.{timezone.now().timestamp()}",
                      unit=self.unit, source="complaints", body=sms_referred(self))

    @step(source=OPEN_STATES, target=State.ANSWERED, roles=UNIT_ROLES, label="پاسخ به شهروند",
          log="complaints.answered", summary="پاسخ به شهروند (نسخه {obj.answer_version})", view="complaints:answer",
          style="success", needs=[Need("answer", "پاسخ به شهروند", "متن پاسخ را بنویسید.")], guards=[NOT_TAKEN_OVER],
          notify=[Notice(hq_if_forwarded(), "پاسخ {obj.unit.name} به ارجاع اداره کل: {obj.subject:.80}")],
          done="پاسخ ثبت شد و با پیامک برای شهروند فرستاده می‌شود.")
    def answer(self, by, answer="", attachment=None):
        """Keep the answer as a new version (an earlier one is never overwritten), stamp the time and
        whether it came within the deadline, and queue the SMS to the citizen through the outbox."""
        self._record_answer(by, answer, attachment)

    @step(source=(State.REFERRED, State.REOPENED), target=State.ANSWERED, roles={Role.STAFF},
          label="پاسخ به شهروند", log="complaints.answered",
          summary="پاسخ به شهروند از سوی ارجاع‌گیرنده (نسخه {obj.answer_version})", view="complaints:answer",
          style="success", actor=field_user("referred_to.user"),
          needs=[Need("answer", "پاسخ به شهروند", "متن پاسخ را بنویسید.")],
          guards=[REFERRED_TO_SOMEONE, NOT_TAKEN_OVER, NO_REVIEW],
          notify=[Notice(hq_if_forwarded(), "پاسخ {obj.unit.name} به ارجاع اداره کل: {obj.subject:.80}")],
          done="پاسخ ثبت شد و با پیامک برای شهروند فرستاده می‌شود.")
    def answer_as_referee(self, by, answer="", attachment=None):
        """The employee the case is referred to answers it (a plain staff member holds no unit role)."""
        self._record_answer(by, answer, attachment)

    @step(source=(State.REFERRED, State.REOPENED), target=State.PENDING_REVIEW, roles={Role.STAFF},
          label="فرستادن پاسخ برای بازبینی", log="complaints.draft_submitted",
          summary="پاسخ کارمند برای بازبینی مسئول روابط عمومی فرستاده شد", view="complaints:answer",
          style="success", actor=field_user("referred_to.user"),
          needs=[Need("answer", "پاسخ پیشنهادی به شهروند", "متن پاسخ را بنویسید.")],
          guards=[REFERRED_TO_SOMEONE, NOT_TAKEN_OVER, REVIEW],
          notify=[Notice(pr_officer, "پاسخ کارمند برای بازبینی: {obj.subject:.80}", body="{answer:.300}")],
          done="پاسخ برای بازبینی مسئول روابط عمومی فرستاده شد؛ پس از تأیید او به شهروند می‌رسد.")
    def submit_draft(self, by, answer="", attachment=None):
        """Where the unit requires it (UnitCaseSettings, issue 14 §9), the employee's answer waits as a
        draft for the PR officer, who sends it (the answer step, prefilled) or returns it; nothing reaches
        the citizen meanwhile. An attachment is attached by the PR officer when sending."""
        self.draft_answer, self.draft_by = answer.strip(), by

    @step(source=State.PENDING_REVIEW, target=State.REFERRED, roles={Role.PR_OFFICER}, label="بازگرداندن پاسخ به کارمند",
          log="complaints.draft_returned", summary="پاسخ کارمند بازگردانده شد: {review_note:.300}", aside=True,
          style="outline-danger", needs=[Need("review_note", "چه چیزی باید در پاسخ درست شود",
                                              "بنویسید پاسخ چه کم دارد یا چه باید تغییر کند.")],
          notify=[Notice(field_user("referred_to.user"), "پاسخ شما بازبینی و بازگردانده شد: {obj.subject:.60}",
                         body="{review_note:.300}")],
          done="پاسخ با یادداشت شما به کارمند بازگشت.")
    def return_draft(self, by, review_note=""):
        """The PR officer sends an employee's draft back with what to change; the draft stays for them."""

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
        self.closed_at = timezone.now()
        self.closed_late = timezone.localdate(self.closed_at) > self.deadline
        self._tell_citizens(f"closed_unanswered.{self.closed_at.timestamp()}", sms_closed_unanswered)

    @step(source=(*ANSWERED_STATES, State.CLOSED_UNANSWERED), target=State.REOPENED, roles=(), system=True,
          label="اعتراض شهروند", log="complaints.objected", summary="اعتراض شهروند و بازگشایی پرونده: {objection:.300}",
          needs=[Need("objection", "اعتراض", "بنویسید از چه راضی نیستید.")],
          notify=[Notice(case_handlers(), "اعتراض شهروند: {obj.subject:.80}", body="{obj.objection:.300}")])
    def reopen(self, by):
        """The citizen objects (from the tracking page, no account): the case reopens with a fresh
        deadline; earlier answers stay as they were, with their ratings; none stands until the next."""

        self.objected_at = timezone.now()
        self._reopen_fields()

    def count_deadline(self, start=None) -> None:
        """Set the deadline to HQ's working days for the case's kind after `start` (a Gregorian date;
        default today in Iran), keeping the start and the days so closures move it later (D2)."""
        from ravabet.lib import jalali
        from ravabet.lib.workdays import add_working_days

        self.deadline_start = start or jalali.today()
        self.deadline_days = KindDeadline.table()[str(self.kind)]
        self.deadline = add_working_days(self.deadline_start, self.deadline_days)

    def set_deadline(self, day) -> None:
        """A deadline HQ gives as a date (a forward, an extension): the calendar no longer moves it."""
        self.deadline, self.deadline_start, self.deadline_days = day, None, None

    def _reopen_fields(self) -> None:
        self.count_deadline()
        self.escalated_at = self.closed_at = self.closed_late = None
        self.answered_at = self.answered_by = self.answer_working_days = self.answered_in_time = None

    # --- Transfer, escalation and HQ's follow-up (issue 14) ----------------------------------------------

    @step(source=OPEN_STATES, target=State.RECEIVED, roles=(*UNIT_ROLES, *HQ_ROLES), label="انتقال به اداره دیگر",
          log="complaints.transferred", summary="انتقال به {obj.unit.name}؛ علت: {transfer_reason:.300}", aside=True,
          style="secondary", view="complaints:transfer",
          needs=[Need("to_unit", "اداره مقصد", "اداره‌ای را که پرونده باید به آن برود برگزینید.", widget="plain"),
                 Need("transfer_reason", "علت انتقال", "علت انتقال را بنویسید؛ اداره مقصد و اداره کل آن را می‌بینند.")],
          notify=[Notice(unit_role(*UNIT_ROLES), "پرونده منتقل‌شده از اداره دیگر: {obj.subject:.80}",
                         body="{transfer_reason:.300}"),
                  Notice(hq_role(*HQ_ROLES), "انتقال پرونده به {obj.unit.name}: {obj.subject:.80}",
                         body="{transfer_reason:.300}")],
          done="پرونده به اداره مقصد منتقل شد و به شهروند پیامک می‌شود.")
    def transfer(self, by, to_unit=None, transfer_reason=""):
        """Move an open case filed with the wrong county to `to_unit` (a Unit or its id, any digits): a
        Transfer row keeps where it came from and why; the referral is cleared; the deadline restarts
        when HQ's setting says so (an HQ-forwarded case keeps HQ's deadline); the citizen is told by SMS."""
        from ravabet.offices.models import Unit

        if not isinstance(to_unit, Unit):
            pk = parse_int(to_unit)
            to_unit = Unit.objects.filter(pk=pk).first() if pk is not None else None
        if to_unit is None or to_unit.is_hq or not to_unit.is_active:
            raise ValidationError({"to_unit": "پرونده فقط به اداره‌ای فعال (نه اداره کل) منتقل می‌شود."})
        if to_unit.pk == self.unit_id:
            raise ValidationError({"to_unit": "پرونده هم‌اکنون در همین اداره است؛ اداره دیگری برگزینید."})
        Transfer.objects.create(case=self, from_unit_id=self.unit_id, to_unit=to_unit, reason=transfer_reason.strip(),
                                by=by)
        self.unit, self.transferred = to_unit, True
        self.referred_to, self.referral_note = None, ""
        if not self.forwarded_by_hq and ComplaintSettings.current().transfer_restarts_deadline:
            self.count_deadline()
            self.escalated_at = None
        # Cases merged into this one follow it, so the new unit sees them and their SMS name the new unit.
        Case.objects.filter(duplicate_of=self).update(unit=to_unit)
        self._tell_citizens(f"transferred.{Transfer.objects.filter(case=self).count()}", sms_transferred)

    @step(source=(Followup.NONE, Followup.REMINDED, Followup.EXTENDED), target=Followup.ESCALATED, field="followup",
          roles=(), system=True, label="پیگیری از اداره کل", log="complaints.citizen_escalated",
          summary="شهروند پس از گذشت مهلت از اداره کل پیگیری خواست. {escalation_note:.300}",
          guards=[Guard("overdue", "مهلت پاسخ هنوز نگذشته است؛ تا پایان مهلت صبر کنید.",
                        lambda case: case.state in OPEN_STATES and case.deadline < _today(),
                        q=lambda: Q(state__in=OPEN_STATES, deadline__lt=_today()))],
          needs=[Need("escalation_note", "توضیح شما (اختیاری)")],
          notify=[Notice(hq_role(*HQ_ROLES), "پیگیری شهروند: {obj.subject:.80} ({obj.unit.name})",
                         body="{escalation_note:.300}"),
                  Notice(case_handlers(), "شهروند پرونده را از اداره کل پیگیری کرد: {obj.subject:.80}")])
    def escalate(self, by, escalation_note=""):
        """The citizen, from the tracking page (no account), asks HQ to follow up a case past its deadline."""
        self.escalated_at = self.escalated_at or timezone.now()

    @step(source=FOLLOWUP_ACTIVE, target=Followup.REMINDED, field="followup", roles=HQ_ROLES, label="یادآوری به اداره",
          log="complaints.reminded", summary="یادآوری اداره کل به {obj.unit.name}. {remind_note:.300}", aside=True,
          style="primary", guards=[HQ_FOLLOW], needs=[Need("remind_note", "یادداشت یادآوری", widget="text")],
          notify=[Notice(pr_officer, "یادآوری اداره کل: {obj.subject:.60}", body="{remind_note:.300}", urgent=True),
                  Notice(case_handlers(), "یادآوری اداره کل: {obj.subject:.60}", body="{remind_note:.300}")],
          done="به روابط عمومی اداره در سامانه و با پیامک یادآوری شد.")
    def remind(self, by, remind_note=""):
        """HQ reminds the unit (in-app to its handlers; SMS to the PR officer) of an overdue, escalated or
        forwarded case."""

    @step(source=FOLLOWUP_ACTIVE, target=Followup.EXTENDED, field="followup", roles=HQ_ROLES, label="تمدید مهلت",
          log="complaints.extended", summary="تمدید مهلت تا {obj.deadline_text}؛ علت: {extend_reason:.300}",
          aside=True, style="secondary", guards=[HQ_FOLLOW],
          needs=[Need("new_deadline", "مهلت تازه", "مهلت تازه را بنویسید.", widget="date"),
                 Need("extend_reason", "علت تمدید", "علت تمدید مهلت را بنویسید.")],
          notify=[Notice(case_handlers(), "مهلت پاسخ تمدید شد: {obj.subject:.60}", body="{extend_reason:.300}")],
          done="مهلت تمدید شد.")
    def extend(self, by, new_deadline=None, extend_reason=""):
        """HQ gives the unit a later deadline (a Jalali date, after today) with a reason."""
        from ravabet.lib import jalali

        if isinstance(new_deadline, str):
            try:
                new_deadline = jalali.parse_date(new_deadline.strip())
            except jalali.JalaliParseError as error:
                raise ValidationError({"new_deadline": str(error)}) from None
        if new_deadline is None or new_deadline <= _today():
            raise ValidationError({"new_deadline": "مهلت تازه باید پس از امروز باشد."})
        self.set_deadline(new_deadline)
        self.escalated_at = None
        if self.forwarded_by_hq:
            self.hq_deadline = new_deadline

    @step(source=FOLLOWUP_ACTIVE, target=Followup.TAKEN_OVER, field="followup", roles=HQ_ROLES,
          label="رسیدگی در اداره کل", log="complaints.taken_over",
          summary="اداره کل رسیدگی را به دست گرفت: {takeover_reason:.300}", aside=True, style="danger",
          guards=[HQ_FOLLOW], needs=[Need("takeover_reason", "علت", "بنویسید چرا اداره کل رسیدگی را به دست می‌گیرد.")],
          notify=[Notice(case_handlers(), "اداره کل رسیدگی به پرونده را به دست گرفت: {obj.subject:.60}",
                         body="{takeover_reason:.300}")],
          done="رسیدگی به پرونده با اداره کل است؛ پاسخ را از همین صفحه بدهید.")
    def take_over(self, by, takeover_reason=""):
        """HQ handles the case itself; from now on HQ answers it (answer_as_hq), the unit no longer does."""

    @step(source=OPEN_STATES, target=State.ANSWERED, roles=HQ_ROLES, label="پاسخ اداره کل", log="complaints.answered",
          summary="پاسخ اداره کل (نسخه {obj.answer_version})", view="complaints:answer", style="success",
          guards=[TAKEN_OVER], needs=[Need("answer", "پاسخ", "متن پاسخ را بنویسید.")],
          notify=[Notice(case_handlers(), "پاسخ اداره کل به پرونده: {obj.subject:.60}")],
          done="پاسخ ثبت شد.")
    def answer_as_hq(self, by, answer="", attachment=None):
        """HQ answers a case it has taken over."""
        self._record_answer(by, answer, attachment)

    @step(source=State.ANSWERED, target=State.REOPENED, roles=HQ_ROLES, label="بازگرداندن پاسخ ناکافی",
          log="complaints.returned", summary="اداره کل پاسخ را ناکافی دانست: {return_reason:.300}", aside=True,
          style="danger",
          guards=[Guard("hq_followed", "اداره کل فقط پاسخ پرونده‌های ارجاعی خود، پیگیری‌شده یا دیرکرد را بازمی‌گرداند.",
                        lambda case: case.forwarded_by_hq or case.followup != Followup.NONE
                        or case.answered_in_time is False,
                        q=Q(forwarded_by_hq=True) | ~Q(followup=Followup.NONE) | Q(answered_in_time=False))],
          needs=[Need("return_reason", "چرا پاسخ ناکافی است", "بنویسید پاسخ چه کم دارد.")],
          notify=[Notice(case_handlers(), "پاسخ ناکافی؛ بازگشت از اداره کل: {obj.subject:.50}",
                         body="{return_reason:.300}", urgent=True)],
          done="پاسخ ناکافی بازگردانده شد؛ اداره باید دوباره پاسخ دهد.")
    def return_insufficient(self, by, return_reason=""):
        """HQ returns the standing answer as insufficient: the case reopens with a fresh deadline (the
        answer stays as a version); the unit's handlers are told (the PR officer also by SMS)."""
        self._reopen_fields()

    # --- Duplicates (issue 14 §10) ------------------------------------------------------------------------

    @step(source=OPEN_STATES, target=State.MERGED, roles=UNIT_ROLES, label="ادغام در پرونده مشابه",
          log="complaints.merged", summary="ادغام در پرونده مشابه {obj.duplicate_of.code_in_text}: {merge_note:.300}",
          aside=True, style="outline-secondary", guards=[NOT_TAKEN_OVER],
          needs=[Need("main_case", "کد رهگیری پرونده اصلی", "کد رهگیری پرونده‌ای را که این پرونده در آن ادغام "
                      "می‌شود بنویسید.", widget="plain"),
                 Need("merge_note", "توضیح (اختیاری)", widget="text")],
          notify=[Notice(field_user("duplicate_of.referred_to.user"),
                         "پرونده مشابهی در پرونده ارجاعی شما ادغام شد: {obj.subject:.80}")],
          done="پرونده در پرونده مشابه ادغام شد؛ پاسخ آن پرونده به این شهروند هم پیامک می‌شود.")
    def merge(self, by, main_case="", merge_note=""):
        """Link this case as a duplicate of an earlier one of the same unit (`main_case`: a Case, its
        tracking code in any digits, or its id) and merge it there: its citizen is told by SMS now and of
        every later answer, closing without an answer and transfer of the main case (issue 14 §10)."""
        from .tracking import normalize_code

        main = main_case if isinstance(main_case, Case) else None
        if main is None:
            code = normalize_code(str(main_case or ""))
            main = Case.objects.filter(tracking_code=code).first() if len(code) == 12 else None
        if main is None or main.unit_id != self.unit_id:
            raise ValidationError({"main_case": "پرونده‌ای با این کد رهگیری در همین اداره پیدا نشد."})
        if main.pk == self.pk or main.state == State.MERGED:
            raise ValidationError({"main_case": "پرونده را فقط در پرونده دیگری که خود ادغام نشده است می‌توان ادغام کرد."})
        self.duplicate_of, self.closed_at = main, timezone.now()
        self.referred_to, self.referral_note = None, ""
        # Cases merged into this one earlier follow it to the main case (no chains).
        Case.objects.filter(duplicate_of=self).update(duplicate_of=main)
        self._tell_citizens(f"merged.{main.pk}", sms_merged)

    def _tell_citizens(self, event: str, template) -> None:
        """Queue `template(case)` (a citizen SMS of sms.py) to this case's citizen and to the citizen of each
        case merged into it, each with their own tracking code and link; `event` makes the outbox key."""
        from ravabet.outbox.services import queue_sms

        for case in [self, *self.merged_cases.exclude(citizen_mobile="").select_related("unit")]:
            if case.citizen_mobile:
                key = f"complaints.{case.pk}.{event}" + ("" if case.pk == self.pk else f".of{self.pk}")
                queue_sms(to=case.citizen_mobile, key=key, unit=self.unit, source="complaints", body=template(case))

    def _record_answer(self, by, text: str, attachment) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        self.answered_at, self.answered_by = now, by
        self.answer_working_days = max(working_days_between(timezone.localdate(self.created_at), today), 0)
        self.answered_in_time = today <= self.deadline
        version = Answer(case=self, version=self.answers.count() + 1, text=text.strip(), answered_at=now,
                         answered_by=by, working_days=self.answer_working_days, in_time=self.answered_in_time)
        if attachment:
            kind = getattr(attachment, "checked_type", "") or attachment.content_type
            name = getattr(attachment, "original_name", None) or attachment.name
            version.attachment_name, version.attachment_type = name[:200], kind
            version.attachment.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", attachment, save=False)
        version.save()
        self.answer_version = to_persian_digits(version.version)
        self.draft_answer, self.draft_by = "", None
        self._tell_citizens(f"answered.{version.version}", sms_answered)

    # --- Reading ---------------------------------------------------------------------------------------

    @property
    def display_code(self) -> str:
        from .tracking import group

        return group(self.tracking_code)

    @property
    def code_in_text(self) -> str:
        """The grouped tracking code in Persian digits, kept left to right inside a Persian sentence
        (tracking.in_text), for the action log and messages."""
        from .tracking import in_text

        return in_text(self.tracking_code)

    @property
    def name_in_text(self) -> str:
        """The case as a Persian sentence names it: its code (code_in_text) and the start of its subject."""
        return f"{self.code_in_text} — {self.subject[:40]}"

    @property
    def deadline_text(self) -> str:
        """The deadline as a Jalali date in Persian digits (۱۴۰۵/۰۹/۱۰)."""
        from ravabet.lib import jalali

        return jalali.format_date(self.deadline)

    @property
    def is_overdue(self) -> bool:
        return self.state in OPEN_STATES and self.deadline < _today()

    @property
    def can_escalate(self) -> bool:
        """The citizen may ask HQ to follow up: open, past the deadline, not escalated or taken over yet."""
        return self.is_overdue and self.followup in (Followup.NONE, Followup.REMINDED, Followup.EXTENDED)

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
    resolution = models.CharField("حل مشکل", max_length=10, choices=Resolution.choices, blank=True)
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


class Transfer(models.Model):
    """A case moved to another unit (wrong county), with the reason; HQ reads these (issue 14)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers", verbose_name="پرونده")
    from_unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="از اداره")
    to_unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="به اداره")
    reason = models.TextField("علت انتقال")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name="انتقال‌دهنده")
    at = models.DateTimeField("زمان انتقال", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "انتقال پرونده"
        verbose_name_plural = "انتقال‌های پرونده"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_unit_id} → {self.to_unit_id}"


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
