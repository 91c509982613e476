"""Records for the transition × role test (ravabet/workflow/tests/test_matrix.py): a report of county A
in the asked state, and what a person would type for the step."""

import datetime as dt

from django.utils import timezone

from ravabet.reports.models import State, UnitReport
from ravabet.workflow.engine import move

from .factories import make_report

VALUES = {"acknowledge": {"comment": "دیده شد؛ سپاس از گزارش."},
          "act": {"comment": "با معاونت املاک هماهنگ می‌شود."},
          "close": {"closing_note": "با شهرداری هماهنگ شد و صف کوتاه شد."},
          "archive": {"closing_note": "نیازی به پیگیری بیشتر نیست."}}


def report(world, step_name: str, source: str):
    """A problem report of county A moved to `source` by its people and HQ. For "act" the follow-up
    person and due date its guards need (chosen on the act page) are already on it."""
    record = make_report(world, send=source != State.DRAFT)
    if source == State.ACKNOWLEDGED:
        move(record, "acknowledge", by=world.hq_expert)
    if source == State.ACTION:
        move(record, "act", by=world.hq_head, followup_by=world.hq_expert,
             followup_due=timezone.localdate() + dt.timedelta(days=7))
    if step_name == "act":
        UnitReport.objects.filter(pk=record.pk).update(followup_by=world.hq_expert,
                                                       followup_due=timezone.localdate() + dt.timedelta(days=7))
    record.refresh_from_db()
    return record, VALUES.get(step_name, {})


SAMPLES = {"reports.unitreport": report}
