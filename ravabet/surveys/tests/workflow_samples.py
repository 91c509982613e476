"""Records for the transition × role test (ravabet/workflow/tests/test_matrix.py): a survey of county A
(HQ's own for the `_hq` steps) in the asked state, satisfying the step's guards."""

from ravabet.surveys.models import Survey

from .factories import make_survey


def survey(world, name, source):
    """A survey in `source` with questions, a last day ahead and one answer, so every guard holds; no
    values are needed by any survey step."""
    if name.endswith("_hq"):
        record = make_survey(world.hq, by=world.hq_expert, state=source)
    else:
        record = make_survey(world.county_a, state=source)
    Survey.objects.filter(pk=record.pk, responses_count=0).update(responses_count=1)
    record.refresh_from_db()
    return record, {}


SAMPLES = {"surveys.survey": survey}
