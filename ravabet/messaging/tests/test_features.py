import datetime as dt

import pytest
from django.utils import timezone

from ravabet.compliance.registry import INDICATORS, REPORT_SECTIONS, features_for_item
from ravabet.messaging import features, services
from ravabet.messaging.tests.factories import make_banner, make_ticker
from ravabet.offices.access import access_for

pytestmark = pytest.mark.django_db


def test_every_item_of_the_part_has_a_feature_and_an_indicator():
    for item in ("B1", "B6", "B7", "B8", "B10", "B11"):
        assert features_for_item(item), item
        assert any(indicator.count.__module__ == features.__name__ for indicator in INDICATORS[item]), item


def test_indicators_and_the_report_section_count_the_months_records(world):
    services.announcement_create(unit=world.county_a, by=world.officer, kind="ceremony_programme", title="همایش",
                                 body="همایش شنبه است.", target_units=[world.county_a])
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    assert features.count_announcements(world.county_a, start, end) == 1
    assert features.count_event_announcements(world.county_a, start, end) == 1
    assert features.count_announcements(world.county_b, start, end) == 0
    assert features.count_staff_with_mobile(world.county_a, start, end) == 3
    section = REPORT_SECTIONS["messaging.staff"].build(world.county_a, start, end)
    assert ["اطلاعیه‌های فرستاده‌شده", 1] in section["counts"]
    assert section["table"]["rows"][0][1] == "همایش"


def test_hq_head_sees_banners_and_tickers_waiting_and_the_unit_sees_what_came_back(world):
    # The home pages' "waiting for you" comes from the declarations; the part adds only unread announcements.
    from ravabet.workflow.waiting import waiting_for

    make_banner(world.county_a)
    make_ticker(world.county_a, state="submitted")
    make_ticker(world.county_a, state="returned")

    def counts(user):
        return {group.title: group.count for group in waiting_for(access_for(user))}

    assert counts(world.hq_head) == {"متن‌های زیرنویس و سربرگ": 1, "بنرهای تسلیت": 1}
    assert counts(world.hq_expert) == {"متن‌های زیرنویس و سربرگ": 1}
    assert counts(world.officer) == {"متن‌های زیرنویس و سربرگ": 1}
    assert features.messaging_todo(access_for(world.officer), world.county_a) == []
