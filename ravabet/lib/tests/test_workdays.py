import datetime as dt

import pytest

from ravabet.lib.text import normalize, search_key
from ravabet.lib.workdays import add_working_days, is_working_day, official_holidays, working_days_between
from ravabet.offices.models import Closure


def test_friday_and_thursday_are_the_weekend(db):
    assert not is_working_day(dt.date(2026, 11, 27))  # Friday
    assert not is_working_day(dt.date(2026, 11, 26))  # Thursday
    assert is_working_day(dt.date(2026, 11, 28))  # Saturday


def test_lunar_holidays_come_with_persian_names(db):
    names = official_holidays(2026).values()
    assert any("عاشورا" in name for name in names)
    assert any("نوروز" in name for name in names)


def test_adding_working_days_skips_weekends_and_holidays(db):
    # Wednesday 1405/09/04 + 1 working day = Saturday 1405/09/07.
    assert add_working_days(dt.date(2026, 11, 25), 1) == dt.date(2026, 11, 28)
    # Nowruz: from Wednesday 18 March 2026 the next working day is after the holidays.
    result = add_working_days(dt.date(2026, 3, 18), 1)
    assert result > dt.date(2026, 3, 24)


def test_a_closure_that_hq_adds_counts_as_a_holiday(db):
    saturday = dt.date(2026, 11, 28)
    assert add_working_days(dt.date(2026, 11, 25), 1) == saturday
    Closure.objects.create(date=saturday, title="آلودگی هوا")
    assert not is_working_day(saturday)
    assert add_working_days(dt.date(2026, 11, 25), 1) == dt.date(2026, 11, 29)


def test_working_days_between_is_the_inverse_of_adding(db):
    start = dt.date(2026, 10, 1)
    for count in (1, 5, 12):
        assert working_days_between(start, add_working_days(start, count)) == count


def test_adding_negative_working_days_goes_back(db):
    assert add_working_days(dt.date(2026, 11, 28), -1) == dt.date(2026, 11, 25)


@pytest.mark.parametrize("a,b", [("كرمان", "کرمان"), ("علي", "علی"), ("۱۲۳", "123"), ("٣٤", "34"),
                                 ("می‌روم", "می روم")])
def test_search_keys_treat_letter_and_digit_forms_as_one(a, b):
    assert search_key(a) == search_key(b)


def test_normalize_removes_bidi_controls_and_keeps_lines():
    assert normalize("سلام\u202e\nخداحافظ") == "سلام\nخداحافظ"


# --- The per-process calendar cache (issue 11) -------------------------------------------------------------

def _in_request(fn):
    """Run `fn` between Django's request_started and request_finished signals, as a view would. Django's
    close_old_connections is held off meanwhile, as the test client does: inside the test's transaction it would
    close the PostgreSQL connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
        try:
            return fn()
        finally:
            request_finished.send(sender=None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_a_request_reads_the_calendar_with_one_query_once_cached(db, django_assert_num_queries):
    day = dt.date(2026, 11, 28)
    _in_request(lambda: is_working_day(day))  # fills this process's cache

    def three_reads():
        is_working_day(day)
        add_working_days(day, 3)
        working_days_between(day, dt.date(2027, 1, 10))  # reaches a second year
    _in_request(three_reads)  # fills 2027 too
    with django_assert_num_queries(1):  # the version token, once for the whole request
        _in_request(three_reads)


def test_another_workers_change_is_seen_on_the_next_request(db):
    """What another gunicorn worker does when HQ edits the calendar: the table row and a fresh token in one
    transaction. This process's cache is keyed by the token, so its next request reads the new calendar."""
    from ravabet.lib.models import Stamp
    from ravabet.lib.workdays import CALENDAR_STAMP

    saturday = dt.date(2026, 11, 28)
    assert _in_request(lambda: is_working_day(saturday))
    Closure.objects.bulk_create([Closure(date=saturday, title="برف")])  # no signal: this process is not told
    assert _in_request(lambda: is_working_day(saturday)), "served from the cache while the token is unchanged"
    Stamp.objects.update_or_create(name=CALENDAR_STAMP, defaults={"token": "another-worker"})
    assert not _in_request(lambda: is_working_day(saturday))


def test_saving_and_deleting_a_closure_or_holiday_changes_the_version(db):
    from ravabet.lib.workdays import calendar_version
    from ravabet.occasions.models import OfficialHoliday

    saturday = dt.date(2026, 11, 28)
    before = calendar_version()
    closure = Closure.objects.create(date=saturday, title="آلودگی هوا")
    after_save = calendar_version()
    assert after_save != before and not is_working_day(saturday)
    closure.delete()
    assert calendar_version() != after_save and is_working_day(saturday)
    holiday = OfficialHoliday.objects.create(date=saturday, title="روز آزمایشی")
    assert "روز آزمایشی" in official_holidays(2026).values()
    holiday.delete()
    assert "روز آزمایشی" not in official_holidays(2026).values()
