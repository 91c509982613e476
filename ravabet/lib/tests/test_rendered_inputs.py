"""Every page as people get it has one kind of number box and no box that cuts pasted text (issue 12, points 3
and 10): no `type="number"` input and no `maxlength` on a text box (long-text limits show a live counter,
`data-max-length`, and the server answers with a Persian message), in the rendered HTML of every GET page of
the URL matrix, opened by the first actor that may see it."""

import re

import pytest
from django.urls import reverse

from ravabet.tests.test_url_matrix import CASES

NUMBER_INPUT = re.compile(r"<input\b[^>]*\btype=[\"']?number\b", re.I)
MAXLENGTH = re.compile(r"<(?:input|textarea)\b[^>]*\bmaxlength\b[^>]*>", re.I)
# One-time login codes (six or eight digits from an app) and e-mail boxes (an address is at most 254 characters
# by RFC 5321; Django's password-reset form) may keep their maxlength: no longer paste is a valid value.
ALLOWED_MAXLENGTH = re.compile(r"""name=["'](?:otp_token|token)["']|type=["']email["']""")


def _pages():
    for name, case in sorted(CASES.items()):
        actor = next((a for a in ("hq_head", "officer", "manager", "staff", "anon") if case.expected(a) == 200), None)
        if actor:
            yield pytest.param(name, actor, id=name)


@pytest.mark.parametrize("name,actor", list(_pages()))
def test_no_number_input_and_no_cutting_maxlength(name, actor, world, client_for):
    case = CASES[name]
    url = reverse(name, kwargs=case.kwargs(world) if case.kwargs else None) + case.query
    response = client_for(actor).get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        pytest.skip("not an HTML page (a redirect, a file or JSON); test_url_matrix checks its status")
    html = response.content.decode()
    assert not NUMBER_INPUT.search(html), f"{name}: {NUMBER_INPUT.search(html).group(0)}"
    cutting = [tag for tag in MAXLENGTH.findall(html) if not ALLOWED_MAXLENGTH.search(tag)]
    assert not cutting, f"{name}: {cutting[:3]}"


@pytest.mark.parametrize("name,actor", [("occasions:list", "hq_head"), ("occasions:holidays", "hq_head"),
                                        ("planning:plans", "officer"), ("planning:trainings", "officer")])
def test_year_filter_boxes_show_the_year_in_persian_digits(name, actor, world, client_for):
    """A year typed in Persian digits filters, and the box shows it back in Persian digits (issue 12 §3)."""
    html = client_for(actor).get(reverse(name), {"year": "۱۴۰۴"}).content.decode()
    box = re.search(r'<input[^>]*name="year"[^>]*inputmode="numeric"[^>]*>', html)
    assert box and 'value="۱۴۰۴"' in box.group(0), name
