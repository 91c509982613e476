"""The compliance part's rows of the URL × role matrix (ravabet/tests/test_url_matrix.py)."""

from ravabet.testing import Case, hq_only, post_only


def _cell(world):
    return {"unit_id": world.county_a.pk, "code": "F1"}


def _mark(world):
    from ravabet.planning.tests.factories import make_meeting

    return {"unit_id": world.county_a.pk, "code": "B4", "pk": make_meeting(world.county_a).pk}


CASES = {
    # HQ sees the evaluation; a county's manager and PR officer are sent to their own view (302).
    "compliance:mine": Case(hq_head=403, hq_expert=403, staff=403),
    "compliance:weights": hq_only(),
    "compliance:close": post_only(),
    "compliance:refresh": post_only(),
    # HQ only; a county's people are not sent anywhere (the list that fetches it is HQ's).
    "compliance:unit_rows": Case(kwargs=lambda world: {"unit_id": world.county_a.pk}, manager=403, officer=403,
                                 staff=403, outsider=403),
    "compliance:cell": Case(kwargs=_cell, staff=403, outsider=404),
    "compliance:mark": post_only(_mark),
}
