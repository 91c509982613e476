"""Rows of the URL × role matrix for the visits part."""

from ravabet.testing import Case, post_only, unit_record


def _visit(world):
    from ravabet.visits.tests.factories import make_visit

    return {"pk": make_visit(world.county_a).pk}


def _cancelled_visit(world):
    from ravabet.visits.tests.factories import make_visit

    return {"pk": make_visit(world.county_a, state="cancelled").pk}


def _photo(world):
    from ravabet.visits import services
    from ravabet.visits.tests.factories import jpeg, make_visit, officer_of

    visit = make_visit(world.county_a, done=True)
    return {"pk": services.photo_add(visit=visit, by=officer_of(world.county_a), upload=jpeg()).pk}


def _place(world):
    from ravabet.visits import services
    from ravabet.visits.tests.factories import officer_of

    return {"pk": services.place_save(unit=world.county_a, by=officer_of(world.county_a), name="کارگاه پل",
                                      kind="site", address="", latitude=None, longitude=None, every_days=30,
                                      is_active=True).pk}


# Only the county's own officer and manager change its visits; HQ reads them (the record and replan
# pages refuse HQ with 403 from the workflow declaration).
EDIT = Case(kwargs=_visit, hq_head=403, hq_expert=403, staff=404, outsider=404)

CASES = {
    "visits:list": Case(staff=403),
    "visits:create": Case(staff=403),
    "visits:monthly": Case(staff=403),
    "visits:places": Case(staff=403),
    # Plain staff see the actions they owe.
    "visits:actions": Case(staff=200),
    "visits:detail": unit_record(_visit),
    "visits:edit": EDIT,
    "visits:record": EDIT,
    "visits:replan": Case(kwargs=_cancelled_visit, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "visits:photo_add": post_only(_visit),
    "visits:action_add": post_only(_visit),
    "visits:photo": Case(kwargs=_photo, staff=404, outsider=404),
    "visits:place_create": Case(staff=403),
    "visits:place_edit": Case(kwargs=_place, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "visits:pdf": unit_record(_visit),
}
