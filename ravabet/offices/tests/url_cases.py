"""Rows of the URL × role matrix for the unit profile (B9). The platform's own offices pages are in
ravabet/tests/url_cases.py; the profile's steps run through the generic workflow view (test_matrix)."""

from ravabet.testing import Case, post_only, public, unit_record


def _profile(world):
    from ravabet.offices.tests.factories import make_profile

    return {"pk": make_profile(world, submit=True).pk}


def _draft_profile(world):
    from ravabet.offices.tests.factories import make_profile

    return {"pk": make_profile(world).pk}


def _photo(world):
    from ravabet.offices.tests.factories import jpeg, make_profile

    profile = make_profile(world, submit=True, photos=[jpeg()])
    return {"pk": profile.pk, "photo_pk": profile.photos.get().pk}


def _public_unit(world):
    from ravabet.offices.tests.factories import make_profile

    make_profile(world, acknowledge=True)
    return {"code": world.county_a.code}


def _public_photo(world):
    from ravabet.offices.tests.factories import jpeg, make_profile

    profile = make_profile(world, acknowledge=True, photos=[jpeg()])
    return {"code": world.county_a.code, "photo_pk": profile.photos.get().pk}


CASES = {
    "offices:profiles": Case(staff=403),
    "offices:profile_start": post_only(),
    "offices:profile_detail": unit_record(_profile),
    # A submitted version is not editable: its people are sent back to the version's page.
    "offices:profile_edit": Case(kwargs=_draft_profile, hq_head=404, hq_expert=404, staff=404, outsider=404),
    "offices:profile_brochure": unit_record(_profile),
    "offices:profile_brochure_remove": post_only(_draft_profile),
    "offices:profile_photo": unit_record(_photo),
    "offices:profile_photo_remove": post_only(_photo),
    "offices:public_unit": public(_public_unit),
    "offices:public_brochure": public(_public_unit),
    "offices:public_photo": public(_public_photo),
}
