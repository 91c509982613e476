""""What waits for me": records in a state whose next expected step the person may make, derived
from the declarations (see `engine.waiting_filter`). Shown on every home page; for the HQ head it
is the list of what waits for *him*, by name, not only counts (issue: whoever must act next)."""

from dataclasses import dataclass

from django.db.models import Count, Window

from ravabet.offices.access import Access

from .engine import unit_lookup, waiting_filter, workflow_models


@dataclass
class Waiting:
    title: str
    count: int
    records: list


def waiting_for(access: Access, *, limit: int = 5) -> list[Waiting]:
    """One group per workflow model with records waiting for the person: the model's plural name,
    how many, and the `limit` oldest-changed first (each with `unit`). One query per workflow model (the
    total read beside the rows by a window count); none for a person without roles."""
    groups = []
    if not access.memberships:
        return groups
    for model in workflow_models():
        condition = waiting_filter(model, access)
        if condition is None:
            continue
        queryset = model._default_manager.filter(condition)
        unit_path = unit_lookup(model)
        # A model names in WAITING_RELATED the relations its str() reads (one join instead of a query a row).
        related = (unit_path, *getattr(model, "WAITING_RELATED", ()))
        records = list(queryset.select_related(*related).annotate(waiting_total=Window(Count("pk")))
                       .order_by("pk")[:limit])
        if not records:
            continue
        groups.append(Waiting(title=str(model._meta.verbose_name_plural), count=records[0].waiting_total,
                              records=records))
    return groups
