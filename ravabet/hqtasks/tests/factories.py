"""Records of the HQ tasks part for tests, owned by county A unless told otherwise."""

import datetime as dt

from ravabet.lib import jalali
from ravabet.offices.models import Unit

from ..models import Assignment, Task

PDF = b"%PDF-1.4 test"


def make_task(*units: Unit, title: str = "تهیه گزارش تصویری هفته دولت", days: int = 5) -> Task:
    task = Task.objects.create(title=title, description="گزارش با عکس بفرستید.",
                               due_date=jalali.today() + dt.timedelta(days=days))
    for unit in units:
        Assignment.objects.create(task=task, unit=unit)
    return task


def make_assignment(unit: Unit, state: str = "open", **kwargs) -> Assignment:
    assignment = make_task(unit, **kwargs).assignments.get()
    if state != "open":
        Assignment.objects.filter(pk=assignment.pk).update(state=state, evidence="گزارش انجام کار")
        assignment.refresh_from_db()
    return assignment
