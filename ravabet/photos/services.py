"""Uploading photos into the library and HQ's rule settings."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from ravabet.audit.services import changes, log_action, snapshot
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.text import has_bidi_control, normalize
from ravabet.lib.uploads import EXTENSIONS, check_upload
from ravabet.offices.access import access_for
from ravabet.offices.roles import HQ_ROLES, WORK_ROLES

from . import hashing
from .models import Photo, PhotoRules, Rule, RuleAction
from .processing import process, refuse_bomb
from .signals import photo_changed

# HEIC/HEIF from phones is decoded by pillow-heif (registered by ravabet.lib.uploads) and published as JPEG
# like any other photo; the HEIC itself is kept as the private original (issue 13 §2).
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}
MAX_BYTES = 15 * 1024 * 1024
RULE_FIELDS = ["min_long_side", "duplicate_distance", "resolution_action", "orientation_action",
               "duplicate_action", "portrait_action"]


class PhotoRejected(ValidationError):
    """A photo that a blocking rule refused; `checks` says which."""

    def __init__(self, message, checks):
        super().__init__(message, code="blocked")
        self.checks = checks


def evaluate_rules(*, rules: PhotoRules, width: int, height: int, face_count: int,
                   duplicate_distance: int | None, duplicate_name: str = "") -> list[dict]:
    """Each rule's verdict in Persian; rules HQ switched off are left out.
    `duplicate_name` names the library photo it repeats, so the officer can pick that one instead."""
    long_side = max(width, height)
    if duplicate_name:
        duplicate_message = (f"این عکس با «{duplicate_name}» در کتابخانه عکس واحد تقریباً یکی است؛ اگر همان عکس را "
                             "می‌خواهید، آن را از «عکس‌های کتابخانه واحد» در فرم خبر انتخاب کنید.")
    else:
        duplicate_message = "این عکس با عکس دیگری از همین ارسال تقریباً یکی است."
    verdicts = [
        (Rule.RESOLUTION, long_side >= rules.min_long_side,
         f"وضوح کافی است ({long_side} پیکسل).",
         f"وضوح کم است: ضلع بلند {long_side} پیکسل است و دست‌کم {rules.min_long_side} پیکسل لازم است."),
        (Rule.ORIENTATION, width > height, "افقی است.",
         f"عکس عمودی است (عرض {width} و ارتفاع {height} پیکسل)؛ عکس خبری باید افقی باشد."),
        (Rule.DUPLICATE, duplicate_distance is None, "تکراری نیست.", duplicate_message),
        (Rule.PORTRAIT, face_count != 1, "عکس تک‌نفره (پرتره) نیست.",
         "عکس تک‌نفره (پرتره) است؛ عکس خبری باید صحنه و جمع را نشان دهد."),
    ]
    checks = []
    for rule, ok, good, bad in verdicts:
        action = rules.action_for(rule)
        if action == RuleAction.OFF:
            continue
        checks.append({"rule": str(rule), "label": rule.label, "ok": ok, "action": action,
                       "message": good if ok else bad})
    return checks


def find_duplicate(*, unit_id: int, phash: int, max_distance: int) -> tuple[int, int] | None:
    """The closest photo of the unit within max_distance, through the band indexes."""
    return hashing.nearest(Photo.objects.filter(unit_id=unit_id), phash, max_distance)


def photo_upload(*, upload, unit, by, batch_hashes: list[int] | None = None, rules: PhotoRules | None = None,
                 caption: str = "") -> Photo:
    """Check, process and store one uploaded photo of `unit`.

    `batch_hashes` are the hashes of photos accepted earlier in the same upload, so the
    same picture sent twice at once is caught too; the new hash is appended to it.
    Raises ValidationError (Persian) for a bad file or a photo a blocking rule refuses.
    """
    access_for(by).require(unit, WORK_ROLES)
    rules = rules or PhotoRules.current()
    name = upload.name or "photo"
    if upload.size <= MAX_BYTES:
        upload.seek(0)
        refuse_bomb(upload.read(), name)
    kind = check_upload(upload, allowed=IMAGE_TYPES, max_bytes=MAX_BYTES)
    upload.seek(0)
    data = upload.read()
    processed = process(data, name)

    duplicate = find_duplicate(unit_id=unit.pk, phash=processed.phash, max_distance=rules.duplicate_distance)
    batch = batch_hashes if batch_hashes is not None else []
    in_batch = any(hashing.distance(processed.phash, other) <= rules.duplicate_distance for other in batch)
    distance = duplicate[1] if duplicate else (0 if in_batch else None)
    duplicate_name = ""
    if duplicate:
        match = Photo.objects.filter(pk=duplicate[0]).values_list("original_name", flat=True).first()
        duplicate_name = match or f"عکس {duplicate[0]}"
    checks = evaluate_rules(rules=rules, width=processed.width, height=processed.height,
                            face_count=processed.face_count, duplicate_distance=distance,
                            duplicate_name=duplicate_name)
    blocking = [c["message"] for c in checks if not c["ok"] and c["action"] == RuleAction.BLOCK]
    if blocking:
        raise PhotoRejected(f"«{name}» پذیرفته نشد: " + " ".join(blocking), checks)

    with transaction.atomic():
        stem = uuid.uuid4().hex
        original_path = storages["private"].save(f"photos/originals/{stem}.{EXTENSIONS[kind]}", ContentFile(data))
        photo = Photo(unit=unit, uploaded_by=by, original_path=original_path, original_name=name[:255],
                      width=processed.width, height=processed.height, phash=processed.phash,
                      face_count=processed.face_count, checks=checks, caption=caption[:300],
                      duplicate_of_id=duplicate[0] if duplicate else None)
        photo.band0, photo.band1, photo.band2, photo.band3 = hashing.bands(processed.phash)
        photo.image.save(f"{stem}.jpg", ContentFile(processed.public_jpeg), save=False)
        photo.thumbnail.save(f"{stem}.jpg", ContentFile(processed.thumb_jpeg), save=False)
        photo.save()
        warnings = [c["message"] for c in checks if not c["ok"]]
        log_action(actor=by, action="photos.uploaded", summary=f"بارگذاری عکس «{name[:80]}»", target=photo,
                   unit=unit, data={"warnings": warnings, "width": photo.width, "height": photo.height})
    batch.append(processed.phash)
    return photo


def photos_upload_many(*, uploads, unit, by) -> tuple[list[Photo], list[str]]:
    """Upload several files into `unit`'s library, each checked by the photo rules (F3) and against the
    others of the same batch for near-duplicates. Call inside the caller's transaction; each file has its
    own savepoint, so a refused file never loses the others. Returns (stored photos, one Persian message
    per refused file); the caller deletes the stored files (photo_discard_files) if its save then fails."""
    rules = PhotoRules.current()
    batch: list[int] = []
    stored, errors = [], []
    for upload in uploads:
        try:
            with transaction.atomic():
                stored.append(photo_upload(upload=upload, unit=unit, by=by, batch_hashes=batch, rules=rules))
        except ValidationError as error:
            errors.append(f"{getattr(upload, 'name', '')}: {' '.join(error.messages)}".lstrip(": "))
    return stored, errors


def photo_discard_files(photos) -> None:
    """Delete the stored files (original, public copy, thumbnail) of `photos` whose rows were rolled
    back with the save that uploaded them, so a failed save leaves nothing behind. Missing files are
    ignored."""
    for photo in photos:
        for storage, name in ((storages["private"], photo.original_path), (photo.image.storage, photo.image.name),
                              (photo.thumbnail.storage, photo.thumbnail.name)):
            if name:
                try:
                    storage.delete(name)
                except OSError:
                    pass



@transaction.atomic
def photo_set_caption(*, photo: Photo, by, caption: str) -> Photo:
    """The caption people read under the photo on the public page; also its alt text."""
    access_for(by).require(photo.unit, WORK_ROLES)
    # Refused rather than silently dropped, as PersianCharField does: what was pasted may read reversed.
    if has_bidi_control(caption):
        raise ValidationError("شرح عکس نویسه‌های کنترلی جهت دارد که نمایش آن را وارونه می‌کند؛ آن‌ها را پاک کنید.",
                              code="bidi")
    caption = normalize(caption or "").strip()
    if len(caption) > 300:
        raise ValidationError(f"شرح عکس حداکثر {to_persian_digits(300)} نویسه می‌تواند باشد؛ کوتاه‌ترش کنید.",
                              code="max_length")
    if caption == photo.caption:
        return photo
    before = photo.caption
    photo.caption = caption
    photo.full_clean()
    photo.save(update_fields=["caption"])
    photo_changed.send(sender=Photo, photo=photo)
    log_action(actor=by, action="photos.caption_set", summary=f"شرح عکس: {caption[:150] or '(خالی)'}", target=photo,
               unit=photo.unit, data={"before": before, "after": caption})
    return photo


@transaction.atomic
def rules_update(*, by, **fields) -> PhotoRules:
    """HQ changes the photo rules (F3); logged with before/after."""
    access_for(by).require_any(HQ_ROLES, "قواعد عکس را روابط عمومی اداره کل تعیین می‌کند.")
    rules = PhotoRules.current()
    before = snapshot(rules, RULE_FIELDS)
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.full_clean()
    rules.save(update_fields=[*fields, "updated_at"])
    diff = changes(rules, RULE_FIELDS, before)
    if diff:
        log_action(actor=by, action="photos.rules_updated", summary="تغییر قواعد عکس", target=rules,
                   data={"changes": diff})
    return rules
