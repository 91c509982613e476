"""Issue 13 §2: every private download goes through lib.uploads.private_file_response — the content type from
the checked type, `X-Content-Type-Options: nosniff`, `attachment` for anything that is not an image or a PDF
(and for what a unit or a citizen sent as PDF, or an untouched photo original that may carry GPS)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg(name="site.html", size=(640, 480)) -> SimpleUploadedFile:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0), 3: "E", 4: (51.0, 25.0, 0.0)}
    Image.new("RGB", size, (120, 160, 90)).save(out, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="text/html")


def _pdf(name="گواهی.html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="text/html")


def training_certificate(world, client_for):
    from ravabet.planning.forms import TrainingForm
    from ravabet.planning.tests.factories import make_training

    form = TrainingForm.__new__(TrainingForm)
    form.cleaned_data = {"certificate": _pdf()}
    training = make_training(world.county_a)
    training.certificate = form.clean_certificate()
    training.save()
    return client_for("officer"), reverse("planning:training_certificate", args=[training.pk]), \
        "application/pdf", f'attachment; filename="certificate-{training.pk}.pdf"'


def _answered(world, client_for, upload):
    from ravabet.complaints.tests.factories import make_case

    case = make_case(world.county_a)
    response = client_for("officer").post(reverse("complaints:answer", args=[case.pk]),
                                          {"answer": "گزارش بازدید پیوست است.", "attachment": upload})
    assert response.status_code == 302
    return client_for("manager"), reverse("complaints:answer_file", args=[case.pk, 1])


def complaint_answer_image(world, client_for):
    client, url = _answered(world, client_for, _jpeg("report.html"))
    return client, url, "image/jpeg", 'inline; filename="report.jpg"'


def complaint_answer_pdf(world, client_for):
    client, url = _answered(world, client_for, _pdf("پاسخ.pdf"))
    return client, url, "application/pdf", "attachment; filename*=utf-8''"


def _clipping(world, client_for, upload):
    from ravabet.complaints.forms import checked
    from ravabet.complaints.tests.factories import make_case

    case = make_case(world.county_a)
    upload = checked(upload)
    case.clipping.save(upload.name, upload, save=True)
    return client_for("officer"), reverse("complaints:clipping", args=[case.pk]), case


def complaint_clipping_pdf(world, client_for):
    client, url, case = _clipping(world, client_for, _pdf())
    return client, url, "application/pdf", f'attachment; filename="clipping-{case.tracking_code}.pdf"'


def complaint_clipping_image(world, client_for):
    client, url, case = _clipping(world, client_for, _jpeg())
    return client, url, "image/jpeg", f'inline; filename="clipping-{case.tracking_code}.jpg"'


def _profile(world, **files):
    from ravabet.offices.tests.factories import make_profile

    profile = make_profile(world)
    from ravabet.offices import profile_services

    return profile_services.profile_update(profile=profile, by=world.officer, **files)


def unit_profile_photo(world, client_for):
    from ravabet.offices.profile_forms import PHOTO_TYPES, check_files

    profile = _profile(world, photos=check_files([_jpeg()], PHOTO_TYPES))
    photo = profile.photos.get()
    return client_for("officer"), reverse("offices:profile_photo", args=[profile.pk, photo.pk]), "image/jpeg", "inline"


def unit_profile_brochure(world, client_for):
    from ravabet.lib.uploads import clean_upload

    brochure = _pdf("بروشور.html")
    clean_upload(brochure, allowed={"application/pdf"}, max_bytes=10**6)
    profile = _profile(world, brochure=brochure)
    return client_for("officer"), reverse("offices:profile_brochure", args=[profile.pk]), "application/pdf", \
        f'inline; filename="brochure-{profile.unit.code}-{profile.version}.pdf"'


def photo_library_original(world, client_for):
    from ravabet.photos.imagegen import landscape
    from ravabet.photos.services import photo_upload

    photo = photo_upload(upload=SimpleUploadedFile("installed.html", landscape(31), "text/html"),
                         unit=world.county_a, by=world.officer)
    # The untouched original (it may carry GPS) is always downloaded, named with its checked extension.
    return client_for("officer"), reverse("photos:original", args=[photo.pk]), "image/jpeg", \
        'attachment; filename="installed.jpg"'


def visit_photo(world, client_for):
    from ravabet.visits import services
    from ravabet.visits.tests.factories import make_visit

    visit = make_visit(world.county_a, done=True)
    photo = services.photo_add(visit=visit, by=world.officer, upload=_jpeg())
    return client_for("officer"), reverse("visits:photo", args=[photo.pk]), "image/jpeg", "inline"


@pytest.mark.parametrize("build", [training_certificate, complaint_answer_image, complaint_answer_pdf,
                                   complaint_clipping_pdf, complaint_clipping_image, unit_profile_photo,
                                   unit_profile_brochure, photo_library_original, visit_photo],
                         ids=lambda build: build.__name__)
def test_every_private_download_is_typed_from_the_checked_type_nosniff_and_disposed(build, world, client_for):
    client, url, kind, disposition = build(world, client_for)
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == kind
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(disposition), response["Content-Disposition"]
    assert body.startswith(b"%PDF-" if kind == "application/pdf" else b"\xff\xd8")


def test_a_record_whose_checked_type_is_not_servable_inline_is_downloaded_as_octet_stream(world, client_for,
                                                                                           settings):
    """An answer kept from before the pipeline with an unknown type: never text/html, always an attachment."""
    from ravabet.complaints.models import Answer

    client, url = _answered(world, client_for, _jpeg("report.jpg"))
    Answer.objects.update(attachment_type="text/html", attachment_name="x.html")
    response = client.get(url)
    b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment") and "x.jpg" in response["Content-Disposition"]
