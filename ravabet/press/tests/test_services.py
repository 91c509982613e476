import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.outbox.models import Notification
from ravabet.press import services
from ravabet.press.models import (
    ContactLog,
    ItemState,
    Party,
    PressItem,
    PressSource,
    RequestKind,
    RequestState,
    VisitState,
)

from .factories import make_item, make_journalist, make_keyword, make_outlet, make_request, make_source, make_visit

pytestmark = pytest.mark.django_db
FEED = (Path(__file__).parent / "data" / "feed.xml").read_bytes()


def _submit(world, **fields):
    fields.setdefault("kind", RequestKind.INTERVIEW)
    fields.setdefault("subject", "مصاحبه رئیس اداره درباره کمربندی")
    fields.setdefault("proposed_at", timezone.now() + dt.timedelta(days=3))
    return services.request_submit(unit=world.county_a, by=world.officer, **fields)


# --- Requests (C1, C2) ---------------------------------------------------------------------------------

def test_a_submitted_request_notifies_the_hq_head_and_expert(world):
    request = _submit(world)
    assert request.state == RequestState.SUBMITTED
    notified = set(Notification.objects.filter(url__contains=f"/press/requests/{request.pk}/")
                   .values_list("user__username", flat=True))
    assert notified == {"hq_head", "hq_expert"}
    assert ActionLog.objects.filter(action="press.request_submitted").count() == 1


def test_hq_approval_notifies_the_officer_and_then_the_unit_records_it_as_done(world):
    request = _submit(world)
    services.request_decide(request=request, by=world.hq_expert, decision=RequestState.APPROVED)
    assert Notification.objects.filter(user=world.officer, title__contains="مجوز داده شد").exists()
    services.request_done(request=request, by=world.officer, report="مصاحبه پخش شد.",
                          link="https://example.ir/news/9")
    request.refresh_from_db()
    assert request.state == RequestState.DONE and request.done_link.endswith("/9")
    assert Notification.objects.filter(user=world.hq_expert, title__startswith="انجام شد").exists()


def test_more_information_goes_back_to_the_unit_and_a_resubmission_reaches_hq_again(world):
    request = _submit(world)
    services.request_decide(request=request, by=world.hq_head, decision=RequestState.MORE_INFO,
                            note="پرسش‌ها را بفرستید")
    assert Notification.objects.filter(user=world.officer, body__contains="پرسش‌ها را بفرستید").exists()
    before = Notification.objects.filter(user=world.hq_head).count()
    services.request_resubmit(request=request, by=world.officer, description="پرسش‌ها: یک، دو، سه")
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED and "پرسش‌ها" in request.description
    assert Notification.objects.filter(user=world.hq_head).count() == before + 1


def test_rejection_and_questions_need_a_reason(world):
    request = _submit(world)
    for decision in (RequestState.REJECTED, RequestState.MORE_INFO):
        with pytest.raises(ValidationError) as error:
            services.request_decide(request=request, by=world.hq_head, decision=decision, note="  ")
        assert "note" in error.value.message_dict


def test_a_decided_request_cannot_be_decided_again_or_done_before_approval(world):
    request = _submit(world)
    with pytest.raises(ValidationError):
        services.request_done(request=request, by=world.officer, report="انجام شد")
    services.request_decide(request=request, by=world.hq_head, decision=RequestState.REJECTED, note="نه")
    with pytest.raises(ValidationError):
        services.request_decide(request=request, by=world.hq_head, decision=RequestState.APPROVED)
    with pytest.raises(ValidationError):
        services.request_cancel(request=request, by=world.officer)


@pytest.mark.parametrize("actor", ["officer", "manager", "outsider", "staff"])
def test_only_hq_decides_a_request(world, actor):
    request = _submit(world)
    with pytest.raises(PermissionDenied):
        services.request_decide(request=request, by=world.users[actor], decision=RequestState.APPROVED)


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


# --- Journalist visits (C3) ---------------------------------------------------------------------------

def test_a_recorded_visit_asks_hq_and_the_phone_permit_names_who_answered(world):
    journalist = make_journalist(world.county_a, outlet=make_outlet(world.county_a))
    visit = services.visit_record(unit=world.county_a, by=world.officer, journalist=journalist,
                                  arrived_at=timezone.now(), purpose="گزارش جاده")
    assert visit.journalist_name == "سارا محمدی" and visit.outlet_name == "روزنامه خبر جنوب"
    assert Notification.objects.filter(user=world.hq_head, title__contains="مجوز تلفنی").exists()
    with pytest.raises(ValidationError) as error:
        services.visit_permit(visit=visit, by=world.officer, granted=True)
    assert "given_by" in error.value.message_dict
    services.visit_permit(visit=visit, by=world.officer, granted=True, given_by="آقای کشاورز")
    visit.refresh_from_db()
    assert visit.state == VisitState.PERMITTED and visit.permit_given_by == "آقای کشاورز"
    assert visit.permit_recorded_by == world.officer and visit.permit_at is not None
    assert Notification.objects.filter(user=world.hq_head, title__contains="مجوز داده شد").exists()


def test_hq_may_record_its_own_phone_permit_and_the_unit_hears_of_it(world):
    visit = make_visit(world.county_a)
    services.visit_permit(visit=visit, by=world.hq_head, granted=False, note="هماهنگ نشده است")
    visit.refresh_from_db()
    assert visit.state == VisitState.REFUSED and visit.permit_given_by == world.hq_head.full_name
    assert Notification.objects.filter(user=world.officer, title__contains="مجوز داده نشد").exists()
    with pytest.raises(ValidationError):
        services.visit_permit(visit=visit, by=world.hq_head, granted=True)


def test_the_outcome_is_recorded_only_after_the_permit(world):
    visit = make_visit(world.county_a)
    with pytest.raises(ValidationError):
        services.visit_outcome(visit=visit, by=world.officer, outcome="انجام شد")
    services.visit_permit(visit=visit, by=world.officer, granted=True, given_by="کارشناس")
    services.visit_outcome(visit=visit, by=world.officer, outcome="مصاحبه انجام شد")
    visit.refresh_from_db()
    assert visit.outcome == "مصاحبه انجام شد"


def test_a_permit_time_in_the_future_is_refused(world):
    visit = make_visit(world.county_a)
    with pytest.raises(ValidationError) as error:
        services.visit_permit(visit=visit, by=world.officer, granted=True, given_by="x",
                              at=timezone.now() + dt.timedelta(days=1))
    assert "at" in error.value.message_dict


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
        services.item_review(item=item, by=world.officer, decision=ItemState.COMPLAINT)
    assert "note" in error.value.message_dict
    services.item_review(item=item, by=world.officer, decision=ItemState.COMPLAINT, note="بازدید میدانی لازم است")
    notice = Notification.objects.get(user=world.manager)
    assert item.title in notice.title and "لازم است" in notice.body
    assert not Notification.objects.filter(user=world.b_manager).exists()
    with pytest.raises(ValidationError):
        services.item_review(item=item, by=world.officer, decision=ItemState.IGNORED)


def test_an_ignored_item_may_be_looked_at_again(world):
    item = make_item(world.county_a)
    services.item_review(item=item, by=world.officer, decision=ItemState.IGNORED)
    services.item_review(item=item, by=world.officer, decision=ItemState.RELEVANT)
    item.refresh_from_db()
    assert item.state == ItemState.RELEVANT and item.reviewed_by == world.officer


def test_another_county_cannot_review_county_as_items(world):
    item = make_item(world.county_a)
    with pytest.raises(PermissionDenied):
        services.item_review(item=item, by=world.outsider, decision=ItemState.IGNORED)


def test_a_duplicate_outlet_name_is_refused_after_normalising(world):
    services.outlet_save(unit=world.county_a, by=world.officer, name="روزنامه خبر جنوب", kind="newspaper",
                         scope="local")
    with pytest.raises(ValidationError) as error:
        services.outlet_save(unit=world.county_a, by=world.officer, name="روزنامه  خبر جنوب", kind="newspaper",
                             scope="local")
    assert "name" in error.value.message_dict


def test_make_request_factory_keeps_the_unit(world):
    assert make_request(world.county_a).unit == world.county_a
