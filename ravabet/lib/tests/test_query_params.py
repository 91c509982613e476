"""Query parameters are cleaned in one place: no query string makes any page answer 500 (issue 12, point 7).

Every page of the URL matrix is requested with every query parameter the project reads set to a NUL byte,
to Persian and Arabic-Indic digits, to digits of another script, to a number too large for a bigint and to
text; run it on PostgreSQL too (DATABASE_URL=postgres://…), where NUL in text is refused by the database.
"""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse

from ravabet.lib.middleware import clean_query, int_param
from ravabet.tests.test_url_matrix import CASES

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""(?:GET|params|query|data)(?:\.get|\.getlist|\[)\(?["']([a-z_]+)["']""")
EXTRA = {"page", "unit", "year", "month", "q", "from", "to", "state", "kind", "sort", "order", "export"}


def _param_names() -> list[str]:
    names = set(EXTRA)
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        names |= set(READ.findall(path.read_text(encoding="utf-8")))
    names.discard("export")  # exports are their own test (test_exports.py)
    return sorted(names)


PARAMS = _param_names()
# Each query sets every parameter; the second value of a pair goes to every other parameter.
QUERIES = {"nul": ("\x00", "راه\x00ها\x08"), "persian-arabic": ("۱۲", "١٢"), "other-digits-huge": ("১২", "9" * 30),
           "superscript": ("²", "①"), "text": ("abc", "-")}


def test_clean_query_removes_controls_and_unsafe_numbers():
    query = clean_query(QueryDict("q=%D8%B1%00%E2%80%AE&unit=%DB%B1%DB%B2&page=%E0%A7%A8&year=" + "9" * 30
                                  + "&code=0917&x%00=1&month=%C2%B2"))
    assert query["q"] == "ر" and query["unit"] == "12" and query["code"] == "0917" and query["x"] == "1"
    assert "page" not in query and "year" not in query and "month" not in query  # «²» passes isdigit(), not int()
    assert not query._mutable


@pytest.mark.parametrize("value,expected", [("۱۲", 12), ("١٢", 12), ("12", 12), ("১২", None), ("abc", None),
                                            ("", None), (None, None), ("99", None)])
def test_int_param(value, expected):
    assert int_param({"n": value} if value is not None else {}, "n", maximum=50) == expected


def test_the_middleware_cleans_what_views_read(client, world):
    response = client.get("/public/news/", {"q": "\x00", "page": "۲"})
    assert response.status_code == 200
    assert response.wsgi_request.GET.get("q", "") == "" and response.wsgi_request.GET["page"] == "2"


def _pages():
    for name, case in sorted(CASES.items()):
        actor = next((a for a in ("hq_head", "officer", "anon") if case.expected(a) == 200), None)
        if actor:
            yield pytest.param(name, actor, id=name)


@pytest.mark.parametrize("name,actor", list(_pages()))
def test_no_query_string_breaks_a_page(name, actor, world, client_for):
    case = CASES[name]
    base = reverse(name, kwargs=case.kwargs(world) if case.kwargs else None)
    client = client_for(actor)
    failures = []
    for label, (first, second) in QUERIES.items():
        query = urlencode({param: (first if index % 2 else second) for index, param in enumerate(PARAMS)})
        response = client.get(f"{base}?{query}")
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")
    assert not failures, f"{name}: {failures}"
