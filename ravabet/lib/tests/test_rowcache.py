"""lib/rowcache.py and `{% cachedrows %}`: a list's rows drawn once and read back until what they show changes."""

import pytest
from django.db import connection
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ravabet.lib import rowcache
from ravabet.lib.templatetags.rowcache import CachedRowsNode
from ravabet.offices.access import Access
from ravabet.offices.models import Membership, Person, Unit
from ravabet.offices.roles import Role

ROWS = Template("{% load rowcache %}{% cachedrows person in people %}"
                "<li>{{ person.full_name }} · {{ person.unit.name }} · {{ label }}</li>"
                "{% empty %}<li>هیچ</li>{% endcachedrows %}")


@pytest.fixture
def draws(monkeypatch):
    """How many rows were drawn (not read from the cache) since the test began."""
    drawn = []
    original = CachedRowsNode._draw

    def counting(self, context, index, item, length):
        drawn.append(item)
        return original(self, context, index, item, length)

    monkeypatch.setattr(CachedRowsNode, "_draw", counting)
    return drawn


def _request(user, path="/people/?page=1"):
    request = RequestFactory().get(path)
    request.user, request.access = user, Access(user)
    return request


def _people(world):
    return list(Person.objects.filter(unit=world.county_a).select_related("unit").order_by("pk"))


def _render(template, request, **values):
    return template.render(RequestContext(request, values))


def test_rows_are_drawn_once_then_read_from_the_cache_with_the_same_html(world, draws):
    request = _request(world.officer)
    first = _render(ROWS, request, people=_people(world), label="الف")
    assert len(draws) == 3 and first.count("<li>") == 3
    draws.clear()
    second = _render(ROWS, _request(world.officer), people=_people(world), label="الف")
    assert draws == [] and second == first
    assert "مسئول روابط عمومی الف · اداره شهرستان الف · الف" in second
    assert _render(ROWS, request, people=[]) == "<li>هیچ</li>"


def test_a_changed_field_a_changed_joined_record_or_another_context_value_draws_the_row_again(world, draws):
    _render(ROWS, _request(world.officer), people=_people(world), label="الف")
    Person.objects.filter(user=world.staff).update(full_name="کارمند تازه")
    draws.clear()
    html = _render(ROWS, _request(world.officer), people=_people(world), label="الف")
    assert [person.full_name for person in draws] == ["کارمند تازه"] and "کارمند تازه" in html

    Unit.objects.filter(pk=world.county_a.pk).update(name="اداره نو")
    draws.clear()
    html = _render(ROWS, _request(world.officer), people=_people(world), label="الف")
    assert len(draws) == 3 and html.count("اداره نو") == 3

    draws.clear()
    html = _render(ROWS, _request(world.officer), people=_people(world), label="ب")
    assert len(draws) == 3 and "· ب</li>" in html


def test_rows_are_kept_per_viewer_per_role_and_per_page_address(world, draws):
    _render(ROWS, _request(world.officer), people=_people(world), label="")
    for request in (_request(world.manager), _request(world.officer, "/people/?page=2")):
        draws.clear()
        _render(ROWS, request, people=_people(world), label="")
        assert len(draws) == 3
    Membership.objects.create(user=world.officer, unit=world.county_b, role=Role.STAFF)
    draws.clear()
    _render(ROWS, _request(world.officer), people=_people(world), label="")
    assert len(draws) == 3


def test_the_csrf_token_in_a_kept_row_is_the_current_requests_own(world, draws):
    template = Template("{% load rowcache %}{% cachedrows person in people %}<form method=post>{% csrf_token %}"
                        "{{ person.pk }}</form>{% endcachedrows %}")
    first_request, second_request = _request(world.officer), _request(world.officer)
    first = _render(template, first_request, people=_people(world)[:1])
    second = _render(template, second_request, people=_people(world)[:1])
    assert len(draws) == 1
    assert rowcache.CSRF_STAND_IN not in first + second
    from django.middleware.csrf import _unmask_cipher_token

    def token(html):
        return html.split('value="')[1].split('"')[0]

    assert token(first) != token(second)
    assert _unmask_cipher_token(token(second)) == second_request.META["CSRF_COOKIE"]


def test_forloop_works_and_a_row_keeps_its_place(world, draws):
    template = Template("{% load rowcache %}{% cachedrows person in people %}{{ forloop.counter }}."
                        "{{ person.full_name }}{% if not forloop.last %},{% endif %}{% endcachedrows %}")
    people = _people(world)
    assert _render(template, _request(world.officer), people=people).startswith("1.")
    draws.clear()
    html = _render(template, _request(world.officer), people=people[1:])
    assert draws and html.startswith(f"1.{people[1].full_name}") and not html.endswith(",")


def test_a_row_whose_drawing_reads_the_database_is_never_kept(world, draws):
    template = Template("{% load rowcache %}{% cachedrows unit in units %}{{ unit.name }}:"
                        "{{ unit.people.count }}{% endcachedrows %}")
    units = [Unit.objects.get(pk=world.county_a.pk)]
    assert _render(template, _request(world.officer), units=units).endswith(":3")
    Person.objects.filter(user=world.staff).delete()
    draws.clear()
    assert _render(template, _request(world.officer), units=units).endswith(":2")
    assert len(draws) == 1


def test_a_page_of_kept_rows_reads_the_cache_once_and_runs_no_query(world):
    people, request = _people(world), _request(world.officer)
    _render(ROWS, request, people=people, label="")
    from django.core.cache import cache

    calls = []
    original = cache.get_many
    cache.get_many = lambda keys: calls.append(len(keys)) or original(keys)
    try:
        with CaptureQueriesContext(connection) as queries:  # a plain Context: no context processor's query
            ROWS.render(Context({"request": request, "people": people, "label": ""}))
    finally:
        del cache.get_many
    assert calls == [3] and len(queries) == 0, queries.captured_queries


def test_a_value_without_a_stable_repr_is_drawn_every_time(world, draws):
    class Opaque:
        name = "مات"

    template = Template("{% load rowcache %}{% cachedrows thing in things %}{{ thing.name }}{% endcachedrows %}")
    for _ in range(2):
        assert _render(template, _request(world.officer), things=[Opaque()]) == "مات"
    assert len(draws) == 2
    with pytest.raises(rowcache.Unstable):
        rowcache.fingerprint(Opaque())


def test_a_tag_that_draws_something_new_each_time_is_refused_inside_the_rows():
    with pytest.raises(TemplateSyntaxError, match="submit_token"):
        Template("{% load rowcache once %}{% cachedrows x in xs %}{% submit_token %}{% endcachedrows %}")


def test_the_fingerprint_sees_annotations_joined_records_and_deferred_columns(world):
    person = Person.objects.select_related("unit").get(user=world.staff)
    base = rowcache.fingerprint(person)
    assert rowcache.fingerprint(Person.objects.select_related("unit").get(user=world.staff)) == base
    person.open_cases = 2
    annotated = rowcache.fingerprint(person)
    person.unit.name = "دیگر"
    assert len({base, annotated, rowcache.fingerprint(person)}) == 3
    deferred = Person.objects.only("pk", "full_name").get(user=world.staff)
    assert rowcache.fingerprint(deferred) != base


def test_with_the_row_cache_off_every_row_is_drawn_every_time(world, draws, settings):
    settings.RAVABET_ROW_CACHE = False
    first = _render(ROWS, _request(world.officer), people=_people(world), label="")
    second = _render(ROWS, _request(world.officer), people=_people(world), label="")
    assert first == second and len(draws) == 6


def test_a_record_joined_back_onto_its_own_child_is_named_not_opened_again(world):
    unit = Unit.objects.get(pk=world.county_a.pk)
    people = list(unit.people.all())
    for person in people:
        assert person.unit is unit  # the reverse relation puts the parent back onto each child
    unit._prefetched_objects_cache = {"people": people}
    assert "'<again>', 'offices.unit'" in rowcache.fingerprint(unit)
