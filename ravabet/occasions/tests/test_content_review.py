"""E3: occasion content is editable until sent, HQ returns it with a comment, marks it used (and where)
and gives it a quality mark."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.occasions import services
from ravabet.occasions.models import ContentState, OccasionContent
from ravabet.outbox.models import Notification
from ravabet.workflow.engine import TransitionRefused, move

from .factories import make_content, make_occasion

pytestmark = pytest.mark.django_db


def _step(content, name):
    return reverse("workflow:transition", args=["occasions.occasioncontent", content.pk, name])


def _edit(client, content, **fields):
    data = {"occasion": content.occasion_id, "title": content.title, "text": content.text} | fields
    return client.post(reverse("occasions:content_edit", args=[content.pk]), data)


def test_content_is_edited_until_sent_returned_with_a_comment_edited_again_and_sent(client_for, world):
    content = make_content(world.county_a)
    officer = client_for("officer")
    assert "ویرایش" in officer.get(reverse("occasions:content", args=[content.pk])).content.decode()
    assert _edit(officer, content, title="ویژه‌نامه دهه فجر ۱۴۰۵").status_code == 302
    content.refresh_from_db()
    assert content.title == "ویژه‌نامه دهه فجر ۱۴۰۵"
    assert ActionLog.objects.filter(action="occasions.content_edited", target_id=str(content.pk)).exists()
    officer.post(_step(content, "send"))
    # Sent: no edit button, and the edit page sends the person back with a message.
    assert "content_edit" not in str(officer.get(reverse("occasions:content", args=[content.pk])).context)
    _edit(officer, content, title="دیر")
    content.refresh_from_db()
    assert content.title == "ویژه‌نامه دهه فجر ۱۴۰۵"
    with pytest.raises(ValidationError):
        services.content_update(content=content, by=world.officer, occasion=content.occasion, title="x", text="y")
    # HQ returns it: a comment is required.
    hq = client_for("hq_expert")
    response = hq.post(_step(content, "return_to_unit"), {"hq_comment": ""})
    content.refresh_from_db()
    assert content.state == ContentState.SENT and "بنویسید چه چیزی باید اصلاح شود." in response.content.decode()
    hq.post(_step(content, "return_to_unit"), {"hq_comment": "عکس با کیفیت بهتر بگذارید."})
    content.refresh_from_db()
    assert content.state == ContentState.RETURNED
    assert Notification.objects.filter(user=world.officer, title__contains="برای اصلاح").exists()
    page = officer.get(reverse("occasions:content", args=[content.pk])).content.decode()
    assert "عکس با کیفیت بهتر بگذارید." in page and "ویرایش" in page
    assert _edit(officer, content, text="متن تازه با عکس بهتر").status_code == 302
    officer.post(_step(content, "send"))
    content.refresh_from_db()
    assert content.state == ContentState.SENT and content.text == "متن تازه با عکس بهتر"


def test_hq_acknowledges_with_a_quality_mark_then_marks_it_used_and_where(client_for, world):
    content = make_content(world.county_a, state=ContentState.SENT)
    hq = client_for("hq_head")
    response = hq.post(_step(content, "acknowledge"), {"hq_comment": "خوب", "quality": "۹"})
    content.refresh_from_db()
    assert content.state == ContentState.SENT and "۱ تا ۵" in response.content.decode()
    hq.post(_step(content, "acknowledge"), {"hq_comment": "خوب", "quality": "۴"})
    content.refresh_from_db()
    assert content.state == ContentState.ACKNOWLEDGED and content.quality == 4
    hq.post(_step(content, "mark_used"), {"used_where": "ویژه‌نامه دهه فجر استان"})
    content.refresh_from_db()
    assert content.state == ContentState.USED and content.used_where == "ویژه‌نامه دهه فجر استان" and content.used_at
    assert Notification.objects.filter(user=world.officer, title__contains="ویژه‌نامه دهه فجر استان").exists()
    page = client_for("officer").get(reverse("occasions:content", args=[content.pk])).content.decode()
    assert "۴ از ۵" in page and "ویژه‌نامه دهه فجر استان" in page
    listing = hq.get(reverse("occasions:contents")).content.decode()
    assert "به کار رفته" in listing


def test_only_the_units_pr_people_edit_and_only_hq_returns_or_marks_used(client_for, world):
    content = make_content(world.county_a)
    assert _edit(client_for("hq_head"), content).status_code == 403
    assert _edit(client_for("outsider"), content).status_code == 404
    with pytest.raises(PermissionDenied):
        services.content_update(content=content, by=world.hq_head, occasion=content.occasion, title="x", text="y")
    move(content, "send", by=world.officer)
    with pytest.raises(PermissionDenied):
        move(content, "return_to_unit", by=world.manager, hq_comment="x")
    with pytest.raises(PermissionDenied):
        move(content, "mark_used", by=world.officer, used_where="x")
    move(content, "mark_used", by=world.hq_head, used_where="تارنما")
    with pytest.raises(TransitionRefused):
        move(content, "return_to_unit", by=world.hq_head, hq_comment="دیر شد")


def test_bad_input_on_the_edit_page_keeps_what_was_typed(client_for, world):
    content = make_content(world.county_a, occasion=make_occasion("هفته وحدت"))
    response = _edit(client_for("officer"), content, title="", text="متنی که نوشتم")
    assert response.status_code == 200 and "متنی که نوشتم" in response.content.decode()
    assert OccasionContent.objects.get(pk=content.pk).text == "متن ویژه‌نامه"
