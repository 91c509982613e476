"""Writes to unit reports that are not state changes: creating a report (and sending it at once),
editing a draft with its attachments, and reminding HQ of late follow-ups. Every state change is a
declared step of `UnitReport` made through `ravabet.workflow.engine.move`."""

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib.text import search_key
from ravabet.offices.access import access_for
from ravabet.offices.models import Unit
from ravabet.offices.roles import UNIT_ROLES
from ravabet.outbox.models import Notification
from ravabet.outbox.services import notify
from ravabet.workflow.engine import move

from .models import Kind, ReportAttachment, State, UnitReport

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
REPORT_FIELDS = ("kind", "source", "subject", "description", "urgency", "solves")


def _require_author(by, unit: Unit) -> None:
    """Reports go from a county unit to HQ (B4, D3): the writer holds a unit role in that county unit."""
    if unit.is_hq:
        raise PermissionDenied("گزارش به اداره کل از ادارات شهرستان فرستاده می‌شود.")
    access_for(by).require(unit, UNIT_ROLES)


def _save_attachments(report: UnitReport, uploads: Iterable) -> None:
    for upload in uploads:
        kind = getattr(upload, "checked_type", "") or upload.content_type
        name = getattr(upload, "original_name", None) or upload.name
        item = ReportAttachment(report=report, name=name[:200], content_type=kind, size=upload.size)
        # Stored under our own name: a user's file name never reaches the file system.
        item.file.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", upload, save=False)
        item.save()


def _fill(report: UnitReport, data: dict) -> None:
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if report.kind != Kind.SOLUTION:
        report.solves = None
    report.search_key = search_key(f"{report.subject} {report.description}")


@transaction.atomic
def report_create(*, unit: Unit, by, attachments: Iterable = (), send: bool = False, **data) -> UnitReport:
    """A new problem or solution report of county `unit` written by `by` (a unit role there), with its
    checked `attachments`; `send=True` also makes the "send" step in the same transaction, so a
    refused send saves nothing. `data`: the REPORT_FIELDS. Raises PermissionDenied or ValidationError."""
    _require_author(by, unit)
    report = UnitReport(unit=unit, created_by=by)
    _fill(report, data)
    report.full_clean(exclude=["search_key"])
    report.save()
    _save_attachments(report, attachments)
    log_action(actor=by, action="reports.created", summary=f"ثبت {report.kind_label}: {report.subject}",
               target=report, unit=unit, data={"kind": report.kind, "source": report.source})
    if send:
        report = move(report, "send", by=by)
    return report


@transaction.atomic
def report_update(*, report: UnitReport, by, attachments: Iterable = (), send: bool = False, **data) -> UnitReport:
    """Edit a draft report (its REPORT_FIELDS in `data`) and add `attachments`; `send=True` sends it
    in the same transaction. A sent report is not editable (ValidationError)."""
    _require_author(by, report.unit)
    report = UnitReport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError("گزارش فرستاده‌شده را نمی‌توان ویرایش کرد.", code="not_editable")
    _fill(report, data)
    report.full_clean(exclude=["search_key"])
    report.save(update_fields=[*REPORT_FIELDS, "search_key", "updated_at"])
    _save_attachments(report, attachments)
    log_action(actor=by, action="reports.updated", summary="ویرایش گزارش", target=report, unit=report.unit)
    if send:
        report = move(report, "send", by=by)
    return report


def remind_overdue_followups() -> int:
    """Tell each HQ follow-up person once per report and due date that the follow-up is late.
    Returns how many were told (run hourly by the scheduler)."""
    late = UnitReport.objects.filter(state=State.ACTION, followup_due__lt=timezone.localdate(),
                                     followup_by__isnull=False).select_related("unit", "followup_by")
    sent = 0
    for report in late:
        key = f"reports.{report.pk}.followup_late.{report.followup_due}"
        if not Notification.objects.filter(key=key).exists():
            notify(user=report.followup_by, title=f"مهلت پیگیری گزارش {report.unit.name} گذشته است",
                   body=f"«{report.subject}» — مهلت: {report.followup_due_fa}",
                   url=report.get_absolute_url(), key=key)
            sent += 1
    return sent
