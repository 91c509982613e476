"""E1-E3 calendar: every date of a lunar occasion, the curated occasions file, HQ's table of official
holidays that the working-day calendar reads."""

import datetime as dt

import pytest
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.lib import jalali, workdays
from ravabet.occasions.calendar import curated, curated_occasions, lunar_dates, seed_holidays, seed_year
from ravabet.occasions.models import Occasion, OfficialHoliday

pytestmark = pytest.mark.django_db


def _jalali(date):
    return jalali.format_date(date, persian=False)


def test_eid_al_fitr_falls_twice_in_1405_and_both_dates_are_on_the_calendar():
    seed_year(1405)
    dates = [_jalali(o.date) for o in Occasion.objects.filter(title="عید سعید فطر").order_by("date")]
    assert dates == ["1405/01/01", "1405/12/19"]
    second = Occasion.objects.get(title="عید سعید فطر", date=dt.date(2027, 3, 10))
    assert second.estimated and second.lunar and second.holiday.estimated


def test_ali_martyrdom_falls_twice_in_1404():
    seed_year(1404)
    assert Occasion.objects.filter(title="شهادت حضرت علی علیه السلام").count() == 2


def test_the_curated_file_names_its_source_and_the_non_holiday_occasions():
    source, rows = curated()
    assert "تقویم رسمی" in source
    titles = {r["title"] for r in rows}
    assert {"آغاز هفته وحدت", "آغاز سال هجری قمری (اول محرم)", "ولادت حضرت فاطمه زهرا (س)، روز زن و روز مادر",
            "نخستین شب قدر (شب نوزدهم رمضان)", "ولادت امام حسین (ع) و روز پاسدار",
            "روز ملی ارتباطات و روابط عمومی"} <= titles
    assert all(("solar" in r) != ("lunar" in r) and r["kind"] in {"national", "religious", "organisational"}
               for r in rows)


def test_lunar_rules_follow_irans_official_month():
    # Iran's Eid al-Fitr 1447 was 1 Farvardin 1405 (21 March 2026); Umm al-Qura says a day earlier.
    assert lunar_dates(1405, 10, 1) == [dt.date(2026, 3, 21), dt.date(2027, 3, 10)]


def test_unity_week_and_mothers_day_are_seeded_as_estimated_lunar_occasions():
    seed_year(1405)
    unity = Occasion.objects.get(title="آغاز هفته وحدت")
    assert unity.lunar and unity.estimated and "تقویم رسمی" in unity.source and "بررسی‌نشده" in unity.source
    # 12 Rabi al-Awwal is five days before the Prophet's birthday (17 Rabi al-Awwal), an official holiday.
    birthday = Occasion.objects.get(title__startswith="میلاد رسول اکرم")
    assert (birthday.date - unity.date).days == 5
    qadr = [o for o in curated_occasions(1405) if o[1].startswith("دومین شب قدر")]
    martyrdom = Occasion.objects.filter(title="شهادت حضرت علی علیه السلام").order_by("date")
    assert [q[0] + dt.timedelta(days=1) for q in qadr] == [m.date for m in martyrdom]


def test_holidays_are_seeded_once_with_source_and_estimated_flag():
    assert seed_holidays(2027) > 20 and seed_holidays(2027) == 0
    eid = OfficialHoliday.objects.get(title="عید سعید فطر", year=2027)
    assert eid.estimated and "holidays" in eid.source
    assert not OfficialHoliday.objects.get(title="جشن نوروز", year=2027).estimated


def test_hq_moving_a_lunar_holiday_moves_deadlines_its_bridge_day_and_its_occasion(client_for, world):
    seed_year(1405)
    eid = Occasion.objects.get(title="عید سعید فطر", date=dt.date(2027, 3, 10))
    # Before: Wed 10 March and Thu 11 March (bridge day, also weekend) are off; one working day after
    # Tue 9 March is Saturday 13 March.
    assert workdays.add_working_days(dt.date(2027, 3, 9), 1) == dt.date(2027, 3, 13)
    response = client_for("hq_head").post(reverse("occasions:edit", args=[eid.pk]), {
        "title": eid.title, "date": "1405/12/20", "kind": "religious", "lunar": "on", "remind_days": "7"})
    assert response.status_code == 302
    holiday = OfficialHoliday.objects.get(title="عید سعید فطر", year=2027)
    assert holiday.date == dt.date(2027, 3, 11) and not holiday.estimated and holiday.confirmed_by == world.hq_head
    assert OfficialHoliday.objects.get(title="تعطیل به مناسبت عید سعید فطر", year=2027).date == dt.date(2027, 3, 12)
    assert workdays.add_working_days(dt.date(2027, 3, 9), 1) == dt.date(2027, 3, 10)
    eid.refresh_from_db()
    assert not eid.estimated


def test_hq_confirms_moves_and_removes_holidays_on_the_holiday_page(client_for, world):
    seed_holidays(2027)
    holiday = OfficialHoliday.objects.get(title="عاشورای حسینی", year=2027)
    page = client_for("hq_expert").get(reverse("occasions:holidays") + "?year=1406")
    assert "تخمینی" in page.content.decode() and holiday.title in page.content.decode()
    client_for("hq_expert").post(reverse("occasions:holiday_edit", args=[holiday.pk]), {
        "title": holiday.title, "date": jalali.format_date(holiday.date, persian=True)})
    holiday.refresh_from_db()
    assert not holiday.estimated and ActionLog.objects.filter(action="occasions.holiday_saved").exists()
    assert not workdays.is_working_day(holiday.date)
    client_for("hq_expert").post(reverse("occasions:holiday_delete", args=[holiday.pk]))
    assert not OfficialHoliday.objects.filter(pk=holiday.pk).exists()
    assert holiday.date not in workdays.official_holidays(2027)
    # A year the table holds nothing of still comes from the package.
    assert workdays.official_holidays(2030)
    # Bad input: the field says why, the typed text is kept.
    response = client_for("hq_expert").post(reverse("occasions:holiday_create"), {"title": "x", "date": "۱۴۰۶/۱۳/۴۰"})
    assert response.status_code == 200 and "۱۴۰۶/۱۳/۴۰" in response.content.decode()
    assert client_for("officer").post(reverse("occasions:holiday_create"), {}).status_code == 403


def test_the_holiday_page_reads_in_few_queries(client_for, world, django_assert_max_num_queries):
    seed_holidays(2026)
    seed_holidays(2027)
    client = client_for("hq_head")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("occasions:holidays") + "?year=1405").status_code == 200


def test_each_curated_row_names_the_page_it_was_checked_against_or_says_it_is_unchecked():
    seed_year(1405)
    _source, rows = curated()
    checked = [r for r in rows if r.get("checked")]
    assert checked and all(r["source"].startswith(("http://", "https://")) for r in checked)
    assert all("بررسی‌نشده" in r["source"] for r in rows if not r.get("checked"))
    mothers_day = Occasion.objects.get(title="ولادت حضرت فاطمه زهرا (س)، روز زن و روز مادر")
    assert mothers_day.source == "https://ifpnews.com/iranians-mother-day/"
    assert "بررسی‌نشده" in Occasion.objects.get(title="آغاز هفته وحدت").source
