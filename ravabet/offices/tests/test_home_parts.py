"""The home page's parts are drawn once per person, unit and data generation (issue 11 §6) and never shown
stale after a record changes."""

import time
from unittest import mock

import pytest

from ravabet.lib.generation import DATA

pytestmark = pytest.mark.django_db


def _body(html: str) -> str:
    """The page without its per-response CSRF token."""
    import re

    return re.sub(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"', "", html)


def test_a_reload_reads_the_parts_from_the_cache_and_a_new_case_shows_at_once(world, client_for,
                                                                              django_assert_max_num_queries):
    from ravabet.complaints.tests.factories import make_case

    officer = client_for("officer")
    officer.get("/")  # a unit's first home page makes its planning settings row, a record: the parts drawn anew
    first = officer.get("/").content.decode()
    assert "در انتظار شما" in first and "کارهای امروز" in first
    assert "{#" not in first and "{%" not in first  # no template comment or tag printed as text
    with django_assert_max_num_queries(8):  # session, user, memberships, units of the nav: no part's queries
        again = officer.get("/").content.decode()
    assert _body(again) == _body(first)
    case = make_case(world.county_a, subject="ریزش کوه در گردنه")
    after = officer.get("/").content.decode()
    assert str(case) in after or case.subject in after  # the new case waits for the officer, shown at once


def test_the_parts_are_kept_per_person_and_unit(world, client_for):
    officer = client_for("officer").get("/").content.decode()
    hq = client_for("hq_head").get("/").content.decode()
    assert "در انتظار بررسی اداره کل" in hq and "در انتظار بررسی اداره کل" not in officer
    assert "کارهای امروز" in officer and "کارهای امروز" not in hq


def test_bookkeeping_rows_do_not_move_the_generation_and_records_do(world):
    from ravabet.audit.services import log_action
    from ravabet.offices.models import Person

    before = DATA.current()
    log_action(actor=world.users["officer"], action="test.noted", target=world.county_a, summary="یادداشت")
    assert DATA.current() == before
    Person.objects.create(unit=world.county_a, full_name="مریم احمدی", mobile="09171234567")
    assert DATA.current() > before


def test_the_parts_expire_after_a_minute_for_changes_that_send_no_signal(world, client_for):
    from ravabet.complaints.models import Case
    from ravabet.complaints.tests.factories import make_case

    case = make_case(world.county_a, subject="ریزش کوه در گردنه")
    officer = client_for("officer")
    officer.get("/")  # the unit's planning settings row made
    assert case.subject in officer.get("/").content.decode()
    Case.objects.filter(pk=case.pk).update(subject="سنگ‌ریزه روی جاده")  # no signal: the generation stays
    assert case.subject in officer.get("/").content.decode()
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=time.time() + 61):
        assert "سنگ‌ریزه روی جاده" in officer.get("/").content.decode()
