"""What every signed-in page pays before its own work (issue 11): the navigation bar is built once per set of
roles, not reversed feature by feature on every request, and the shell adds a fixed number of queries."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ravabet.compliance.registry import nav_features
from ravabet.offices import context_processors


def test_the_navigation_is_reversed_once_per_set_of_roles_and_links_every_feature(world, client_for):
    context_processors.forget_navigation()
    officer, expert = client_for("officer"), client_for("hq_expert")
    with mock.patch("ravabet.compliance.registry.reverse", side_effect=reverse) as reversing:
        first = officer.get(reverse("password_change"))
        built = reversing.call_count
        again = officer.get(reverse("password_change"))
        assert reversing.call_count == built > 0  # the second page reused the officer's navigation
        expert.get(reverse("password_change"))
        assert reversing.call_count > built  # another set of roles: its own navigation
    assert first.status_code == again.status_code == 200
    roles = {membership.role for membership in world.users["officer"].memberships.all()}
    for feature in nav_features(roles):
        assert f'href="{reverse(feature.url_name)}"' in again.content.decode(), feature.key


def test_the_shell_costs_the_same_queries_whatever_the_number_of_features(world, client_for):
    """The navigation, unit switcher and notice count: the page's query count does not depend on how many
    features the person's roles open (an officer's few and HQ's many)."""
    counts = {}
    for actor in ("officer", "hq_expert"):
        client = client_for(actor)
        client.get(reverse("password_change"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("password_change")).status_code == 200
        counts[actor] = len(captured.captured_queries)
    assert counts["officer"] == counts["hq_expert"] <= 6, counts
