"""Every change to a unit report or profile: permission checked, state moved through the declared
transitions, logged once, and the other side notified."""

import datetime as dt
import io
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageOps

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.text import search_key
from ravabet.offices.access import access_for
from ravabet.offices.models import Membership, Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES
from ravabet.outbox.models import Notification
from ravabet.outbox.services import notify

from .models import (
    Kind,
    ProfilePhoto,
    ProfileState,
    ReportAttachment,
    State,
    UnitProfile,
    UnitReport,
    check_profile_transition,
    check_transition,
)

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
REPORT_FIELDS = ("kind", "source", "subject", "description", "urgency", "solves")
PROFILE_FIELDS = ("history", "mission", "services", "address", "phones", "hours", "manager_name", "website")


def _users_with(unit_ids: Iterable[int], roles: Iterable[str]) -> list:
    memberships = Membership.objects.filter(unit_id__in=list(unit_ids), role__in=list(roles)).select_related("user")
    return list({m.user_id: m.user for m in memberships}.values())


def hq_people_over(unit: Unit) -> list:
    """HQ people of the units above `unit`: they receive its reports."""
    ancestors = [int(part) for part in unit.path.split("/") if part and int(part) != unit.pk]
    return _users_with(ancestors, HQ_ROLES)


def unit_people(unit: Unit) -> list:
    return _users_with([unit.pk], UNIT_ROLES)


def _require_unit_author(by, unit: Unit) -> None:
    if unit.is_hq:
        raise PermissionDenied("گزارش به اداره کل از ادارات شهرستان فرستاده می‌شود.")
    access_for(by).require(unit, UNIT_ROLES)


def _require_hq_over(by, unit: Unit) -> None:
    access = access_for(by)
    if not access.is_hq:
        raise PermissionDenied("این کار فقط از روابط عمومی اداره کل ساخته است.")
    access.require(unit, HQ_ROLES)


def _save_attachments(report: UnitReport, uploads: Iterable) -> None:
    for upload in uploads:
        kind = getattr(upload, "checked_type", "") or upload.content_type
        item = ReportAttachment(report=report, name=upload.name[:200], content_type=kind, size=upload.size)
        # Stored under our own name: a user's file name never reaches the file system.
        item.file.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", upload, save=False)
        item.save()


def _without_metadata(upload, kind: str) -> ContentFile:
    """Turn the photo upright and re-encode it, so EXIF (GPS, camera owner) never reaches a public page."""
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        fmt = {"image/png": "PNG", "image/webp": "WEBP"}.get(kind, "JPEG")
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(buffer, format=fmt, quality=88)
    return ContentFile(buffer.getvalue())


def _report_url(report: UnitReport) -> str:
    return reverse("reports:detail", args=[report.pk])


def _fill(report: UnitReport, data: dict) -> None:
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if report.kind != Kind.SOLUTION:
        report.solves = None
    report.search_key = search_key(f"{report.subject} {report.description}")


@transaction.atomic
def report_create(*, unit: Unit, by, attachments: Iterable = (), send: bool = False, **data) -> UnitReport:
    _require_unit_author(by, unit)
    report = UnitReport(unit=unit, created_by=by)
    _fill(report, data)
    report.full_clean(exclude=["search_key"])
    report.save()
    _save_attachments(report, attachments)
    log_action(actor=by, action="reports.created", summary=f"ثبت {report.get_kind_display()}: {report.subject}",
               target=report, unit=unit, data={"kind": report.kind, "source": report.source})
    if send:
        report = report_send(report=report, by=by)
    return report


@transaction.atomic
def report_update(*, report: UnitReport, by, attachments: Iterable = (), **data) -> UnitReport:
    _require_unit_author(by, report.unit)
    report = UnitReport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError("گزارش فرستاده‌شده را نمی‌توان ویرایش کرد.", code="not_editable")
    _fill(report, data)
    report.full_clean(exclude=["search_key"])
    report.save(update_fields=[*REPORT_FIELDS, "search_key", "updated_at"])
    _save_attachments(report, attachments)
    log_action(actor=by, action="reports.updated", summary="ویرایش گزارش", target=report, unit=report.unit)
    return report


def _locked(report: UnitReport) -> UnitReport:
    return UnitReport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)


@transaction.atomic
def report_send(*, report: UnitReport, by) -> UnitReport:
    _require_unit_author(by, report.unit)
    report = _locked(report)
    check_transition(report.state, State.SENT)
    report.state = State.SENT
    report.sent_at = timezone.now()
    report.save(update_fields=["state", "sent_at", "updated_at"])
    log_action(actor=by, action="reports.sent", summary=f"ارسال {report.get_kind_display()} به اداره کل",
               target=report, unit=report.unit)
    for user in hq_people_over(report.unit):
        notify(user=user, title=f"{report.get_kind_display()} از {report.unit.name}: {report.subject}",
               body=f"فوریت: {report.get_urgency_display()} · خاستگاه: {report.get_source_display()}",
               url=_report_url(report), key=f"reports.{report.pk}.sent.{user.pk}")
    return report


@transaction.atomic
def report_answer(*, report: UnitReport, by, action: str, comment: str = "", followup_by=None,
                  followup_due: dt.date | None = None) -> UnitReport:
    """HQ's answer: `action` is "acknowledge" or "act" (act needs a follow-up person and due date)."""
    _require_hq_over(by, report.unit)
    report = _locked(report)
    target = State.ACTION if action == "act" else State.ACKNOWLEDGED
    check_transition(report.state, target)
    if target == State.ACTION:
        errors = {}
        if followup_by is None:
            errors["followup_by"] = "پیگیری‌کننده را در اداره کل برگزینید."
        elif not access_for(followup_by).is_hq:
            errors["followup_by"] = "پیگیری‌کننده باید از کارکنان روابط عمومی اداره کل باشد."
        if followup_due is None:
            errors["followup_due"] = "مهلت پیگیری را بنویسید."
        elif followup_due < timezone.localdate():
            errors["followup_due"] = "مهلت پیگیری نمی‌تواند پیش از امروز باشد."
        if errors:
            raise ValidationError(errors)
        report.followup_by, report.followup_due = followup_by, followup_due
    report.state = target
    if comment:
        report.hq_comment = comment
    report.answered_by, report.answered_at = by, timezone.now()
    report.full_clean(exclude=["search_key"])
    report.save(update_fields=["state", "hq_comment", "answered_by", "answered_at", "followup_by", "followup_due",
                               "updated_at"])
    summary = "دیده‌شد در اداره کل" if target == State.ACKNOWLEDGED else \
        f"اقدام اداره کل؛ پیگیری با {followup_by.full_name} تا {jalali.format_date(report.followup_due)}"
    log_action(actor=by, action=f"reports.{target}", summary=summary, target=report, unit=report.unit,
               data={"comment": comment})
    title = f"پاسخ اداره کل به گزارش «{report.subject}»: {report.get_state_display()}"
    for user in unit_people(report.unit):
        notify(user=user, title=title, body=comment[:300], url=_report_url(report),
               key=f"reports.{report.pk}.{target}.{user.pk}")
    if target == State.ACTION and followup_by != by:
        notify(user=followup_by, title=f"پیگیری گزارش {report.unit.name}: {report.subject}",
               body=f"مهلت پیگیری: {jalali.format_date(report.followup_due)}", url=_report_url(report),
               key=f"reports.{report.pk}.followup.{followup_by.pk}.{report.followup_due}")
    return report


@transaction.atomic
def report_close(*, report: UnitReport, by, note: str = "") -> UnitReport:
    _require_hq_over(by, report.unit)
    report = _locked(report)
    check_transition(report.state, State.CLOSED)
    report.state, report.closed_at, report.closing_note = State.CLOSED, timezone.now(), note
    report.save(update_fields=["state", "closed_at", "closing_note", "updated_at"])
    log_action(actor=by, action="reports.closed", summary="بستن گزارش", target=report, unit=report.unit,
               data={"note": note})
    for user in unit_people(report.unit):
        notify(user=user, title=f"گزارش «{report.subject}» در اداره کل بسته شد", body=note[:300],
               url=_report_url(report), key=f"reports.{report.pk}.closed.{user.pk}")
    return report


# Unit profile (B9) -----------------------------------------------------------------------------------------


def _profile_url(profile: UnitProfile) -> str:
    return reverse("reports:profile_detail", args=[profile.pk])


@transaction.atomic
def profile_start(*, unit: Unit, by) -> UnitProfile:
    """Open the next version for editing, prefilled from the latest one; reuse an open draft."""
    _require_unit_author(by, unit)
    # Lock the unit row so two clicks cannot both draw the same version number.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    open_draft = UnitProfile.objects.filter(unit=unit, state__in=(ProfileState.DRAFT, ProfileState.RETURNED)) \
        .order_by("-version").first()
    if open_draft is not None:
        return open_draft
    latest = UnitProfile.objects.filter(unit=unit).order_by("-version").first()
    version = (UnitProfile.objects.filter(unit=unit).aggregate(v=Max("version"))["v"] or 0) + 1
    profile = UnitProfile(unit=unit, version=version, created_by=by, address=unit.address, phones=unit.phone)
    if latest is not None:
        for name in PROFILE_FIELDS:
            setattr(profile, name, getattr(latest, name))
        profile.brochure = latest.brochure.name if latest.brochure else ""
    profile.save()
    if latest is not None:
        for photo in latest.photos.all():
            ProfilePhoto.objects.create(profile=profile, image=photo.image.name, caption=photo.caption,
                                        content_type=photo.content_type)
    log_action(actor=by, action="reports.profile_started", summary=f"آغاز نسخه {to_persian_digits(version)} معرفی‌نامه واحد",
               target=profile, unit=unit)
    return profile


def _require_editable(profile: UnitProfile) -> None:
    if not profile.is_editable:
        raise ValidationError("این نسخه معرفی‌نامه فرستاده شده و ویرایش‌پذیر نیست.", code="not_editable")


@transaction.atomic
def profile_update(*, profile: UnitProfile, by, brochure=None, photos: Iterable = (), captions: str = "",
                   **data) -> UnitProfile:
    _require_unit_author(by, profile.unit)
    photos = list(photos)
    profile = UnitProfile.objects.select_for_update(of=("self",)).select_related("unit").get(pk=profile.pk)
    _require_editable(profile)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    profile.full_clean(exclude=["brochure"])
    fields = [*PROFILE_FIELDS, "updated_at"]
    if brochure is not None:
        profile.brochure.save(f"{uuid.uuid4().hex}.pdf", brochure, save=False)
        fields.append("brochure")
    profile.save(update_fields=fields)
    for upload in photos:
        kind = getattr(upload, "checked_type", "") or upload.content_type
        photo = ProfilePhoto(profile=profile, content_type=kind, caption=captions[:200])
        photo.image.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", _without_metadata(upload, kind),
                         save=False)
        photo.save()
    log_action(actor=by, action="reports.profile_updated", summary=f"ویرایش نسخه {to_persian_digits(profile.version)} معرفی‌نامه",
               target=profile, unit=profile.unit, data={"photos_added": len(photos)})
    return profile


@transaction.atomic
def profile_photo_remove(*, photo: ProfilePhoto, by) -> None:
    profile = photo.profile
    _require_unit_author(by, profile.unit)
    _require_editable(profile)
    photo.delete()  # The file stays: earlier versions may share it.
    log_action(actor=by, action="reports.profile_photo_removed", summary="حذف تصویر از معرفی‌نامه",
               target=profile, unit=profile.unit)


@transaction.atomic
def profile_brochure_remove(*, profile: UnitProfile, by) -> None:
    _require_unit_author(by, profile.unit)
    _require_editable(profile)
    profile.brochure = ""
    profile.save(update_fields=["brochure", "updated_at"])
    log_action(actor=by, action="reports.profile_brochure_removed", summary="حذف بروشور بارگذاری‌شده؛ "
               "بروشور از روی معرفی‌نامه ساخته می‌شود", target=profile, unit=profile.unit)


@transaction.atomic
def profile_submit(*, profile: UnitProfile, by) -> UnitProfile:
    _require_unit_author(by, profile.unit)
    profile = UnitProfile.objects.select_for_update(of=("self",)).select_related("unit").get(pk=profile.pk)
    check_profile_transition(profile.state, ProfileState.SUBMITTED)
    profile.full_clean()
    profile.state, profile.submitted_at = ProfileState.SUBMITTED, timezone.now()
    profile.save(update_fields=["state", "submitted_at", "updated_at"])
    log_action(actor=by, action="reports.profile_submitted",
               summary=f"ارسال نسخه {to_persian_digits(profile.version)} معرفی‌نامه به اداره کل", target=profile, unit=profile.unit)
    for user in hq_people_over(profile.unit):
        notify(user=user, title=f"معرفی‌نامه تازه {profile.unit.name} (نسخه {to_persian_digits(profile.version)})",
               url=_profile_url(profile), key=f"reports.profile.{profile.pk}.submitted.{int(profile.submitted_at.timestamp())}.{user.pk}")
    return profile


@transaction.atomic
def profile_review(*, profile: UnitProfile, by, accept: bool, comment: str = "") -> UnitProfile:
    _require_hq_over(by, profile.unit)
    profile = UnitProfile.objects.select_for_update(of=("self",)).select_related("unit").get(pk=profile.pk)
    target = ProfileState.ACKNOWLEDGED if accept else ProfileState.RETURNED
    check_profile_transition(profile.state, target)
    if not accept and not comment.strip():
        raise ValidationError({"comment": "برای برگرداندن، بنویسید چه چیزی باید اصلاح شود."})
    profile.state, profile.review_comment = target, comment
    profile.reviewed_by, profile.reviewed_at = by, timezone.now()
    profile.save(update_fields=["state", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    log_action(actor=by, action=f"reports.profile_{target}",
               summary=f"نسخه {to_persian_digits(profile.version)} معرفی‌نامه: {profile.get_state_display()}", target=profile,
               unit=profile.unit, data={"comment": comment})
    for user in unit_people(profile.unit):
        notify(user=user, title=f"معرفی‌نامه نسخه {to_persian_digits(profile.version)}: {profile.get_state_display()}",
               body=comment[:300], url=_profile_url(profile),
               key=f"reports.profile.{profile.pk}.{target}.{int(profile.reviewed_at.timestamp())}.{user.pk}")
    return profile


def remind_overdue_followups() -> int:
    """Tell each HQ follow-up person once per report and due date that the follow-up is late."""
    late = UnitReport.objects.filter(state=State.ACTION, followup_due__lt=timezone.localdate(),
                                     followup_by__isnull=False).select_related("unit", "followup_by")
    sent = 0
    for report in late:
        key = f"reports.{report.pk}.followup_late.{report.followup_due}"
        if not Notification.objects.filter(key=key).exists():
            notify(user=report.followup_by, title=f"مهلت پیگیری گزارش {report.unit.name} گذشته است",
                   body=f"«{report.subject}» — مهلت: {jalali.format_date(report.followup_due)}",
                   url=_report_url(report), key=key)
            sent += 1
    return sent
