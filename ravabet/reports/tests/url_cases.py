"""Rows of the URL × role matrix for the reports part."""

from ravabet.testing import Case, post_only, public, unit_record


def _report(world):
    from ravabet.reports.tests.factories import make_report

    return {"pk": make_report(world).pk}


def _draft(world):
    from ravabet.reports.tests.factories import make_report

    return {"pk": make_report(world, send=False).pk}


def _attachment(world):
    from ravabet.reports.tests.factories import make_report, pdf

    report = make_report(world, attachments=[pdf("a.pdf")])
    return {"pk": report.pk, "attachment_pk": report.attachments.get().pk}


def _profile(world):
    from ravabet.reports.tests.factories import make_profile

    return {"pk": make_profile(world, submit=True).pk}


def _draft_profile(world):
    from ravabet.reports.tests.factories import make_profile

    return {"pk": make_profile(world).pk}


def _photo(world):
    from ravabet.reports.tests.factories import jpeg, make_profile

    profile = make_profile(world, submit=True, photos=[jpeg()])
    return {"pk": profile.pk, "photo_pk": profile.photos.get().pk}


def _public_unit(world):
    from ravabet.reports.tests.factories import make_profile

    make_profile(world, acknowledge=True)
    return {"code": world.county_a.code}


def _public_photo(world):
    from ravabet.reports.tests.factories import jpeg, make_profile

    profile = make_profile(world, acknowledge=True, photos=[jpeg()])
    return {"code": world.county_a.code, "photo_pk": profile.photos.get().pk}


# Only county people write reports; HQ reads and answers them.
UNIT_FORM = Case(hq_head=403, hq_expert=403, staff=403)

CASES = {
    "reports:list": Case(staff=403),
    "reports:create": UNIT_FORM,
    "reports:detail": unit_record(_report),
    # HQ never sees a unit's draft: it is the unit's own until sent.
    "reports:edit": Case(kwargs=_draft, hq_head=404, hq_expert=404, staff=404, outsider=404),
    "reports:send": post_only(_draft),
    "reports:answer": post_only(_report),
    "reports:close": post_only(_report),
    "reports:pdf": unit_record(_report),
    "reports:attachment": unit_record(_attachment),
    "reports:profiles": Case(staff=403),
    "reports:profile_start": post_only(),
    "reports:profile_detail": unit_record(_profile),
    # A submitted version is not editable: its people are sent back to the version's page.
    "reports:profile_edit": Case(kwargs=_draft_profile, hq_head=404, hq_expert=404, staff=404, outsider=404),
    "reports:profile_submit": post_only(_draft_profile),
    "reports:profile_review": post_only(_profile),
    "reports:profile_brochure": unit_record(_profile),
    "reports:profile_brochure_remove": post_only(_draft_profile),
    "reports:profile_photo": unit_record(_photo),
    "reports:profile_photo_remove": post_only(_photo),
    "reports:public_unit": public(_public_unit),
    "reports:public_brochure": public(_public_unit),
    "reports:public_photo": public(_public_photo),
}
