"""Every (state, target) pair of the two workflows: the services allow exactly the declared transitions."""

import pytest
from django.core.exceptions import ValidationError

from .. import services
from ..models import PLAN_TRANSITIONS, REPORT_TRANSITIONS, MonthlyReport, Plan, PlanState, ReportState
from .factories import make_plan, make_report

pytestmark = pytest.mark.django_db

REPORT_MOVES = {
    ReportState.DRAFT: lambda w, r: services.report_reopen(report=r, by=w.officer),
    ReportState.MANAGER_APPROVED: lambda w, r: services.report_approve(report=r, by=w.manager),
    ReportState.SUBMITTED: lambda w, r: services.report_submit(report=r, by=w.officer),
    ReportState.ACCEPTED: lambda w, r: services.report_review(report=r, accept=True, by=w.hq_expert),
    ReportState.RETURNED: lambda w, r: services.report_review(report=r, accept=False, comment="اصلاح شود",
                                                              by=w.hq_expert),
}
PLAN_MOVES = {
    PlanState.SUBMITTED: lambda w, p: services.plan_submit(plan=p, by=w.officer),
    PlanState.APPROVED: lambda w, p: services.plan_review(plan=p, approve=True, by=w.hq_head),
    PlanState.RETURNED: lambda w, p: services.plan_review(plan=p, approve=False, comment="اصلاح شود", by=w.hq_head),
}


@pytest.mark.parametrize("source", ReportState.values)
@pytest.mark.parametrize("target", ReportState.values)
def test_report_transition_is_allowed_only_when_declared(world, source, target):
    report = make_report(world.county_a, state=source)
    allowed = target in REPORT_TRANSITIONS[source]
    if allowed:
        REPORT_MOVES[target](world, report)
        assert MonthlyReport.objects.get(pk=report.pk).state == target
    else:
        with pytest.raises(ValidationError) as error:
            REPORT_MOVES[target](world, report)
        assert error.value.messages[0]  # a Persian sentence, shown to the user as it is
        assert MonthlyReport.objects.get(pk=report.pk).state == source


@pytest.mark.parametrize("source", PlanState.values)
@pytest.mark.parametrize("target", list(PLAN_MOVES))
def test_plan_transition_is_allowed_only_when_declared(world, source, target):
    plan = make_plan(world.county_a, state=source)
    allowed = target in PLAN_TRANSITIONS[source]
    if allowed:
        PLAN_MOVES[target](world, plan)
        assert Plan.objects.get(pk=plan.pk).state == target
    else:
        with pytest.raises(ValidationError):
            PLAN_MOVES[target](world, plan)
        assert Plan.objects.get(pk=plan.pk).state == source


def test_reopened_report_needs_the_manager_again(world):
    report = make_report(world.county_a, state=ReportState.MANAGER_APPROVED)
    report = services.report_reopen(report=report, by=world.officer)
    assert report.state == ReportState.DRAFT and report.approved_by is None
