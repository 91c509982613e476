import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.news import services
from ravabet.news.models import TRANSITIONS, News, NewsComment, NewsState
from ravabet.news.text import clean_body

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
    with pytest.raises(ValidationError, match="قبلاً ارسال شده"):
        services.news_submit(news=news, by=world.officer)
    assert ActionLog.objects.filter(action="news.submitted").count() == 1


def test_news_without_a_photo_cannot_be_submitted(world):
    news = make_news(world, photos=0)
    with pytest.raises(ValidationError, match="یک عکس"):
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
    services.news_return(news=news, by=world.hq_expert, comment="تیتر کوتاه‌تر شود.")
    assert news.state == S.RETURNED
    services.news_update(news=news, by=world.officer, kind="news", title="تیتر کوتاه", lead="", body="متن",
                         news_date=news.news_date, occasion="", tags="")
    services.news_submit(news=news, by=world.officer)
    assert news.state == S.SUBMITTED
    assert list(NewsComment.objects.filter(news=news).values_list("body", flat=True)) == ["تیتر کوتاه‌تر شود."]


def test_return_without_a_comment_is_refused(world):
    news = submitted(world)
    with pytest.raises(ValidationError, match="علت برگشت"):
        services.news_return(news=news, by=world.hq_expert, comment="  ")


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
    services.news_publish(news=news, by=world.hq_expert)
    assert news.state == S.PUBLISHED and news.published_at


def test_an_officer_cannot_publish(world):
    news = submitted(world)
    with pytest.raises(PermissionDenied):
        services.news_publish(news=news, by=world.officer)


def test_an_achievement_needs_the_manager_then_the_hq_head_before_publishing(world):
    news = submitted(world, kind="achievement")
    assert news.state == S.MANAGER_REVIEW
    with pytest.raises(PermissionDenied):
        services.news_manager_approve(news=news, by=world.officer)
    services.news_manager_approve(news=news, by=world.manager)
    assert news.state == S.SUBMITTED
    with pytest.raises(ValidationError, match="رئیس روابط عمومی"):
        services.news_publish(news=news, by=world.hq_expert)
    with pytest.raises(PermissionDenied):
        services.news_approve(news=news, by=world.hq_expert)
    services.news_approve(news=news, by=world.hq_head)
    services.news_publish(news=news, by=world.hq_expert)
    assert news.state == S.PUBLISHED


def test_the_manager_can_return_an_achievement_to_the_officer(world):
    news = submitted(world, kind="achievement")
    services.news_return(news=news, by=world.manager, comment="عدد دقیق ذکر شود.")
    assert news.state == S.RETURNED


def test_scheduled_news_is_published_by_the_periodic_task_when_its_time_comes(world):
    from ravabet.news.tasks import publish_scheduled

    news = submitted(world)
    services.news_schedule(news=news, by=world.hq_expert, when=timezone.now() + datetime.timedelta(hours=1))
    assert services.publish_due() == 0
    News.objects.filter(pk=news.pk).update(scheduled_for=timezone.now() - datetime.timedelta(minutes=1))
    publish_scheduled.call()
    news.refresh_from_db()
    assert news.state == S.PUBLISHED


def test_a_schedule_in_the_past_is_refused(world):
    news = submitted(world)
    with pytest.raises(ValidationError, match="آینده"):
        services.news_schedule(news=news, by=world.hq_expert, when=timezone.now() - datetime.timedelta(hours=1))


def test_bulk_publish_reports_items_that_cannot_be_published(world):
    plain = submitted(world)
    achievement = submitted(world, kind="achievement", seed=2)
    services.news_manager_approve(news=achievement, by=world.manager)
    done, failures = services.news_bulk(ids=[plain.pk, achievement.pk], action="publish", by=world.hq_expert)
    assert done == 1 and len(failures) == 1 and "رئیس روابط عمومی" in failures[0]


@pytest.mark.parametrize("state", list(TRANSITIONS))
def test_every_state_refuses_moves_that_are_not_in_the_transition_table(world, state):
    news = make_news(world, photos=0)
    news.state = state
    for target in set(NewsState.values) - TRANSITIONS[state]:
        with pytest.raises(ValidationError):
            services.check_transition(news, target)


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
    services.news_manager_approve(news=news, by=world.manager)
    services.news_return(news=news, by=world.hq_expert, comment="رتبه را با سند بیاورید.")
    services.news_submit(news=news, by=world.officer)
    assert news.state == S.MANAGER_REVIEW and news.manager_approved_at is None
