"""Issue 13, point 5: the action log and the refusal log refuse UPDATE and DELETE in the database;
refused requests (403) are logged. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from ravabet.audit.models import ActionLog, Refusal
from ravabet.audit.services import log_action

pytestmark = pytest.mark.django_db


def _entry(world):
    return log_action(actor=world.officer, action="tests.sample", summary="نمونه", target=world.county_a)


def test_queryset_update_is_refused_by_the_database(world):
    entry = _entry(world)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ActionLog.objects.filter(pk=entry.pk).update(summary="دست‌کاری")
    entry.refresh_from_db()
    assert entry.summary == "نمونه"


def test_queryset_delete_and_raw_sql_are_refused_by_the_database(world):
    entry = _entry(world)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ActionLog.objects.filter(pk=entry.pk)._raw_delete(ActionLog.objects.db)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_actionlog")
    Refusal.objects.create(method="GET", path="/units/")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_refusal SET path = 'x'")
    assert ActionLog.objects.filter(pk=entry.pk).exists()


def test_new_entries_are_still_written(world):
    _entry(world)
    _entry(world)
    assert ActionLog.objects.filter(action="tests.sample").count() == 2


def test_a_refused_request_is_logged(world, client_for):
    response = client_for("officer").get("/units/")
    assert response.status_code == 403
    refusal = Refusal.objects.get()
    assert refusal.actor == world.officer and refusal.path == "/units/" and refusal.method == "GET"
    assert refusal.ip_address == "127.0.0.1"
    with pytest.raises(IntegrityError), transaction.atomic():
        Refusal.objects.all().delete()


def test_an_anonymous_csrf_refusal_is_logged(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert Refusal.objects.get().actor is None


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_logs_and_keeps_the_triggers(world):
    _entry(world)
    call_command("flush", interactive=False, verbosity=0)
    assert not ActionLog.objects.exists()
    from ravabet.offices.models import Unit, User

    user = User.objects.create_user("flushed", password="x")
    entry = log_action(actor=user, action="tests.sample", summary="پس از پاک‌سازی", target=Unit.objects.first())
    with pytest.raises(IntegrityError):
        ActionLog.objects.filter(pk=entry.pk).update(summary="x")
