"""Issue 13, point 2: one upload pipeline and one private-file response."""

import io
from pathlib import PurePosixPath

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image

from ravabet.lib.uploads import check_upload, clean_upload, private_file_response

PHOTO_TYPES = {"image/jpeg", "image/png"}
GPS_IFD = 0x8825


def _jpeg(size=(64, 48), *, gps=True, orientation=None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (35.0, 41.0, 0.0), 3: "E", 4: (51.0, 25.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_truncated_jpeg_is_refused_after_a_full_decode():
    data = _jpeg((400, 300))
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("cut.jpg", data[: len(data) // 2]), allowed=PHOTO_TYPES, max_bytes=10**7)
    assert refused.value.code == "broken" and "ناقص یا خراب" in refused.value.messages[0]


def test_type_comes_from_content_not_name():
    with pytest.raises(ValidationError, match="مجاز نیست"):
        check_upload(SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>"), allowed=PHOTO_TYPES,
                     max_bytes=10**6)


def test_clean_upload_strips_gps_applies_orientation_and_gives_a_random_name():
    upload = SimpleUploadedFile("installed.html", _jpeg((60, 40), orientation=6))
    assert clean_upload(upload, allowed=PHOTO_TYPES, max_bytes=10**7) == "image/jpeg"
    assert upload.original_name == "installed.html"
    assert upload.name.endswith(".jpg") and len(upload.name) == 36 and "installed" not in upload.name
    upload.seek(0)
    with Image.open(upload) as image:
        assert image.size == (40, 60)  # rotated as the phone meant it
        exif = image.getexif()
        assert GPS_IFD not in exif and 0x010F not in exif and not exif.get_ifd(GPS_IFD)


def test_large_images_are_downscaled_to_the_stated_maximum_also_from_a_temporary_file():
    upload = TemporaryUploadedFile("big.png", "image/png", 0, None)
    Image.new("RGB", (3000, 1000), "white").save(upload.file, "PNG")
    upload.size = upload.file.tell()
    clean_upload(upload, allowed=PHOTO_TYPES, max_bytes=10**8, max_side=1200)
    with open(upload.temporary_file_path(), "rb") as stored, Image.open(stored) as image:
        assert image.size == (1200, 400)
    assert upload.name.endswith(".png")


def test_heic_from_a_phone_is_converted_to_jpeg():
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (32, 32), "blue")).save(out, quality=80)
    upload = SimpleUploadedFile("IMG_0001.HEIC", out.getvalue())
    assert clean_upload(upload, allowed=PHOTO_TYPES, max_bytes=10**7) == "image/jpeg"
    upload.seek(0)
    with Image.open(upload) as image:
        assert image.format == "JPEG"
    with pytest.raises(ValidationError, match="مجاز نیست"):  # only where JPEG is welcome
        clean_upload(SimpleUploadedFile("a.heic", out.getvalue()), allowed={"application/pdf"}, max_bytes=10**7)


def test_a_pdf_keeps_its_bytes_and_gets_a_random_name():
    upload = SimpleUploadedFile("گواهی من.pdf", b"%PDF-1.4\n%%EOF\n")
    assert clean_upload(upload, allowed={"application/pdf"}, max_bytes=10**6) == "application/pdf"
    assert upload.name.endswith(".pdf") and upload.read() == b"%PDF-1.4\n%%EOF\n"


@pytest.mark.django_db  # response.close() sends request_finished, which looks at the connections
def test_private_file_response_sets_type_nosniff_and_attachment(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    for name, body, kind, disposition in (("a/photo.png", png.getvalue(), "image/png", "inline"),
                                          ("a/doc.pdf", b"%PDF-1.4", "application/pdf", "inline"),
                                          ("a/installed.html", png.getvalue(), "application/octet-stream", "attachment"),
                                          ("a/sheet.xlsx", b"PK..", "application/octet-stream", "attachment")):
        stored = storage.save(name, ContentFile(body))
        from django.db.models.fields.files import FieldFile

        class _Field:
            def __init__(self):
                self.storage = storage

        response = private_file_response(FieldFile(None, _Field(), stored))
        assert response["Content-Type"] == kind, name
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith(disposition), name
        response.close()
        # A PDF a citizen or a county sent is downloaded, not shown; a name without an extension gets the file's.
        response = private_file_response(FieldFile(None, _Field(), stored), download_name="evidence-7",
                                         pdf_inline=False)
        expected = "inline" if kind.startswith("image/") else "attachment"
        assert response["Content-Disposition"].startswith(expected), name
        assert f'filename="evidence-7{PurePosixPath(stored).suffix}"' in response["Content-Disposition"], name
        response.close()


@pytest.mark.django_db
def test_an_installed_banner_photo_named_html_is_stored_under_a_random_name_and_served_as_an_image(
        world, client_for, settings, tmp_path):
    """The review's finding: a PNG named installed.html was served inline as text/html."""
    from django.urls import reverse

    from ravabet.messaging import services
    from ravabet.messaging.tests.factories import make_banner

    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    png = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(png, "PNG")
    banner = make_banner(world.county_a, approved=True)
    banner = services.banner_install(banner=banner, by=world.officer,
                                     photo=SimpleUploadedFile("installed.html", png.getvalue()))
    assert "installed" not in banner.installed_photo.name.rsplit("/", 1)[1] and banner.installed_photo.name.endswith(".png")
    response = client_for("officer").get(reverse("messaging:banner_photo", args=[banner.pk, "installed"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)


def test_complaint_attachments_go_through_the_pipeline():
    """The review's finding: truncated JPEGs accepted, GPS and the citizen's file name kept."""
    from ravabet.complaints.forms import checked

    data = _jpeg((300, 200))
    with pytest.raises(ValidationError, match="ناقص یا خراب"):
        checked(SimpleUploadedFile("cut.jpg", data[: len(data) // 2]))
    upload = checked(SimpleUploadedFile("خانه‌ی من.jpg", data))
    assert upload.checked_type == "image/jpeg" and upload.original_name == "خانه‌ی من.jpg"
    upload.seek(0)
    with Image.open(upload) as image:
        assert not image.getexif().get_ifd(GPS_IFD)


def test_training_certificates_get_a_random_name():
    """The review's finding: training certificates kept the uploader's file name."""
    from ravabet.planning.forms import TrainingForm

    form = TrainingForm.__new__(TrainingForm)
    form.cleaned_data = {"certificate": SimpleUploadedFile("my certificate.html", b"%PDF-1.4\n%%EOF\n",
                                                           content_type="text/html")}
    upload = form.clean_certificate()
    assert upload.name.endswith(".pdf") and "certificate" not in upload.name


@pytest.mark.django_db
def test_visit_photos_go_through_the_pipeline_gps_read_first_then_stripped_and_heic_taken(world):
    """The review's finding: visit photos kept GPS in the stored file, and phone photos in HEIC were refused.
    The photo's place is still read from the camera's EXIF into the record (issue 17) before it is stripped."""
    from ravabet.visits import services
    from ravabet.visits.tests.factories import make_visit

    visit = make_visit(world.county_a, done=True)
    photo = services.photo_add(visit=visit, by=world.officer, upload=SimpleUploadedFile("home.html", _jpeg()))
    assert (round(float(photo.latitude), 2), round(float(photo.longitude), 2)) == (35.68, 51.42)
    assert photo.file.name.endswith(".jpg") and "home" not in photo.file.name
    with photo.file.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif().get_ifd(GPS_IFD) and 0x010F not in image.getexif()
    with pytest.raises(ValidationError, match="ناقص یا خراب"):
        data = _jpeg((400, 300))
        services.photo_add(visit=visit, by=world.officer, upload=SimpleUploadedFile("cut.jpg", data[:len(data) // 2]))
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (32, 32), "blue")).save(out, quality=80)
    heic = services.photo_add(visit=visit, by=world.officer, upload=SimpleUploadedFile("IMG_0002.HEIC", out.getvalue()))
    assert heic.content_type == "image/jpeg" and heic.file.name.endswith(".jpg")


@pytest.mark.parametrize("use", ["task evidence", "occasion content", "occasion activity", "report attachment",
                                 "profile photo"])
def test_task_evidence_occasion_files_report_attachments_and_profile_photos_lose_gps_and_their_name(use):
    """The review's finding: these uses checked the type but stored GPS and the uploader's file name."""
    from ravabet.hqtasks.forms import SubmitForm
    from ravabet.occasions.forms import ActivityForm, ContentForm
    from ravabet.offices.profile_forms import PHOTO_TYPES as PROFILE_PHOTOS
    from ravabet.offices.profile_forms import check_files
    from ravabet.reports.forms import ATTACHMENT_TYPES

    sent = SimpleUploadedFile("خانه.html", _jpeg((80, 60)))
    if use in ("report attachment", "profile photo"):
        [upload] = check_files([sent], ATTACHMENT_TYPES if use == "report attachment" else PROFILE_PHOTOS)
    else:
        form_class, field = {"task evidence": (SubmitForm, "evidence_file"), "occasion content": (ContentForm, "file"),
                             "occasion activity": (ActivityForm, "evidence")}[use]
        form = form_class.__new__(form_class)
        form.cleaned_data = {field: sent}
        upload = getattr(form, f"clean_{field}")()
    assert upload.checked_type == "image/jpeg" and upload.original_name == "خانه.html"
    assert upload.name.endswith(".jpg") and "خانه" not in upload.name
    upload.seek(0)
    with Image.open(upload) as image:
        assert not image.getexif().get_ifd(GPS_IFD) and 0x010F not in image.getexif()
