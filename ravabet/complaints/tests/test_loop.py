"""Issue 14: the loop a citizen and HQ can trust — transfer to another unit, the citizen's escalation
after the deadline, HQ's actions (remind, return as insufficient, extend, take over), D4 wording,
deadlines that follow the calendar, the rating's "resolved?", SMS of at most two parts and the SMS to a
referred person without an account."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.complaints import services
from ravabet.complaints.models import Case, Followup, State, Transfer
from ravabet.complaints.sms import CITIZEN_TEMPLATES, MAX_PARTS, sms_parts, sms_referred
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.workdays import add_working_days
from ravabet.offices.models import Person, Unit
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.workflow.engine import TransitionRefused, move

from .factories import make_case

pytestmark = pytest.mark.django_db


def _step_url(case, name: str) -> str:
    return reverse("workflow:transition", args=["complaints.case", case.pk, name])


def _overdue(case, days: int = 3):
    Case.objects.filter(pk=case.pk).update(deadline=jalali.today() - dt.timedelta(days=days))
    case.refresh_from_db()
    return case


def _track(client, case) -> str:
    cache.clear()
    client.post(reverse("complaints:public_track"), {"code": case.tracking_code, "mobile": case.citizen_mobile})
    return client.get(reverse("complaints:public_case")).content.decode()


# 1. Transfer --------------------------------------------------------------------------------------------


def test_the_officer_transfers_a_wrong_county_case_with_the_reason_and_the_citizen_hq_and_new_unit_are_told(
        client_for, world):
    case = make_case(world.county_a)
    move(case, "refer", by=world.officer, person="head")
    page = client_for("officer").get(reverse("complaints:transfer", args=[case.pk])).content.decode()
    assert world.county_b.name in page and "علت انتقال" in page
    response = client_for("officer").post(reverse("complaints:transfer", args=[case.pk]),
                                          {"to_unit": world.county_b.pk, "transfer_reason": "روستا در کازرون است."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.unit == world.county_b and case.state == State.RECEIVED and case.referred_to is None
    assert case.transferred
    transfer = Transfer.objects.get(case=case)
    assert (transfer.from_unit, transfer.to_unit, transfer.reason) == (world.county_a, world.county_b,
                                                                      "روستا در کازرون است.")
    sms = OutboxMessage.objects.get(idempotency_key__startswith=f"complaints.{case.pk}.transferred")
    assert world.county_b.name in sms.body and f"/t/{case.tracking_code}" in sms.body
    assert Notification.objects.filter(user=world.users["b_manager"], title__contains="منتقل").exists()
    assert Notification.objects.filter(user=world.users["hq_expert"], title__contains="انتقال").exists()
    # HQ sees the transfer with its reason; county A no longer sees the case.
    hq_page = client_for("hq_expert").get(reverse("complaints:hq_transfers")).content.decode()
    assert "روستا در کازرون است." in hq_page and world.county_b.name in hq_page
    assert client_for("officer").get(case.get_absolute_url()).status_code == 404
    assert client_for("outsider").get(case.get_absolute_url()).status_code == 200


def test_a_transfer_without_a_reason_or_to_the_same_unit_is_refused_on_its_field(client_for, world):
    case = make_case(world.county_a)
    url = reverse("complaints:transfer", args=[case.pk])
    response = client_for("officer").post(url, {"to_unit": world.county_b.pk, "transfer_reason": ""})
    assert response.status_code == 400 and "علت انتقال را بنویسید" in response.content.decode() \
        or "این بخش را پر کنید" in response.content.decode()
    with pytest.raises(Exception, match="همین اداره"):
        move(case, "transfer", by=world.officer, to_unit=world.county_a, transfer_reason="x")
    with pytest.raises(Exception, match="اداره کل"):
        move(case, "transfer", by=world.officer, to_unit=world.hq, transfer_reason="x")
    case.refresh_from_db()
    assert case.unit == world.county_a and not Transfer.objects.exists()


def test_whether_a_transfer_restarts_the_deadline_is_hqs_setting(client_for, world):
    response = client_for("hq_expert").post(reverse("complaints:deadlines"), {
        **{kind: "10" for kind in ("complaint", "request")}, "criticism": "15", "suggestion": "15", "report": "7",
        "thanks": "5"})  # the box left unticked: the deadline stays
    assert response.status_code == 302
    kept = _overdue(make_case(world.county_a), days=1)
    move(kept, "transfer", by=world.officer, to_unit=world.county_b, transfer_reason="شهرستان نادرست")
    kept.refresh_from_db()
    assert kept.deadline == jalali.today() - dt.timedelta(days=1)
    client_for("hq_expert").post(reverse("complaints:deadlines"), {
        "complaint": "10", "request": "10", "criticism": "15", "suggestion": "15", "report": "7", "thanks": "5",
        "transfer_restarts_deadline": "on"})
    restarted = _overdue(make_case(world.county_a), days=1)
    move(restarted, "transfer", by=world.officer, to_unit=world.county_b, transfer_reason="شهرستان نادرست")
    restarted.refresh_from_db()
    assert restarted.deadline == add_working_days(jalali.today(), 10)
    assert ActionLog.objects.filter(action="complaints.setting_set").count() == 2


# 2. Escalation and HQ's actions ---------------------------------------------------------------------------


def test_the_citizen_escalates_only_after_the_deadline_and_hq_lists_it(client, client_for, world):
    case = make_case(world.county_a)
    page = _track(client, case)
    assert "پیگیری از اداره کل" not in page
    response = client.post(reverse("complaints:public_case"), {"action": "escalate"})
    case.refresh_from_db()
    assert case.followup == Followup.NONE and response.status_code == 302
    _overdue(case)
    page = _track(client, case)
    assert "گذشته و هنوز پاسخی داده نشده" in page and "پاسخ تا" not in page and "پیگیری از اداره کل" in page
    client.post(reverse("complaints:public_case"), {"action": "escalate", "escalation_note": "خبری نشد."})
    case.refresh_from_db()
    assert case.followup == Followup.ESCALATED and case.escalated_at
    assert Notification.objects.filter(user=world.users["hq_head"], title__contains="پیگیری شهروند").exists()
    assert "درخواست پیگیری شما به اداره کل رسیده" in _track(client, case)
    # On HQ's list even if its deadline is moved on later.
    Case.objects.filter(pk=case.pk).update(deadline=jalali.today() + dt.timedelta(days=3))
    page = client_for("hq_expert").get(reverse("complaints:hq_overdue")).content.decode()
    assert case.subject in page and "پیگیری شهروند از اداره کل" in page


def test_hq_reminds_the_unit_in_app_and_by_sms_to_the_pr_officer(client_for, world):
    case = _overdue(make_case(world.county_a))
    response = client_for("hq_expert").post(_step_url(case, "remind"), {"remind_note": "تا فردا پاسخ دهید."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.followup == Followup.REMINDED
    assert Notification.objects.filter(user=world.officer, title__contains="یادآوری اداره کل").exists()
    assert Notification.objects.filter(user=world.manager, title__contains="یادآوری اداره کل").exists()
    assert OutboxMessage.objects.filter(recipient=world.officer.mobile, body__contains="یادآوری اداره کل").exists()


def test_hq_cannot_act_on_a_case_that_is_neither_overdue_escalated_nor_forwarded(world):
    case = make_case(world.county_a)
    with pytest.raises(TransitionRefused):
        move(case, "remind", by=world.users["hq_expert"])
    forwarded = make_case(world.county_a, forwarded_by_hq=True, channel="hq_forward", mobile="")
    move(forwarded, "remind", by=world.users["hq_expert"])
    assert forwarded.followup == Followup.REMINDED


def test_hq_extends_the_deadline_with_a_reason_and_a_past_date_is_a_field_error(client_for, world):
    case = _overdue(make_case(world.county_a))
    client = client_for("hq_expert")
    bad = client.post(_step_url(case, "extend"), {"new_deadline": "۱۴۰۰/۰۱/۰۱", "extend_reason": "بازدید"})
    assert bad.status_code in (200, 400) and "پس از امروز" in bad.content.decode()
    new = jalali.today() + dt.timedelta(days=7)
    response = client.post(_step_url(case, "extend"), {"new_deadline": to_persian_digits(jalali.format_date(new)),
                                                       "extend_reason": "نیاز به بازدید میدانی"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.deadline == new and case.followup == Followup.EXTENDED and case.deadline_days is None
    entry = ActionLog.objects.get(action="complaints.extended")
    assert "نیاز به بازدید میدانی" in entry.summary and jalali.format_date(new) in entry.summary


def test_hq_takes_a_case_over_and_answers_it_the_unit_no_longer_can(client_for, world):
    case = _overdue(make_case(world.county_a))
    move(case, "take_over", by=world.users["hq_head"], takeover_reason="اداره پاسخ نمی‌دهد.")
    with pytest.raises(TransitionRefused):
        move(case, "answer", by=world.officer, answer="دیر")
    page = client_for("hq_expert").get(reverse("complaints:answer", args=[case.pk]))
    assert page.status_code == 200
    response = client_for("hq_expert").post(reverse("complaints:answer", args=[case.pk]),
                                            {"answer": "اداره کل پیگیری کرد؛ ترمیم انجام شد."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ANSWERED and case.answered_by == world.users["hq_expert"]
    assert Notification.objects.filter(user=world.officer, title__contains="پاسخ اداره کل").exists()


def test_hq_returns_an_insufficient_answer_and_the_unit_must_answer_again(world):
    case = _overdue(make_case(world.county_a))
    move(case, "answer", by=world.officer, answer="بررسی می‌شود.")
    move(case, "return_insufficient", by=world.users["hq_expert"], return_reason="پاسخ روشن نیست.")
    case.refresh_from_db()
    assert case.state == State.REOPENED and case.answers.count() == 1 and case.answered_at is None
    assert case.deadline > jalali.today()
    assert Notification.objects.filter(user=world.officer, title__contains="پاسخ ناکافی").exists()
    # An answer given in time to a case HQ never followed is the unit's own business.
    fresh = make_case(world.county_a)
    move(fresh, "answer", by=world.officer, answer="ترمیم شد.")
    with pytest.raises(TransitionRefused):
        move(fresh, "return_insufficient", by=world.users["hq_expert"], return_reason="x")


# 3. D4 wording -----------------------------------------------------------------------------------------


def test_the_answer_form_of_a_forwarded_press_complaint_speaks_of_the_newspaper(client_for, world):
    case = services.hq_forward(unit=world.county_a, by=world.users["hq_expert"],
                               deadline=jalali.today() + dt.timedelta(days=5), subject="گلایه از جاده",
                               text="متن خبر", press_outlet="خبر جنوب", press_link="https://example.ir/n/1")
    page = client_for("officer").get(reverse("complaints:answer", args=[case.pk])).content.decode()
    assert "پاسخ برای انتشار در «خبر جنوب»" in page and "پیامکی فرستاده نمی‌شود" in page
    assert "با پیامک برای شهروند" not in page
    citizen = make_case(world.county_a)
    page = client_for("officer").get(reverse("complaints:answer", args=[citizen.pk])).content.decode()
    assert "پاسخ به شهروند" in page


# 5. Deadlines follow the calendar ---------------------------------------------------------------------


def test_adding_and_removing_a_closure_moves_the_deadline_of_open_cases_and_logs_it(world,
                                                                                     django_capture_on_commit_callbacks):
    from ravabet.offices.models import Closure

    case = make_case(world.county_a)
    fixed = make_case(world.county_a, forwarded_by_hq=True, deadline=jalali.today() + dt.timedelta(days=9))
    before = case.deadline
    day = next(d for d in (jalali.today() + dt.timedelta(days=n) for n in range(1, 10))
               if add_working_days(d - dt.timedelta(days=1), 1) == d)
    with django_capture_on_commit_callbacks(execute=True):
        closure = Closure.objects.create(date=day, title="آلودگی هوا")
    case.refresh_from_db()
    assert case.deadline > before
    entry = ActionLog.objects.get(action="complaints.deadline_recounted", target_id=case.pk)
    assert "آلودگی هوا" in entry.summary
    assert Case.objects.get(pk=fixed.pk).deadline == jalali.today() + dt.timedelta(days=9)
    with django_capture_on_commit_callbacks(execute=True):
        closure.delete()
    case.refresh_from_db()
    assert case.deadline == before


# 7. Before and after ----------------------------------------------------------------------------------


def test_the_public_form_shows_the_expected_answer_time_of_each_kind(client, world):
    services.kind_deadline_set(by=world.users["hq_head"], kind="suggestion", working_days=12)
    page = client.get(reverse("complaints:public_new")).content.decode()
    assert "پیشنهاد — پاسخ تا ۱۲ روز کاری" in page and "شکایت — پاسخ تا ۱۰ روز کاری" in page


def test_the_rating_asks_whether_the_problem_was_resolved(client, world):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="ترمیم شد.")
    page = _track(client, case)
    assert "آیا مشکل شما حل شد؟" in page and "تا اندازه‌ای حل شد" in page
    missing = client.post(reverse("complaints:public_case"), {"action": "rate", "rating": "3"})
    assert "حل نشد" in missing.content.decode() and not case.answers.get().rating
    client.post(reverse("complaints:public_case"), {"action": "rate", "rating": "3", "resolution": "partly"})
    answer = case.answers.get()
    assert (answer.rating, answer.resolution) == (3, "partly")


# 8. SMS that fit ---------------------------------------------------------------------------------------


def test_sms_parts_are_counted_as_the_network_does():
    assert sms_parts("a" * 160) == 1 and sms_parts("a" * 161) == 2
    assert sms_parts("پ" * 70) == 1 and sms_parts("پ" * 71) == 2 and sms_parts("پ" * 134) == 2
    assert sms_parts("پ" * 135) == 3


def test_every_citizen_sms_fits_in_two_parts_with_the_longest_names(world, settings):
    settings.SITE_URL = "https://ravabet.rahsazi-fars.ir"
    unit = Unit.objects.create(code="long", name="اداره کل راه و شهرسازی شهرستان سروستان و کوار", city="کوار",
                               parent=world.hq)
    case = make_case(unit, kind="suggestion", subject="س" * 200)
    for template in CITIZEN_TEMPLATES:
        body = template(case)
        assert sms_parts(body) <= MAX_PARTS, (template.__name__, len(body), body)
    assert sms_parts(sms_referred(case)) <= MAX_PARTS
    # And what was queued for this case is one of them.
    sent = OutboxMessage.objects.get(idempotency_key=f"complaints.{case.pk}.received")
    assert sms_parts(sent.body) <= MAX_PARTS


# 9. Everyone referred is told ---------------------------------------------------------------------------


def test_a_referred_person_without_an_account_gets_an_sms(world):
    person = Person.objects.create(unit=world.county_a, full_name="حسن کارگر", mobile="09131112233",
                                   position="راهدار")
    case = make_case(world.county_a)
    move(case, "refer", by=world.officer, person=str(person.pk))
    sms = OutboxMessage.objects.get(recipient="09131112233")
    assert "ارجاع شد" in sms.body and sms_parts(sms.body) <= MAX_PARTS


@pytest.mark.parametrize("typed", ["²", "9" * 30, "-1", "abc"])
def test_a_person_or_office_typed_as_odd_digits_is_a_persian_refusal_not_a_500(world, typed):
    """Issue 12 §7: int() refuses «²» that str.isdigit() passes, and 30 digits overflow the database."""
    from django.core.exceptions import ValidationError

    case = make_case(world.county_a)
    with pytest.raises(ValidationError, match="کارکنان همین اداره"):
        move(case, "refer", by=world.officer, person=typed)


# 6. Truthful figures -----------------------------------------------------------------------------------


def test_answered_in_time_by_kind_and_channel_counts_unanswered_overdue_cases(client_for, world):
    answered = make_case(world.county_a)
    move(answered, "answer", by=world.officer, answer="ترمیم شد.")
    _overdue(make_case(world.county_a))  # a complaint past its deadline with no answer
    make_case(world.county_a, kind="suggestion")  # not due yet: counts nowhere
    figures = client_for("manager").get(reverse("complaints:figures")).context["figures"]
    by_kind = {label: (count, in_time) for label, count, in_time in figures["by_kind"]}
    assert by_kind["شکایت"] == (2, 50) and by_kind["پیشنهاد"] == (1, None)
    by_channel = {label: (count, in_time) for label, count, in_time in figures["by_channel"]}
    assert by_channel["سامانه (فرم عمومی)"] == (3, 50)


# 10. Duplicates: link as duplicate and merge -------------------------------------------------------------


def test_a_duplicate_from_another_citizen_is_suggested_and_merged_and_both_citizens_hear_the_answer(
        client, client_for, world):
    first = make_case(world.county_a, mobile="09121110001", subject="چاله جاده خیرآباد",
                      text="در جاده خیرآباد چاله‌ای بزرگ است.")
    second = make_case(world.county_a, mobile="09121110002", subject="چاله جاده خيرآباد",  # Arabic ي
                       text="در جاده خیر آباد چاله ای بزرگ است.")
    officer = client_for("officer")
    page = officer.get(reverse("complaints:detail", args=[second.pk]))
    assert [c.pk for c in page.context["duplicates"]] == [first.pk] and page.context["can_merge"]
    assert f'id="merge-into-{first.pk}"' in page.content.decode()
    response = officer.post(_step_url(second, "merge"), {"main_case": to_persian_digits(first.tracking_code),
                                                          "merge_note": "همان چاله"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == State.MERGED and second.duplicate_of_id == first.pk
    merged = ActionLog.objects.get(action="complaints.merged", target_id=str(second.pk))
    assert f"مشابه {first.code_in_text}:" in merged.summary  # Persian digits, groups kept in order
    assert first.tracking_code[:4] not in merged.summary
    told = OutboxMessage.objects.get(recipient="09121110002", idempotency_key__contains="merged")
    assert "یکی شد" in told.body and sms_parts(told.body) <= MAX_PARTS
    assert [c.pk for c in officer.get(reverse("complaints:detail", args=[first.pk])).context["merged"]] == [second.pk]
    # The main case's answer reaches both citizens, each with their own tracking link.
    move(first, "answer", by=world.officer, answer="چاله ترمیم شد.")
    answered = {m.recipient: m.body for m in OutboxMessage.objects.filter(idempotency_key__contains=".answered.")}
    assert set(answered) == {"09121110001", "09121110002"}
    assert f"/t/{second.tracking_code}" in answered["09121110002"]
    # The merged citizen's tracking page shows where the main case stands and its answer.
    body = _track(client, second)
    assert "با پرونده‌ای مشابه یکی شد" in body and "چاله ترمیم شد." in body
    # A merged case is due nowhere: not in the in-time figures, not in HQ's late list.
    _overdue(second)
    assert second.pk not in [c.pk for c in client_for("hq_expert").get(reverse("complaints:hq_overdue"))
                             .context["page_obj"]]


def test_merge_refuses_a_case_of_another_unit_or_itself_on_its_field(client_for, world):
    case = make_case(world.county_a)
    elsewhere = make_case(world.county_b)
    officer = client_for("officer")
    for code in (elsewhere.tracking_code, case.tracking_code, "123"):
        response = officer.post(_step_url(case, "merge"), {"main_case": code})
        assert response.status_code == 400 and response.context["form"].errors["main_case"]
    case.refresh_from_db()
    assert case.state == State.RECEIVED and case.duplicate_of_id is None


def test_a_transfer_of_the_main_case_tells_the_merged_citizen_and_takes_the_duplicate_along(world):
    main = make_case(world.county_a, mobile="09121110001")
    duplicate = make_case(world.county_a, mobile="09121110002")
    move(duplicate, "merge", by=world.officer, main_case=main)
    move(main, "transfer", by=world.officer, to_unit=world.county_b, transfer_reason="شهرستان نادرست")
    duplicate.refresh_from_db()
    assert duplicate.unit_id == world.county_b.pk
    sms = OutboxMessage.objects.get(recipient="09121110002", idempotency_key__contains="transferred")
    assert world.county_b.name in sms.body or (world.county_b.city or "اداره دیگر") in sms.body


# 9. A unit may have its PR officer review a staff answer first ------------------------------------------


def test_where_the_unit_reviews_staff_answers_the_draft_waits_for_the_pr_officer_before_the_citizen_hears(
        client_for, world):
    manager = client_for("manager")
    assert manager.post(reverse("complaints:unit_settings"), {"review_staff_answers": "on"}).status_code == 302
    assert ActionLog.objects.filter(action="complaints.unit_setting_set").count() == 1
    case = make_case(world.county_a, mobile="09121110009")
    move(case, "refer", by=world.officer, person=str(Person.objects.get(user=world.staff).pk))
    staff = client_for("staff")
    page = staff.get(reverse("complaints:detail", args=[case.pk]))
    assert page.context["answer_step"] == "submit_draft" and "فرستادن پاسخ برای بازبینی" in page.content.decode()
    response = staff.post(reverse("complaints:answer", args=[case.pk]), {"answer": "چاله فردا پر می‌شود"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.PENDING_REVIEW and case.draft_answer == "چاله فردا پر می‌شود"
    assert not case.answers.exists()
    assert not OutboxMessage.objects.filter(recipient="09121110009", idempotency_key__contains="answered").exists()
    assert Notification.objects.filter(user=world.officer, title__contains="بازبینی").exists()
    # The officer returns it with a note; the employee is told and writes again.
    officer = client_for("officer")
    officer.post(_step_url(case, "return_draft"), {"review_note": "روز دقیق را بنویسید."})
    case.refresh_from_db()
    assert case.state == State.REFERRED and Notification.objects.filter(user=world.staff,
                                                                         body__contains="روز دقیق").exists()
    staff.post(reverse("complaints:answer", args=[case.pk]), {"answer": "چاله شنبه پر می‌شود"})
    # The officer's answer form starts from the draft; sending it reaches the citizen.
    form = officer.get(reverse("complaints:answer", args=[case.pk])).context["form"]
    assert form.initial["answer"] == "چاله شنبه پر می‌شود"
    officer.post(reverse("complaints:answer", args=[case.pk]), {"answer": "چاله شنبه ۱۵ آذر پر می‌شود"})
    case.refresh_from_db()
    assert case.state == State.ANSWERED and case.draft_answer == "" and case.versions[-1].answered_by == world.officer
    assert OutboxMessage.objects.filter(recipient="09121110009", idempotency_key__contains="answered").exists()


def test_without_the_setting_the_employee_answers_the_citizen_directly_and_cannot_send_a_draft(world):
    case = make_case(world.county_a)
    move(case, "refer", by=world.officer, person=str(Person.objects.get(user=world.staff).pk))
    with pytest.raises(TransitionRefused):
        move(case, "submit_draft", by=world.staff, answer="پیش‌نویس")
    move(case, "answer_as_referee", by=world.staff, answer="پر شد.")
    assert case.state == State.ANSWERED


def test_only_the_units_people_change_its_setting(client_for, world):
    assert client_for("staff").get(reverse("complaints:unit_settings")).status_code == 403
    assert client_for("hq_expert").get(reverse("complaints:unit_settings")).status_code == 403


def test_every_sms_the_complaints_loop_sends_fits_in_two_parts(world, settings):
    """Walk every step that sends an SMS (to citizens, to a referred person without an account, urgent
    notices to the PR officer) with the longest names, and count the parts of every SMS in the outbox."""
    settings.SITE_URL = "https://ravabet.rahsazi-fars.ir"
    world.officer.sms_notices = True
    world.officer.save(update_fields=["sms_notices"])
    long_unit = Unit.objects.create(code="long2", name="اداره راه و شهرسازی شهرستان سروستان و کوار و خرامه",
                                    city="کوار", parent=world.hq)
    subject, text = "چ" * 200, "متن بسیار بلند " * 200
    case = make_case(world.county_a, subject=subject, text=text, mobile="09121110021")
    duplicate = make_case(world.county_a, subject=subject, text=text, mobile="09121110022")
    move(duplicate, "merge", by=world.officer, main_case=case)
    person = Person.objects.create(unit=world.county_a, full_name="حسن کارگر", mobile="09131112244", position="راهدار")
    move(case, "refer", by=world.officer, person=person)
    move(_overdue(case), "remind", by=world.users["hq_expert"], remind_note="ی" * 300)
    move(case, "answer", by=world.officer, answer="پاسخ " * 500)
    move(case, "return_insufficient", by=world.users["hq_expert"], return_reason="ناکافی " * 100)
    move(case, "transfer", by=world.officer, to_unit=long_unit, transfer_reason="شهرستان نادرست")
    other = make_case(world.county_a, subject=subject, mobile="09121110023")
    move(other, "close_unanswered", by=world.officer, close_reason="علت " * 200)
    sent = list(OutboxMessage.objects.filter(channel="sms"))
    keys = " ".join(message.idempotency_key for message in sent)
    for event in ("received", "merged", "referred", "transferred", "answered", "closed_unanswered", "sms-"):
        assert event in keys, event
    assert {message.recipient for message in sent} >= {"09121110021", "09121110022", "09131112244", "09170000004"}
    too_long = [(message.idempotency_key, sms_parts(message.body)) for message in sent
                if sms_parts(message.body) > MAX_PARTS]
    assert not too_long


def test_a_step_on_a_case_someone_else_moved_on_says_so_with_the_code_in_persian_digits(client_for, world):
    """The refer page opened, then the case answered by someone else: the refer is refused with «this can't be
    done now», not «you have no permission», and the case's code reads in Persian digits, groups in order."""
    case = make_case(world.county_a)
    officer = client_for("officer")
    assert officer.get(reverse("complaints:refer", args=[case.pk])).status_code == 200
    move(case, "answer", by=world.officer, answer="چاله فردا پر می‌شود.")
    response = officer.post(reverse("complaints:refer", args=[case.pk]), {"person": "head", "comment": ""})
    assert response.status_code == 403
    page = response.content.decode()
    assert "این کار اکنون شدنی نیست" in page and "اجازه دسترسی ندارید" not in page
    assert case.code_in_text in page and case.tracking_code[:4] not in page
    other = make_case(world.county_a)  # a role that may not refer still reads «no permission»
    denied = client_for("hq_expert").post(reverse("complaints:refer", args=[other.pk]), {"person": "head"})
    assert denied.status_code == 403 and "اجازه دسترسی ندارید" in denied.content.decode()
