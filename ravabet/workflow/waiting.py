""""What waits for me": records in a state whose next expected step the person may make, derived
from the declarations (see `engine.waiting_filter`). Shown on every home page; for the HQ head it
is the list of what waits for *him*, by name, not only counts (issue: whoever must act next)."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Value, Window
from django.db.models.functions import RowNumber

from ravabet.offices.access import Access

from .engine import unit_lookup, waiting_filter, workflow_models


@dataclass
class Waiting:
    title: str
    count: int
    records: list


def waiting_for(access: Access, *, limit: int = 5) -> list[Waiting]:
    """One group per workflow model with records waiting for the person: the model's plural name,
    how many, and the `limit` oldest first (lowest id, each with `unit`), in `workflow_models()` order.

    Queries (issue 11 §6, home pages in a small fixed number): one UNION ALL over every workflow model
    the person may act on gives each model's first `limit` ids and its total (window functions); then
    one query per model that has something waiting reads those rows with their unit. None for a person
    without roles. Raises nothing."""
    if not access.memberships:
        return []
    models, branches = [], []
    for model in workflow_models():
        condition = waiting_filter(model, access)
        if condition is None:
            continue
        branches.append(model._default_manager.filter(condition).annotate(
            waiting_model=Value(len(models), output_field=IntegerField()), waiting_total=Window(Count("pk")),
            waiting_place=Window(RowNumber(), order_by="pk")).filter(waiting_place__lte=limit).order_by().values_list(
            "waiting_model", "pk", "waiting_total"))
        models.append(model)
    if not branches:
        return []
    first, *rest = branches
    found: dict[int, tuple[int, list[int]]] = {}
    for kind, pk, total in (first.union(*rest, all=True).order_by() if rest else first):
        found.setdefault(kind, (total, []))[1].append(pk)
    groups = []
    for kind, (total, ids) in sorted(found.items()):
        model = models[kind]
        # A model names in WAITING_RELATED the relations its str() reads (one join instead of a query a row).
        related = (unit_lookup(model), *getattr(model, "WAITING_RELATED", ()))
        records = list(model._default_manager.filter(pk__in=ids).select_related(*related).order_by("pk"))
        groups.append(Waiting(title=str(model._meta.verbose_name_plural), count=total, records=records))
    return groups
