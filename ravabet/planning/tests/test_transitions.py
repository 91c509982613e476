"""Every step × every state of the two declared workflows (plan, monthly report): a step is made
only from its declared source states; from any other state it is refused in Persian and nothing
changes. Which roles may make each step is the transition × role test's (workflow/tests/test_matrix)."""

import pytest

from ravabet.audit.models import ActionLog
from ravabet.lib import jalali
from ravabet.workflow.engine import TransitionRefused, move, steps_of

from ..models import MonthlyReport, Plan, PlanState, ReportState
from .factories import last_month, make_plan, make_report

pytestmark = pytest.mark.django_db

# Who makes each step in these tests (a person holding one of its roles) and what they type.
ACTOR = {"ask_approval": "officer", "approve": "manager", "reopen": "officer", "submit": "officer",
         "submit_early": "manager", "accept": "hq_expert", "send_back": "hq_expert"}
PLAN_ACTOR = {"ask_sign_off": "officer", "sign_off": "manager", "reopen": "officer", "submit": "officer",
              "approve": "hq_head", "send_back": "hq_expert"}
VALUES = {"send_back": {"comment": "اصلاح شود"}, "submit_early": {"early_reason": "مأموریت رئیس اداره"}}


@pytest.mark.parametrize("source", ReportState.values)
@pytest.mark.parametrize("name", list(steps_of(MonthlyReport)))
def test_report_step_is_made_only_from_its_declared_states(world, source, name):
    spec = steps_of(MonthlyReport)[name]
    # Last month's report, except for the early submission (this month's, before it ends).
    year, month = jalali.current_month() if name == "submit_early" else last_month()
    report = make_report(world.county_a, state=source, year=year, month=month)
    by = world.users[ACTOR[name]]
    if source in spec.sources:
        move(report, name, by=by, **VALUES.get(name, {}))
        assert MonthlyReport.objects.get(pk=report.pk).state == spec.target
    else:
        with pytest.raises(TransitionRefused) as error:
            move(report, name, by=by, **VALUES.get(name, {}))
        assert "شدنی نیست" in str(error.value) or "پیش‌تر" in str(error.value)
        assert MonthlyReport.objects.get(pk=report.pk).state == source
        assert not ActionLog.objects.filter(action=spec.log).exists()


@pytest.mark.parametrize("source", PlanState.values)
@pytest.mark.parametrize("name", list(steps_of(Plan)))
def test_plan_step_is_made_only_from_its_declared_states(world, source, name):
    spec = steps_of(Plan)[name]
    plan = make_plan(world.county_a, state=source)
    by = world.users[PLAN_ACTOR[name]]
    if source in spec.sources:
        move(plan, name, by=by, **VALUES.get(name, {}))
        assert Plan.objects.get(pk=plan.pk).state == spec.target
    else:
        with pytest.raises(TransitionRefused):
            move(plan, name, by=by, **VALUES.get(name, {}))
        assert Plan.objects.get(pk=plan.pk).state == source


def test_reopened_report_needs_the_manager_again(world):
    report = make_report(world.county_a, state=ReportState.MANAGER_APPROVED)
    MonthlyReport.objects.filter(pk=report.pk).update(approved_by=world.manager)
    report = move(report, "reopen", by=world.officer)
    assert report.state == ReportState.DRAFT and report.approved_by is None
