"""The news workflow as declared (issue 9): who may make each step, who is told, HQ's own news,
and a create that fails part-way saving nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.news import services
from ravabet.news.models import News, NewsComment, NewsKind, NewsState
from ravabet.offices.access import Access
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move, waiting_filter

from .helpers import make_news, photo_file, step_url, submitted

pytestmark = pytest.mark.django_db
S = NewsState


def form_data(**overrides):
    data = {"kind": "news", "title": "نشست خبری مدیر کل درباره طرح زمستانی", "lead": "لید", "body": "متن خبر",
            "news_date": "۱۴۰۵/۰۹/۰۵", "occasion": "", "tags": "", "form_token": "tok-hq"}
    data.update(overrides)
    return data


def titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


# HQ's own news: written, sent and published by HQ roles (the fault: 403 after an orphan draft).

def test_an_hq_expert_saves_news_of_hq_with_a_photo_and_takes_it_to_publication(world, client_for):
    client = client_for("hq_expert")
    response = client.post(reverse("news:create"), form_data(photos=[photo_file(41)]))
    assert response.status_code == 302
    news = News.objects.get()
    assert news.unit == world.hq and news.photo_count == 1 and news.cover_id
    page = client.get(news.get_absolute_url()).content.decode()
    assert reverse("news:edit", args=[news.pk]) in page and "ارسال به میز خبر" in page
    response = client.post(reverse("news:edit", args=[news.pk]), form_data(title="تیتر تازه", photos=[photo_file(42)]))
    assert response.status_code == 302
    assert client.post(step_url(news, "submit_hq")).status_code == 302
    assert client.post(step_url(news, "publish")).status_code == 302
    news.refresh_from_db()
    assert (news.title, news.photo_count, news.state) == ("تیتر تازه", 2, S.PUBLISHED)


def test_an_hq_draft_without_a_photo_can_still_be_edited_and_then_submitted(world):
    news = make_news(world, photos=0, by=world.hq_expert, unit=world.hq)
    with pytest.raises(TransitionRefused, match="یک عکس"):
        services.news_submit(news=news, by=world.hq_expert)
    services.news_attach_photos(news=news, by=world.hq_expert, uploads=[photo_file(43)])
    services.news_submit(news=news, by=world.hq_head)
    assert news.state == S.SUBMITTED


def test_hq_cannot_send_a_countys_draft_and_a_county_cannot_touch_hqs_news(world):
    draft = make_news(world)
    with pytest.raises(TransitionRefused):
        services.news_submit(news=draft, by=world.hq_expert)
    with pytest.raises(TransitionRefused, match="روابط عمومی همان واحد"):
        move(draft, "submit_hq", by=world.hq_expert)
    assert not services.can_edit(Access(world.hq_expert), draft)
    hq_news = make_news(world, by=world.hq_expert, unit=world.hq, seed=2)
    assert not services.can_edit(Access(world.officer), hq_news)
    with pytest.raises(RoleRefused):
        move(hq_news, "submit", by=world.officer)


def test_an_hq_achievement_is_approved_by_the_hq_head_only_and_he_is_told(world):
    news = make_news(world, kind=NewsKind.ACHIEVEMENT, by=world.hq_expert, unit=world.hq)
    services.news_submit(news=news, by=world.hq_expert)
    assert news.state == S.SUBMITTED
    assert any("منتظر تأیید شماست" in title for title in titles(world.hq_head))
    with pytest.raises(TransitionRefused, match="رئیس روابط عمومی"):
        move(news, "publish", by=world.hq_expert)
    move(news, "approve_achievement", by=world.hq_head)
    move(news, "publish", by=world.hq_expert)
    assert news.state == S.PUBLISHED


# One transaction: a create that fails part-way saves nothing.

def test_a_create_that_fails_part_way_leaves_no_draft_and_no_log(world, client_for, monkeypatch):
    def refuse(**kwargs):
        raise PermissionDenied("آزمون: بارگذاری رد شد.")

    monkeypatch.setattr("ravabet.news.services.photo_upload", refuse)
    response = client_for("officer").post(reverse("news:create"), form_data(photos=[photo_file(44)]))
    assert response.status_code == 403
    assert not News.objects.exists() and not ActionLog.objects.filter(action__startswith="news.").exists()


def test_a_crash_after_the_photos_rolls_back_the_draft_the_photos_and_their_files(world, monkeypatch):
    from django.core.files.storage import storages

    from ravabet.news import services as news_services
    from ravabet.photos.models import Photo

    made = []
    real_upload = news_services.photo_upload

    def recording_upload(**kwargs):
        made.append(real_upload(**kwargs))
        return made[-1]

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("ravabet.news.services.photo_upload", recording_upload)
    monkeypatch.setattr("ravabet.news.services._link_photos", crash)
    with pytest.raises(RuntimeError):
        make_news(world, photos=1)
    assert not News.objects.exists() and not Photo.objects.exists()
    photo = made[0]
    assert photo.image.name and not photo.image.storage.exists(photo.image.name)
    assert not photo.thumbnail.storage.exists(photo.thumbnail.name)
    assert not storages["private"].exists(photo.original_path)


def test_a_refused_file_is_reported_and_the_rest_is_saved_in_the_same_transaction(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = services.PhotoReport()
    news, created = services.news_create(unit=world.county_a, by=world.officer, kind="news", title="تیتر", lead="",
                                         body="متن", news_date=datetime.date(2026, 11, 20), occasion="", tags="", report=report,
                                         uploads=[SimpleUploadedFile("x.jpg", b"not an image"), photo_file(45)])
    assert created and len(report.attached) == 1 and "x.jpg" in report.errors[0]
    assert News.objects.get().photo_count == 1


# Return: a comment kept in the thread, approvals cleared, the author told.

def test_a_return_keeps_its_comment_in_the_thread_clears_both_approvals_and_tells_the_author(world):
    news = submitted(world, kind=NewsKind.ACHIEVEMENT)
    move(news, "manager_approve", by=world.manager)
    move(news, "approve_achievement", by=world.hq_head)
    with pytest.raises(TransitionRefused):
        move(news, "return_to_unit", by=world.hq_expert, comment="پس از تأیید، متن را اداره کل اصلاح می‌کند.")
    news = submitted(world, kind=NewsKind.ACHIEVEMENT, seed=2, title="دستاورد دوم")
    move(news, "manager_approve", by=world.manager)
    move(news, "return_to_unit", by=world.hq_head, comment="سند رتبه را پیوست کنید.")
    assert news.state == S.RETURNED and news.manager_approved_at is None and news.head_approved_at is None
    comment = NewsComment.objects.get(news=news)
    assert comment.is_return and comment.body == "سند رتبه را پیوست کنید." and comment.author == world.hq_head
    notice = Notification.objects.get(user=world.officer, title__contains="برای اصلاح برگشت")
    assert notice.body == "سند رتبه را پیوست کنید."
    entry = ActionLog.objects.filter(action="news.returned").get()
    assert entry.summary == "برگشت برای اصلاح: سند رتبه را پیوست کنید."
    assert entry.data["changes"]["manager_approved_by_id"] == [world.manager.pk, None]


# Who is told.

def test_the_unit_manager_is_told_when_an_achievement_waits_for_him(world):
    submitted(world, kind=NewsKind.ACHIEVEMENT)
    assert any("منتظر تأیید شماست" in title for title in titles(world.manager))
    assert not titles(world.users["b_manager"])


def test_the_hq_head_is_told_when_an_achievement_waits_for_him_and_the_expert_is_not(world):
    news = submitted(world, kind=NewsKind.ACHIEVEMENT)
    move(news, "manager_approve", by=world.manager)
    assert titles(world.hq_head) == [f"دستاورد {world.county_a.name}: «{news.title}» منتظر تأیید شماست"]
    assert not titles(world.hq_expert)


def test_hq_experts_get_one_quiet_notice_per_submitted_item(world):
    news = submitted(world)
    assert titles(world.hq_expert) == [f"خبر تازه از {world.county_a.name}: «{news.title}»"]
    assert not titles(world.hq_head)
    assert not OutboxMessage.objects.exists()  # not urgent: no SMS


def test_the_author_is_told_on_approve_and_on_publish(world):
    news = submitted(world)
    move(news, "approve", by=world.hq_expert)
    move(news, "publish", by=world.hq_expert)
    mine = titles(world.officer)
    assert f"خبر «{news.title}» تأیید شد" in mine and f"خبر «{news.title}» منتشر شد" in mine


# Buttons and "waiting for you" follow the declaration.

def test_the_buttons_show_only_the_steps_the_person_may_make(world, client_for):
    news = submitted(world, kind=NewsKind.ACHIEVEMENT)
    url = reverse("news:detail", args=[news.pk])
    manager_page = client_for("manager").get(url).content.decode()
    assert step_url(news, "manager_approve") in manager_page
    assert step_url(news, "manager_approve") not in client_for("officer").get(url).content.decode()
    move(news, "manager_approve", by=world.manager)
    expert_page = client_for("hq_expert").get(url).content.decode()
    head_page = client_for("hq_head").get(url).content.decode()
    assert step_url(news, "approve_achievement") in head_page and step_url(news, "approve_achievement") not in expert_page
    assert step_url(news, "publish") not in expert_page and step_url(news, "return_to_unit") in expert_page
    assert "workflow/" not in client_for("officer").get(url).content.decode().split('id="news-actions"')[1][:400]


def test_the_head_sees_the_waiting_achievement_and_the_expert_sees_only_ordinary_news(world):
    achievement = submitted(world, kind=NewsKind.ACHIEVEMENT)
    move(achievement, "manager_approve", by=world.manager)
    plain = submitted(world, seed=2, title="خبر عادی")
    for_head = News.objects.filter(waiting_filter(News, Access(world.hq_head)))
    for_expert = News.objects.filter(waiting_filter(News, Access(world.hq_expert)))
    assert set(for_head) == {achievement, plain} and set(for_expert) == {plain}
    move(plain, "schedule", by=world.hq_expert, scheduled_for=timezone.now() + datetime.timedelta(days=1))
    assert plain not in News.objects.filter(waiting_filter(News, Access(world.hq_expert)))


def test_hq_of_a_published_item_can_take_it_down_and_it_leaves_the_public_pages(world, client_for):
    news = submitted(world)
    move(news, "publish", by=world.hq_expert)
    client_for("hq_expert").post(step_url(news, "unpublish"))
    news.refresh_from_db()
    assert news.state == S.APPROVED
    assert client_for("anon").get(reverse("news:public_detail", args=[news.pk])).status_code == 404
