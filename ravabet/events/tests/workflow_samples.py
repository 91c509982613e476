"""Records for the generated step × actor test (ravabet/workflow/tests/test_matrix.py)."""

from .factories import make_event


def event(world, step: str, source: str):
    # An event is held only once it has started (the `started` guard): that sample began a day ago.
    record = make_event(world.county_a, state=source, days=0 if step != "hold" else -1)
    return record, {"headcount": "۴۰"} if step == "hold" else {}


SAMPLES = {"events.event": event}
