"""The signed-in person, their roles and the active units kept per process under the people stamp (offices.kept,
issue 11): no query for them while nothing changed, and every kind of write — a form's save, a bulk update,
raw SQL — seen on the very next request, since database triggers change the stamp."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ravabet.lib import stamps
from ravabet.offices import kept
from ravabet.offices.models import Membership, Unit, User
from ravabet.offices.roles import Role

PEOPLE_TABLES = ("offices_user", "offices_membership", "offices_unit")


def _people_queries(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries
            if any(f'"{table}"' in query["sql"] for table in PEOPLE_TABLES)]


def _get(client, name: str = "complaints:list"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name))
    return response, captured


def test_a_second_page_reads_no_user_roles_or_units_and_one_stamp_query(client_for):
    expert = client_for("hq_expert")
    _get(expert)
    response, captured = _get(expert)
    assert response.status_code == 200
    assert _people_queries(captured) == []
    assert sum('"lib_stamp"' in query["sql"] for query in captured.captured_queries) == 1
    assert "اداره شهرستان الف" in response.content.decode()  # the unit filter, built from the kept units


@pytest.mark.parametrize("write", ["orm", "bulk", "raw"])
def test_a_role_removed_by_any_write_is_refused_on_the_next_request(world, client_for, write):
    officer = client_for("officer")
    assert _get(officer)[0].status_code == 200
    memberships = Membership.objects.filter(user=world.officer)
    if write == "orm":
        for membership in memberships:
            membership.delete()
    elif write == "bulk":
        memberships.delete()
    else:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM offices_membership WHERE user_id = %s", [world.officer.pk])
    assert _get(officer)[0].status_code == 403


def test_a_role_given_by_a_bulk_create_opens_the_page_on_the_next_request(world, client_for):
    staff = client_for("staff")
    assert _get(staff, "reports:list")[0].status_code == 403
    Membership.objects.bulk_create([Membership(user=world.staff, unit=world.county_a, role=Role.PR_OFFICER)])
    assert _get(staff, "reports:list")[0].status_code == 200


def test_a_user_deactivated_by_an_update_is_signed_out_on_the_next_request(world, client_for):
    officer = client_for("officer")
    assert _get(officer)[0].status_code == 200
    User.objects.filter(pk=world.officer.pk).update(is_active=False)
    response, _ = _get(officer)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_password_changed_elsewhere_ends_the_other_sessions(world, client_for):
    """Django's session check compares the session's hash with the user's password: a kept user must carry the
    new password as soon as it is changed."""
    officer = client_for("officer")
    assert _get(officer)[0].status_code == 200
    user = User.objects.get(pk=world.officer.pk)
    user.set_password("another-pass-1405")
    user.save(update_fields=["password"])
    assert _get(officer)[0].status_code == 302


def test_a_unit_made_inactive_leaves_hq_filters_and_its_officers_roles(world, client_for):
    expert, outsider = client_for("hq_expert"), client_for("outsider")
    assert "اداره شهرستان ب" in _get(expert)[0].content.decode()
    assert _get(outsider)[0].status_code == 200
    Unit.objects.filter(pk=world.county_b.pk).update(is_active=False)
    assert "اداره شهرستان ب" not in _get(expert)[0].content.decode()
    assert _get(outsider)[0].status_code == 403


def test_nothing_read_inside_a_transaction_is_kept_so_a_rolled_back_role_is_never_seen(world):
    """A transaction that gives a role and rolls back: what it read of that role must not outlive it."""
    kept.forget()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        Membership.objects.create(user=world.staff, unit=world.county_b, role=Role.PR_OFFICER)
        assert {m.role for m in kept.memberships(world.staff.pk)} == {Role.STAFF, Role.PR_OFFICER}
        raise Undo
    assert len(kept._kept) == 0
    assert [m.role for m in kept.memberships(world.staff.pk)] == [Role.STAFF]


def test_kept_instances_are_fresh_for_every_caller(world):
    first, second = kept.memberships(world.officer.pk), kept.memberships(world.officer.pk)
    assert first[0] is not second[0] and first[0].unit is not second[0].unit
    first[0].unit.name = "changed by one request"
    assert kept.memberships(world.officer.pk)[0].unit.name == world.county_a.name
    assert kept.user(world.officer.pk).username == "officer" and kept.user(10**9) is None


def test_every_people_table_has_its_trigger(world):
    """Each write to a user, a membership or a unit writes a fresh people token (the triggers of offices
    migration 0004), through the ORM's save, update and delete."""
    def token():
        return stamps.token(kept.PEOPLE_STAMP)

    seen = {token()}
    world.county_a.save()
    seen.add(token())
    User.objects.filter(pk=world.officer.pk).update(full_name="نام تازه")
    seen.add(token())
    Membership.objects.filter(user=world.staff).delete()
    seen.add(token())
    newcomer = User.objects.create_user(username="newcomer", full_name="تازه‌وارد")
    seen.add(token())
    User.objects.filter(pk=newcomer.pk).delete()
    seen.add(token())
    assert len(seen) == 6 and "" not in seen


EXPECTED_TRIGGERS = {
    "postgresql": {"offices_user_people_stamp", "offices_user_people_stamp_update",
                   "offices_membership_people_stamp", "offices_unit_people_stamp"},
    "sqlite": {f"{table}_people_stamp_{operation}" for table in PEOPLE_TABLES
               for operation in ("insert", "update", "delete")},
}


def test_no_migration_has_dropped_a_people_trigger(db):
    """A migration that rebuilds a people table (SQLite's AddField or AlterField) drops its triggers; it must
    create them again (offices migration 0005's docstring), or a role taken away would stay kept."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%%_people_stamp%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_people_stamp%'")
        found = {row[0] for row in cursor.fetchall()}
    assert found == EXPECTED_TRIGGERS[connection.vendor]


def test_a_request_sees_its_own_saved_role_change(world, rf):
    """A write through save() makes the rest of its own request read the people stamp again."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
        assert [m.role for m in kept.memberships(world.staff.pk)] == [Role.STAFF]
        Membership.objects.create(user=world.staff, unit=world.county_a, role=Role.PR_OFFICER)
        assert {m.role for m in kept.memberships(world.staff.pk)} == {Role.STAFF, Role.PR_OFFICER}
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_a_membership_in_a_unit_newer_than_the_kept_units_is_left_out_not_an_error(world, monkeypatch):
    """The units kept under this request's token, the memberships read later after another process committed a
    new unit with a role in it: that role is left out (a refusal, never a grant) until the next request reads
    the new token and both again."""
    monkeypatch.setattr(stamps, "token", lambda name: "the token this request read")
    kept.units([world.county_a.pk])  # the units, kept before the other process's commit
    unit = Unit.objects.create(code="new", name="اداره شهرستان تازه", city="شهر", parent=world.hq)
    Membership.objects.create(user=world.staff, unit=unit, role=Role.PR_OFFICER)
    assert [m.role for m in kept.memberships(world.staff.pk)] == [Role.STAFF]
    monkeypatch.undo()
    assert {m.role for m in kept.memberships(world.staff.pk)} == {Role.STAFF, Role.PR_OFFICER}


def test_a_session_signed_in_before_the_kept_backend_stays_signed_in(world, client):
    client.force_login(world.officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("complaints:list")).status_code == 200


def test_a_sign_in_leaves_the_people_token_and_a_kept_user_reads_its_sign_in_time_fresh(world, client):
    """A sign-in updates only `last_login` (offices migration 0005): every worker keeps its people, and a
    kept user neither shows nor saves back an older sign-in time."""
    before = stamps.token(kept.PEOPLE_STAMP)
    User.objects.filter(pk=world.officer.pk).update(last_login=None)
    assert stamps.token(kept.PEOPLE_STAMP) == before
    client.force_login(User.objects.get(pk=world.officer.pk))  # Django's login(): user_logged_in, last_login
    assert stamps.token(kept.PEOPLE_STAMP) == before
    signed_in_at = User.objects.get(pk=world.officer.pk).last_login
    assert signed_in_at is not None

    officer = kept.user(world.officer.pk)
    assert officer.get_deferred_fields() == {"last_login"}
    assert officer.last_login == signed_in_at
    stale = kept.user(world.officer.pk)
    User.objects.filter(pk=world.officer.pk).update(last_login=signed_in_at.replace(year=signed_in_at.year + 1))
    stale.full_name = "نام تازه"
    stale.save()
    assert stamps.token(kept.PEOPLE_STAMP) != before
    saved = User.objects.get(pk=world.officer.pk)
    assert saved.full_name == "نام تازه" and saved.last_login.year == signed_in_at.year + 1


def test_the_user_update_trigger_watches_every_kept_column(world):
    """Adding a column to users without adding it to the trigger would let a change to it go unseen by every
    worker: the trigger's columns must be exactly the ones a kept user carries."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT event_object_column FROM information_schema.triggered_update_columns "
                           "WHERE trigger_name = 'offices_user_people_stamp_update'")
            watched = {row[0] for row in cursor.fetchall()}
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND name = 'offices_user_people_stamp_update'")
            sql = cursor.fetchone()[0]
        watched = {name.strip() for name in sql.split(" OF ", 1)[1].split(" ON ", 1)[0].split(",")}
    assert watched == set(kept.kept_user_columns())
    before = stamps.token(kept.PEOPLE_STAMP)
    User.objects.filter(pk=world.officer.pk).update(sms_notices=not world.officer.sms_notices)
    assert stamps.token(kept.PEOPLE_STAMP) != before
