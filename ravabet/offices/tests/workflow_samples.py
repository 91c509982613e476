"""Records for the transition × role test (ravabet/workflow/tests/test_matrix.py): a version of county
A's introduction (B9) in the asked state, and what a person would type for the step."""

from ravabet.offices.models import ProfileState

from .factories import make_profile

VALUES = {"approve": {"review_comment": "کامل است؛ منتشر شد."},
          "send_back": {"review_comment": "تصویر ساختمان را بیفزایید."}}


def profile(world, step_name: str, source: str):
    """A complete version of county A's profile (the submit guard needs one) in `source`."""
    record = make_profile(world, submit=source == ProfileState.SUBMITTED, returned=source == ProfileState.RETURNED)
    return record, VALUES.get(step_name, {})


SAMPLES = {"offices.unitprofile": profile}
