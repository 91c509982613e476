"""Writes to units, people and closures: each checks permission and is logged."""

from django.db import transaction

from ravabet.audit.services import changes, log_action, snapshot

from .access import access_for
from .models import Closure, Person, Unit
from .roles import HQ_ROLES, Role

PERSON_FIELDS = ["full_name", "position", "mobile", "email", "national_code", "sms_opt_out", "is_active"]
STAFF_EDITORS = HQ_ROLES | {Role.PR_OFFICER, Role.UNIT_MANAGER}


@transaction.atomic
def person_create(*, unit: Unit, by, **fields) -> Person:
    access_for(by).require(unit, STAFF_EDITORS)
    person = Person(unit=unit, **fields)
    person.full_clean()
    person.save()
    log_action(actor=by, action="offices.person_created", summary=f"ثبت «{person.full_name}» در فهرست کارکنان",
               target=person, unit=unit)
    return person


@transaction.atomic
def person_update(*, person: Person, by, **fields) -> Person:
    access_for(by).require(person.unit, STAFF_EDITORS)
    before = snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save(update_fields=list(fields))
    diff = changes(person, PERSON_FIELDS, before)
    if diff:
        log_action(actor=by, action="offices.person_updated", summary=f"ویرایش «{person.full_name}»",
                   target=person, data={"changes": diff})
    return person


@transaction.atomic
def person_archive(*, person: Person, by) -> Person:
    access_for(by).require(person.unit, STAFF_EDITORS)
    person.is_active = False
    person.save(update_fields=["is_active"])
    log_action(actor=by, action="offices.person_archived", summary=f"بایگانی «{person.full_name}»", target=person)
    return person


@transaction.atomic
def closure_add(*, date, title: str, by) -> Closure:
    access_for(by).require_hq()
    closure = Closure(date=date, title=title)
    closure.full_clean()
    closure.save()
    log_action(actor=by, action="offices.closure_added", summary=f"ثبت تعطیلی «{title}»", target=closure)
    return closure


@transaction.atomic
def closure_remove(*, closure: Closure, by) -> None:
    access_for(by).require_hq()
    log_action(actor=by, action="offices.closure_removed", summary=f"حذف تعطیلی «{closure.title}»",
               data={"date": closure.date})
    closure.delete()
