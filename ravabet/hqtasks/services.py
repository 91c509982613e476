"""Writes of the HQ tasks part that are not plain workflow steps: assigning a task to units, the unit's
evidence with a file, and the overdue reminder. Review (accept, return) is a step of `Assignment` made
through the generic step view."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits as fa
from ravabet.offices.access import access_for
from ravabet.offices.models import Unit
from ravabet.offices.roles import HQ_ROLES
from ravabet.outbox.services import notify
from ravabet.workflow.declare import hq_role, unit_role
from ravabet.workflow.engine import move, tell

from .models import ASSIGNED, ASSIGNERS, OPEN_STATES, UNIT_PR, Assignment, Task

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
unit_people = unit_role(*UNIT_PR)
hq_people = hq_role(*HQ_ROLES)


@transaction.atomic
def task_assign(*, by, title: str, description: str, due_date: dt.date, units: Iterable[Unit]) -> Task:
    """Write a task and give each of `units` its own copy, telling each unit's manager and PR officer.

    F7 and DESIGN §1: only the head of HQ PR assigns tasks, to county units under HQ; the due date is
    today or later. Raises PermissionDenied or ValidationError (Persian); nothing is saved then.
    """
    access = access_for(by)
    units = list(units)
    if not units:
        raise ValidationError({"units": "دست‌کم یک واحد را برگزینید."})
    for unit in units:
        if not access.has_role(unit, ASSIGNERS) or unit.is_hq:
            raise PermissionDenied("ابلاغ مأموریت فقط از رئیس روابط عمومی اداره کل و به واحدهای زیرمجموعه ساخته است.")
    if due_date < jalali.today():
        raise ValidationError({"due_date": "مهلت نمی‌تواند پیش از امروز باشد."})
    task = Task(title=title, description=description, due_date=due_date, created_by=by)
    task.full_clean()
    task.save()
    Assignment.objects.bulk_create([Assignment(task=task, unit=unit) for unit in units])
    log_action(actor=by, action="hqtasks.task_assigned", summary=f"ابلاغ مأموریت «{title}» به {fa(len(units))} واحد",
               target=task, data={"units": [u.pk for u in units]})
    for assignment in task.assignments.select_related("task", "unit"):
        tell(assignment, [ASSIGNED], by=by, key=f"hqtasks.assigned.{assignment.pk}", source="hqtasks.task_assigned")
    return task


def assignment_submit(*, assignment: Assignment, by, evidence: str, evidence_file=None) -> Assignment:
    """The unit reports the task done (the `submit` step) with its report and an optional checked upload
    (`evidence_file.checked_type` set by the form), stored under a name of our own. The step refuses
    when neither a report nor a file is there."""
    values = {"evidence": (evidence or "").strip()}
    if evidence_file:
        kind = getattr(evidence_file, "checked_type", "") or evidence_file.content_type
        # What the user called the file never reaches the file system.
        evidence_file.name = f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}"
        values.update(evidence_file=evidence_file, evidence_type=kind)
    return move(assignment, "submit", by=by, **values)


def overdue_q(today: dt.date) -> Q:
    """Assignments still open after their task's due date."""
    return Q(state__in=OPEN_STATES, task__due_date__lt=today)


def remind_overdue_assignments(today: dt.date | None = None) -> int:
    """Once per assignment: tell the unit's manager and PR officer and HQ that the due date has passed
    (F7 follow-up). Returns how many assignments were reminded."""
    today = today or jalali.today()
    overdue = Assignment.objects.filter(overdue_q(today), reminded_at__isnull=True).select_related("task", "unit")
    count = 0
    for assignment in overdue:
        for user in {u.pk: u for u in [*unit_people(assignment, None), *hq_people(assignment, None)]}.values():
            notify(user=user, title=f"مهلت مأموریت «{assignment.task.title}» گذشته است ({assignment.unit.name})",
                   url=assignment.get_absolute_url(), key=f"events.assignment.{assignment.pk}.overdue.{user.pk}")
        Assignment.objects.filter(pk=assignment.pk).update(reminded_at=timezone.now())
        count += 1
    return count
