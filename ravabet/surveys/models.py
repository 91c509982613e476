"""Opinion surveys (D5): a survey of questions, opened to the public or to a unit's staff,
answered once per browser or per person, with results reported to the unit manager and HQ, and
the survey's declared workflow."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.offices.models import Unit, UnitKind, User
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role
from ravabet.workflow.declare import Guard, Notice, StateField, WorkflowModel, field_user, hq_role, step, unit_role


class Audience(models.TextChoices):
    PUBLIC = "public", "مردم (پیوند عمومی)"
    STAFF = "staff", "کارکنان واحد"


class State(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    OPEN = "open", "باز برای پاسخ"
    CLOSED = "closed", "بسته"
    REPORTED = "reported", "گزارش‌شده"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "تک‌گزینه‌ای"
    MULTIPLE = "multiple", "چندگزینه‌ای"
    RATING = "rating", "امتیاز ۱ تا ۵"
    SHORT = "short", "پاسخ کوتاه"
    LONG = "long", "پاسخ بلند"
    NUMBER = "number", "عدد"
    DATE = "date", "تاریخ خورشیدی"
    MATRIX = "matrix", "جدولی (سطرها × امتیاز ۱ تا ۵)"
    RANKING = "ranking", "رتبه‌بندی گزینه‌ها"
    PAGE = "page", "آغاز صفحه‌ی تازه (گروه پرسش‌ها)"


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
TEXT_KINDS = {QuestionKind.SHORT, QuestionKind.LONG}
# Kinds whose answer is one closed value (an option index or a rating): a condition or a results filter
# may test them, and a cross-tab may cross two of them.
CLOSED_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RATING}
RATING_LABELS = {1: "خیلی بد", 2: "بد", 3: "متوسط", 4: "خوب", 5: "خیلی خوب"}


def new_token() -> str:
    return secrets.token_urlsafe(16)


# --- Who is told ---------------------------------------------------------------------------------------


class staff_of_unit:  # noqa: N801 — read as a phrase in declarations: Notice(staff_of_unit(), ...)
    """Every member of the survey's unit, for a staff survey (a public survey invites nobody)."""

    def __call__(self, survey, by):
        if survey.audience != Audience.STAFF:
            return []
        return User.objects.filter(memberships__unit_id=survey.unit_id, is_active=True).distinct()

    def __str__(self) -> str:
        return "همه‌ی کارکنان واحد (نظرسنجی کارکنان)"


# D5: the results go to the unit's manager and to HQ's PR people above the unit.
REPORT_TO = (unit_role(Role.UNIT_MANAGER), hq_role(*HQ_ROLES))


def report_recipients(survey) -> list:
    """The users the report of `survey` goes to (the unit manager and HQ PR), once each, in the order
    the notices tell them: for the results page's "who will be told" and the e-mail copies."""
    users = {}
    for recipients in REPORT_TO:
        for user in recipients(survey, None):
            users.setdefault(user.pk, user)
    return list(users.values())


def _results_url(survey) -> str:
    return reverse("surveys:results", args=[survey.pk])


# --- The workflow (D5; issue 9) --------------------------------------------------------------------------
# draft --open--> open --close--> closed --report--> reported; a closed or reported survey may be
# reopened (aside). The steps are declared twice: for a county's manager and PR officer on the county's
# surveys, and (suffix _hq) for HQ's PR people on HQ's own surveys, since HQ oversees but does not run a
# county's surveys.

HQ_OWN = Guard("hq_own", "این نظرسنجی از آنِ یک اداره شهرستان است و اداره کل آن را فقط می‌بیند.",
               lambda survey: survey.unit.is_hq, q=Q(unit__kind=UnitKind.HQ))
HAS_QUESTIONS = Guard("has_questions", "نظرسنجی بی‌پرسش را نمی‌توان باز کرد؛ نخست پرسش‌ها را بیفزایید.",
                      lambda survey: survey.questions.exists())
NOT_ENDED = Guard("not_ended", "تاریخ پایان گذشته است؛ نخست تاریخ پایان را در ویرایش مشخصات جلو ببرید.",
                  lambda survey: survey.closes_on >= jalali.today())

def condition_problems(survey) -> list[str]:
    """The reasons the conditions of `survey`'s questions cannot work, in Persian (empty when they can):
    a condition must test an earlier question of a closed kind (option or rating) with at least one
    value that question can give, so no condition points forward and none can form a cycle."""
    questions = list(survey.questions.all())
    position = {q.pk: index for index, q in enumerate(questions)}
    by_pk = {q.pk: q for q in questions}
    problems = []
    for index, question in enumerate(questions, start=1):
        if question.show_if_id is None:
            continue
        source = by_pk.get(question.show_if_id)
        label = f"پرسش {to_persian_digits(index)} («{question.text[:40]}»)"
        if source is None or position[source.pk] >= position[question.pk]:
            problems.append(f"{label} به پرسشی پس از خودش (یا خودش) وابسته است؛ شرط فقط به پرسش‌های پیشین می‌تواند باشد.")
        elif source.kind not in CLOSED_KINDS:
            problems.append(f"{label} به پرسشی وابسته است که گزینه یا امتیاز ندارد.")
        elif not question.show_if_values or not set(question.show_if_values) <= set(source.value_choices()):
            problems.append(f"{label}: پاسخ‌هایی که پرسش را نشان می‌دهند از گزینه‌های پرسش پیشین برگزینید.")
    return problems


CONDITIONS_VALID = Guard("conditions_valid", "شرط پرسش‌ها درست نیست: پرسش شرطی فقط به پاسخ پرسش‌های پیشین وابسته است.",
                         lambda survey: not condition_problems(survey))
ANSWERED = Guard("answered", "هنوز پاسخی ثبت نشده است؛ گزارش بی‌پاسخ فرستاده نمی‌شود.",
                 lambda survey: survey.responses_count > 0, q=Q(responses_count__gt=0))

OPEN = dict(
    source=State.DRAFT, target=State.OPEN, label="باز کردن برای پاسخ", log="surveys.open", style="success",
    summary="باز شد برای پاسخ تا {obj.closes_on_fa}",
    notify=[Notice(staff_of_unit(), "نظرسنجی کارکنان: {obj.title:.120}", body="تا {obj.closes_on_fa} پاسخ دهید.",
                   url=lambda survey: reverse("surveys:staff_answer", args=[survey.pk]))],
    done="نظرسنجی باز شد و پاسخ می‌گیرد.")
CLOSE = dict(
    source=State.OPEN, target=State.CLOSED, label="بستن نظرسنجی", log="surveys.closed", style="warning", aside=True,
    confirm="نظرسنجی بسته شود؟ پس از آن پاسخ تازه‌ای نمی‌گیرد.",
    notify=[Notice(field_user("created_by"), "نظرسنجی «{obj.title:.80}» بسته شد",
                   body="نتیجه را از صفحه نتایج برای رئیس واحد و اداره کل بفرستید.", url=_results_url)],
    done="نظرسنجی بسته شد؛ اکنون نتیجه را برای رئیس واحد و اداره کل بفرستید.")
REOPEN = dict(
    source=(State.CLOSED, State.REPORTED), target=State.OPEN, label="بازگشایی دوباره", log="surveys.reopened",
    style="outline-success", aside=True, done="نظرسنجی دوباره باز شد.")
REPORT = dict(
    source=State.CLOSED, target=State.REPORTED, label="فرستادن نتیجه برای رئیس واحد و اداره کل",
    log="surveys.reported", summary="نتیجه ({obj.responses_fa} پاسخ) برای رئیس واحد و روابط عمومی اداره کل فرستاده شد.",
    notify=[Notice(recipients, "نتیجه نظرسنجی «{obj.title:.80}» — {obj.unit.name}",
                   body="{obj.responses_fa} پاسخ. گزارش PDF و نمودارها در صفحه نتایج است.", url=_results_url)
            for recipients in REPORT_TO],
    done="نتیجه برای رئیس واحد و روابط عمومی اداره کل فرستاده شد.")


class Survey(WorkflowModel):
    """A survey of one unit (D5) and its declared workflow (see the comment above). Questions change only
    in draft: answers already given would otherwise count against other options."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="surveys", verbose_name="واحد")
    title = models.CharField("عنوان", max_length=200)
    intro = models.TextField("متن آغاز", blank=True)
    audience = models.CharField("مخاطب", max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    opens_on = models.DateField("تاریخ شروع")
    closes_on = models.DateField("تاریخ پایان")
    state = StateField("وضعیت", max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    # The public address: not the id, so surveys cannot be walked by number.
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="سازنده")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField("گزارش به مدیر و اداره کل", null=True, blank=True)
    responses_count = models.PositiveIntegerField("شمار پاسخ‌ها", default=0)
    # Issue 13 §3: a public survey may answer only through one-time personal links (its public link and
    # QR code then refuse answers).
    invited_only = models.BooleanField("فقط با پیوند شخصی", default=False)

    class Meta:
        verbose_name = "نظرسنجی"
        verbose_name_plural = "نظرسنجی‌ها"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    @property
    def closes_on_fa(self) -> str:
        return jalali.format_date(self.closes_on)

    @property
    def responses_fa(self) -> str:
        return to_persian_digits(self.responses_count)

    # --- Steps ---------------------------------------------------------------------------------------------

    @step(**OPEN, roles=UNIT_ROLES, guards=[HAS_QUESTIONS, NOT_ENDED, CONDITIONS_VALID])
    def open(self, by):
        self.opened_at = timezone.now()

    @step(**OPEN, roles=HQ_ROLES, guards=[HQ_OWN, HAS_QUESTIONS, NOT_ENDED, CONDITIONS_VALID])
    def open_hq(self, by):
        self.opened_at = timezone.now()

    @step(**CLOSE, roles=UNIT_ROLES, system=True)
    def close(self, by):
        """Closed by hand, or by the scheduler once the last day has passed (`by=None`)."""
        self.closed_at = timezone.now()

    @step(**CLOSE, roles=HQ_ROLES, guards=[HQ_OWN])
    def close_hq(self, by):
        self.closed_at = timezone.now()

    @step(**REOPEN, roles=UNIT_ROLES, guards=[NOT_ENDED])
    def reopen(self, by):
        self.opened_at = timezone.now()

    @step(**REOPEN, roles=HQ_ROLES, guards=[HQ_OWN, NOT_ENDED])
    def reopen_hq(self, by):
        self.opened_at = timezone.now()

    @step(**REPORT, roles=UNIT_ROLES, guards=[ANSWERED])
    def report(self, by):
        self._reported(by)

    @step(**REPORT, roles=HQ_ROLES, guards=[HQ_OWN, ANSWERED])
    def report_hq(self, by):
        self._reported(by)

    def _reported(self, by) -> None:
        """Stamp the report and queue an e-mail copy to each recipient who has an address (the in-app
        notices come from the declaration)."""
        from ravabet.outbox.services import queue_email

        self.reported_at = timezone.now()
        stamp = int(self.reported_at.timestamp())
        subject = f"نتیجه نظرسنجی «{self.title[:80]}» — {self.unit.name}"
        body = f"{self.responses_fa} پاسخ. گزارش PDF و نمودارها در صفحه نتایج است.\n{settings.SITE_URL}{_results_url(self)}"
        for user in report_recipients(self):
            if user.email and user.is_active and user.pk != getattr(by, "pk", None):
                queue_email(to=user.email, subject=subject, body=body, unit=self.unit, source="surveys",
                            key=f"surveys:report-mail:{self.pk}:{stamp}:{user.pk}")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name="نظرسنجی")
    order = models.PositiveIntegerField("ترتیب", default=0)
    kind = models.CharField("نوع پرسش", max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.CharField("متن پرسش", max_length=300)
    required = models.BooleanField("پاسخ الزامی", default=True)
    options = models.JSONField("گزینه‌ها", default=list, blank=True)
    # Matrix questions: the rows, each rated 1-5 (the options are not used).
    rows = models.JSONField("سطرها", default=list, blank=True)
    # Shown only when the earlier question `show_if` was answered with one of `show_if_values`
    # (option indexes, or ratings 1-5); checked when the survey opens (condition_problems).
    show_if = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name="نمایش فقط وقتی پاسخ این پرسش")
    show_if_values = models.JSONField("یکی از این پاسخ‌ها باشد", default=list, blank=True)

    class Meta:
        verbose_name = "پرسش"
        verbose_name_plural = "پرسش‌ها"
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def is_closed(self) -> bool:
        return self.kind in CLOSED_KINDS

    def value_choices(self) -> list[int]:
        """The stored values a closed question's answer can take: option indexes, or ratings 1-5."""
        if self.kind in CHOICE_KINDS:
            return list(range(len(self.options)))
        if self.kind == QuestionKind.RATING:
            return list(RATING_LABELS)
        return []

    def value_label(self, value: int) -> str:
        """The Persian label of a stored closed value (option text, or «۴ — خوب» for a rating)."""
        if self.kind in CHOICE_KINDS:
            return self.options[value] if 0 <= value < len(self.options) else str(value)
        if self.kind == QuestionKind.RATING:
            return f"{to_persian_digits(value)} — {RATING_LABELS.get(value, '')}"
        return str(value)

    @property
    def is_page(self) -> bool:
        return self.kind == QuestionKind.PAGE

    def shown_for(self, given: dict[int, set[int]], page: "Question | None" = None) -> bool:
        """True when the question is shown to someone whose closed answers are `given` (question id to the
        set of values chosen): when its page (`page`, the page break it follows, if any) is shown and, with
        a condition of its own, when one chosen value is in show_if_values."""
        if page is not None and not page.shown_for(given):
            return False
        if self.show_if_id is None:
            return True
        return bool(given.get(self.show_if_id, set()) & set(self.show_if_values))


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name="نظرسنجی")
    # Set for staff surveys only; public answers stay anonymous.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name="پاسخ‌دهنده")
    # The respondent's unit when known (a staff member's unit, an invited person's unit from the staff
    # directory or the complaint they filed): the results filter by unit (issue 17 §3).
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="واحد پاسخ‌دهنده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "پاسخ‌نامه"
        verbose_name_plural = "پاسخ‌نامه‌ها"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["survey", "user"], condition=models.Q(user__isnull=False),
                                               name="one_response_per_staff_member")]

    def __str__(self) -> str:
        return f"پاسخ {self.pk} به {self.survey_id}"


class Answer(models.Model):
    """One answer to one question; a multiple-choice question gives one row per ticked option,
    so counting is a single GROUP BY over `value`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Option index for choice questions, 1-5 for ratings and matrix cells, the rank (1 = first) of a
    # ranked item.
    value = models.IntegerField(null=True, blank=True)
    # The matrix row or the ranked item (option index) the value belongs to.
    row = models.IntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "پاسخ"
        verbose_name_plural = "پاسخ‌ها"
        indexes = [models.Index(fields=["question", "value"])]

    def __str__(self) -> str:
        return self.text or str(self.value)


class Channel(models.TextChoices):
    SMS = "sms", "پیامک"
    EMAIL = "email", "رایانامه"


class Invitation(models.Model):
    """A personal invitation to a survey (D5; issue 17): a one-time link sent by SMS or e-mail through the
    outbox. The link answers once (`response` set atomically); those who have not answered may be reminded."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name="نظرسنجی")
    name = models.CharField("نام", max_length=200, blank=True)
    channel = models.CharField("راه فرستادن", max_length=10, choices=Channel.choices)
    address = models.CharField("شماره همراه یا رایانامه", max_length=200)
    source = models.CharField("از کجا", max_length=30, blank=True)
    # The invited person's unit, when the list says it (staff directory, staff group, complaints).
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="واحد")
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField("آخرین یادآوری", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("شمار یادآوری", default=0)
    response = models.OneToOneField(Response, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="invitation")
    answered_at = models.DateTimeField("زمان پاسخ", null=True, blank=True)

    class Meta:
        verbose_name = "دعوت‌نامه"
        verbose_name_plural = "دعوت‌نامه‌ها"
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "address"], name="one_invitation_per_address")]

    def __str__(self) -> str:
        return f"{self.name or self.address} — {self.survey_id}"

    def link(self) -> str:
        """The absolute personal link (settings.SITE_URL) sent in the SMS or e-mail."""
        return settings.SITE_URL + reverse("surveys:invited_answer", args=[self.token])


class Panelist(models.Model):
    """A citizen who asked, with explicit consent, to be invited to a unit's future surveys (D5; issue 17
    §2: citizens are invited only with their consent). Given on the thank-you page of a public survey;
    withdrawn through the link in every invitation it receives (then never invited again)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name="واحد")
    mobile = models.CharField("شماره همراه", max_length=11)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name="رضایت در نظرسنجی")
    consented_at = models.DateTimeField("زمان رضایت", auto_now_add=True)
    withdrawn_at = models.DateTimeField("زمان انصراف", null=True, blank=True)

    class Meta:
        verbose_name = "پاسخ‌دهنده‌ی داوطلب"
        verbose_name_plural = "پاسخ‌دهندگان داوطلب"
        constraints = [models.UniqueConstraint(fields=["unit", "mobile"], name="one_panelist_per_unit_mobile")]

    def __str__(self) -> str:
        return self.mobile

    def withdraw_link(self) -> str:
        """The absolute link (settings.SITE_URL) that withdraws this consent."""
        return settings.SITE_URL + reverse("surveys:panel_withdraw", args=[self.token])
