import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ravabet.audit.models import ActionLog
from ravabet.photos import hashing
from ravabet.photos.imagegen import huge_png_header, landscape
from ravabet.photos.models import Photo, PhotoRules, RuleAction
from ravabet.photos.services import PhotoRejected, find_duplicate, photo_upload

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (29.0, 36.0, 0.0), 3: "E", 4: (52.0, 32.0, 0.0)}
    return exif.tobytes()


def test_a_landscape_photo_is_stored_with_a_private_original_and_a_public_copy_without_exif(world):
    photo = photo_upload(upload=upload(landscape(1, exif=gps_exif()), "camera.jpg"), unit=world.county_a,
                         by=world.officer)
    assert storages["private"].exists(photo.original_path)
    with photo.image.open("rb") as handle:
        public = Image.open(handle)
        public.load()
        assert not public.getexif()
        assert max(public.size) <= 1600
    assert photo.thumbnail.name
    assert ActionLog.objects.filter(action="photos.uploaded", target_id=str(photo.pk)).exists()


def test_exif_orientation_is_applied_before_the_rules_are_checked(world):
    photo = photo_upload(upload=upload(landscape(2, exif=gps_exif())), unit=world.county_a, by=world.officer)
    # Stored 1600×1067 with "rotate 90°": it really is a 1067×1600 portrait picture.
    assert (photo.width, photo.height) == (1067, 1600)
    orientation = next(c for c in photo.checks if c["rule"] == "orientation")
    assert not orientation["ok"] and "عمودی" in orientation["message"]


def test_a_portrait_photo_is_reported_in_persian_but_kept_when_the_rule_only_warns(world):
    photo = photo_upload(upload=upload(landscape(3, size=(1067, 1600))), unit=world.county_a, by=world.officer)
    assert [c["rule"] for c in photo.warnings] == ["orientation"]


def test_a_small_photo_is_refused_when_hq_makes_resolution_blocking(world):
    rules = PhotoRules.current()
    rules.resolution_action = RuleAction.BLOCK
    rules.save()
    with pytest.raises(PhotoRejected) as error:
        photo_upload(upload=upload(landscape(4, size=(800, 533))), unit=world.county_a, by=world.officer)
    assert "وضوح کم است" in error.value.messages[0]
    assert not Photo.objects.exists()


def test_the_same_photo_twice_is_refused_as_a_duplicate_of_the_same_unit(world):
    data = landscape(5)
    first = photo_upload(upload=upload(data), unit=world.county_a, by=world.officer)
    with pytest.raises(PhotoRejected) as error:
        photo_upload(upload=upload(data, "again.jpg"), unit=world.county_a, by=world.officer)
    assert "تقریباً یکی است" in error.value.messages[0]
    assert Photo.objects.get() == first


def test_the_same_photo_in_another_unit_is_not_a_duplicate(world):
    data = landscape(6)
    photo_upload(upload=upload(data), unit=world.county_a, by=world.officer)
    photo_upload(upload=upload(data), unit=world.county_b, by=world.outsider)
    assert Photo.objects.count() == 2


def test_the_same_photo_twice_in_one_upload_is_caught(world):
    rules = PhotoRules.current()
    batch: list[int] = []
    photo_upload(upload=upload(landscape(7)), unit=world.county_a, by=world.officer, batch_hashes=batch,
                 rules=rules)
    # Store the first in another unit so only the batch can catch the second.
    Photo.objects.update(unit=world.county_b)
    with pytest.raises(PhotoRejected):
        photo_upload(upload=upload(landscape(7)), unit=world.county_a, by=world.officer, batch_hashes=batch,
                     rules=rules)


def test_a_text_file_named_jpg_is_refused_in_persian(world):
    with pytest.raises(ValidationError) as error:
        photo_upload(upload=upload(b"this is not an image at all", "fake.jpg"), unit=world.county_a,
                     by=world.officer)
    assert "مجاز نیست" in error.value.messages[0]


def test_a_truncated_jpeg_is_refused_in_persian(world):
    data = landscape(8)
    with pytest.raises(ValidationError) as error:
        photo_upload(upload=upload(data[: len(data) // 2], "cut.jpg"), unit=world.county_a, by=world.officer)
    assert "ناقص" in error.value.messages[0] or "خراب" in error.value.messages[0]


def test_a_20000_by_20000_png_is_refused_as_a_decompression_bomb(world):
    with pytest.raises(ValidationError) as error:
        photo_upload(upload=SimpleUploadedFile("bomb.png", huge_png_header(), "image/png"), unit=world.county_a,
                     by=world.officer)
    assert "بیش از حد مجاز" in error.value.messages[0]


def test_a_single_face_photo_is_reported_as_a_portrait(world, monkeypatch):
    monkeypatch.setattr("ravabet.photos.processing.count_faces", lambda image: 1)
    photo = photo_upload(upload=upload(landscape(9)), unit=world.county_a, by=world.officer)
    assert [c["rule"] for c in photo.warnings] == ["portrait"]


def test_the_face_detector_finds_no_face_in_a_drawn_landscape():
    from ravabet.photos.processing import count_faces

    assert count_faces(Image.open(io.BytesIO(landscape(10)))) == 0


def test_staff_cannot_upload_photos(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        photo_upload(upload=upload(landscape(11)), unit=world.county_a, by=world.staff)


@pytest.mark.parametrize("flips", [0, 1, 3, 6, 7])
def test_band_lookup_finds_every_hash_within_the_threshold(world, flips):
    base = hashing.to_signed(0x0123456789ABCDEF)
    near = base
    for bit in range(0, 64, 9)[:flips]:
        near = hashing.to_signed(hashing.to_unsigned(near) ^ (1 << bit))
    photo = Photo.objects.create(unit=world.county_a, phash=near)
    photo.band0, photo.band1, photo.band2, photo.band3 = hashing.bands(near)
    photo.save()
    assert find_duplicate(unit_id=world.county_a.pk, phash=base, max_distance=7) == (photo.pk, flips)
    if flips:
        assert find_duplicate(unit_id=world.county_a.pk, phash=base, max_distance=flips - 1) is None


def test_signed_hash_round_trips_through_the_database(world):
    value = hashing.to_signed(0xFFFFFFFFFFFFFFFF)
    photo = Photo.objects.create(unit=world.county_a, phash=value)
    photo.refresh_from_db()
    assert hashing.to_unsigned(photo.phash) == 0xFFFFFFFFFFFFFFFF


def test_a_truncated_jpeg_is_refused_even_after_a_pdf_was_rendered(world):
    import weasyprint  # noqa: F401 — importing it turns on Pillow's LOAD_TRUNCATED_IMAGES
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    data = landscape(8)
    with pytest.raises(ValidationError):
        photo_upload(upload=upload(data[: len(data) // 2], "cut.jpg"), unit=world.county_a, by=world.officer)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def _heic(data: bytes, *, exif: bytes | None = None) -> bytes:
    pillow_heif = pytest.importorskip("pillow_heif")
    image = Image.open(io.BytesIO(data))
    out = io.BytesIO()
    heif = pillow_heif.from_pillow(image)
    if exif is not None:
        heif.info["exif"] = exif
    heif.save(out, quality=85)
    return out.getvalue()


def test_a_heic_photo_from_a_phone_is_taken_published_as_jpeg_and_kept_privately_as_sent(world):
    """Issue 13 §2: phone photos in HEIC were refused by the library; now converted (pillow-heif)."""
    sent = _heic(landscape(21))
    photo = photo_upload(upload=SimpleUploadedFile("IMG_0042.HEIC", sent, "image/heic"), unit=world.county_a,
                         by=world.officer)
    assert (photo.width, photo.height) == (1600, 1067) and photo.original_name == "IMG_0042.HEIC"
    assert photo.original_path.endswith(".heic") and "IMG_0042" not in photo.original_path
    with storages["private"].open(photo.original_path, "rb") as kept:
        assert kept.read() == sent
    with photo.image.open("rb") as handle:
        public = Image.open(handle)
        public.load()
        assert public.format == "JPEG" and not public.getexif() and max(public.size) <= 1600
    assert all(check["ok"] for check in photo.checks), photo.checks


def test_heic_photos_meet_the_same_f3_rules(world):
    """The F3 rules are unchanged for HEIC: a portrait warns, a duplicate of the JPEG already in the library
    is refused, a small one is refused when HQ makes resolution blocking, a truncated one is refused."""
    photo = photo_upload(upload=upload(_heic(landscape(22, size=(1067, 1600))), "tall.heic"), unit=world.county_a,
                         by=world.officer)
    assert [c["rule"] for c in photo.warnings] == ["orientation"]
    photo_upload(upload=upload(landscape(23)), unit=world.county_a, by=world.officer)
    with pytest.raises(PhotoRejected, match="تقریباً یکی است"):
        photo_upload(upload=upload(_heic(landscape(23)), "again.heic"), unit=world.county_a, by=world.officer)
    rules = PhotoRules.current()
    rules.resolution_action = RuleAction.BLOCK
    rules.save()
    with pytest.raises(PhotoRejected, match="وضوح کم است"):
        photo_upload(upload=upload(_heic(landscape(24, size=(800, 533))), "small.heic"), unit=world.county_a,
                     by=world.officer)
    data = _heic(landscape(25))
    with pytest.raises(ValidationError, match="ناقص|خراب|مجاز نیست"):
        photo_upload(upload=upload(data[: len(data) // 2], "cut.heic"), unit=world.county_a, by=world.officer)
    assert Photo.objects.count() == 2
