"""The declared workflows of messaging (issue 9): who may make each step, who is told next, the
reasons a refusal needs, the buttons each person sees, and a request form sent twice."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.messaging import services
from ravabet.messaging.models import AnnouncementState, BannerState, CondolenceBanner, ReviewState, TickerText
from ravabet.messaging.tests.factories import make_announcement, make_banner, make_ticker
from ravabet.offices.access import Access
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.workflow.engine import RoleRefused, move
from ravabet.workflow.waiting import waiting_for

pytestmark = pytest.mark.django_db


def _step_url(record, step: str) -> str:
    return reverse("workflow:transition", args=[record._meta.label_lower, record.pk, step])


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def _sms_to(user) -> list[str]:
    return list(OutboxMessage.objects.filter(recipient=user.mobile, channel="sms").values_list("body", flat=True))


# --- Condolence banners (B8) ---------------------------------------------------

def _request(world, **fields):
    defaults = {"deceased_name": "مرحوم علی احمدی", "position": "راننده", "relation": "colleague",
                "funeral_at": timezone.now() + dt.timedelta(days=1), "funeral_place": "مسجد جامع"}
    return services.banner_create(unit=world.county_a, by=world.officer, **{**defaults, **fields})


def test_a_banner_request_tells_the_hq_head_in_the_app_and_by_sms_and_nobody_else_at_hq(world):
    banner = _request(world)
    assert banner.state == BannerState.SUBMITTED
    [title] = _titles(world.hq_head)
    assert "مرحوم علی احمدی" in title and "تشییع ۱۴" in title and world.county_a.name in title
    [sms] = _sms_to(world.hq_head)
    assert "مرحوم علی احمدی" in sms and f"/messaging/banners/{banner.pk}/" in sms
    assert not _titles(world.hq_expert) and not _sms_to(world.hq_expert)
    log = ActionLog.objects.get(action="messaging.banner_requested")
    assert log.data["from"] == "draft" and log.data["to"] == "submitted"


def test_a_head_who_turned_sms_notices_off_is_told_in_the_app_only(world):
    world.hq_head.sms_notices = False
    world.hq_head.save(update_fields=["sms_notices"])
    _request(world)
    assert len(_titles(world.hq_head)) == 1 and not _sms_to(world.hq_head)


def test_the_request_form_sent_twice_is_one_banner_and_one_sms(world, client_for):
    client = client_for("officer")
    form = client.get(reverse("messaging:banner_create")).content.decode()
    import re

    token = re.search(r'name="submit_token" value="([0-9a-f]{32})"', form).group(1)
    data = {"deceased_name": "مرحوم رضا کاظمی", "relation": "colleague", "submit_token": token}
    first = client.post(reverse("messaging:banner_create"), data)
    second = client.post(reverse("messaging:banner_create"), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert CondolenceBanner.objects.count() == 1 and len(_sms_to(world.hq_head)) == 1


def test_hq_does_not_request_banners(world, client_for):
    # B8 is the county's request, in coordination with HQ; HQ's head approves it.
    assert client_for("hq_expert").get(reverse("messaging:banner_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.banner_create(unit=world.hq, by=world.hq_expert, deceased_name="مرحوم", relation="colleague")
    assert not CondolenceBanner.objects.exists()


def test_the_expert_cannot_approve_a_banner_through_the_generic_step_and_nothing_changes(world, client_for):
    banner = make_banner(world.county_a)
    response = client_for("hq_expert").post(_step_url(banner, "approve"), {"edited_text": "متن دیگر"})
    assert response.status_code == 403 and "تأیید متن و ساخت بنر" in response.content.decode()
    banner.refresh_from_db()
    assert banner.state == BannerState.SUBMITTED and banner.text != "متن دیگر" and banner.approved_by is None
    assert not ActionLog.objects.filter(action="messaging.banner_approved").exists()


def test_approval_and_return_go_back_to_the_requesting_countys_pr_officer(world, client_for):
    approved = _request(world)
    client_for("hq_head").post(_step_url(approved, "approve"), {"edited_text": "", "review_note": ""})
    approved.refresh_from_db()
    assert approved.state == BannerState.APPROVED
    returned = _request(world, deceased_name="مرحوم حسین نوری")
    client_for("hq_head").post(_step_url(returned, "send_back"), {"review_note": "سمت را کامل بنویسید"})
    returned.refresh_from_db()
    assert returned.state == BannerState.RETURNED and returned.review_note == "سمت را کامل بنویسید"
    titles = _titles(world.officer)
    assert any("مرحوم علی احمدی" in t and "تأیید" in t for t in titles)
    assert any("مرحوم حسین نوری" in t and "بازگرداند" in t for t in titles)
    assert not _titles(world.outsider) and not _titles(world.staff)


def test_returning_a_banner_needs_a_reason_and_keeps_nothing_else(world, client_for):
    banner = make_banner(world.county_a)
    with pytest.raises(ValidationError) as error:
        move(banner, "send_back", by=world.hq_head, review_note="")
    assert error.value.message_dict == {"review_note": ["برای بازگرداندن، علت را بنویسید."]}
    response = client_for("hq_head").post(_step_url(banner, "send_back"), {"review_note": " "})
    assert response.status_code == 400 and "برای بازگرداندن، علت را بنویسید." in response.content.decode()
    banner.refresh_from_db()
    assert banner.state == BannerState.SUBMITTED and not Notification.objects.filter(user=world.officer).exists()


def test_a_corrected_request_tells_the_head_again_by_sms(world, client_for):
    banner = make_banner(world.county_a, state="returned", review_note="سمت را کامل بنویسید")
    response = client_for("officer").post(reverse("messaging:banner_edit", args=[banner.pk]), {
        "deceased_name": banner.deceased_name, "position": "کارشناس ارشد", "relation": "colleague", "text": ""})
    assert response.status_code == 302
    banner.refresh_from_db()
    assert banner.state == BannerState.SUBMITTED and "کارشناس ارشد" in banner.text
    assert len(_sms_to(world.hq_head)) == 1
    log = ActionLog.objects.get(action="messaging.banner_resubmitted")
    assert log.data["changes"]["position"] == ["کارشناس فنی", "کارشناس ارشد"]


def test_hq_may_not_open_the_edit_or_installation_pages_of_a_countys_banner(world, client_for):
    returned = make_banner(world.county_a, state="returned")
    approved = make_banner(world.county_a, approved=True)
    assert client_for("hq_head").get(reverse("messaging:banner_edit", args=[returned.pk])).status_code == 403
    assert client_for("hq_head").get(reverse("messaging:banner_installed", args=[approved.pk])).status_code == 403
    # A step the state does not allow sends the county back to the banner with the reason.
    response = client_for("officer").get(reverse("messaging:banner_installed", args=[returned.pk]))
    assert response.status_code == 302 and response["Location"] == returned.get_absolute_url()


def test_the_installation_page_records_the_photo(world, client_for):
    from ravabet.messaging.tests.factories import image_upload

    banner = make_banner(world.county_a, approved=True)
    url = reverse("messaging:banner_installed", args=[banner.pk])
    empty = client_for("officer").post(url, {})
    assert empty.status_code == 200 and "invalid-feedback" in empty.content.decode()
    response = client_for("officer").post(url, {"photo": image_upload()})
    assert response.status_code == 302
    banner.refresh_from_db()
    assert banner.state == BannerState.INSTALLED and banner.installed_photo and banner.installed_at


def test_each_person_sees_only_the_banner_steps_they_may_make(world, client_for):
    submitted = make_banner(world.county_a)
    detail = reverse("messaging:banner_detail", args=[submitted.pk])
    head = client_for("hq_head").get(detail).content.decode()
    assert "تأیید متن و ساخت بنر" in head and "/send_back/" in head and 'name="edited_text"' in head
    for actor in ("hq_expert", "officer", "manager"):
        page = client_for(actor).get(detail).content.decode()
        assert "تأیید متن و ساخت بنر" not in page and "/send_back/" not in page, actor
    approved = make_banner(world.county_a, approved=True)
    detail = reverse("messaging:banner_detail", args=[approved.pk])
    install = reverse("messaging:banner_installed", args=[approved.pk])
    assert install in client_for("officer").get(detail).content.decode()
    assert install not in client_for("hq_head").get(detail).content.decode()


def test_what_waits_for_the_head_is_the_banner_not_for_the_expert(world):
    banner = make_banner(world.county_a)
    groups = {g.title: g for g in waiting_for(Access(world.hq_head))}
    assert [r.pk for r in groups["بنرهای تسلیت"].records] == [banner.pk]
    assert "بنرهای تسلیت" not in {g.title for g in waiting_for(Access(world.hq_expert))}
    move(banner, "approve", by=world.hq_head)
    assert "بنرهای تسلیت" in {g.title for g in waiting_for(Access(world.officer))}
    assert "بنرهای تسلیت" not in {g.title for g in waiting_for(Access(world.hq_head))}


# --- Ticker and letterhead texts (B10) -----------------------------------------

def test_a_submitted_text_tells_hqs_reviewers_and_their_answer_tells_the_unit(world):
    ticker = services.ticker_save(unit=world.county_a, by=world.officer, kind="letterhead", occasion="دهه فجر",
                                  text="دهه مبارک فجر گرامی باد", submit=True)
    assert ticker.state == ReviewState.SUBMITTED
    for reviewer in (world.hq_head, world.hq_expert):
        assert any("دهه فجر" in t and "سربرگ" in t for t in _titles(reviewer))
    assert not _sms_to(world.hq_head)  # in the app only: a text is not a funeral
    move(ticker, "send_back", by=world.hq_expert, review_note="کوتاه‌تر بنویسید")
    assert any("بازگرداند" in t for t in _titles(world.officer))
    ticker = services.ticker_save(unit=world.county_a, by=world.officer, ticker=ticker, submit=True,
                                  text="دهه فجر گرامی باد")
    move(ticker, "approve", by=world.hq_head, review_note="")  # the review card always sends its note field
    assert any("تأیید کرد" in t for t in _titles(world.officer))
    ticker.refresh_from_db()
    assert ticker.reviewed_by == world.hq_head and ticker.review_note == ""


def test_the_unit_may_not_approve_its_own_text_and_hq_may_not_send_a_countys(world, client_for):
    ticker = make_ticker(world.county_a, state="submitted")
    with pytest.raises(RoleRefused):
        move(ticker, "approve", by=world.manager)
    draft = make_ticker(world.county_a)
    with pytest.raises(RoleRefused):
        move(draft, "submit", by=world.hq_head)
    response = client_for("hq_expert").post(reverse("messaging:ticker_edit", args=[draft.pk]), {
        "kind": "tv", "occasion": "روز مهندس", "text": "متن اداره کل", "submit": "1"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.state == ReviewState.DRAFT and draft.text == "روز مهندس گرامی باد"


def test_hq_writes_its_own_text_and_another_hq_reviewer_is_told(world, client_for):
    client = client_for("hq_expert")
    response = client.post(reverse("messaging:ticker_create"), {
        "kind": "screen", "occasion": "هفته ایمنی راه", "text": "با سرعت مجاز، سفری ایمن", "submit": "1"})
    assert response.status_code == 302
    ticker = TickerText.objects.get()
    assert ticker.unit == world.hq and ticker.state == ReviewState.SUBMITTED
    assert ActionLog.objects.filter(action="messaging.ticker_submitted", data__step="submit_own").exists()
    assert any("هفته ایمنی راه" in t for t in _titles(world.hq_head))
    assert not _titles(world.hq_expert)  # the writer is not told of their own step


def test_the_review_card_shows_only_to_hq_on_a_submitted_text(world, client_for):
    ticker = make_ticker(world.county_a, state="submitted")
    url = reverse("messaging:ticker_edit", args=[ticker.pk])
    assert "/send_back/" in client_for("hq_expert").get(url).content.decode()
    assert "/send_back/" not in client_for("officer").get(url).content.decode()
    draft = make_ticker(world.county_a)
    assert "/send_back/" not in client_for("hq_expert").get(reverse("messaging:ticker_edit", args=[draft.pk])).content.decode()


def test_the_new_text_form_sent_twice_is_one_text(world, client_for):
    client = client_for("officer")
    from ravabet.lib.idempotency import new_token

    data = {"kind": "tv", "occasion": "روز مهندس", "text": "روز مهندس گرامی باد", "submit_token": new_token(),
            "submit": "1"}
    first = client.post(reverse("messaging:ticker_create"), data)
    second = client.post(reverse("messaging:ticker_create"), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert TickerText.objects.count() == 1
    assert ActionLog.objects.filter(action="messaging.ticker_submitted").count() == 1


# --- Announcements (B1, B6) ------------------------------------------------------

def test_hq_cancels_a_countys_scheduled_announcement_and_its_sender_is_told(world, client_for):
    announcement = make_announcement(world.county_a, state="scheduled", send_at=timezone.now() + dt.timedelta(hours=2))
    detail = reverse("messaging:announcement_detail", args=[announcement.pk])
    assert "/cancel/" in client_for("officer").get(detail).content.decode()
    assert "/cancel/" not in client_for("staff").get(reverse("messaging:inbox")).content.decode()
    response = client_for("hq_expert").post(_step_url(announcement, "cancel"), {"next": detail})
    assert response.status_code == 302 and response["Location"] == detail
    announcement.refresh_from_db()
    assert announcement.state == AnnouncementState.CANCELLED
    assert any("لغو کرد" in t for t in _titles(announcement.sender))
    assert "/cancel/" not in client_for("officer").get(detail).content.decode()
    # No step leaves a cancelled announcement: the scheduler does not start it.
    assert client_for("officer").post(_step_url(announcement, "cancel")).status_code == 403


def test_sending_is_started_and_finished_by_the_scheduler_only_and_logged_once_each(world):
    announcement = services.announcement_create(
        unit=world.county_a, by=world.officer, kind="general", title="جلسه", body="جلسه شنبه است.",
        target_units=[world.county_a])
    assert announcement.state == AnnouncementState.SENT and announcement.sent_at
    assert ActionLog.objects.filter(action="messaging.announcement_sending").count() == 1
    assert ActionLog.objects.filter(action="messaging.announcement_sent").count() == 1
    services.refresh_states(announcement)  # a second look changes and logs nothing
    assert ActionLog.objects.filter(action="messaging.announcement_sent").count() == 1
    scheduled = make_announcement(world.county_a, state="scheduled", send_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(RoleRefused):
        move(scheduled, "start", by=world.officer)
