"""The demo province shows HQ a ranking with different scores (issue 10, done when)."""

import io

import pytest
from django.core.management import call_command

from ravabet.compliance.evaluation import Period, evaluate
from ravabet.offices.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_the_demo_province_is_ranked_with_different_scores():
    call_command("seed_demo", stdout=io.StringIO())
    units = list(Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True))
    totals = {}
    for period in (Period.current_month(), Period.current_month().previous()):
        totals[period.key] = [row.total for row in evaluate(period, units).rows]
    assert len(units) >= 2
    assert any(len(set(values)) > 1 for values in totals.values()), totals
