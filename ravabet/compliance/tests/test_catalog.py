import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ravabet.compliance.catalog import items, sections
from ravabet.compliance.registry import FEATURES


def test_the_catalog_holds_the_36_items_in_six_sections():
    assert len(items()) == 36
    assert [s.code for s in sections()] == list("ABCDEF")
    assert items()["B5"].text.startswith("ارسال اخبار متنی و تصویری")


def test_every_declared_feature_url_resolves_and_serves_known_items():
    for feature in FEATURES.values():
        assert reverse(feature.url_name)
        assert set(feature.items) <= set(items()), feature.key


def test_instruction_coverage_prints_one_line_per_item():
    out = io.StringIO()
    call_command("instruction_coverage", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line[:1] in "ABCDEF" and line[1:2].isdigit()]
    assert len(lines) == 36
    b11 = next(line for line in lines if line.startswith("B11"))
    assert "offices:staff_list" in b11 and b11.endswith("built")
    assert all(line.endswith(("built", "missing")) for line in lines)


@pytest.mark.django_db
def test_the_catalog_page_links_features_and_marks_the_rest(world, client_for):
    page = client_for("officer").get("/instruction/").content.decode()
    assert "فهرست کارکنان و شماره‌های همراه" in page
    assert reverse("offices:staff_list") in page
    uncovered = [code for code in items() if not any(code in f.items for f in FEATURES.values())]
    if uncovered:
        assert "هنوز پشتیبانی نمی‌شود" in page


@pytest.mark.django_db
def test_the_scorecard_shows_hq_every_county_and_a_county_only_its_own(world, client_for):
    page = client_for("hq_expert").get("/instruction/scorecard/?month=۱۴۰۵-۰۹").content.decode()
    assert "آذر ۱۴۰۵" in page and ">ه-۲<" in page and ">E2<" not in page  # items named in Persian
    assert "اداره شهرستان الف" in page and "اداره شهرستان ب" in page
    officer_page = client_for("officer").get("/instruction/scorecard/", follow=True).content.decode()
    assert "اداره شهرستان الف" in officer_page and "اداره شهرستان ب" not in officer_page


@pytest.mark.django_db
def test_a_malformed_month_falls_back_to_the_current_one(world, client_for):
    assert client_for("hq_head").get("/instruction/scorecard/?month=1405-13").status_code == 200


@pytest.mark.django_db
def test_the_scorecard_query_count_does_not_grow_with_records(world, client_for, django_assert_max_num_queries):
    from ravabet.offices.models import Person

    client = client_for("hq_expert")
    with django_assert_max_num_queries(400) as first:
        client.get("/instruction/scorecard/")
    Person.objects.bulk_create(Person(unit=world.county_a, full_name=f"نفر {n}", mobile=f"0912000{n:04d}")
                               for n in range(50))
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/instruction/scorecard/")
