"""Issue 12 §9: numbers in free-text survey answers keep their direction on the results page and in the PDF."""

import pytest
from django.urls import reverse

from ravabet.surveys.models import State

from .factories import answer, make_survey

pytestmark = pytest.mark.django_db


def test_free_text_answers_isolate_each_number_on_the_results_page(world, client_for):
    survey = make_survey(world.county_a, state=State.OPEN)
    answer(survey, text="با +989171234567 یا 071-43330000 و 141 تماس بگیرید <b>")
    content = client_for("manager").get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert ('با <bdi dir="ltr">+۹۸۹۱۷۱۲۳۴۵۶۷</bdi> یا <bdi dir="ltr">۰۷۱-۴۳۳۳۰۰۰۰</bdi> و <bdi dir="ltr">۱۴۱</bdi> '
            'تماس بگیرید &lt;<bdi dir="ltr">b</bdi>&gt;') in content
