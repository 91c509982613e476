import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.news import services
from ravabet.news.models import News, NewsComment, NewsState
from ravabet.news.text import clean_body
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move, steps_of

from .helpers import make_news, submitted

pytestmark = pytest.mark.django_db
S = NewsState


def test_officer_creates_a_draft_with_photos_and_a_cover(world):
    news = make_news(world, photos=2)
    assert news.state == S.DRAFT
    assert news.photo_count == 2
    assert news.cover_id == news.news_photos.first().photo_id
    assert ActionLog.objects.filter(action="news.created", target_id=str(news.pk)).exists()


def test_submit_sends_the_item_to_hq_and_stores_the_submitted_version(world):
    news = submitted(world)
    assert news.state == S.SUBMITTED
    assert news.submitted_version["title"] == news.title
    assert news.sent_on == timezone.localdate()


def test_a_second_submit_of_the_same_item_is_refused_in_persian(world):
    news = submitted(world)
    with pytest.raises(TransitionRefused, match="هم‌اکنون «ارسال‌شده به اداره کل» است"):
        services.news_submit(news=news, by=world.officer)
    assert ActionLog.objects.filter(action="news.submitted").count() == 1


def test_news_without_a_photo_cannot_be_submitted(world):
    news = make_news(world, photos=0)
    with pytest.raises(TransitionRefused, match="یک عکس"):
        services.news_submit(news=news, by=world.officer)


def test_the_same_create_form_twice_makes_one_news_item(world):
    fields = {"kind": "news", "title": "تیتر", "lead": "", "body": "متن", "news_date": datetime.date(2026, 11, 20),
              "occasion": "", "tags": ""}
    first, created = services.news_create(unit=world.county_a, by=world.officer, form_token="abc123", **fields)
    second, created_again = services.news_create(unit=world.county_a, by=world.officer, form_token="abc123", **fields)
    assert (created, created_again) == (True, False)
    assert first == second and News.objects.count() == 1


def test_hq_returns_with_a_comment_the_officer_fixes_and_resubmits_and_the_thread_stays(world):
    news = submitted(world)
    move(news, "return_to_unit", by=world.hq_expert, comment="تیتر کوتاه‌تر شود.")
    assert news.state == S.RETURNED
    services.news_update(news=news, by=world.officer, kind="news", title="تیتر کوتاه", lead="", body="متن",
                         news_date=news.news_date, occasion="", tags="")
    services.news_submit(news=news, by=world.officer)
    assert news.state == S.SUBMITTED
    assert list(NewsComment.objects.filter(news=news).values_list("body", flat=True)) == ["تیتر کوتاه‌تر شود."]


def test_return_without_a_comment_is_refused(world):
    news = submitted(world)
    with pytest.raises(ValidationError, match="علت برگشت"):
        move(news, "return_to_unit", by=world.hq_expert, comment="  ")
    news.refresh_from_db()
    assert news.state == S.SUBMITTED and not NewsComment.objects.exists()


def test_hq_edit_is_shown_to_the_unit_as_a_diff(world):
    from ravabet.news.selectors import diff_since_submission

    news = submitted(world)
    services.news_update(news=news, by=world.hq_expert, kind="news", title="بازدید مدیر کل از پروژه راه",
                         lead="لید خبر", body="متن خبر درباره پیشرفت خوب پروژه.", news_date=news.news_date,
                         occasion="", tags="")
    assert news.hq_edited
    diff = {d["label"]: d["segments"] for d in diff_since_submission(news)}
    assert ("delete", "روستایی") in diff["تیتر"]
    assert ("insert", "خوب") in diff["متن"]


def test_the_unit_cannot_edit_after_submitting(world):
    news = submitted(world)
    with pytest.raises(PermissionDenied):
        services.news_update(news=news, by=world.officer, kind="news", title="x", lead="", body="y",
                             news_date=news.news_date, occasion="", tags="")


def test_hq_publishes_a_submitted_item(world):
    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    assert news.state == S.PUBLISHED and news.published_at


def test_an_officer_cannot_publish(world):
    news = submitted(world)
    with pytest.raises(RoleRefused):
        move(news, "publish", by=world.officer)


def test_an_achievement_needs_the_manager_then_the_hq_head_before_publishing(world):
    news = submitted(world, kind="achievement")
    assert news.state == S.MANAGER_REVIEW
    with pytest.raises(RoleRefused):
        move(news, "manager_approve", by=world.officer)
    move(news, "manager_approve", by=world.manager)
    assert news.state == S.SUBMITTED and news.manager_approved_by == world.manager
    with pytest.raises(TransitionRefused, match="رئیس روابط عمومی"):
        move(news, "publish", by=world.hq_expert)
    with pytest.raises(TransitionRefused, match="تأیید انتشار دستاورد با رئیس روابط عمومی"):
        move(news, "approve", by=world.hq_expert)
    with pytest.raises(RoleRefused):
        move(news, "approve_achievement", by=world.hq_expert)
    move(news, "approve_achievement", by=world.hq_head)
    assert news.head_approved_by == world.hq_head
    move(news, "publish", by=world.hq_expert)
    assert news.state == S.PUBLISHED


def test_a_manager_who_sends_an_achievement_approves_it_in_the_same_step(world):
    news = make_news(world, kind="achievement", by=world.manager)
    services.news_submit(news=news, by=world.manager)
    assert news.state == S.SUBMITTED and news.manager_approved_by == world.manager


def test_the_manager_can_return_an_achievement_to_the_officer(world):
    news = submitted(world, kind="achievement")
    move(news, "manager_return", by=world.manager, comment="عدد دقیق ذکر شود.")
    assert news.state == S.RETURNED
    assert NewsComment.objects.get(news=news).is_return


def test_scheduled_news_is_published_by_the_periodic_task_as_a_system_step(world):
    from ravabet.audit.models import ActionLog
    from ravabet.news.tasks import publish_scheduled
    from ravabet.outbox.models import Notification

    news = submitted(world)
    move(news, "schedule", by=world.hq_expert, scheduled_for=timezone.now() + datetime.timedelta(hours=1))
    assert news.state == S.SCHEDULED
    assert services.publish_due() == 0
    News.objects.filter(pk=news.pk).update(scheduled_for=timezone.now() - datetime.timedelta(minutes=1))
    publish_scheduled.call()
    news.refresh_from_db()
    assert news.state == S.PUBLISHED and news.published_at
    entry = ActionLog.objects.get(action="news.published")
    assert entry.actor is None and entry.data["step"] == "publish_due"
    assert Notification.objects.filter(user=world.officer, title__contains="منتشر شد").count() == 1


def test_a_schedule_in_the_past_is_refused_and_nothing_changes(world):
    news = submitted(world)
    with pytest.raises(ValidationError, match="آینده"):
        move(news, "schedule", by=world.hq_expert, scheduled_for=timezone.now() - datetime.timedelta(hours=1))
    news.refresh_from_db()
    assert news.state == S.SUBMITTED and news.scheduled_for is None


def test_unscheduling_clears_the_time_and_keeps_the_item_approved(world):
    news = submitted(world)
    move(news, "schedule", by=world.hq_expert, scheduled_for=timezone.now() + datetime.timedelta(days=1))
    move(news, "unschedule", by=world.hq_head)
    assert news.state == S.APPROVED and news.scheduled_for is None
    assert services.publish_due(timezone.now() + datetime.timedelta(days=2)) == 0


def test_bulk_publish_reports_items_that_cannot_be_published(world):
    plain = submitted(world)
    achievement = submitted(world, kind="achievement", seed=2)
    move(achievement, "manager_approve", by=world.manager)
    done, failures = services.news_bulk(ids=[plain.pk, achievement.pk], action="publish", by=world.hq_expert)
    assert done == 1 and len(failures) == 1 and "رئیس روابط عمومی" in failures[0]


def test_bulk_approve_takes_the_achievement_step_for_the_head_and_refuses_it_to_the_expert(world):
    plain = submitted(world)
    achievement = submitted(world, kind="achievement", seed=2)
    move(achievement, "manager_approve", by=world.manager)
    done, failures = services.news_bulk(ids=[plain.pk, achievement.pk], action="approve", by=world.hq_expert)
    assert done == 1 and len(failures) == 1 and "تأیید انتشار دستاورد با رئیس روابط عمومی" in failures[0]
    done, failures = services.news_bulk(ids=[achievement.pk], action="approve", by=world.hq_head)
    achievement.refresh_from_db()
    assert (done, failures) == (1, []) and achievement.state == S.APPROVED and achievement.head_approved_at


@pytest.mark.parametrize("state", NewsState.values)
def test_every_state_refuses_the_steps_not_declared_from_it(world, state):
    news = make_news(world, photos=1)
    News.objects.filter(pk=news.pk).update(state=state)
    for name, spec in steps_of(News).items():
        if state in spec.sources:
            continue
        actor = world.hq_head if spec.roles & {"hq_head", "hq_expert"} else world.manager
        with pytest.raises(TransitionRefused):
            move(News.objects.get(pk=news.pk), name, by=actor, comment="علت",
                 scheduled_for=timezone.now() + datetime.timedelta(days=1))
        assert News.objects.get(pk=news.pk).state == state


def test_body_scripts_and_event_handlers_are_cleaned():
    cleaned = clean_body('<p onclick="x()">سلام</p><script>alert(1)</script><img src=x onerror="alert(1)">'
                         '<a href="javascript:alert(1)">پیوند</a>')
    assert "<script" not in cleaned and "onerror" not in cleaned and "onclick" not in cleaned
    assert "javascript:" not in cleaned
    assert "<p>سلام</p>" in cleaned


def test_plain_text_body_becomes_paragraphs_and_arabic_letters_are_unified():
    assert clean_body("خط يك\n\nخط دو") == "<p>خط یک</p><p>خط دو</p>"


def test_the_reminder_notifies_and_texts_the_officer_of_a_silent_unit_once(world, monkeypatch):
    from ravabet.news.tasks import send_reminders
    from ravabet.outbox.models import Notification, OutboxMessage

    monkeypatch.setattr("ravabet.news.tasks.is_working_day", lambda day: True)
    submitted(world)  # county A sent today; county B did not
    noon = timezone.localtime().replace(hour=14, minute=0)
    assert send_reminders(noon) == 1
    assert send_reminders(noon) == 1
    sms = OutboxMessage.objects.get()
    assert sms.recipient == world.outsider.mobile
    assert sms.idempotency_key == f"news-reminder:{world.county_b.pk}:{noon.date()}"
    assert Notification.objects.filter(user=world.outsider).count() == 1


def test_no_reminder_before_the_time_hq_set_or_on_a_holiday(world, monkeypatch):
    from ravabet.news.tasks import send_reminders
    from ravabet.outbox.models import OutboxMessage

    morning = timezone.localtime().replace(hour=9, minute=0)
    monkeypatch.setattr("ravabet.news.tasks.is_working_day", lambda day: True)
    assert send_reminders(morning) == 0
    monkeypatch.setattr("ravabet.news.tasks.is_working_day", lambda day: False)
    assert send_reminders(morning.replace(hour=15)) == 0
    assert not OutboxMessage.objects.exists()


def test_a_returned_achievement_needs_the_managers_approval_again(world):
    news = submitted(world, kind="achievement")
    move(news, "manager_approve", by=world.manager)
    move(news, "return_to_unit", by=world.hq_expert, comment="رتبه را با سند بیاورید.")
    assert news.manager_approved_at is None and news.head_approved_at is None
    services.news_submit(news=news, by=world.officer)
    assert news.state == S.MANAGER_REVIEW and news.manager_approved_at is None
