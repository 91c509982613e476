"""Reports from a unit to HQ that are not news: problems and challenges with their source (B4) and the
solutions found (D3). The report's workflow is declared on the model (`ravabet.workflow`): the unit sends,
HQ (hq_head or hq_expert) acknowledges, acts with a follow-up person and due date, and closes. The unit's
introduction and brochure (B9) lives with the units: `ravabet.offices.models.UnitProfile`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.lib.storage import private_storage
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES
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


class Kind(models.TextChoices):
    PROBLEM = "problem", "مشکل و چالش"
    SOLUTION = "solution", "راهکار حل مشکل"


# The instruction item each kind of report is evidence for.
KIND_ITEMS = {Kind.PROBLEM: "B4", Kind.SOLUTION: "D3"}
KIND_ITEMS_FA = {Kind.PROBLEM: "ب۴", Kind.SOLUTION: "د۳"}


class Source(models.TextChoices):
    PEOPLE = "people", "مردم"
    STAFF = "staff", "کارکنان"
    OFFICIALS = "officials", "مسئولان"
    MEDIA = "media", "رسانه‌ها"


class Urgency(models.TextChoices):
    NORMAL = "normal", "عادی"
    URGENT = "urgent", "فوری"
    CRITICAL = "critical", "بسیار فوری"


class State(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    SENT = "sent", "فرستاده‌شده به اداره کل"
    ACKNOWLEDGED = "acknowledged", "دیده‌شده در اداره کل"
    ACTION = "action", "در دست اقدام اداره کل"
    CLOSED = "closed", "بسته‌شده"


OPEN_STATES = (State.SENT, State.ACKNOWLEDGED, State.ACTION)


class if_very_urgent:  # noqa: N801 — read as a phrase in a declaration: Notice(if_very_urgent(hq_role(...)), ...)
    """Recipients of a notice that depends on the report's urgency: `recipients` when the report is
    very urgent (or, with `very_urgent=False`, when it is not), nobody otherwise. Two notices built
    with it tell HQ once in-app about every report and, for a very urgent one, by SMS too (issue 9
    item 5: "a very urgent problem report" is told by SMS)."""

    def __init__(self, recipients, *, very_urgent: bool = True):
        self.recipients = recipients
        self.very_urgent = very_urgent

    def __call__(self, obj, by):
        if (obj.urgency == Urgency.CRITICAL) != self.very_urgent:
            return []
        return self.recipients(obj, by)

    def __str__(self) -> str:
        return f"{self.recipients} — {'فقط' if self.very_urgent else 'جز'} گزارش بسیار فوری"


HQ_READERS = hq_role(*HQ_ROLES)
UNIT_PEOPLE = unit_role(*UNIT_ROLES)
SENT_TITLE = "{obj.kind_label} از {obj.unit.name}: «{obj.subject:.80}»"
SENT_BODY = "فوریت: {obj.urgency_label} · خاستگاه: {obj.source_label}"


def _followup_at_hq(report: "UnitReport") -> bool:
    from ravabet.offices.access import access_for

    return report.followup_by is not None and access_for(report.followup_by).has_role(report.unit, HQ_ROLES)


# HQ acts on a report: the follow-up person and due date come with the step (its own page, reports:act),
# so these guards see them; a sent or acknowledged report has neither, so it never waits for "act".
FOLLOWUP_GUARDS = [
    Guard("followup_named", "پیگیری‌کننده و مهلت پیگیری را تعیین کنید.",
          lambda r: r.followup_by_id is not None and r.followup_due is not None,
          q=Q(followup_by__isnull=False, followup_due__isnull=False), typed=True),
    Guard("followup_at_hq", "پیگیری‌کننده باید از کارکنان روابط عمومی اداره کل باشد.", _followup_at_hq, typed=True),
    Guard("due_not_past", "مهلت پیگیری نمی‌تواند پیش از امروز باشد.",
          lambda r: r.followup_due is not None and r.followup_due >= timezone.localdate(),
          q=lambda: Q(followup_due__gte=timezone.localdate()), typed=True),
]


class UnitReport(WorkflowModel):
    """One problem (B4) or solution (D3) a county unit reports to HQ; see the steps below."""


    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="unit_reports",
                             verbose_name="واحد")
    kind = models.CharField("نوع گزارش", max_length=10, choices=Kind.choices, default=Kind.PROBLEM)
    source = models.CharField("خاستگاه", max_length=10, choices=Source.choices,
                              help_text="مشکل مورد توجه چه کسانی است؟")
    subject = models.CharField("موضوع", max_length=200)
    description = models.TextField("شرح", max_length=5000)
    urgency = models.CharField("فوریت", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    solves = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="solutions", verbose_name="مشکلی که حل می‌کند",
                               limit_choices_to={"kind": Kind.PROBLEM})
    state = StateField("وضعیت", max_length=15, choices=State.choices, default=State.DRAFT, db_index=True)
    search_key = models.TextField(blank=True, default="", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="نویسنده")
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField("زمان ارسال", null=True, blank=True, db_index=True)
    hq_comment = models.TextField("نظر اداره کل", blank=True, max_length=3000)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="پاسخ‌دهنده اداره کل")
    answered_at = models.DateTimeField("زمان پاسخ اداره کل", null=True, blank=True)
    followup_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="report_followups", verbose_name="پیگیری‌کننده در اداره کل")
    followup_due = models.DateField("مهلت پیگیری", null=True, blank=True)
    closed_at = models.DateTimeField("زمان بستن", null=True, blank=True)
    closing_note = models.TextField("نتیجه پیگیری", blank=True, max_length=3000)

    class Meta:
        verbose_name = "گزارش واحد به اداره کل"
        verbose_name_plural = "گزارش‌های واحد به اداره کل"
        ordering = ["-created_at", "-pk"]
        # The list's order, for HQ over every unit and for one unit: the page is read from the index and stops
        # after 50 rows, instead of joining and sorting every report (issue 11 §3: 12 ms on PostgreSQL).
        indexes = [models.Index(fields=["unit", "kind", "sent_at"]),
                   models.Index(fields=["-created_at", "-id"], name="reports_newest"),
                   models.Index(fields=["unit", "-created_at", "-id"], name="reports_unit_newest")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    # Plain attributes for notice titles (a format string cannot call get_..._display).
    @property
    def kind_label(self) -> str:
        return str(self.get_kind_display())

    @property
    def urgency_label(self) -> str:
        return str(self.get_urgency_display())

    @property
    def source_label(self) -> str:
        return str(self.get_source_display())

    @property
    def followup_due_fa(self) -> str:
        return jalali.format_date(self.followup_due) if self.followup_due else ""

    @property
    def item(self) -> str:
        return KIND_ITEMS[Kind(self.kind)]

    @property
    def item_fa(self) -> str:
        return KIND_ITEMS_FA[Kind(self.kind)]

    @property
    def is_editable(self) -> bool:
        return self.state == State.DRAFT

    def clean(self):
        if self.solves_id is not None:
            if self.kind != Kind.SOLUTION:
                raise ValidationError({"solves": "فقط گزارش راهکار می‌تواند به مشکلی پیوند بخورد."})
            problem = self.solves
            if problem.kind != Kind.PROBLEM or problem.unit_id != self.unit_id:
                raise ValidationError({"solves": "مشکل برگزیده از گزارش‌های مشکل همین واحد نیست."})

    # --- Workflow (B4, D3: the unit reports, HQ answers and follows up) ----------------------------------

    @step(source=State.DRAFT, target=State.SENT, roles=UNIT_ROLES, label="فرستادن به اداره کل", log="reports.sent",
          summary="ارسال {obj.kind_label} به اداره کل",
          notify=[Notice(if_very_urgent(HQ_READERS, very_urgent=False), SENT_TITLE, body=SENT_BODY),
                  Notice(if_very_urgent(HQ_READERS), "بسیار فوری — " + SENT_TITLE, body=SENT_BODY, urgent=True)],
          done="گزارش به اداره کل فرستاده شد.")
    def send(self, by):
        """The unit sends its report; HQ's people are told (by SMS too when it is very urgent)."""
        self.sent_at = timezone.now()

    @step(source=State.SENT, target=State.ACKNOWLEDGED, roles=HQ_ROLES, label="دیده شد", log="reports.acknowledged",
          summary="دیده‌شد در اداره کل", style="success",
          needs=[Need("comment", "نظر اداره کل (اختیاری)")],
          notify=[Notice(UNIT_PEOPLE, "گزارش «{obj.subject:.80}» در اداره کل دیده شد", body="{obj.hq_comment:.300}")],
          done="پاسخ اداره کل ثبت شد و به واحد خبر داده شد.")
    def acknowledge(self, by, comment: str = ""):
        """HQ has read the report and needs no action of its own; `comment` is HQ's word to the unit."""
        self._answer(by, comment)

    @step(source=[State.SENT, State.ACKNOWLEDGED], target=State.ACTION, roles=HQ_ROLES,
          label="اقدام اداره کل و تعیین پیگیری‌کننده", log="reports.action", view="reports:act",
          summary="اقدام اداره کل؛ پیگیری با {obj.followup_by.full_name} تا {obj.followup_due_fa}",
          guards=FOLLOWUP_GUARDS, needs=[Need("comment", "نظر اداره کل (اختیاری)")],
          notify=[Notice(UNIT_PEOPLE, "گزارش «{obj.subject:.80}» در دست اقدام اداره کل است",
                         body="{obj.hq_comment:.300}"),
                  Notice(field_user("followup_by"), "پیگیری گزارش {obj.unit.name}: «{obj.subject:.80}»",
                         body="مهلت پیگیری: {obj.followup_due_fa}")],
          done="اقدام اداره کل ثبت شد و به واحد و پیگیری‌کننده خبر داده شد.")
    def act(self, by, comment: str = ""):
        """HQ takes the matter on: `followup_by` (an HQ person) follows it up until `followup_due`."""
        self._answer(by, comment)

    def _answer(self, by, comment: str) -> None:
        # An empty comment keeps HQ's earlier one (an acknowledged report that HQ then acts on).
        if (comment or "").strip():
            self.hq_comment = comment
        self.answered_by, self.answered_at = by, timezone.now()

    @step(source=State.ACTION, target=State.CLOSED, roles=HQ_ROLES, label="بستن پیگیری", log="reports.closed",
          summary="بستن پیگیری: {obj.closing_note:.200}", style="success",
          needs=[Need("closing_note", "نتیجه پیگیری", "نتیجه پیگیری را بنویسید.")],
          notify=[Notice(UNIT_PEOPLE, "پیگیری گزارش «{obj.subject:.80}» در اداره کل به پایان رسید",
                         body="{obj.closing_note:.300}")],
          done="گزارش بسته شد.")
    def close(self, by):
        """The follow-up is over; its result is written in `closing_note`."""
        self.closed_at = timezone.now()

    @step(source=State.ACKNOWLEDGED, target=State.CLOSED, roles=HQ_ROLES, label="بستن گزارش", log="reports.closed",
          summary="بستن گزارش دیده‌شده", aside=True, style="secondary",
          needs=[Need("closing_note", "یادداشت (اختیاری)")],
          notify=[Notice(UNIT_PEOPLE, "گزارش «{obj.subject:.80}» در اداره کل بسته شد", body="{obj.closing_note:.300}")],
          done="گزارش بسته شد.")
    def archive(self, by):
        """An acknowledged report that needs nothing more is closed (not expected: aside)."""
        self.closed_at = timezone.now()


class ReportAttachment(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="attachments",
                               verbose_name="گزارش")
    file = models.FileField("پیوست", upload_to="reports/%Y/%m/", storage=private_storage)
    name = models.CharField("نام", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "پیوست گزارش"
        verbose_name_plural = "پیوست‌های گزارش"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
