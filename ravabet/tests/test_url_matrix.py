"""Every URL of the project, opened by every actor, answers what the matrix says.

Each app lists its URL names in `ravabet/<app>/tests/url_cases.py`; a URL that is
in the project but in no list fails the test, so a new page cannot skip the check.
Every HTML page that answers 200 is also scanned for addresses outside the site.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ravabet.testing import ACTORS, Case

IGNORED_NAMESPACES = {"admin", "captcha"}
EXTERNAL = re.compile(r"""(?:src|href|action|content)\s*=\s*["'](?:https?:)?//(?!testserver)[^"']+""", re.I)


def _all_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    modules = ["ravabet.tests.url_cases"] + [
        f"{config.name}.tests.url_cases" for config in apps.get_app_configs() if config.name.startswith("ravabet.")
    ]
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        cases.update(module.CASES)
    return cases


def _url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in IGNORED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.name.startswith("captcha-"):
            names.add(f"{namespace}{pattern.name}")
    return names


CASES = _all_cases()


def test_every_url_is_in_the_matrix():
    missing = sorted(_url_names() - set(CASES))
    assert not missing, f"URL names with no row in any url_cases.py: {missing}"


def test_the_matrix_lists_no_url_that_does_not_exist():
    stale = sorted(set(CASES) - _url_names())
    assert not stale, f"url_cases.py rows for URL names that no longer exist: {stale}"


def _rows_not_kept(client, url: str, response) -> list[str]:
    """A list drawn with {% cachedrows %} keeps its rows (lib.rowcache): opened again unchanged, the page draws
    none of them afresh. A row that reads the database while drawn, or holds a value without a stable repr,
    would be drawn on every request."""
    stats = response.wsgi_request.__dict__.get("rowcache_stats")
    if not stats or not stats["drawn"]:
        return []
    problems = [f"{stats['not_kept']} of {stats['drawn']} rows could not be kept"] if stats["not_kept"] else []
    again = client.get(url).wsgi_request.__dict__.get("rowcache_stats", {})
    if again.get("drawn"):
        problems.append(f"opened again, {again['drawn']} rows were drawn afresh")
    return problems


@pytest.mark.parametrize("name", sorted(CASES))
def test_url_answers_each_actor_as_expected(name, world, client_for):
    case = CASES[name]
    url = reverse(name, kwargs=case.kwargs(world) if case.kwargs else None) + case.query
    failures = []
    for actor in ACTORS:
        response = client_for(actor).get(url)
        if response.status_code != case.expected(actor):
            failures.append(f"{actor}: got {response.status_code}, expected {case.expected(actor)}")
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found = EXTERNAL.findall(response.content.decode())
            if found:
                failures.append(f"{actor}: page links outside the site: {found[:3]}")
            failures.extend(f"{actor}: {problem}" for problem in _rows_not_kept(client_for(actor), url, response))
    assert not failures, f"{url}: " + "; ".join(failures)
