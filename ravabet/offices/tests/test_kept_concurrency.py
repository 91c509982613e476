"""Roles kept per process (offices.kept) against changes made in another database connection, on PostgreSQL:
an uncommitted change is not seen, a committed one is seen on the next request, a rolled-back one never."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from ravabet.offices.models import Membership

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for a second connection"),
]


def _in_other_connection(world, commit: bool, while_open):
    """Delete the officer's memberships in a new connection (a thread), call `while_open()` while that
    transaction is open, then commit or roll it back."""
    opened, finish = threading.Event(), threading.Event()

    def run():
        try:
            with transaction.atomic():
                Membership.objects.filter(user=world.officer).delete()
                opened.set()
                finish.wait(10)
                if not commit:
                    transaction.set_rollback(True)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert opened.wait(10)
    try:
        while_open()
    finally:
        finish.set()
        thread.join()


@pytest.mark.parametrize("commit", [True, False])
def test_a_role_removed_in_another_connection_counts_from_its_commit_only(world, client_for, commit):
    officer = client_for("officer")
    page = reverse("complaints:list")
    assert officer.get(page).status_code == 200  # the roles are kept now

    def not_seen_before_the_commit():
        assert officer.get(page).status_code == 200

    _in_other_connection(world, commit, not_seen_before_the_commit)
    assert officer.get(page).status_code == (403 if commit else 200)
    assert officer.get(page).status_code == (403 if commit else 200)
