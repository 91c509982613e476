"""F4: the protocol supplies of a unit, loans to events and the low-stock flag."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ravabet.events import services
from ravabet.events.models import SupplyItem

from .factories import make_event, make_supply

pytestmark = pytest.mark.django_db
LIST = reverse("events:supplies")


def test_the_officer_adds_an_item_and_a_bad_quantity_keeps_the_name(client_for, world):
    client = client_for("officer")
    bad = client.post(LIST, {"name": "سینی تشریفات", "quantity": "-2", "min_quantity": "1", "condition": "good"})
    assert bad.status_code == 200 and "سینی تشریفات" in bad.content.decode()
    assert "موجودی نمی‌تواند منفی باشد." in bad.content.decode()
    client.post(LIST, {"name": "سینی تشریفات", "quantity": "4", "min_quantity": "2", "condition": "good"})
    assert SupplyItem.objects.get().unit == world.county_a


def test_the_same_name_twice_in_one_unit_is_refused_in_persian(world):
    make_supply(world.county_a, name="روبان")
    with pytest.raises(ValidationError):
        services.supply_save(unit=world.county_a, by=world.officer, name="روبان", quantity=1, min_quantity=1,
                             condition="good")


def test_a_loan_to_an_event_lowers_what_is_in_store_and_flags_low_stock_until_it_returns(client_for, world):
    item = make_supply(world.county_a, name="قیچی تشریفات", quantity=2, min_quantity=2)
    event = make_event(world.county_a)
    client = client_for("officer")
    client.post(reverse("events:supply", args=[item.pk]), {"action": "lend", "quantity": "1", "event": event.pk})
    loan = item.loans.get()
    assert loan.event == event
    low = client.get(LIST + "?low=1").context["page_obj"]
    assert [i.name for i in low] == ["قیچی تشریفات"] and low[0].available == 1
    assert "قیچی تشریفات" in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    client.post(reverse("events:supply_return", args=[loan.pk]))
    assert len(client.get(LIST + "?low=1").context["page_obj"]) == 0


def test_more_than_is_in_store_cannot_be_lent(client_for, world):
    item = make_supply(world.county_a, quantity=1)
    response = client_for("officer").post(reverse("events:supply", args=[item.pk]),
                                          {"action": "lend", "quantity": "3"})
    assert "عدد از «قیچی تشریفات» در انبار است." in response.content.decode()
    assert not item.loans.exists()


def test_county_b_cannot_see_county_a_supplies(client_for, world):
    item = make_supply(world.county_a)
    client = client_for("outsider")
    assert client.get(reverse("events:supply", args=[item.pk])).status_code == 404
    assert len(client.get(LIST).context["page_obj"]) == 0


def test_the_supplies_export_to_excel_with_the_shortage_column(client_for, world):
    from openpyxl import load_workbook

    make_supply(world.county_a, name="قرآن نفیس", quantity=0, min_quantity=1)
    sheet = load_workbook(io.BytesIO(client_for("hq_head").get(LIST + "?export=xlsx").content)).active
    assert sheet.cell(2, 2).value == "قرآن نفیس" and sheet.cell(2, 8).value == "کمبود"


def test_the_supplies_list_runs_the_same_number_of_queries_for_3_and_30_rows(client_for, world,
                                                                              django_assert_num_queries):
    client = client_for("officer")
    for n in range(3):
        services.supply_lend(item=make_supply(world.county_a, name=f"وسیله {n}"), by=world.officer, quantity=1)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(27):
        services.supply_lend(item=make_supply(world.county_a, name=f"وسیله بیشتر {n}"), by=world.officer,
                             quantity=1)
    with django_assert_num_queries(len(few)):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 30


def test_the_basic_kit_checklist_shows_hq_what_each_county_is_missing(client_for, world,
                                                                     django_assert_max_num_queries):
    from .factories import make_supply as supply

    for name in ("قرآن کريم", "قیچی  تشریفات", "روبان", "سینی تشریفات"):  # Arabic ي, a double space
        supply(world.county_a, name=name)
    supply(world.county_b, name="قرآن کریم")
    supply(world.county_b, name="قیچی تشریفات", quantity=0)
    client = client_for("hq_head")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:supply_kit"))
    rows = {r["unit"]: r for r in response.context["rows"]}
    assert rows[world.county_a]["missing"] == []
    assert rows[world.county_b]["missing"] == ["قیچی تشریفات", "روبان", "سینی تشریفات"]
    own = client_for("outsider").get(reverse("events:supply_kit")).context["rows"]
    assert [r["unit"] for r in own] == [world.county_b]
    export = client.get(reverse("events:supply_kit") + "?export=xlsx")
    assert export.status_code == 200
