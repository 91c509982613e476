"""The rules issue 9's faults showed, each a guard or a need of the declared workflow of a case: a case
closes only with an answer or a written reason; the tracking page, HQ's overdue list and the figures
tell the truth about such a case; nothing leaves a closed case but the citizen's objection; every answer
is kept as a version and a rating stays with the answer it rated; the next actor is told."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.complaints import services
from ravabet.complaints.models import Answer, Case, State
from ravabet.complaints.selectors import Flags, figures
from ravabet.offices.models import Person
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.workflow.engine import TransitionRefused, move

from .factories import make_case
from .helpers import jpeg

pytestmark = pytest.mark.django_db
REASON = "تکراری است؛ همین شکایت با کد دیگری پیگیری می‌شود."


def _step_url(case, name: str) -> str:
    return reverse("workflow:transition", args=["complaints.case", case.pk, name])


def _track(client, case):
    cache.clear()
    client.post(reverse("complaints:public_track"), {"code": case.tracking_code, "mobile": case.citizen_mobile})
    return client.get(reverse("complaints:public_case")).content.decode()


# A case closes only with an answer or a recorded reason ---------------------------------------------------


def test_closing_an_unanswered_case_without_a_reason_is_refused_in_persian(world, client_for):
    case = make_case(world.county_a)
    with pytest.raises(TransitionRefused, match="در وضعیت «دریافت‌شده»"):
        move(case, "close", by=world.officer)
    with pytest.raises(ValidationError) as error:
        move(case, "close_unanswered", by=world.officer, close_reason="   ")
    assert "علت بستن پرونده بدون پاسخ را بنویسید" in error.value.message_dict["close_reason"][0]
    officer = client_for("officer")
    assert officer.post(_step_url(case, "close")).status_code == 403
    empty = officer.post(_step_url(case, "close_unanswered"), {"close_reason": ""})
    assert empty.status_code == 400 and "علت بستن پرونده بدون پاسخ را بنویسید" in empty.content.decode()
    case.refresh_from_db()
    assert case.state == State.RECEIVED and case.closed_at is None
    assert not ActionLog.objects.filter(action__startswith="complaints.closed").exists()


def test_closing_without_an_answer_records_the_reason_and_tells_the_citizen(world, client_for):
    case = make_case(world.county_a)
    response = client_for("officer").post(_step_url(case, "close_unanswered"), {"close_reason": REASON})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.CLOSED_UNANSWERED and case.close_reason == REASON and case.closed_at
    entry = ActionLog.objects.get(action="complaints.closed_unanswered")
    assert REASON in entry.summary and entry.data["changes"]["close_reason"] == ["", REASON]
    sms = OutboxMessage.objects.get(idempotency_key__startswith=f"complaints.{case.pk}.closed_unanswered")
    # The reason is on the tracking page the SMS links to (two SMS parts at most).
    assert "بدون پاسخ" in sms.body and f"/t/{case.tracking_code}" in sms.body


def test_the_case_page_offers_close_only_for_an_answered_case_and_close_without_answer_with_a_reason(
        world, client_for):
    case = make_case(world.county_a)
    page = client_for("officer").get(case.get_absolute_url()).content.decode()
    assert _step_url(case, "close_unanswered") in page and _step_url(case, "close") not in page
    assert 'name="close_reason"' in page
    move(case, "answer", by=world.officer, answer="پاسخ")
    page = client_for("officer").get(case.get_absolute_url()).content.decode()
    assert _step_url(case, "close") in page and _step_url(case, "close_unanswered") not in page
    assert _step_url(case, "close") not in client_for("hq_head").get(case.get_absolute_url()).content.decode()


# The citizen's tracking page tells the truth ---------------------------------------------------------------


def test_the_tracking_page_says_closed_without_answer_and_why_never_answered(world, client):
    case = make_case(world.county_a)
    move(case, "close_unanswered", by=world.officer, close_reason=REASON)
    page = _track(client, case)
    assert "بدون پاسخ بسته شده است" in page and REASON in page
    assert "پاسخ داده شده" not in page and "پاسخ گرفته" not in page and 'id="case-answer"' not in page
    assert "ثبت رضایت" not in page and "اعتراض به بستن پرونده" in page


def test_the_tracking_page_of_an_answered_and_closed_case_shows_the_answer(world, client):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="ترمیم شد.")
    move(case, "close", by=world.officer)
    page = _track(client, case)
    assert "پاسخ گرفته و بسته شده" in page and "ترمیم شد." in page


# HQ's overdue list and the figures -------------------------------------------------------------------------


def test_a_late_case_closed_without_answer_stays_on_hqs_overdue_list_and_counts_against_in_time(world, client_for):
    answered, late = make_case(world.county_a, subject="پاسخ‌داده"), make_case(world.county_a, subject="بسته بی‌پاسخ")
    move(answered, "answer", by=world.officer, answer="پاسخ")
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2020, 1, 1))
    move(Case.objects.get(pk=late.pk), "close_unanswered", by=world.officer, close_reason=REASON)
    hq = client_for("hq_expert")
    listed = [c.subject for c in hq.get(reverse("complaints:hq_overdue")).context["page_obj"]]
    assert listed == ["بسته بی‌پاسخ"]
    numbers = hq.get(reverse("complaints:figures")).context["figures"]
    assert numbers["answered"] == 1 and numbers["closed_unanswered"] == 1
    assert numbers["in_time_percent"] == 50 and numbers["overdue"] == 1
    assert hq.get(reverse("complaints:figures")).context["by_unit"][0]["in_time_percent"] == 50


def test_a_case_closed_without_answer_in_time_is_not_late_but_never_answered_in_time(world):
    answered, closed = make_case(world.county_a), make_case(world.county_a)
    move(answered, "answer", by=world.officer, answer="پاسخ")
    move(closed, "close_unanswered", by=world.officer, close_reason=REASON)
    flags = Flags.now()
    assert not Case.objects.filter(flags.late()).exists()
    result = figures(Case.objects.all(), flags)
    assert result["in_time_percent"] == 50 and result["overdue"] == 0


def test_the_monthly_report_section_counts_a_case_closed_without_answer_against_in_time(world):
    from ravabet.complaints.features import complaints_section

    answered, closed = make_case(world.county_a), make_case(world.county_a)
    move(answered, "answer", by=world.officer, answer="پاسخ")
    move(closed, "close_unanswered", by=world.officer, close_reason=REASON)
    today = timezone.localdate()
    section = complaints_section(world.county_a, today - dt.timedelta(days=1), today)
    assert ["پاسخ در مهلت (درصد)", 50] in section["counts"] and ["بسته‌شده بدون پاسخ", 1] in section["counts"]


# No way out of a closed case but the declared one -------------------------------------------------------


@pytest.mark.parametrize("closed", [State.CLOSED, State.CLOSED_UNANSWERED])
def test_a_post_to_refer_a_closed_case_is_refused_and_changes_nothing(world, client_for, closed):
    case = make_case(world.county_a)
    if closed == State.CLOSED:
        move(case, "answer", by=world.officer, answer="پاسخ")
        move(case, "close", by=world.officer)
    else:
        move(case, "close_unanswered", by=world.officer, close_reason=REASON)
    head = str(Person.objects.get(user=world.manager).pk)
    officer = client_for("officer")
    page = officer.post(reverse("complaints:refer", args=[case.pk]), {"person": "head"})
    assert page.status_code == 403 and "شدنی نیست" in page.content.decode()
    assert officer.post(_step_url(case, "refer"), {"person": head}).status_code == 403
    answer = officer.post(reverse("complaints:answer", args=[case.pk]), {"answer": "دوباره"})
    assert answer.status_code == 403
    case.refresh_from_db()
    assert case.state == closed and case.referred_to is None and case.answers.count() == (closed == State.CLOSED)
    detail = officer.get(case.get_absolute_url()).content.decode()
    assert 'id="refer-submit"' not in detail and 'id="answer-submit"' not in detail


def test_the_citizens_objection_reopens_a_case_closed_without_answer(world, client):
    case = make_case(world.county_a)
    move(case, "close_unanswered", by=world.officer, close_reason=REASON)
    _track(client, case)
    response = client.post(reverse("complaints:public_case"), {"action": "object", "objection": "تکراری نیست."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.REOPENED and case.closed_at is None and case.objection == "تکراری نیست."
    assert "دوباره در دست بررسی" in client.get(reverse("complaints:public_case")).content.decode()


# Every answer version is kept; a rating stays with the answer it rated -------------------------------------


def test_an_objection_keeps_the_first_answer_and_its_rating_and_the_next_answer_starts_unrated(world, client):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="پاسخ نخست")
    services.case_rate(case=case, rating=2)
    move(case, "reopen", by=None, objection="راضی نیستم.")
    move(case, "answer", by=world.manager, answer="پاسخ دوم")
    first, second = Answer.objects.filter(case=case).order_by("version")
    assert (first.version, first.text, first.rating) == (1, "پاسخ نخست", 2)
    assert (second.version, second.text, second.rating, second.answered_by) == (2, "پاسخ دوم", None, world.manager)
    services.case_rate(case=case, rating=5)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.rating, second.rating) == (2, 5)
    page = _track(client, case)
    assert "پاسخ نخست" in page and "پاسخ دوم" in page and "پاسخ پیشین" in page
    assert OutboxMessage.objects.filter(idempotency_key__startswith=f"complaints.{case.pk}.answered.").count() == 2
    assert "(نسخه ۲)" in ActionLog.objects.filter(action="complaints.answered").latest("pk").summary


def test_a_rating_meant_for_an_earlier_answer_is_not_given_to_a_newer_one(world, client):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="پاسخ نخست")
    first = case.answers.get()
    move(case, "reopen", by=None, objection="راضی نیستم.")
    move(case, "answer", by=world.officer, answer="پاسخ دوم")
    _track(client, case)
    response = client.post(reverse("complaints:public_case"), {"action": "rate", "rating": "1", "resolution": "not", "answer": first.pk},
                           follow=True)
    assert "پاسخ تازه‌تری" in response.content.decode()
    assert not Answer.objects.filter(rating__isnull=False).exists()


def test_an_answer_with_a_file_keeps_it_for_staff_and_the_citizen(world, client_for, client):
    case = make_case(world.county_a)
    response = client_for("officer").post(reverse("complaints:answer", args=[case.pk]),
                                          {"answer": "گزارش بازدید پیوست است.", "attachment": jpeg("report.jpg")})
    assert response.status_code == 302
    answer = case.answers.get()
    assert answer.attachment_name == "report.jpg" and answer.attachment_type == "image/jpeg"
    assert "report" not in answer.attachment.name
    file_url = reverse("complaints:answer_file", args=[case.pk, 1])
    assert client_for("manager").get(file_url).status_code == 200
    assert client_for("outsider").get(file_url).status_code == 404
    public_url = reverse("complaints:public_answer_file", args=[1])
    assert client.get(public_url).status_code == 302
    assert public_url in _track(client, case)
    assert client.get(public_url).status_code == 200


def test_a_bad_answer_file_is_refused_on_its_field_and_the_text_kept(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_case(world.county_a)
    bad = SimpleUploadedFile("x.exe", b"MZ not an image", content_type="image/jpeg")
    response = client_for("officer").post(reverse("complaints:answer", args=[case.pk]),
                                          {"answer": "متن تایپ‌شده پاسخ", "attachment": bad})
    page = response.content.decode()
    assert response.status_code == 400 and "متن تایپ‌شده پاسخ" in page
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_answering_twice_is_refused_the_second_time(world, client_for):
    case = make_case(world.county_a)
    officer = client_for("officer")
    assert officer.post(reverse("complaints:answer", args=[case.pk]), {"answer": "پاسخ"}).status_code == 302
    again = officer.post(reverse("complaints:answer", args=[case.pk]), {"answer": "پاسخ"})
    assert again.status_code == 403 and "هم‌اکنون" in again.content.decode()
    assert case.answers.count() == 1


# The next actor is told ---------------------------------------------------------------------------------


def test_the_person_a_case_is_referred_to_is_told_with_the_note(world, client_for):
    case = make_case(world.county_a)
    response = client_for("officer").post(reverse("complaints:refer", args=[case.pk]),
                                          {"person": str(Person.objects.get(user=world.staff).pk),
                                           "comment": "لطفا بازدید کنید."})
    assert response.status_code == 302
    notice = Notification.objects.get(user=world.staff)
    assert "پرونده ارجاعی" in notice.title and notice.body == "لطفا بازدید کنید." and notice.url == case.get_absolute_url()
    page = client_for("staff").get(case.get_absolute_url()).content.decode()
    assert 'id="answer-submit"' in page and "لطفا بازدید کنید." in page


def test_an_employee_not_referred_cannot_answer_even_by_the_generic_step(world, client_for):
    from django.test import Client

    from ravabet.testing import make_user

    other = make_user("staff2", "کارمند دیگر", world.county_a, "staff")
    case = make_case(world.county_a)
    move(case, "refer", by=world.officer, person=Person.objects.get(user=world.staff))
    client = Client()
    client.force_login(other)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.post(reverse("complaints:answer", args=[case.pk]), {"answer": "x"}).status_code == 404
    assert client.post(_step_url(case, "answer_as_referee"), {"answer": "x"}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == State.REFERRED


def test_hq_forwarding_tells_the_unit_manager_and_officer(world):
    services.hq_forward(unit=world.county_a, by=world.hq_expert, deadline=dt.date.today() + dt.timedelta(days=9),
                        subject="گلایه مطبوعاتی", text="متن", press_link="https://example.ir/x")
    for user in (world.manager, world.officer):
        assert Notification.objects.filter(user=user, title__contains="ارجاع اداره کل").exists()
    assert not Notification.objects.filter(user=world.staff).exists()


def test_the_workflow_is_listed_for_auditors(capsys):
    from django.core.management import call_command

    call_command("workflows")
    out = capsys.readouterr().out
    assert "complaints.Case — پرونده مردمی" in out
    assert "close_unanswered: received | referred | reopened | pending_review -> closed_unanswered" in out
    assert "needs close_reason (علت بستن بدون پاسخ)" in out
    assert "reopen: answered | closed | closed_unanswered -> reopened" in out
