"""Every declared step × every actor, generated from the declarations.

Each app that declares a workflow gives, in `<app>/tests/workflow_samples.py`, a dict
`SAMPLES = {"app.model": make}` where `make(world, step_name, source_state) -> (record, values)`
builds a record of county A in `source_state` that satisfies the step's guards, and the values a
person would type for its needs (as form strings). The expected answer comes from the world's
memberships and the declared roles, not from the access code under test: an actor holding a declared
role gets the step (302 and the target state, one log entry); anyone else gets 403 (404 when the
record's unit is not theirs or they have no part in the workflow) and nothing changes. A step with
`actor=` (the person the record names) is expected to succeed only for that person.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.offices.roles import Role
from ravabet.workflow.declare import unit_of
from ravabet.workflow.engine import steps_of, visible_roles, workflow_models

ACTORS = {"hq_head": Role.HQ_HEAD, "hq_expert": Role.HQ_EXPERT, "manager": Role.UNIT_MANAGER,
          "officer": Role.PR_OFFICER, "staff": Role.STAFF, "outsider": Role.PR_OFFICER}


def _samples() -> dict:
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("ravabet."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.workflow_samples")
        except ModuleNotFoundError:
            continue
        found.update(module.SAMPLES)
    return found


SAMPLES = _samples()
CASES = [(model._meta.label_lower, name, source, actor)
         for model in workflow_models() for name, spec in steps_of(model).items()
         for source in spec.sources for actor in ACTORS]


def test_every_workflow_has_samples():
    missing = [model._meta.label_lower for model in workflow_models() if model._meta.label_lower not in SAMPLES]
    assert not missing, f"add these to a tests/workflow_samples.py: {missing}"


def client_user(world, actor: str):
    return world.users[actor]


def _role_in(world, actor: str, unit) -> str | None:
    """The actor's role in `unit`, from how the test world was built (HQ roles reach every county)."""
    if actor in ("hq_head", "hq_expert"):
        return ACTORS[actor]
    home = world.county_b if actor == "outsider" else world.county_a
    return ACTORS[actor] if unit.pk == home.pk else None


@pytest.mark.parametrize(("label", "name", "source", "actor"), CASES)
def test_step_for_actor(world, client_for, label, name, source, actor):
    model = apps.get_model(label)
    spec = steps_of(model)[name]
    record, values = SAMPLES[label](world, name, source)
    assert getattr(record, spec.field) == source
    unit = unit_of(record)
    role = _role_in(world, actor, unit)
    logs_before = ActionLog.objects.count()
    response = client_for(actor).post(reverse("workflow:transition", args=[label, record.pk, name]), values)
    record.refresh_from_db()
    if role in spec.roles and (spec.actor is None or client_user(world, actor) in spec.actor(record, None)):
        assert response.status_code == 302, (response.status_code, response.content.decode()[:2000])
        assert getattr(record, spec.field) == spec.target
        assert ActionLog.objects.filter(action=spec.log).count() >= 1
    else:
        sees = role in visible_roles(model)
        assert response.status_code == (403 if sees else 404), response.status_code
        assert getattr(record, spec.field) == source
        assert ActionLog.objects.count() == logs_before
