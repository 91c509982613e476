"""A complaint found by press monitoring becomes a public case in one step (D1, issue 14): title, text,
outlet, date and link carried over, the case referred to the office head, and links both ways."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ravabet.complaints.models import Case, Channel, State
from ravabet.outbox.models import Notification
from ravabet.press.models import ItemState

from .factories import make_item

pytestmark = pytest.mark.django_db


def _step_url(item) -> str:
    return reverse("workflow:transition", args=["press.pressitem", item.pk, "forward_complaint"])


def test_the_officer_turns_a_found_complaint_into_a_case_referred_to_the_head(client_for, world):
    published = timezone.make_aware(dt.datetime(2026, 11, 20, 9, 30))
    item = make_item(world.county_a, title="گلایه اهالی از چاله‌های جاده", summary="اهالی روستا از چاله‌ها گله دارند.",
                     published_at=published)
    response = client_for("officer").post(_step_url(item), {"note": "بازدید فوری لازم است."})
    assert response.status_code == 302
    item.refresh_from_db()
    case = item.case
    assert item.state == ItemState.COMPLAINT and case is not None
    assert (case.subject, case.text, case.press_outlet, case.press_link, case.press_date, case.channel) == (
        item.title, item.summary, item.source.name, item.link, dt.date(2026, 11, 20), Channel.PRESS)
    assert case.state == State.REFERRED and case.referred_to.user == world.manager
    assert case.referral_note == "بازدید فوری لازم است."
    assert Notification.objects.filter(user=world.manager, title__contains="ارجاعی").exists()
    # Links both ways.
    item_page = client_for("officer").get(item.get_absolute_url()).content.decode()
    assert reverse("complaints:detail", args=[case.pk]) in item_page
    case_page = client_for("manager").get(case.get_absolute_url()).content.decode()
    assert reverse("press:item_detail", args=[item.pk]) in case_page
    # The manager acts on it as on any case: the answer goes to the case.
    assert client_for("manager").get(reverse("complaints:answer", args=[case.pk])).status_code == 200


def test_hq_forwards_a_found_complaint_to_the_unit_with_a_deadline(client_for, world):
    item = make_item(world.county_a, number=2)
    response = client_for("hq_expert").post(_step_url(item), {"note": "پاسخ برای نشریه لازم است."})
    assert response.status_code == 302
    case = Case.objects.get(press_item=item)
    assert case.forwarded_by_hq and case.channel == Channel.HQ_FORWARD and case.hq_deadline == case.deadline
    assert case.press_link == item.link


def _acknowledge_url(item) -> str:
    return reverse("workflow:transition", args=["press.pressitem", item.pk, "acknowledge"])


def test_the_office_head_acknowledges_a_found_complaint_with_an_instruction_and_the_officer_is_told(
        client_for, world):
    from ravabet.audit.models import ActionLog
    from ravabet.press.models import HeadAction

    item = make_item(world.county_a, number=3)
    manager = client_for("manager")
    # Nothing to acknowledge before the officer forwards it.
    assert manager.post(_acknowledge_url(item), {"head_instruction": "رسیدگی شود"}).status_code == 403
    client_for("officer").post(_step_url(item), {"note": "گلایه از چاله"})
    page = manager.get(item.get_absolute_url()).content.decode()
    assert "دیدم؛ دستور رسیدگی" in page and 'id="head-action"' in page
    refused = manager.post(_acknowledge_url(item), {"head_instruction": ""})
    assert refused.status_code == 400 and refused.context["form"].errors["head_instruction"]
    assert manager.post(_acknowledge_url(item), {"head_instruction": "راهداری تا فردا بازدید کند."}).status_code == 302
    item.refresh_from_db()
    assert item.head_action == HeadAction.ACKNOWLEDGED and item.acknowledged_by == world.manager
    assert Notification.objects.filter(user=world.officer, body__contains="راهداری تا فردا").exists()
    assert ActionLog.objects.filter(action="press.item_acknowledged").count() == 1
    assert "راهداری تا فردا بازدید کند." in manager.get(item.get_absolute_url()).content.decode()
    # Only the office head gives the instruction.
    other = make_item(world.county_a, number=4)
    client_for("officer").post(_step_url(other), {"note": "گلایه"})
    assert client_for("officer").post(_acknowledge_url(other), {"head_instruction": "x"}).status_code == 403
