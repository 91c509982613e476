import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.press import services
from ravabet.press.models import (
    ContactLog,
    ItemState,
    Journalist,
    Keyword,
    MediaRequest,
    Outlet,
    PressItem,
    PressSource,
    RequestState,
    VisitState,
)
from ravabet.workflow.engine import move

from .factories import (
    make_contact,
    make_item,
    make_journalist,
    make_outlet,
    make_request,
    make_source,
    make_visit,
)

pytestmark = pytest.mark.django_db
FEED = (Path(__file__).parent / "data" / "feed.xml").read_bytes()


def _when(days=3) -> str:
    return jalali.format_datetime(timezone.now() + dt.timedelta(days=days), persian=True)


# --- Requests ----------------------------------------------------------------------------------------

def test_the_officer_sends_a_request_from_the_form_with_a_jalali_time_in_persian_digits(client_for, world):
    outlet = make_outlet(world.county_a)
    response = client_for("officer").post(reverse("press:request_create"), {
        "kind": "interview", "subject": "مصاحبه درباره كمربندی", "outlet": outlet.pk, "proposed_at": _when(),
        "officials": "رئیس اداره"})
    request = MediaRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("press:request_detail", args=[request.pk])
    assert request.subject == "مصاحبه درباره کمربندی" and request.unit == world.county_a
    assert Notification.objects.filter(user=world.hq_head).exists()


def test_a_bad_request_form_keeps_what_was_typed_and_says_why_in_persian(client_for, world):
    response = client_for("officer").post(reverse("press:request_create"), {
        "kind": "interview", "subject": "موضوعی که تایپ شد", "proposed_at": "1405/13/40 10:00"})
    page = response.content.decode()
    assert response.status_code == 200 and "موضوعی که تایپ شد" in page
    assert "ماه باید بین" in page
    past = client_for("officer").post(reverse("press:request_create"), {
        "kind": "news", "subject": "گزارش دیروز", "proposed_at": _when(-2)}).content.decode()
    assert "زمان پیشنهادی گذشته است" in past and "گزارش دیروز" in past
    assert not MediaRequest.objects.exists()


def _step(label, pk, name):
    return reverse("workflow:transition", args=[label, pk, name])


def test_only_the_hq_head_sees_the_decision_buttons_and_a_rejection_without_reason_keeps_nothing_lost(
        client_for, world):
    request = make_request(world.county_a)
    detail = reverse("press:request_detail", args=[request.pk])
    hq = client_for("hq_head")
    page = hq.get(detail).content.decode()
    for name in ("approve", "reject", "ask_more"):
        assert _step("press.mediarequest", request.pk, name) in page
    for actor in ("hq_expert", "officer", "manager"):
        other = client_for(actor).get(detail).content.decode()
        assert _step("press.mediarequest", request.pk, "approve") not in other
        assert "دادن مجوز" not in other
    response = hq.post(_step("press.mediarequest", request.pk, "reject"), {"decision_note": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "دلیل رد را بنویسید" in page
    response = hq.post(_step("press.mediarequest", request.pk, "ask_more"),
                       {"decision_note": "فهرست پرسش‌ها؟", "next": detail})
    assert response.status_code == 302 and response.url == detail
    request.refresh_from_db()
    assert request.state == RequestState.MORE_INFO and request.decision_note == "فهرست پرسش‌ها؟"


def test_an_hq_expert_who_tries_to_decide_a_media_request_gets_a_persian_refusal(client_for, world):
    """DESIGN §1, issue 9 item 3: the expert could approve media permits; now only the head may."""
    request = make_request(world.county_a)
    for name, values in (("approve", {}), ("reject", {"decision_note": "نه"}), ("ask_more", {"decision_note": "؟"})):
        response = client_for("hq_expert").post(_step("press.mediarequest", request.pk, name), values)
        assert response.status_code == 403
        assert "از نقش شما" in response.content.decode()
    visit = make_visit(world.county_a)
    response = client_for("hq_expert").post(_step("press.journalistvisit", visit.pk, "permit"), {})
    assert response.status_code == 403
    request.refresh_from_db()
    visit.refresh_from_db()
    assert request.state == RequestState.SUBMITTED and visit.state == VisitState.WAITING
    assert not Notification.objects.exists()


def test_the_officer_answers_hqs_question_on_the_edit_page_and_records_the_done_report(client_for, world):
    request = make_request(world.county_a, state=RequestState.MORE_INFO, decision_note="پرسش‌ها؟")
    officer = client_for("officer")
    detail = officer.get(reverse("press:request_detail", args=[request.pk])).content.decode()
    assert reverse("press:request_edit", args=[request.pk]) in detail
    page = officer.get(reverse("press:request_edit", args=[request.pk])).content.decode()
    assert "پرسش‌ها؟" in page
    past = officer.post(reverse("press:request_edit", args=[request.pk]), {
        "kind": "interview", "subject": "موضوع تازه", "proposed_at": _when(-2)}).content.decode()
    assert "زمان پیشنهادی گذشته است" in past and "موضوع تازه" in past
    officer.post(reverse("press:request_edit", args=[request.pk]), {
        "kind": "interview", "subject": request.subject, "proposed_at": _when(), "description": "پرسش یک"})
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED and request.description == "پرسش یک"
    move(request, "approve", by=world.hq_head)
    done = reverse("press:request_done", args=[request.pk])
    assert done in officer.get(reverse("press:request_detail", args=[request.pk])).content.decode()
    bad = officer.post(done, {"done_report": "پخش شد", "done_link": "نشانی"})
    assert bad.status_code == 200 and "نشانی وب درست نیست" in bad.content.decode()
    assert "پخش شد" in bad.content.decode()
    officer.post(done, {"done_report": "پخش شد", "done_link": "https://example.ir/a"})
    request.refresh_from_db()
    assert request.state == RequestState.DONE and request.done_link == "https://example.ir/a"
    assert client_for("officer").get(done).status_code == 403


def test_a_request_prints_as_a_persian_pdf(client_for, world):
    response = client_for("officer").get(reverse("press:request_pdf", args=[make_request(world.county_a).pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_county_b_cannot_decide_or_cancel_county_as_request(client_for, world):
    request = make_request(world.county_a)
    assert client_for("outsider").post(_step("press.mediarequest", request.pk, "cancel"),
                                       {"reason": "x"}).status_code == 404
    assert client_for("staff").post(_step("press.mediarequest", request.pk, "approve")).status_code == 404
    assert client_for("officer").post(_step("press.mediarequest", request.pk, "approve")).status_code == 403
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED


# --- Visits -----------------------------------------------------------------------------------------------

def test_the_officer_records_a_visit_the_head_is_texted_and_permits_then_the_outcome(client_for, world):
    journalist = make_journalist(world.county_a)
    officer = client_for("officer")
    response = officer.post(reverse("press:visit_create"), {
        "journalist": journalist.pk, "arrived_at": _when(0), "purpose": "گزارش از جاده"})
    visit = journalist.visits.get()
    assert response.status_code == 302 and visit.state == VisitState.WAITING
    assert OutboxMessage.objects.filter(recipient=world.hq_head.mobile).count() == 1
    page = officer.get(reverse("press:visit_detail", args=[visit.pk])).content.decode()
    assert "رئیس روابط عمومی اداره کل می‌دهد" in page
    assert _step("press.journalistvisit", visit.pk, "permit") not in page
    hq = client_for("hq_head")
    assert _step("press.journalistvisit", visit.pk, "permit") in hq.get(
        reverse("press:visit_detail", args=[visit.pk])).content.decode()
    hq.post(_step("press.journalistvisit", visit.pk, "permit"), {"permit_note": "با حضور مسئول روابط عمومی"})
    visit.refresh_from_db()
    assert visit.state == VisitState.PERMITTED and visit.permit_given_by == world.hq_head.full_name
    page = officer.get(reverse("press:visit_detail", args=[visit.pk])).content.decode()
    assert world.hq_head.full_name in page and "ثبت نتیجه" in page
    bad = officer.post(reverse("press:visit_outcome", args=[visit.pk]), {"outcome": ""})
    assert bad.status_code == 200 and "ثبت نتیجه" in bad.content.decode()
    officer.post(reverse("press:visit_outcome", args=[visit.pk]), {"outcome": "مصاحبه انجام شد"})
    visit.refresh_from_db()
    assert visit.outcome == "مصاحبه انجام شد"


def test_a_visit_form_without_a_journalist_says_so_and_keeps_the_purpose(client_for, world):
    page = client_for("officer").post(reverse("press:visit_create"), {
        "arrived_at": _when(0), "purpose": "موضوع تایپ‌شده"}).content.decode()
    assert "نام خبرنگار را بنویسید" in page and "موضوع تایپ‌شده" in page


# --- Contacts ---------------------------------------------------------------------------------------------

def test_a_media_contact_without_hq_coordination_is_refused_on_the_field(client_for, world):
    data = {"contacted_at": _when(0), "party": "media", "party_name": "خبرگزاری", "subject": "مصاحبه"}
    page = client_for("officer").post(reverse("press:contact_create"), data).content.decode()
    assert "از راه روابط عمومی اداره کل" in page and "خبرگزاری" in page
    assert client_for("officer").post(reverse("press:contact_create"),
                                      {**data, "hq_coordination": "با کارشناس"}).status_code == 302
    assert ContactLog.objects.get().unit == world.county_a


# --- Directory ---------------------------------------------------------------------------------------

def test_outlets_and_journalists_are_added_and_a_bad_mobile_gets_a_persian_message(client_for, world):
    officer = client_for("officer")
    officer.post(reverse("press:outlet_create"), {"name": "پایگاه خبری مرودشت", "kind": "website",
                                                  "scope": "local", "is_active": "on"})
    outlet = Outlet.objects.get()
    page = officer.post(reverse("press:journalist_create"), {"full_name": "علی", "outlet": outlet.pk,
                                                             "mobile": "12345"}).content.decode()
    assert "شماره همراه معتبر نیست" in page and 'value="12345"' in page
    officer.post(reverse("press:journalist_create"), {"full_name": "علی", "outlet": outlet.pk,
                                                      "mobile": "۰۹۱۷ ۱۲۳ ۴۵۶۷", "is_active": "on"})
    assert Journalist.objects.get().mobile == "09171234567"
    assert "علی" in officer.get(reverse("press:outlet_edit", args=[outlet.pk])).content.decode()


# --- Monitoring ------------------------------------------------------------------------------------------

def test_the_officer_adds_a_source_and_keyword_and_fetches_now(client_for, world, monkeypatch):
    monkeypatch.setattr(services, "download", lambda url: FEED)
    officer = client_for("officer")
    bad = officer.post(reverse("press:source_list"), {"name": "خبر جنوب", "kind": "local", "url": "not a url"})
    assert "نشانی خوراک درست نیست" in bad.content.decode() and "خبر جنوب" in bad.content.decode()
    officer.post(reverse("press:source_list"), {"name": "خبر جنوب", "kind": "local",
                                                "url": "https://example.ir/rss", "is_active": "on"})
    officer.post(reverse("press:keyword_add"), {"text": "مرودشت"})
    source = PressSource.objects.get()
    officer.post(reverse("press:source_fetch", args=[source.pk]))
    assert PressItem.objects.filter(unit=world.county_a).count() == 2
    keyword = Keyword.objects.get()
    officer.post(reverse("press:keyword_delete", args=[keyword.pk]))
    assert not Keyword.objects.exists()


def test_quick_review_buttons_on_the_list_and_the_complaint_goes_to_the_manager(client_for, world):
    first, second = make_item(world.county_a, 1), make_item(world.county_a, 2)
    officer = client_for("officer")
    listing = officer.get(reverse("press:item_list")).content.decode()
    assert _step("press.pressitem", first.pk, "mark_relevant") in listing
    assert _step("press.pressitem", first.pk, "mark_ignored") in listing
    assert _step("press.pressitem", first.pk, "mark_relevant") not in client_for("manager").get(
        reverse("press:item_list")).content.decode()
    response = officer.post(_step("press.pressitem", first.pk, "mark_ignored"), {"next": reverse("press:item_list")})
    assert response.url == reverse("press:item_list")
    forward = _step("press.pressitem", second.pk, "forward_complaint")
    page = officer.post(forward, {"note": ""}).content.decode()
    assert "برای رئیس اداره بنویسید" in page
    officer.post(forward, {"note": "رسیدگی شود"})
    second.refresh_from_db()
    assert second.state == ItemState.COMPLAINT
    # The item became a public case referred to the office head; his notice opens the case (issue 14).
    assert second.case.referred_to.user == world.manager
    assert Notification.objects.filter(user=world.manager, url=second.case.get_absolute_url())
    manager_page = client_for("manager").get(reverse("press:item_detail", args=[second.pk])).content.decode()
    assert "رسیدگی شود" in manager_page and second.case.get_absolute_url() in manager_page
    assert forward not in officer.get(reverse("press:item_detail", args=[second.pk])).content.decode()


def test_the_hq_expert_forwards_a_complaint_from_the_items_page(client_for, world):
    item = make_item(world.county_a)
    expert = client_for("hq_expert")
    page = expert.get(reverse("press:item_detail", args=[item.pk])).content.decode()
    forward = _step("press.pressitem", item.pk, "forward_complaint")
    assert forward in page and _step("press.pressitem", item.pk, "mark_relevant") not in page
    assert expert.post(forward, {"note": "پیگیری شود"}).status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.COMPLAINT


def test_the_monitor_list_shows_new_items_by_default(client_for, world):
    make_item(world.county_a, 1, title="مطلب تازه")
    make_item(world.county_a, 2, title="مطلب کنارگذاشته", state=ItemState.IGNORED)
    page = client_for("officer").get(reverse("press:item_list")).content.decode()
    assert "مطلب تازه" in page and "مطلب کنارگذاشته" not in page
    page = client_for("officer").get(reverse("press:item_list") + "?state=all").content.decode()
    assert "مطلب کنارگذاشته" in page


def test_county_b_never_sees_county_as_records_in_lists(client_for, world):
    make_request(world.county_a, subject="درخواست الف")
    make_item(world.county_a, title="مطلب الف")
    make_visit(world.county_a, journalist_name="خبرنگار الف")
    for name, text in (("press:request_list", "درخواست الف"), ("press:item_list", "مطلب الف"),
                       ("press:visit_list", "خبرنگار الف")):
        assert text not in client_for("outsider").get(reverse(name)).content.decode()
        assert text in client_for("hq_expert").get(reverse(name)).content.decode()


# --- Exports and query counts ------------------------------------------------------------------------------

LISTS = ["press:outlet_list", "press:journalist_list", "press:request_list", "press:visit_list",
         "press:contact_list", "press:item_list", "press:source_list"]


def _rows(world, n, start=0):
    source = make_source(world.county_a, url=f"https://example.ir/{start}.xml")
    for i in range(start, start + n):
        outlet = make_outlet(world.county_a, name=f"رسانه {i}")
        make_journalist(world.county_a, full_name=f"خبرنگار {i}", outlet=outlet)
        request = make_request(world.county_a, outlet=outlet, subject=f"درخواست {i}", decided_by=world.hq_head)
        make_visit(world.county_a)
        make_contact(world.county_a, media_request=request)
        make_item(world.county_a, i, source=source)
        make_source(world.county_a, url=f"https://example.ir/s{i}.xml")


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_run_the_same_number_of_queries_for_3_and_30_rows(client_for, world, name,
                                                                   django_assert_max_num_queries):
    client = client_for("hq_expert")
    _rows(world, 3)
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    _rows(world, 27, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [n for n in LISTS if n != "press:source_list"])
def test_lists_export_to_excel(client_for, world, name):
    _rows(world, 2)
    response = client_for("officer").get(reverse(name) + "?export=xlsx&state=all")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
