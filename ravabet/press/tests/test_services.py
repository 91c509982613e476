import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.lib.text import search_key
from ravabet.offices.access import access_for
from ravabet.offices.models import Membership
from ravabet.offices.roles import Role
from ravabet.outbox.models import Channel, Notification, OutboxMessage
from ravabet.press import services
from ravabet.press.models import (
    ContactLog,
    ItemState,
    Keyword,
    MediaRequest,
    Party,
    PressItem,
    PressSource,
    RequestKind,
    RequestState,
    VisitState,
)
from ravabet.workflow.engine import RoleRefused, TransitionRefused, move, steps_of, waiting_filter

from .factories import make_item, make_journalist, make_keyword, make_outlet, make_request, make_source, make_visit

pytestmark = pytest.mark.django_db
FEED = (Path(__file__).parent / "data" / "feed.xml").read_bytes()


def _submit(world, by=None, **fields):
    fields.setdefault("kind", RequestKind.INTERVIEW)
    fields.setdefault("subject", "مصاحبه رئیس اداره درباره کمربندی")
    fields.setdefault("proposed_at", timezone.now() + dt.timedelta(days=3))
    return services.request_submit(unit=world.county_a, by=by or world.officer, **fields)


# --- Requests (C1, C2) ---------------------------------------------------------------------------------

def test_a_submitted_request_notifies_the_hq_head_who_decides(world):
    request = _submit(world)
    assert request.state == RequestState.SUBMITTED
    notified = set(Notification.objects.filter(url__contains=f"/press/requests/{request.pk}/")
                   .values_list("user__username", flat=True))
    assert notified == {"hq_head"}
    assert ActionLog.objects.filter(action="press.request_submitted").count() == 1
    # No SMS: the request is days ahead, not urgent.
    assert not OutboxMessage.objects.exists()


def test_hq_approval_notifies_the_officer_and_then_the_unit_records_it_as_done(world):
    request = _submit(world)
    move(request, "approve", by=world.hq_head)
    assert request.decided_by == world.hq_head and request.decided_at is not None
    assert Notification.objects.filter(user=world.officer, title__contains="مجوز داده شد").count() == 1
    move(request, "record_done", by=world.officer, done_report="مصاحبه پخش شد.", done_link="https://example.ir/news/9")
    request.refresh_from_db()
    assert request.state == RequestState.DONE and request.done_link.endswith("/9") and request.done_at
    assert Notification.objects.filter(user=world.hq_head, title__startswith="انجام شد").exists()


def test_a_manager_who_asked_and_the_units_officer_both_hear_the_decision_once(world):
    request = _submit(world, by=world.manager)
    move(request, "reject", by=world.hq_head, decision_note="موضوع استانی است")
    for user in (world.manager, world.officer):
        assert Notification.objects.filter(user=user, title__contains="رد شد").count() == 1
    assert not Notification.objects.filter(user=world.b_manager).exists()


def test_more_information_goes_back_to_the_unit_and_a_resubmission_reaches_hq_again(world):
    request = _submit(world)
    move(request, "ask_more", by=world.hq_head, decision_note="پرسش‌ها را بفرستید")
    assert Notification.objects.filter(user=world.officer, body__contains="پرسش‌ها را بفرستید").exists()
    before = Notification.objects.filter(user=world.hq_head).count()
    services.request_resubmit(request=request, by=world.officer, description="پرسش‌ها: یک، دو، سه")
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED and "پرسش‌ها" in request.description
    assert Notification.objects.filter(user=world.hq_head).count() == before + 1
    entry = ActionLog.objects.get(action="press.request_resubmitted")
    assert entry.data["changes"]["description"] == ["", "پرسش‌ها: یک، دو، سه"]


def test_a_resubmission_with_a_past_time_is_refused_on_the_field(world):
    request = make_request(world.county_a, state=RequestState.MORE_INFO)
    with pytest.raises(ValidationError) as error:
        services.request_resubmit(request=request, by=world.officer, proposed_at=timezone.now() - dt.timedelta(days=1))
    assert "proposed_at" in error.value.message_dict
    request.refresh_from_db()
    assert request.state == RequestState.MORE_INFO


@pytest.mark.parametrize("step", ["reject", "ask_more"])
def test_rejection_and_questions_need_a_reason(world, step):
    request = _submit(world)
    with pytest.raises(ValidationError) as error:
        move(request, step, by=world.hq_head, decision_note="  ")
    assert "decision_note" in error.value.message_dict
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED


def test_cancelling_needs_a_reason_and_the_head_who_approved_hears_of_it(world):
    request = _submit(world)
    move(request, "approve", by=world.hq_head)
    with pytest.raises(ValidationError):
        move(request, "cancel", by=world.officer, reason="")
    move(request, "cancel", by=world.officer, reason="خبرنگار نیامد")
    assert "خبرنگار نیامد" in ActionLog.objects.get(action="press.request_cancelled").summary
    assert Notification.objects.filter(user=world.hq_head, title__startswith="لغو شد").exists()


def test_a_done_report_with_a_bad_link_is_refused_on_the_field_and_nothing_changes(world):
    request = make_request(world.county_a, state=RequestState.APPROVED)
    with pytest.raises(ValidationError) as error:
        move(request, "record_done", by=world.officer, done_report="پخش شد", done_link="نشانی")
    assert "done_link" in error.value.message_dict
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED and request.done_report == ""


def test_closed_requests_have_no_way_out(world):
    """Rejected, done and cancelled are closed: no declared step leaves them (issue 9, item 4)."""
    for state in (RequestState.REJECTED, RequestState.DONE, RequestState.CANCELLED):
        assert not [spec for spec in steps_of(MediaRequest).values() if state in spec.sources]
        request = make_request(world.county_a, state=state)
        for name in steps_of(MediaRequest):
            with pytest.raises(TransitionRefused):
                move(request, name, by=world.officer if name in ("resubmit", "record_done", "cancel")
                     else world.hq_head, decision_note="x", done_report="x", reason="x")
        request.refresh_from_db()
        assert request.state == state


def test_a_decided_request_cannot_be_decided_again_or_done_before_approval(world):
    request = _submit(world)
    with pytest.raises(TransitionRefused):
        move(request, "record_done", by=world.officer, done_report="انجام شد")
    move(request, "reject", by=world.hq_head, decision_note="نه")
    with pytest.raises(TransitionRefused) as error:
        move(request, "approve", by=world.hq_head)
    assert "رد شد" in str(error.value)


@pytest.mark.parametrize("step", ["approve", "reject", "ask_more"])
@pytest.mark.parametrize("actor", ["hq_expert", "officer", "manager"])
def test_only_the_hq_head_decides_a_media_request(world, actor, step):
    """DESIGN §1, issue 9 item 3: media permits (C1-C3) are the HQ head's; an expert may not decide."""
    request = _submit(world)
    with pytest.raises(RoleRefused):
        move(request, step, by=world.users[actor], decision_note="دلیل")
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED and request.decided_by is None
    assert not ActionLog.objects.filter(action__in=["press.request_approved", "press.request_rejected",
                                                    "press.request_more_info"]).exists()


def test_staff_and_other_counties_cannot_submit_for_county_a(world):
    for actor in ("staff", "outsider", "hq_expert"):
        with pytest.raises(PermissionDenied):
            services.request_submit(unit=world.county_a, by=world.users[actor], kind=RequestKind.NEWS,
                                    subject="x", proposed_at=timezone.now() + dt.timedelta(days=1))


def test_a_request_for_a_past_date_is_refused(world):
    with pytest.raises(ValidationError) as error:
        _submit(world, proposed_at=timezone.now() - dt.timedelta(days=1))
    assert "proposed_at" in error.value.message_dict


def test_a_county_cannot_name_another_countys_outlet_but_may_use_hqs(world):
    with pytest.raises(PermissionDenied):
        _submit(world, outlet=make_outlet(world.county_b))
    request = _submit(world, outlet=make_outlet(world.hq, name="صدا و سیمای مرکز"))
    assert request.outlet.unit == world.hq


def test_the_directory_a_unit_may_use_is_its_own_and_the_units_above(world):
    assert services.shared_unit_ids(world.county_a) == [world.hq.pk, world.county_a.pk]


# --- Journalist visits (C3) ---------------------------------------------------------------------------

def test_a_waiting_journalist_reaches_the_hq_head_in_app_and_by_sms_at_once(world):
    """Issue 9 item 5: a journalist waiting for the phone permit is urgent: SMS too, to the head only."""
    journalist = make_journalist(world.county_a, outlet=make_outlet(world.county_a))
    visit = services.visit_record(unit=world.county_a, by=world.officer, journalist=journalist,
                                  arrived_at=timezone.now(), purpose="گزارش جاده")
    assert visit.journalist_name == "سارا محمدی" and visit.outlet_name == "روزنامه خبر جنوب"
    assert Notification.objects.filter(user=world.hq_head, title__contains="منتظر مجوز تلفنی").count() == 1
    sms = OutboxMessage.objects.get(channel=Channel.SMS)
    assert sms.recipient == world.hq_head.mobile and "سارا محمدی" in sms.body
    assert f"/press/visits/{visit.pk}/" in sms.body
    assert not Notification.objects.filter(user__in=[world.hq_expert, world.officer]).exists()


def test_a_head_who_turned_sms_notices_off_gets_the_in_app_notice_only(world):
    world.hq_head.sms_notices = False
    world.hq_head.save(update_fields=["sms_notices"])
    services.visit_record(unit=world.county_a, by=world.officer, journalist_name="امیر حسینی",
                          arrived_at=timezone.now(), purpose="گزارش")
    assert Notification.objects.filter(user=world.hq_head).exists()
    assert not OutboxMessage.objects.exists()


def test_the_hq_head_permits_and_the_unit_hears_of_it(world):
    visit = make_visit(world.county_a)
    move(visit, "permit", by=world.hq_head)
    visit.refresh_from_db()
    assert visit.state == VisitState.PERMITTED and visit.permit_given_by == world.hq_head.full_name
    assert visit.permit_recorded_by == world.hq_head and visit.permit_at is not None
    assert Notification.objects.filter(user=world.officer, title__contains="داده شد").count() == 1


def test_a_refused_permit_needs_a_reason_and_is_closed(world):
    visit = make_visit(world.county_a)
    with pytest.raises(ValidationError) as error:
        move(visit, "refuse", by=world.hq_head, permit_note="")
    assert "permit_note" in error.value.message_dict
    move(visit, "refuse", by=world.hq_head, permit_note="هماهنگ نشده است")
    assert Notification.objects.filter(user=world.officer, title__contains="داده نشد").exists()
    with pytest.raises(TransitionRefused):
        move(visit, "permit", by=world.hq_head)


@pytest.mark.parametrize("step", ["permit", "refuse"])
@pytest.mark.parametrize("actor", ["hq_expert", "officer", "manager"])
def test_only_the_hq_head_gives_or_refuses_the_phone_permit(world, actor, step):
    visit = make_visit(world.county_a)
    with pytest.raises(RoleRefused):
        move(visit, step, by=world.users[actor], permit_note="علت")
    visit.refresh_from_db()
    assert visit.state == VisitState.WAITING and visit.permit_at is None


def test_the_outcome_is_recorded_only_after_the_permit(world):
    visit = make_visit(world.county_a)
    with pytest.raises(ValidationError):
        services.visit_outcome(visit=visit, by=world.officer, outcome="انجام شد")
    move(visit, "permit", by=world.hq_head)
    services.visit_outcome(visit=visit, by=world.officer, outcome="مصاحبه انجام شد")
    visit.refresh_from_db()
    assert visit.outcome == "مصاحبه انجام شد"


# --- Contact log (C4) ----------------------------------------------------------------------------------

def test_contact_with_the_broadcaster_must_name_the_hq_coordination(world):
    fields = {"contacted_at": timezone.now(), "party": Party.BROADCASTER, "party_name": "صدا و سیما",
              "subject": "پخش گزارش"}
    with pytest.raises(ValidationError) as error:
        services.contact_record(unit=world.county_a, by=world.officer, **fields)
    assert "hq_coordination" in error.value.message_dict
    services.contact_record(unit=world.county_a, by=world.officer, hq_coordination="با آقای کشاورز", **fields)
    services.contact_record(unit=world.county_a, by=world.officer, contacted_at=timezone.now(),
                            party=Party.LOCAL_OFFICE, party_name="فرمانداری", subject="بازدید")
    assert ContactLog.objects.filter(unit=world.county_a).count() == 2


# --- Press monitoring (D1) ----------------------------------------------------------------------------

def test_a_feed_stores_only_entries_matching_the_units_keywords_whatever_the_arabic_letters(world):
    make_keyword(world.county_a, "مرودشت")
    make_keyword(world.county_a, "جاده")
    source = make_source(world.county_a)
    assert services.fetch_source(source.pk, content=FEED) == 2
    titles = set(PressItem.objects.values_list("title", flat=True))
    # «گلايه اهالي ... خاكي» arrives with Arabic ي and ك, is stored with Persian letters and still matches.
    assert "گلایه اهالی مرودشت از جاده خاکی روستا" in titles
    assert "ترافیک ورودی مرودشت" in titles
    first = PressItem.objects.get(link="https://example.ir/news/1")
    assert "<b>" not in first.summary and "خاکی" in first.summary
    assert first.published_at is not None and "مرودشت" in first.matched
    source.refresh_from_db()
    assert source.last_ok_at is not None and source.last_error == ""


def test_fetching_the_same_feed_twice_adds_nothing(world):
    make_keyword(world.county_a, "مرودشت")
    source = make_source(world.county_a)
    other = make_source(world.county_a, url="https://example.ir/other.xml")
    services.fetch_source(source.pk, content=FEED)
    assert services.fetch_source(source.pk, content=FEED) == 0
    assert services.fetch_source(other.pk, content=FEED) == 0
    assert PressItem.objects.count() == 2


def test_a_broken_feed_or_a_dead_site_is_noted_on_the_source_and_does_not_raise(world, monkeypatch):
    make_keyword(world.county_a, "مرودشت")
    broken = make_source(world.county_a)
    assert services.fetch_source(broken.pk, content=b"<html><body>not a feed") == 0
    broken.refresh_from_db()
    assert broken.last_error and broken.last_fetched_at and broken.last_ok_at is None

    def refuse(url):
        raise TimeoutError("timed out")

    monkeypatch.setattr(services, "download", refuse)
    dead = make_source(world.county_a, url="https://example.ir/dead.xml")
    assert services.fetch_source(dead.pk) == 0
    dead.refresh_from_db()
    assert "timed out" in dead.last_error


def test_the_periodic_job_fetches_only_active_sources_not_read_lately(world, monkeypatch):
    make_keyword(world.county_a, "مرودشت")
    fetched = []
    monkeypatch.setattr(services, "download", lambda url: fetched.append(url) or FEED)
    make_source(world.county_a, url="https://example.ir/due.xml")
    make_source(world.county_a, url="https://example.ir/off.xml", is_active=False)
    make_source(world.county_a, url="https://example.ir/fresh.xml", last_fetched_at=timezone.now())
    from ravabet.press.tasks import fetch_press_sources

    assert fetch_press_sources.call() == 2
    assert fetched == ["https://example.ir/due.xml"]
    assert PressSource.objects.get(url="https://example.ir/due.xml").last_fetched_at is not None


def test_keywords_are_unique_per_unit_after_normalising(world):
    services.keyword_add(unit=world.county_a, by=world.officer, text="كازرون")
    with pytest.raises(ValidationError):
        services.keyword_add(unit=world.county_a, by=world.officer, text="کازرون")
    services.keyword_add(unit=world.county_b, by=world.outsider, text="کازرون")


def test_a_public_complaint_found_in_the_press_is_forwarded_to_the_unit_manager_with_the_note(world):
    item = make_item(world.county_a)
    with pytest.raises(ValidationError) as error:
        move(item, "forward_complaint", by=world.officer, note="")
    assert "note" in error.value.message_dict
    move(item, "forward_complaint", by=world.officer, note="بازدید میدانی لازم است")
    notice = Notification.objects.get(user=world.manager)
    assert item.title in notice.title and "لازم است" in notice.body
    assert not Notification.objects.filter(user=world.b_manager).exists()
    with pytest.raises(TransitionRefused):
        move(item, "mark_ignored", by=world.officer)


@pytest.mark.parametrize("actor", ["hq_expert", "hq_head"])
def test_hq_forwards_a_press_complaint_it_finds_to_the_county_manager(world, actor):
    """DESIGN §1: hq_expert (and the head) forward press complaints."""
    item = make_item(world.county_a)
    move(item, "forward_complaint", by=world.users[actor], note="پیگیری شود")
    item.refresh_from_db()
    assert item.state == ItemState.COMPLAINT and item.reviewed_by == world.users[actor]
    assert Notification.objects.filter(user=world.manager, title__contains=item.title[:20]).count() == 1


def test_a_complaint_is_not_forwarded_where_the_unit_has_no_manager(world):
    item = make_item(world.county_a)
    Membership.objects.filter(unit=world.county_a, role=Role.UNIT_MANAGER).delete()
    with pytest.raises(TransitionRefused) as error:
        move(item, "forward_complaint", by=world.officer, note="رسیدگی شود")
    assert "رئیس اداره‌ای" in str(error.value)
    item.refresh_from_db()
    assert item.state == ItemState.NEW


def test_an_ignored_item_may_be_looked_at_again(world):
    item = make_item(world.county_a)
    move(item, "mark_ignored", by=world.officer)
    move(item, "reconsider", by=world.officer)
    item.refresh_from_db()
    assert item.state == ItemState.RELEVANT and item.reviewed_by == world.officer


def test_new_items_wait_for_the_officer_only(world):
    make_item(world.county_a)

    def waiting_for(user) -> int:
        condition = waiting_filter(PressItem, access_for(world.users[user]))
        return 0 if condition is None else PressItem.objects.filter(condition).count()

    waiting = {user: waiting_for(user) for user in ("officer", "manager", "hq_head", "hq_expert", "outsider")}
    assert waiting == {"officer": 1, "manager": 0, "hq_head": 0, "hq_expert": 0, "outsider": 0}


def test_another_county_cannot_review_county_as_items(world):
    item = make_item(world.county_a)
    with pytest.raises(RoleRefused):
        move(item, "mark_ignored", by=world.outsider)


def test_a_duplicate_outlet_name_is_refused_after_normalising(world):
    services.outlet_save(unit=world.county_a, by=world.officer, name="روزنامه خبر جنوب", kind="newspaper",
                         scope="local")
    with pytest.raises(ValidationError) as error:
        services.outlet_save(unit=world.county_a, by=world.officer, name="روزنامه  خبر جنوب", kind="newspaper",
                             scope="local")
    assert "name" in error.value.message_dict


def test_make_request_factory_keeps_the_unit(world):
    assert make_request(world.county_a).unit == world.county_a


@pytest.mark.parametrize("keyword, text, found", [
    ("راه", "همراه با مردم", False),  # never inside another word
    ("راه", "راهنمای سفر نوروزی", False),
    ("راه", "بسته شدن راه روستا", True),
    ("راه", "راه، پل و تونل", True),  # punctuation is a boundary
    ("راه", "«راه» بسته شد", True),
    ("راه", "راه‌ها باز شد", True),  # plural suffix, with ZWNJ, joined or spaced
    ("راه", "راهها باز شد", True),
    ("راهسازی", "پروژه راه‌سازی شهرستان", True),  # the same folding as search keys
    ("راه‌سازی", "پروژه راهسازی شهرستان", True),
    ("راه سازی", "پروژه راه‌سازی شهرستان", True),  # a keyword's words written apart or joined
    ("راه سازی", "راه بازسازی شد", False),
    ("مرودشت", "ترافیک ورودی مرودشت.", True),
    ("كازرون", "جاده کازرون", True),  # Arabic kaf in the keyword
    ("تأخیر", "تاخیر در پرداخت", True),  # hamza folded
    ("آزادراه", "آزادراه شیراز", True),
    ("شیراز", "آزادراه شیرازی", False),
    ("۱۴۰۵", "بودجه 1405 راه", True),  # digits folded
    ("140", "بودجه 1405 راه", False),
    ("محور شیراز", "محور  شیراز بسته شد", True),  # several words, any spacing
])
def test_keywords_match_whole_words_with_the_search_key_folding(keyword, text, found):
    kw = Keyword(text=keyword, key=search_key(keyword))
    assert services.matching_keywords(text, [kw]) == ([keyword] if found else [])


def test_a_feed_item_with_the_keyword_only_inside_another_word_is_not_stored(world):
    make_keyword(world.county_a, "راه")
    feed = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>"
            "<item><title>همراه با مسافران نوروزی</title><link>https://example.ir/a</link></item>"
            "<item><title>بسته شدن راه روستای کوشک</title><link>https://example.ir/b</link></item>"
            "<item><title>پروژه‌های راه‌سازی</title><link>https://example.ir/c</link></item>"
            "</channel></rss>").encode()
    make_keyword(world.county_a, "راهسازی")
    assert services.fetch_source(make_source(world.county_a).pk, content=feed) == 2
    assert set(PressItem.objects.values_list("link", flat=True)) == {"https://example.ir/b", "https://example.ir/c"}
    assert PressItem.objects.get(link="https://example.ir/c").matched == "راهسازی"
