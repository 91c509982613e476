"""Tasks the head of HQ PR assigns to units (F7): one Task, one Assignment per unit it goes to, the unit's
evidence and HQ's review."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ravabet.lib.jalali import format_date
from ravabet.lib.storage import private_storage
from ravabet.offices.roles import HQ_ROLES, Role
from ravabet.workflow.declare import Need, Notice, StateField, WorkflowModel, hq_role, step, unit_role

# Who answers HQ's task in a unit (F7) and is told about it.
UNIT_PR = (Role.UNIT_MANAGER, Role.PR_OFFICER)
# Who may assign a task (DESIGN §1: only the head of HQ PR assigns tasks).
ASSIGNERS = frozenset({Role.HQ_HEAD})


class Task(models.Model):
    """One task written by the head of HQ PR; every unit it goes to gets its own Assignment."""

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
        # The assignment list is in the tasks' due order: read through this index, the database walks the tasks
        # in that order and stops after the page instead of joining and sorting every assignment (issue 11 §3).
        indexes = [models.Index(fields=["due_date", "id"], name="hqtasks_task_due")]

    def __str__(self) -> str:
        return self.title


class AssignmentState(models.TextChoices):
    OPEN = "open", "در دست انجام"
    DONE = "done", "انجام‌شده، در انتظار بررسی"
    ACCEPTED = "accepted", "پذیرفته‌شده"
    RETURNED = "returned", "برگشت برای تکمیل"


OPEN_STATES = (AssignmentState.OPEN, AssignmentState.RETURNED)


# The unit's manager and PR officer are told of a new task (F7); `services.task_assign` sends it.
ASSIGNED = Notice(unit_role(*UNIT_PR), "مأموریت تازه از اداره کل: {obj.task.title:.80}", body="مهلت: {obj.due_label}")


class Assignment(WorkflowModel):
    """One unit's copy of a task.

    open/returned → done (the unit's manager or PR officer sends evidence: a report or a file; HQ is told)
    → accepted or returned (HQ, a return needs a comment; the unit is told).
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", verbose_name="مأموریت")
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="hq_assignments",
                             verbose_name="واحد")
    state = StateField("وضعیت", max_length=12, choices=AssignmentState.choices, default=AssignmentState.OPEN,
                       db_index=True)
    evidence = models.TextField("گزارش انجام کار", blank=True)
    evidence_file = models.FileField("پیوست یا عکس", upload_to="hqtasks/%Y/%m/", storage=private_storage,
                                     blank=True)
    evidence_type = models.CharField(max_length=50, blank=True)
    done_at = models.DateTimeField("زمان انجام", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="انجام‌دهنده")
    # Kept by the `submit` step: the (local) day of `done_at` was on or before the task's due date. Stored so
    # that HQ's evaluation (F7) filters on a column instead of casting every row's datetime to a date.
    done_on_time = models.BooleanField("انجام در مهلت", default=False, editable=False)
    review_comment = models.TextField("نظر اداره کل", blank=True)
    reviewed_at = models.DateTimeField("زمان بررسی", null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "مأموریت واحد"
        verbose_name_plural = "مأموریت‌های واحدها"
        ordering = ["task__due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="hqtasks_one_assignment_per_unit")]
        indexes = [models.Index(fields=["unit", "state"], name="hqtasks_unit_state_idx")]

    # "What waits for me" (workflow.waiting) shows str(): the task joined, not read a row at a time.
    WAITING_RELATED = ("task",)

    def __str__(self) -> str:
        return f"{self.task.title} — {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("hqtasks:assignment", args=[self.pk])

    def is_overdue(self, today) -> bool:
        return self.state in OPEN_STATES and self.task.due_date < today

    @property
    def evidence_is_image(self) -> bool:
        return self.evidence_type.startswith("image/")

    @property
    def due_label(self) -> str:
        """The due date as a person reads it (Jalali, Persian digits)."""
        return format_date(self.task.due_date)

    @step(source=OPEN_STATES, target=AssignmentState.DONE, roles=UNIT_PR, label="فرستادن گزارش به اداره کل",
          log="hqtasks.assignment_done", summary="گزارش انجام مأموریت فرستاده شد",
          needs=[Need("evidence", "گزارش انجام کار")], view="hqtasks:submit",
          notify=[Notice(hq_role(*HQ_ROLES), "انجام مأموریت «{obj.task.title:.80}» در {obj.unit.name}")],
          done="گزارش انجام کار برای اداره کل فرستاده شد.")
    def submit(self, by):
        """The report or a file is needed (F7: the task is done with evidence)."""
        if not self.evidence.strip() and not self.evidence_file:
            raise ValidationError({"evidence": "گزارش انجام کار را بنویسید یا پیوستی بفرستید."})
        self.done_at, self.done_by = timezone.now(), by
        self.done_on_time = timezone.localdate(self.done_at) <= self.task.due_date

    @step(source=AssignmentState.DONE, target=AssignmentState.ACCEPTED, roles=HQ_ROLES, label="پذیرش",
          log="hqtasks.assignment_accepted", summary="مأموریت پذیرفته شد", style="success",
          needs=[Need("review_comment", "نظر اداره کل")],
          notify=[Notice(unit_role(*UNIT_PR), "مأموریت «{obj.task.title:.80}» پذیرفته شد", body="{obj.review_comment}")],
          done="پذیرش مأموریت ثبت و به واحد خبر داده شد.")
    def accept(self, by):
        self.reviewed_at = timezone.now()

    @step(source=AssignmentState.DONE, target=AssignmentState.RETURNED, roles=HQ_ROLES, label="برگشت برای تکمیل",
          log="hqtasks.assignment_returned", summary="مأموریت برای تکمیل برگشت: {obj.review_comment:.200}",
          style="warning",
          needs=[Need("review_comment", "چه چیزی باید تکمیل شود", "بنویسید چه چیزی باید تکمیل شود.")],
          notify=[Notice(unit_role(*UNIT_PR), "مأموریت «{obj.task.title:.80}» برای تکمیل برگشت",
                         body="{obj.review_comment}")],
          done="مأموریت برای تکمیل به واحد برگشت.")
    def send_back(self, by):
        self.reviewed_at = timezone.now()
