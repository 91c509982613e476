"""Records for the transition × role test (ravabet/workflow/tests/test_matrix.py): visits and follow-up
actions of county A (HQ's own for the `_hq` steps) in the asked state, and the values a person types."""

from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.visits.models import ActionState, FollowUp, Visit

from .factories import make_action, make_visit


def _where(world, name):
    return (world.hq, world.hq_expert) if name.endswith("_hq") else (world.county_a, world.officer)


def visit(world, name, source):
    """A visit planned for today, moved to `source`; record needs a Jalali date and findings, replan a date."""
    unit, by = _where(world, name)
    record = make_visit(unit, days=0, state=source, by=by)
    today = jalali.format_date(jalali.today())
    values = {"record": {"done_on": today, "findings": "تابلوهای هشدار کافی نیست."},
              "cancel": {"cancel_reason": "هم‌زمانی با جلسه استانی"},
              "replan": {"planned_on": today}}[name.removesuffix("_hq")]
    return Visit.objects.get(pk=record.pk), values


def followup(world, name, source):
    """An action of a done visit given to the county's staff member (HQ's expert for HQ's own), in `source`."""
    unit, by = _where(world, name)
    owner = Person.objects.get(user=world.hq_expert if unit.is_hq else world.staff)
    action = make_action(make_visit(unit, days=0, done=True, by=by), owner=owner, by=by)
    if source != ActionState.OPEN:
        FollowUp.objects.filter(pk=action.pk).update(state=source)
    return FollowUp.objects.get(pk=action.pk), {"done_note": "تابلوها نصب شد."}


SAMPLES = {"visits.visit": visit, "visits.followup": followup}
