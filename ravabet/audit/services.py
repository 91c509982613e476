from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import ActionLog


def log_action(*, actor, action: str, summary: str, target: models.Model | None = None,
               unit=None, data: dict[str, Any] | None = None, ip_address: str | None = None) -> ActionLog:
    """Record one action. Every service calls this once per change it makes.

    `action` is a stable dotted code ("news.submitted"); `summary` is the Persian line
    people read in the record's timeline; `data` holds before/after values.
    """
    if unit is None and target is not None:
        unit = getattr(target, "unit", None)
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return ActionLog.objects.create(
        actor=actor,
        unit=unit,
        action=action,
        summary=summary[:300],
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
        ip_address=ip_address,
    )


def changes(instance: models.Model, fields: list[str], before: dict[str, Any]) -> dict[str, list]:
    """{"field": [old, new]} for the fields whose value changed since `before`."""
    result = {}
    for name in fields:
        new = getattr(instance, name)
        if before.get(name) != new:
            result[name] = [before.get(name), new]
    return result


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def timeline_for(target: models.Model):
    return ActionLog.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor").order_by("created_at", "pk")
