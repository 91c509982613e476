"""Writes to the unit's introduction (B9) that are not state changes: opening a new version, editing
it with its photos and brochure, removing a photo or the uploaded brochure. Submitting, approving and
returning are declared steps of `UnitProfile` made through `ravabet.workflow.engine.move`."""

import io
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from PIL import Image, ImageOps

from ravabet.audit.services import log_action
from ravabet.workflow.engine import move

from .access import access_for
from .models import PROFILE_EDITABLE, ProfilePhoto, Unit, UnitProfile
from .roles import UNIT_ROLES

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
PROFILE_FIELDS = ("history", "mission", "services", "address", "phones", "hours", "manager_name", "website")


def _require_author(by, unit: Unit) -> None:
    """The unit writes its own introduction: `by` holds a unit role there (B9)."""
    access_for(by).require(unit, UNIT_ROLES)


def _require_editable(profile: UnitProfile) -> None:
    if not profile.is_editable:
        raise ValidationError("این نسخه معرفی‌نامه فرستاده شده و ویرایش‌پذیر نیست.", code="not_editable")


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


@transaction.atomic
def profile_start(*, unit: Unit, by) -> UnitProfile:
    """The version of `unit`'s profile to edit: an open (draft or returned) one if there is, else a new
    version prefilled from the latest (fields, brochure, photos). `by` holds a unit role in `unit`."""
    _require_author(by, unit)
    # Lock the unit row so two clicks cannot both draw the same version number.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    open_draft = UnitProfile.objects.filter(unit=unit, state__in=PROFILE_EDITABLE).order_by("-version").first()
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
    log_action(actor=by, action="offices.profile_started", summary=f"آغاز نسخه {profile.version_fa} معرفی‌نامه واحد",
               target=profile, unit=unit)
    return profile


@transaction.atomic
def profile_update(*, profile: UnitProfile, by, brochure=None, photos: Iterable = (), captions: str = "",
                   submit: bool = False, **data) -> UnitProfile:
    """Save an editable version: the PROFILE_FIELDS in `data`, a checked PDF `brochure`, new `photos`
    (EXIF removed) captioned `captions`; `submit=True` then makes the "submit" step in the same
    transaction. Raises ValidationError for a submitted version or an incomplete submit."""
    _require_author(by, profile.unit)
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
    log_action(actor=by, action="offices.profile_updated", summary=f"ویرایش نسخه {profile.version_fa} معرفی‌نامه",
               target=profile, unit=profile.unit, data={"photos_added": len(photos)})
    if submit:
        profile = move(profile, "submit", by=by)
    return profile


@transaction.atomic
def profile_photo_remove(*, photo: ProfilePhoto, by) -> None:
    """Take a photo off an editable version (its file stays: earlier versions may share it)."""
    profile = photo.profile
    _require_author(by, profile.unit)
    _require_editable(profile)
    photo.delete()
    log_action(actor=by, action="offices.profile_photo_removed", summary="حذف تصویر از معرفی‌نامه",
               target=profile, unit=profile.unit)


@transaction.atomic
def profile_brochure_remove(*, profile: UnitProfile, by) -> None:
    """Drop the uploaded brochure of an editable version: the brochure is then generated from the profile."""
    _require_author(by, profile.unit)
    _require_editable(profile)
    profile.brochure = ""
    profile.save(update_fields=["brochure", "updated_at"])
    log_action(actor=by, action="offices.profile_brochure_removed", summary="حذف بروشور بارگذاری‌شده؛ "
               "بروشور از روی معرفی‌نامه ساخته می‌شود", target=profile, unit=profile.unit)
