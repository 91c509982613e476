"""Rows of the URL × role matrix for the events part (events, guests, supplies)."""

from ravabet.testing import Case, post_only, public, unit_record


def _f():
    from ravabet.events.tests import factories

    return factories


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


def _event_photo(world):
    from ravabet.photos.models import Photo

    event = _f().make_event(world.county_a)
    photo = Photo.objects.create(unit=world.county_a, width=1600, height=1000)
    event.photos.add(photo)
    return {"pk": event.pk, "photo_pk": photo.pk}


def _supply(world):
    return {"pk": _f().make_supply(world.county_a).pk}


def _loan(world):
    return {"pk": _f().make_loan(world.county_a).pk}


def _outsider(world):
    from ravabet.events.models import OutsidePerson

    return {"pk": OutsidePerson.objects.create(unit=world.county_a, full_name="استاد کریم منصوری").pk}


WORKERS = Case(staff=403)
UNIT_FILE = {"staff": 404, "outsider": 404}

CASES = {
    "events:rsvp": public(_rsvp),
    "events:list": WORKERS,
    "events:create": WORKERS,
    "events:my_roles": Case(staff=200),
    "events:detail": unit_record(_event),
    "events:edit": unit_record(_event),
    "events:runsheet": unit_record(_runsheet),
    "events:runsheet_save": unit_record(_event),
    "events:record": unit_record(_event),
    "events:photos": unit_record(_event),
    "events:photo_remove": post_only(_event_photo),
    "events:runsheet_pdf": Case(kwargs=_event, **UNIT_FILE),
    "events:guest_add": post_only(_event),
    "events:guest_export": Case(kwargs=_event, **UNIT_FILE),
    "events:card": Case(kwargs=_card, **UNIT_FILE),
    "events:guest_edit": unit_record(_card),
    "events:guest_delete": post_only(_card),
    "events:invite": post_only(_event),
    "events:check_in": unit_record(_event),
    "events:outside_people": WORKERS,
    "events:outside_person": unit_record(_outsider),
    "events:supplies": WORKERS,
    "events:supply_kit": WORKERS,
    "events:supply": unit_record(_supply),
    "events:supply_return": post_only(_loan),
}
