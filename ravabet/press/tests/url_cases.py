"""Rows of the URL × role matrix for the press part."""

from django.utils import timezone

from ravabet.testing import Case, post_only, unit_record


def _f():
    from ravabet.press.tests import factories

    return factories


def _outlet(world):
    return {"pk": _f().make_outlet(world.county_a).pk}


def _journalist(world):
    return {"pk": _f().make_journalist(world.county_a).pk}


def _request(world):
    return {"pk": _f().make_request(world.county_a).pk}


def _approved_request(world):
    return {"pk": _f().make_request(world.county_a, state="approved").pk}


def _visit(world):
    return {"pk": _f().make_visit(world.county_a).pk}


def _item(world):
    # The matrix refuses external links on pages; the item's own link is content, so it points home here.
    item = _f().make_item(world.county_a)
    item.link = "https://testserver/news/1"
    item.save(update_fields=["link"])
    return {"pk": item.pk}


def _contact(world):
    from ravabet.press.services import contact_record

    return {"pk": contact_record(unit=world.county_a, by=world.officer, contacted_at=timezone.now(), party="media",
                                 party_name="روزنامه خبر", subject="مصاحبه", hq_coordination="آقای احمدی").pk}


def _conference(world):
    return {"pk": _f().make_request(world.county_a, kind="conference", state="approved").pk}


def _source(world):
    return {"pk": _f().make_source(world.county_a).pk}


def _keyword(world):
    return {"pk": _f().make_keyword(world.county_a).pk}


LIST = Case(staff=403)
# Forms that add a record to the user's current unit: HQ adds to HQ's own directory.
UNIT_FORM = Case(staff=403)
# Requests and visits come from a county office, never from HQ itself.
COUNTY_FORM = Case(hq_head=403, hq_expert=403, staff=403)

CASES = {
    "press:outlet_list": LIST,
    "press:outlet_create": UNIT_FORM,
    "press:outlet_edit": unit_record(_outlet),
    "press:journalist_list": LIST,
    "press:journalist_create": UNIT_FORM,
    "press:journalist_edit": unit_record(_journalist),
    "press:request_list": LIST,
    "press:request_create": COUNTY_FORM,
    "press:request_detail": unit_record(_request),
    # Only a request HQ asked more about is edited; otherwise the page sends the user back to it.
    "press:request_edit": Case(kwargs=_request, hq_head=403, hq_expert=403, manager=302, officer=302, staff=404,
                               outsider=404),
    # An approved request is reported done by its unit only (the step "record_done"): HQ gets 403.
    "press:request_done": Case(kwargs=_approved_request, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "press:request_pdf": unit_record(_request),
    "press:visit_list": LIST,
    "press:visit_create": COUNTY_FORM,
    "press:visit_detail": unit_record(_visit),
    "press:visit_outcome": post_only(_visit),
    "press:contact_list": LIST,
    "press:contact_create": UNIT_FORM,
    "press:contact_detail": unit_record(_contact),
    # A county's contact is edited by its own people; HQ judges its coordination and does not edit it.
    "press:contact_edit": Case(kwargs=_contact, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "press:invitation_add": post_only(_conference),
    "press:invitation_record": post_only(lambda world: {**_conference(world), "invitation_pk": 1}),
    "press:item_list": LIST,
    "press:item_detail": unit_record(_item),
    "press:source_list": LIST,
    "press:source_edit": unit_record(_source),
    "press:source_fetch": post_only(_source),
    "press:keyword_add": UNIT_FORM,
    "press:keyword_delete": post_only(_keyword),
}
