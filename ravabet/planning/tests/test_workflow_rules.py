"""The rules issue 9 found missing in the monthly report's workflow (A2) and who is told next:
a returned report loses the manager's approval; a report goes to HQ only after its Jalali month
ends, or earlier with a reason that its PDF prints; HQ accepts or returns it with a comment; the
manager, HQ and the officer each hear when it is their turn; a meeting decision's owner is told."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ravabet.lib import jalali
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification
from ravabet.testing import pdf_text
from ravabet.workflow.engine import TransitionRefused, move

from .. import services
from ..models import Decision, MeetingKind, MonthlyReport, ReportState
from ..pdf import report_pdf_bytes
from .factories import last_month, make_report

pytestmark = pytest.mark.django_db


def step_url(report, name):
    return reverse("workflow:transition", args=["planning.monthlyreport", report.pk, name])


def approved(world, report):
    move(report, "ask_approval", by=world.officer)
    return move(report, "approve", by=world.manager)


def told(title_part):
    return set(Notification.objects.filter(title__contains=title_part).values_list("user__username", flat=True))


# --- Returning clears the manager's approval --------------------------------------------------

def test_a_returned_report_goes_back_to_hq_only_after_the_manager_approves_it_again(world, client_for):
    report = approved(world, make_report(world.county_a, year=last_month()[0], month=last_month()[1]))
    assert report.approved_by == world.manager
    move(report, "submit", by=world.officer)
    report = move(report, "send_back", by=world.hq_expert, comment="جدول آموزش ناقص است")
    assert report.state == ReportState.RETURNED and report.approved_by is None
    services.report_update(report=report, narrative="جدول آموزش کامل شد", by=world.officer)
    # Straight back to HQ with the earlier approval: refused, by the service and through the page.
    with pytest.raises(TransitionRefused):
        move(report, "submit", by=world.officer)
    assert client_for("officer").post(step_url(report, "submit")).status_code == 403
    assert MonthlyReport.objects.get(pk=report.pk).state == ReportState.RETURNED
    report = approved(world, report)
    assert report.approved_by == world.manager
    assert move(report, "submit", by=world.officer).state == ReportState.SUBMITTED


# --- Submitted only after the month ends, or with an early reason ----------------------------

def test_a_report_is_refused_on_the_ninth_day_of_its_own_month_and_goes_once_the_month_ends(world, monkeypatch):
    report = make_report(world.county_a, state=ReportState.MANAGER_APPROVED, year=1405, month=9)
    monkeypatch.setattr(jalali, "today", lambda: jalali.parse_date("1405/09/09"))
    with pytest.raises(TransitionRefused, match="هنوز به پایان نرسیده"):
        move(report, "submit", by=world.officer)
    monkeypatch.setattr(jalali, "today", lambda: jalali.parse_date("1405/09/30"))  # its last day
    with pytest.raises(TransitionRefused):
        move(report, "submit", by=world.officer)
    assert MonthlyReport.objects.get(pk=report.pk).state == ReportState.MANAGER_APPROVED
    monkeypatch.setattr(jalali, "today", lambda: jalali.parse_date("1405/10/01"))
    with pytest.raises(TransitionRefused, match="به پایان رسیده است"):  # nothing early about it now
        move(report, "submit_early", by=world.officer, early_reason="مأموریت")
    assert move(report, "submit", by=world.officer).state == ReportState.SUBMITTED


def test_before_its_month_ends_a_report_goes_only_with_an_early_reason(world, monkeypatch):
    report = make_report(world.county_a, state=ReportState.MANAGER_APPROVED, year=1405, month=9)
    monkeypatch.setattr(jalali, "today", lambda: jalali.parse_date("1405/09/09"))
    with pytest.raises(ValidationError) as error:
        move(report, "submit_early", by=world.officer, early_reason="  ")
    assert error.value.message_dict["early_reason"] == ["علت ارسال زودهنگام را بنویسید."]
    report = move(report, "submit_early", by=world.officer, early_reason="رئیس اداره به مأموریت می‌رود")
    assert report.state == ReportState.SUBMITTED and report.early_reason == "رئیس اداره به مأموریت می‌رود"


def test_the_page_offers_the_early_step_with_its_reason_field_while_the_month_runs(world, client_for):
    year, month = jalali.current_month()
    report = make_report(world.county_a, state=ReportState.MANAGER_APPROVED, year=year, month=month)
    client = client_for("officer")
    page = client.get(reverse("planning:report_detail", args=[report.pk])).content.decode()
    assert "ارسال زودهنگام به اداره کل" in page and 'name="early_reason"' in page
    assert step_url(report, "submit") not in page
    plain = client.post(step_url(report, "submit"))
    assert plain.status_code == 403 and "علت ارسال زودهنگام" in plain.content.decode()
    empty = client.post(step_url(report, "submit_early"), {"early_reason": "  "})
    assert empty.status_code == 400 and "علت ارسال زودهنگام را بنویسید." in empty.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.MANAGER_APPROVED and report.submitted_at is None


def test_an_early_report_with_a_reason_goes_to_hq_and_its_pdf_prints_the_reason(world, client_for, tmp_path):
    year, month = jalali.current_month()
    report = make_report(world.county_a, state=ReportState.MANAGER_APPROVED, year=year, month=month)
    reason = "رئیس اداره از فردا به مأموریت می‌رود"
    response = client_for("officer").post(step_url(report, "submit_early"), {"early_reason": reason})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.early_reason == reason and report.submitted_early
    assert Notification.objects.get(user=world.hq_head, title__contains="پیش از پایان ماه").body == reason
    page = client_for("hq_head").get(reverse("planning:report_detail", args=[report.pk])).content.decode()
    assert reason in page
    path = tmp_path / "early.pdf"
    path.write_bytes(report_pdf_bytes(report))
    text = pdf_text(path)
    assert "پیش از پایان ماه" in text and "مأموریت" in text


def test_a_report_sent_after_its_month_prints_no_early_note(world, tmp_path):
    report = approved(world, make_report(world.county_a, year=last_month()[0], month=last_month()[1]))
    report = move(report, "submit", by=world.officer)
    assert not report.submitted_early and report.early_reason == ""
    path = tmp_path / "late.pdf"
    path.write_bytes(report_pdf_bytes(report))
    text = pdf_text(path)
    assert "پیش از پایان ماه" not in text


# --- HQ accepts or returns with a comment ------------------------------------------------------

@pytest.mark.parametrize("actor", ["hq_expert", "hq_head"])
def test_hq_accepts_with_a_comment_or_returns_with_one(world, client_for, actor):
    y, m = last_month()
    report = make_report(world.county_a, state=ReportState.SUBMITTED, year=y, month=m)
    client = client_for(actor)
    page = client.get(reverse("planning:report_detail", args=[report.pk])).content.decode()
    assert "پذیرش گزارش" in page and "برگرداندن با نظر" in page
    empty = client.post(step_url(report, "send_back"), {"comment": ""})
    assert empty.status_code == 400 and "نظر خود را بنویسید" in empty.content.decode()
    assert client.post(step_url(report, "accept"), {"comment": "گزارش کامل و به‌موقع بود"}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.hq_comment == "گزارش کامل و به‌موقع بود"
    assert report.reviewed_at is not None


def test_county_people_cannot_accept_their_own_report(world, client_for):
    report = make_report(world.county_a, state=ReportState.SUBMITTED)
    for actor in ("officer", "manager"):
        assert client_for(actor).post(step_url(report, "accept")).status_code == 403
    assert "پذیرش گزارش" not in client_for("manager").get(
        reverse("planning:report_detail", args=[report.pk])).content.decode()
    assert MonthlyReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_returning_without_a_comment_is_refused(world):
    report = make_report(world.county_a, state=ReportState.SUBMITTED)
    with pytest.raises(ValidationError):
        move(report, "send_back", by=world.hq_head, comment="")


# --- Whoever acts next is told -------------------------------------------------------------

def test_each_next_actor_of_the_report_is_told(world):
    y, m = last_month()
    report = make_report(world.county_a, year=y, month=m)
    move(report, "ask_approval", by=world.officer)
    assert told("منتظر تأیید شماست") == {"manager"}
    move(report, "approve", by=world.manager)
    assert told("را تأیید کرد") == {"officer"}
    move(report, "submit", by=world.officer)
    assert told(f"{world.county_a.name} رسید") == {"hq_head", "hq_expert"}
    move(report, "send_back", by=world.hq_expert, comment="آمار کانال‌ها را بیفزایید")
    notice = Notification.objects.get(user=world.officer, title__contains="برگشت خورد")
    assert notice.body == "آمار کانال‌ها را بیفزایید" and notice.url == report.get_absolute_url()
    approved(world, report)
    move(report, "submit", by=world.officer)
    move(report, "accept", by=world.hq_head)
    assert "officer" in told("پذیرفته شد")
    assert "outsider" not in told("")  # county B hears nothing of county A's report


def test_the_report_waits_on_the_managers_home_once_asked(world, client_for):
    report = make_report(world.county_a, year=last_month()[0], month=last_month()[1])
    link = f'href="{report.get_absolute_url()}"'
    assert link not in client_for("manager").get(reverse("home")).content.decode().split("در انتظار شما")[1]
    move(report, "ask_approval", by=world.officer)
    waiting = client_for("manager").get(reverse("home")).content.decode().split("در انتظار شما")[1]
    assert link in waiting


def _meeting_post(owner, text="تهیه بنر هفته دولت", **extra):
    today = jalali.format_date(jalali.today(), persian=False)
    data = {"kind": MeetingKind.STAFF, "title": "جلسه ماهانه با کارکنان", "place": "سالن اجتماعات",
            "starts_at": f"{today} 10:00", "ends_at": f"{today} 11:30",
            "decisions-TOTAL_FORMS": "1", "decisions-INITIAL_FORMS": "0", "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000", "guests-TOTAL_FORMS": "0", "guests-INITIAL_FORMS": "0",
            "decisions-0-text": text, "decisions-0-owner": str(owner.pk),
            "decisions-0-due_date": jalali.format_date(jalali.today() + dt.timedelta(days=7), persian=False)}
    data.update(extra)
    return data


def test_the_person_given_a_meeting_decision_is_told_once_and_again_when_it_moves_to_someone_else(
        world, client_for):
    manager = Person.objects.get(user=world.manager)
    client = client_for("officer")
    assert client.post(reverse("planning:meeting_create"), _meeting_post(manager)).status_code == 302
    notice = Notification.objects.get(user=world.manager)
    assert "به شما سپرده شد" in notice.title and "تهیه بنر هفته دولت" in notice.body
    decision = Decision.objects.get()
    assert notice.url == reverse("planning:meeting_detail", args=[decision.meeting_id])
    # Saving the meeting again with the same owner tells nobody again.
    edit = reverse("planning:meeting_edit", args=[decision.meeting_id])
    same = _meeting_post(manager, **{"decisions-INITIAL_FORMS": "1", "decisions-0-id": str(decision.pk),
                                     "decisions-0-meeting": str(decision.meeting_id)})
    assert client.post(edit, same).status_code == 302
    assert Notification.objects.filter(title__contains="سپرده شد").count() == 1
    # Given to someone else: they are told.
    staff = Person.objects.get(user=world.staff)
    moved = _meeting_post(staff, **{"decisions-INITIAL_FORMS": "1", "decisions-0-id": str(decision.pk),
                                    "decisions-0-meeting": str(decision.meeting_id)})
    assert client.post(edit, moved).status_code == 302
    notice = Notification.objects.get(user=world.staff)
    assert "سپرده شد" in notice.title and notice.url == reverse("planning:mine")  # staff: their own page (F6)


def test_whoever_records_a_decision_for_themselves_is_not_told(world, client_for):
    officer = Person.objects.get(user=world.officer)
    client_for("officer").post(reverse("planning:meeting_create"), _meeting_post(officer))
    assert Decision.objects.count() == 1 and not Notification.objects.exists()
