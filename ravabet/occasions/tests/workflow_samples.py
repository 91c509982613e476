"""Records for the generated step × actor test (ravabet/workflow/tests/test_matrix.py)."""

from .factories import make_content


def content(world, step: str, source: str):
    values = {"acknowledge": {"hq_comment": "دیدم؛ در ویژه‌نامه استان می‌آید.", "quality": "۴"},
              "return_to_unit": {"hq_comment": "عکس با کیفیت بهتر بگذارید."},
              "mark_used": {"used_where": "ویژه‌نامه دهه فجر استان"}}.get(step, {})
    return make_content(world.county_a, state=source), values


SAMPLES = {"occasions.occasioncontent": content}
