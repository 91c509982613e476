"""Rows of the URL × role matrix for the events part (tasks, events, supplies, occasions)."""

from ravabet.testing import Case, hq_only, post_only, public, unit_record


def _f():
    from ravabet.events.tests import factories

    return factories


def _assignment(world):
    return {"pk": _f().make_assignment(world.county_a).pk}


def _assignment_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assignment = _f().make_assignment(world.county_a)
    assignment.evidence_file.save("e.pdf", SimpleUploadedFile("e.pdf", _f().PDF), save=False)
    assignment.evidence_type = "application/pdf"
    assignment.save()
    return {"pk": assignment.pk}


def _event(world):
    return {"pk": _f().make_event(world.county_a).pk}


def _runsheet(world):
    event = _f().make_event(world.county_a)
    return {"pk": event.pk, "item_pk": event.items.first().pk}


def _card(world):
    event = _f().make_event(world.county_a)
    return {"pk": event.pk, "guest_pk": _f().make_guest(event).pk}


def _rsvp(world):
    return {"token": _f().make_guest(_f().make_event(world.county_a)).token}


def _supply(world):
    return {"pk": _f().make_supply(world.county_a).pk}


def _loan(world):
    return {"pk": _f().make_loan(world.county_a).pk}


def _occasion(world):
    return {"pk": _f().make_occasion().pk}


def _content(world):
    return {"pk": _f().make_content(world.county_a).pk}


def _content_file(world):
    return {"pk": _f().make_content(world.county_a, with_file=True).pk}


WORKERS = Case(staff=403)
COUNTY_FORM = Case(hq_head=403, hq_expert=403, staff=403)
UNIT_FILE = {"staff": 404, "outsider": 404}

CASES = {
    "events:rsvp": public(_rsvp),
    "events:tasks": WORKERS,
    "events:task_create": hq_only(),
    "events:assignment": unit_record(_assignment),
    "events:assignment_done": post_only(_assignment),
    "events:assignment_review": post_only(_assignment),
    "events:assignment_file": Case(kwargs=_assignment_file, **UNIT_FILE),
    "events:list": WORKERS,
    "events:create": WORKERS,
    "events:detail": unit_record(_event),
    "events:edit": unit_record(_event),
    "events:state": post_only(_event),
    "events:runsheet": post_only(_runsheet),
    "events:runsheet_pdf": Case(kwargs=_event, **UNIT_FILE),
    "events:guest_add": post_only(_event),
    "events:guest_export": Case(kwargs=_event, **UNIT_FILE),
    "events:card": Case(kwargs=_card, **UNIT_FILE),
    "events:invite": post_only(_event),
    "events:check_in": unit_record(_event),
    "events:supplies": WORKERS,
    "events:supply": unit_record(_supply),
    "events:supply_return": post_only(_loan),
    "events:occasions": WORKERS,
    "events:occasion_create": hq_only(),
    "events:occasions_seed": post_only(),
    "events:occasion": Case(kwargs=_occasion, staff=403),
    "events:occasion_edit": hq_only(_occasion),
    "events:activities": WORKERS,
    "events:activity_create": COUNTY_FORM,
    "events:contents": WORKERS,
    "events:content_create": COUNTY_FORM,
    "events:content": unit_record(_content),
    "events:content_send": post_only(_content),
    "events:content_ack": post_only(_content),
    "events:content_file": Case(kwargs=_content_file, **UNIT_FILE),
}
