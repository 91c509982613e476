"""Jalali periods as aware datetime ranges (issue 11: no per-row date cast in period filters)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ravabet.lib import jalali

TEHRAN = ZoneInfo("Asia/Tehran")


def test_a_month_is_local_midnight_to_the_next_months_local_midnight():
    start, after = jalali.period_bounds(1405, 1)
    assert start == dt.datetime(2026, 3, 21, tzinfo=TEHRAN)
    assert after == dt.datetime(2026, 4, 21, tzinfo=TEHRAN)
    assert start.utcoffset() == dt.timedelta(hours=3, minutes=30)


def test_a_quarter_a_year_and_a_day():
    assert jalali.period_bounds(1405, quarter=3) == (dt.datetime(2026, 9, 23, tzinfo=TEHRAN),
                                                     dt.datetime(2026, 12, 22, tzinfo=TEHRAN))
    # 1403 is a leap year: اسفند has 30 days, so 1404 starts on 21 March 2025.
    assert jalali.period_bounds(1403) == (dt.datetime(2024, 3, 20, tzinfo=TEHRAN),
                                          dt.datetime(2025, 3, 21, tzinfo=TEHRAN))
    assert jalali.period_bounds(1405, 9, day=5) == (dt.datetime(2026, 11, 26, tzinfo=TEHRAN),
                                                    dt.datetime(2026, 11, 27, tzinfo=TEHRAN))


def test_summer_time_before_2022_is_taken_from_the_zone_database():
    start, _after = jalali.period_bounds(1400, 4)  # تیر ۱۴۰۰: Iran still kept summer time (+04:30)
    assert start.utcoffset() == dt.timedelta(hours=4, minutes=30)


@pytest.mark.parametrize("args", [{"year": 1405, "quarter": 5}, {"year": 1405, "month": 13},
                                  {"year": 1404, "month": 12, "day": 30}])
def test_impossible_periods_raise(args):
    with pytest.raises(ValueError):
        jalali.period_bounds(**args)


@pytest.mark.django_db
def test_in_days_keeps_the_last_minute_of_the_last_day_and_not_the_next_midnight():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    last_minute = dt.datetime(2026, 4, 20, 23, 59, tzinfo=TEHRAN)
    next_midnight = dt.datetime(2026, 4, 21, 0, 0, tzinfo=TEHRAN)
    first_minute = dt.datetime(2026, 3, 21, 0, 0, tzinfo=TEHRAN)
    for name, moment in (("a", last_minute), ("b", next_midnight), ("c", first_minute)):
        User.objects.create(username=name, date_joined=moment)
    first, last = jalali.month_bounds(1405, 1)
    kept = User.objects.filter(**jalali.in_days("date_joined", first, last)).values_list("username", flat=True)
    assert sorted(kept) == ["a", "c"]
    assert list(User.objects.filter(**jalali.in_days("date_joined", None, last)).order_by("username")
                .values_list("username", flat=True)) == ["a", "c"]
    assert "cast_date" not in str(User.objects.filter(**jalali.in_days("date_joined", first, last)).query)
