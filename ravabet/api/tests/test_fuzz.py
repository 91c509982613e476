"""The API fuzzed against its own OpenAPI schema with schemathesis (issue 18, point 2): for every operation,
generated requests (valid and invalid) never get a 500, and every answer's status code, content type and
body match the schema. In-process through the WSGI app, on data of every kind the endpoints read; the
staff operations are called with a county officer's token. Bounded (a few examples an operation) so the
whole run stays well under two minutes on the CI machine."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ravabet.api.tokens import token_create

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def api_world(world):
    """Records each endpoint can find: published news with a photo, an open survey, a guest, a case, a task."""
    from ravabet.complaints.tests.factories import make_case
    from ravabet.events.tests.factories import make_event, make_guest
    from ravabet.hqtasks.tests.factories import make_assignment
    from ravabet.surveys.models import State
    from ravabet.surveys.tests.factories import make_survey

    from .helpers import published

    published(world, photos=1)
    make_survey(world.county_a, state=State.OPEN)
    make_guest(make_event(world.county_a))
    make_case(world.county_a)
    make_assignment(world.county_a)
    cache.clear()
    _, text = token_create(by=world.officer, name="fuzz")
    # The real WSGI handler closes the database connection after each request (Django's test client turns
    # that off); on PostgreSQL that would end the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {text}"}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_conforms_to_its_schema_and_never_fails(case, api_world):
    case.call_and_validate(headers=api_world, checks=CHECKS)
