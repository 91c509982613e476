from ravabet.testing import Case, hq_only, post_only, unit_record


def _photo(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ravabet.photos.imagegen import landscape
    from ravabet.photos.services import photo_upload

    photo = photo_upload(upload=SimpleUploadedFile("a.jpg", landscape(99, size=(640, 427))), unit=world.county_a,
                         by=world.officer)
    return {"pk": photo.pk}


CASES = {
    "photos:library": Case(),
    "photos:rules": hq_only(),
    "photos:original": unit_record(_photo),
    "photos:caption": post_only(_photo),
}
