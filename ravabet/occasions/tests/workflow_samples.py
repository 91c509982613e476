"""Records for the generated step × actor test (ravabet/workflow/tests/test_matrix.py)."""

from .factories import make_content


def content(world, step: str, source: str):
    values = {"hq_comment": "دیدم؛ در ویژه‌نامه استان می‌آید."} if step == "acknowledge" else {}
    return make_content(world.county_a, state=source), values


SAMPLES = {"occasions.occasioncontent": content}
