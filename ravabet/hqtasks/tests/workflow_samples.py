"""Records for the generated step × actor test (ravabet/workflow/tests/test_matrix.py)."""

from .factories import make_assignment

VALUES = {"submit": {"evidence": "گزارش با دوازده عکس فرستاده شد."},
          "accept": {"review_comment": "سپاس؛ کامل بود."},
          "send_back": {"review_comment": "عکس‌ها کم است؛ پنج عکس افقی بفرستید."}}


def assignment(world, step: str, source: str):
    return make_assignment(world.county_a, state=source), VALUES.get(step, {})


SAMPLES = {"hqtasks.assignment": assignment}
