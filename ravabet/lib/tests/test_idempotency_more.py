"""Idempotent creates beyond issue 13's list: the same create form POSTed twice makes one record (and
one SMS or notice where the create sends one) in events, HQ tasks, occasions, press, reports, surveys,
visits, planning (meetings, trainings) and messaging (staff groups)."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from ravabet.events.models import Event
from ravabet.hqtasks.models import Task
from ravabet.lib import jalali
from ravabet.messaging.models import CondolenceBanner, StaffGroup, StaffImport, TickerText
from ravabet.occasions.models import OccasionContent
from ravabet.occasions.tests.factories import make_occasion
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.planning.models import Meeting, Plan, Training
from ravabet.planning.tests.test_meetings import meeting_post
from ravabet.planning.tests.test_plans import month_end_text, plan_post
from ravabet.planning.tests.test_trainings import training_post
from ravabet.press.models import ContactLog, Journalist, JournalistVisit, Keyword, MediaRequest, Outlet
from ravabet.press.tests.factories import make_journalist, make_outlet
from ravabet.reports.models import UnitReport
from ravabet.surveys.models import Survey
from ravabet.visits.models import Place, Visit

pytestmark = pytest.mark.django_db


def _later(days: int) -> str:
    return jalali.format_datetime(timezone.now() + dt.timedelta(days=days), persian=False)


def _day(days: int) -> str:
    return jalali.format_date(jalali.today() + dt.timedelta(days=days), persian=False)


@dataclass
class Create:
    actor: str
    url: str
    data: Callable
    model: type
    sent: Callable | None = None  # the SMS/notices the create sends, counted


CREATES = {
    "event": Create("officer", "events:create", lambda w: {
        "kind": "ceremony", "title": "آیین روز کارمند", "venue": "سالن اجتماعات", "starts_at": _later(3)}, Event),
    "hq task": Create("hq_head", "hqtasks:create", lambda w: {
        "title": "گزارش هفته دولت", "description": "عکس و گزارش بفرستید.", "due_date": _day(5),
        "units": [w.county_a.pk, w.county_b.pk]}, Task, lambda w: Notification.objects.count()),
    "occasion content": Create("officer", "occasions:content_create", lambda w: {
        "occasion": make_occasion().pk, "title": "ویژه‌نامه دهه فجر", "text": "گزارش برنامه‌ها"}, OccasionContent),
    "media request": Create("officer", "press:request_create", lambda w: {
        "kind": "interview", "subject": "مصاحبه درباره کمربندی", "outlet": make_outlet(w.county_a).pk,
        "proposed_at": _later(3), "officials": "رئیس اداره"}, MediaRequest, lambda w: Notification.objects.count()),
    "journalist visit": Create("officer", "press:visit_create", lambda w: {
        "journalist": make_journalist(w.county_a).pk, "arrived_at": _later(0), "purpose": "گزارش از جاده"},
        JournalistVisit, lambda w: OutboxMessage.objects.filter(recipient=w.hq_head.mobile).count()),
    "press contact": Create("officer", "press:contact_create", lambda w: {
        "contacted_at": _later(0), "party": "media", "party_name": "خبرگزاری", "subject": "مصاحبه",
        "hq_coordination": "با کارشناس"}, ContactLog),
    "unit report": Create("officer", "reports:create", lambda w: {
        "kind": "problem", "source": "media", "subject": "گلایه از ترافیک", "urgency": "urgent",
        "description": "روزنامه محلی نوشته است.", "send": "1"}, UnitReport, lambda w: Notification.objects.count()),
    "survey": Create("officer", "surveys:create", lambda w: {
        "title": "رضایت از پاسخگویی", "intro": "", "audience": "public", "opens_on": _day(0),
        "closes_on": _day(20)}, Survey),
    "visit": Create("officer", "visits:create", lambda w: {
        "place": "روستای بالا", "place_kind": "", "address": "", "purpose": "بازدید دوره‌ای",
        "planned_on": _day(0)}, Visit),
    "place": Create("officer", "visits:place_create", lambda w: {
        "name": "دبستان", "kind": "office", "every_days": "۶۰", "is_active": "on"}, Place),
    "meeting": Create("officer", "planning:meeting_create", lambda w: meeting_post(w), Meeting),
    "training": Create("officer", "planning:training_create", lambda w: training_post(w), Training),
    "media outlet": Create("officer", "press:outlet_create", lambda w: {
        "name": "روزنامه خبر جنوب", "kind": "newspaper", "scope": "local", "is_active": "on", "phone": "", "email": "", "website": "", "notes": ""},
        Outlet),
    "journalist": Create("officer", "press:journalist_create", lambda w: {
        "full_name": "سارا محمدی", "outlet": make_outlet(w.county_a).pk, "mobile": "09121234567", "email": "",
        "position": "", "notes": "", "is_active": "on"}, Journalist),
    "monthly plan": Create("officer", "planning:plan_create", lambda w: plan_post(*jalali.current_month(), [
        {"title": "ارسال خبر روزانه", "codes": "B5", "target_count": "20", "due_date": month_end_text()}]), Plan),
    "press keyword": Create("officer", "press:keyword_add", lambda w: {"text": "مرودشت"}, Keyword),
    "staff group": Create("officer", "messaging:group_create", lambda w: {
        "name": "فنی", "members": [w.staff.person.pk]}, StaffGroup),
    "ticker text": Create("officer", "messaging:ticker_create", lambda w: {
        "kind": "tv", "occasion": "روز مهندس", "text": "روز مهندس گرامی باد", "submit": "1"}, TickerText,
        lambda w: Notification.objects.count()),
    "condolence banner": Create("officer", "messaging:banner_create", lambda w: {
        "deceased_name": "مرحوم رضا کاظمی", "relation": "colleague"}, CondolenceBanner,
        lambda w: OutboxMessage.objects.filter(recipient=w.hq_head.mobile).count()),
    "staff sheet preview": Create("officer", "messaging:staff_import", lambda w: {"file": _staff_sheet()},
                                  StaffImport),
}


def _staff_sheet():
    from ravabet.messaging.tests.test_staff_import import xlsx

    return xlsx([["مریم احمدی", "کارشناس", "۰۹۱۲۳۴۵۶۷۸۹", "مالی"]])


@pytest.mark.parametrize("name", CREATES)
def test_the_same_create_form_twice_makes_one_record(world, client_for, name):
    create = CREATES[name]
    client = client_for(create.actor)
    url = reverse(create.url)
    [token] = re.findall(r'name="submit_token" value="([0-9a-f]{32})"', client.get(url).content.decode())
    data = {**create.data(world), "submit_token": token}
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    sent = create.sent(world) if create.sent else None
    second = client.post(url, data)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert create.model.objects.count() == 1
    if create.sent:
        assert sent > 0 and create.sent(world) == sent


def test_a_survey_question_a_visit_action_and_a_visit_photo_sent_twice_are_added_once(world, client_for):
    from ravabet.lib import idempotency
    from ravabet.offices.models import Person
    from ravabet.surveys.tests.factories import make_survey
    from ravabet.visits.models import FollowUp, Photo
    from ravabet.visits.tests.factories import jpeg, make_visit

    client = client_for("officer")
    survey = make_survey(world.county_a)
    url = reverse("surveys:question_add", args=[survey.pk])
    [token] = re.findall(r'name="submit_token" value="([0-9a-f]{32})"', client.get(url).content.decode())
    before = survey.questions.count()
    data = {"text": "راضی بودید؟", "kind": "single", "options": "بله\nخیر\n", "required": "on",
            "submit_token": token}
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert survey.questions.count() == before + 1

    visit = make_visit(world.county_a, days=0)
    detail = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert len(re.findall(r'name="submit_token" value="[0-9a-f]{32}"', detail)) >= 2  # action and photo forms
    owner = Person.objects.get(user=world.staff)
    action = {"title": "آب‌پاشی روزانه", "owner": owner.pk, "due_on": _day(3), "submit_token": idempotency.new_token()}
    for _ in range(2):
        assert client.post(reverse("visits:action_add", args=[visit.pk]), action).status_code == 302
    assert FollowUp.objects.filter(visit=visit).count() == 1
    token = idempotency.new_token()
    for _ in range(2):
        response = client.post(reverse("visits:photo_add", args=[visit.pk]),
                               {"file": jpeg(), "caption": "کارگاه", "submit_token": token})
        assert response.status_code == 302
    assert Photo.objects.filter(visit=visit).count() == 1


def test_the_staff_sheet_confirmed_twice_writes_its_people_once_and_says_so(world, client_for):
    """B11's confirm step carries a one-time token: sent twice it writes once; the repeat is told it was saved."""
    from ravabet.lib import idempotency
    from ravabet.messaging.tests.test_staff_import import xlsx
    from ravabet.offices.models import Person

    client = client_for("officer")
    response = client.post(reverse("messaging:staff_import"), {"file": xlsx([["مریم احمدی", "کارشناس",
                                                                               "۰۹۱۲۳۴۵۶۷۸۹", "مالی"]])})
    detail = response["Location"]
    [token] = re.findall(r'name="submit_token" value="([0-9a-f]{32})"', client.get(detail).content.decode())
    pk = int(detail.rstrip("/").rsplit("/", 1)[1])
    data = {"create_group": ["مالی"], "submit_token": token}
    first = client.post(reverse("messaging:staff_import_confirm", args=[pk]), data, follow=True)
    second = client.post(reverse("messaging:staff_import_confirm", args=[pk]), data, follow=True)
    assert "فهرست نوشته شد" in first.content.decode()
    assert idempotency.ALREADY_SAVED in second.content.decode() and "فهرست نوشته شد" not in second.content.decode()
    assert Person.objects.filter(full_name="مریم احمدی").count() == 1
    assert StaffGroup.objects.filter(name="مالی").count() == 1
