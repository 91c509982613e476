"""Records for the transition × role test (ravabet/workflow/tests/test_matrix.py): a plan or a monthly
report of county A in the asked state, meeting every guard of the step, and what a person would type."""

from ravabet.lib import jalali

from .factories import last_month, make_plan, make_report

COMMENT = "بند آموزش کارکنان را بیفزایید."


def plan(world, step_name: str, source: str):
    """A monthly plan of this month with one item (the submit guard needs one)."""
    return make_plan(world.county_a, state=source), {"comment": COMMENT}


def report(world, step_name: str, source: str):
    """Last month's report (its month is over, so `submit` may send it); this month's for
    `submit_early`, with the reason it needs."""
    if step_name == "submit_early":
        year, month = jalali.current_month()
    else:
        year, month = last_month()
    values = {"comment": COMMENT, "early_reason": "رئیس اداره از فردا به مأموریت می‌رود."}
    return make_report(world.county_a, state=source, year=year, month=month), values


SAMPLES = {"planning.plan": plan, "planning.monthlyreport": report}
