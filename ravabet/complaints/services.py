"""Writes of the complaints part that are not workflow steps: filing a case (every channel), rating an
answer, HQ's deadlines and the escalation of overdue cases. Every state change is a declared step of
`Case` made through `ravabet.workflow.engine.move` (refer, answer, close, close without answer, reopen)."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.text import search_key
from ravabet.lib.workdays import add_working_days
from ravabet.offices.access import access_for
from ravabet.offices.models import Membership, Person, Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role
from ravabet.outbox.services import notify, queue_sms
from ravabet.surveys.services import panel_consent
from ravabet.workflow.declare import hq_role, unit_role
from ravabet.workflow.engine import move

from .models import (
    EXTENSIONS,
    OPEN_STATES,
    Answer,
    Attachment,
    Case,
    Channel,
    ComplaintSettings,
    Kind,
    KindDeadline,
    UnitCaseSettings,
)
from .sms import sms_received
from .tracking import in_text, new_code

CODE_ATTEMPTS = 8


def deadline_for(kind: str, start: dt.date | None = None) -> dt.date:
    """The answer deadline of a new (or reopened) case of `kind`: HQ's working days for the kind (D2)."""
    return add_working_days(start or jalali.today(), KindDeadline.table()[str(kind)])


def _insert_with_code(case: Case) -> None:
    """Save a new case under a fresh random code; on the rare collision draw again."""
    for _ in range(CODE_ATTEMPTS):
        case.tracking_code = new_code()
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            if not Case.objects.filter(tracking_code=case.tracking_code).exists():
                raise
    raise IntegrityError("no free tracking code after several attempts")


def _save_attachments(case: Case, uploads: Iterable) -> None:
    for upload in uploads:
        kind = getattr(upload, "checked_type", "") or upload.content_type
        name = getattr(upload, "original_name", None) or upload.name
        attachment = Attachment(case=case, name=name[:200], content_type=kind, size=upload.size)
        # The stored name is ours: a citizen's file name never reaches the file system.
        attachment.file.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", upload, save=False)
        attachment.save()


def head_of(unit: Unit) -> Person:
    """The staff-directory entry of the unit manager (the office head), created if missing."""
    membership = Membership.objects.filter(unit=unit, role=Role.UNIT_MANAGER).select_related("user").first()
    if membership is None:
        raise ValidationError("برای این واحد رئیس اداره تعریف نشده است.", code="no_head")
    person = Person.objects.filter(user=membership.user).first()
    if person is None:
        person = Person.objects.create(unit=unit, user=membership.user, full_name=membership.user.full_name,
                                       mobile=membership.user.mobile, position=Role.UNIT_MANAGER.label)
    return person


@transaction.atomic
def case_submit(*, unit: Unit, kind: str, subject: str, text: str, citizen_name: str = "",
                citizen_mobile: str = "", citizen_national_code: str = "", attachments: Iterable = (),
                channel: str = Channel.WEB, by=None, ip_address: str | None = None, survey_consent: bool = False,
                **extra) -> Case:
    """File a case (D2) and return it: the public form calls it with by=None, staff pass themselves (unit
    roles of `unit`; HQ roles for a forward). The citizen gets the tracking code by SMS; the unit's PR
    officer is told. `survey_consent` (the public form's tick box) records, with the citizen's mobile, their
    consent to be invited to `unit`'s surveys (surveys.services.panel_consent; issue 17 §2)."""
    if by is not None:
        access_for(by).require(unit, HQ_ROLES if channel == Channel.HQ_FORWARD else UNIT_ROLES)
    if unit.is_hq or not unit.is_active:
        raise ValidationError({"unit": "این اداره پرونده مردمی نمی‌پذیرد."})
    deadline = extra.pop("deadline", None)
    case = Case(unit=unit, kind=kind, channel=channel, subject=subject, text=text, citizen_name=citizen_name,
                citizen_mobile=citizen_mobile, citizen_national_code=citizen_national_code,
                search_key=search_key(f"{subject} {text}"), created_by=by, **extra)
    if deadline:
        case.set_deadline(deadline)
    else:
        case.count_deadline()
    case.full_clean(exclude=["tracking_code", "clipping"])
    _insert_with_code(case)
    _save_attachments(case, attachments)
    log_action(actor=by, action="complaints.received",
               summary=f"ثبت {case.get_kind_display()} از مسیر «{case.get_channel_display()}» با کد {in_text(case.tracking_code)}",
               target=case, unit=unit, data={"channel": channel, "kind": kind}, ip_address=ip_address)
    if case.citizen_mobile:
        queue_sms(to=case.citizen_mobile, key=f"complaints.{case.pk}.received", unit=unit, source="complaints",
                  body=sms_received(case))
    if survey_consent and case.citizen_mobile:
        panel_consent(unit=unit, mobile=case.citizen_mobile)
    for user in unit_role(Role.PR_OFFICER)(case, by):
        if user != by:
            notify(user=user, title=f"{case.get_kind_display()} تازه: {case.subject}", url=case.get_absolute_url(),
                   key=f"complaints.{case.pk}.new.{user.pk}")
    return case


def case_register(*, unit: Unit, by, channel: str, **fields) -> Case:
    """The PR officer's quick form for a phone, in-person, mailbox or email case (D2); returns the case."""
    if channel not in (Channel.PHONE, Channel.IN_PERSON, Channel.MAILBOX, Channel.EMAIL):
        raise ValidationError({"channel": "این مسیر در فرم سریع پذیرفته نیست."})
    return case_submit(unit=unit, by=by, channel=channel, **fields)


@transaction.atomic
def press_register(*, unit: Unit, by, kind: str = Kind.COMPLAINT, subject: str, text: str, press_outlet: str,
                   press_date: dt.date | None, press_page: str = "", press_link: str = "", clipping=None,
                   referral_note: str = "") -> Case:
    """A public complaint found in a newspaper (D1): recorded and referred to the office head at once
    (the refer step tells him). Returns the referred case."""
    if not clipping and not press_link:
        raise ValidationError({"clipping": "تصویر بریده روزنامه یا پیوند خبر را وارد کنید."})
    case = case_submit(unit=unit, by=by, channel=Channel.PRESS, kind=kind, subject=subject, text=text,
                       press_outlet=press_outlet, press_date=press_date, press_page=press_page,
                       press_link=press_link)
    if clipping:
        case.clipping.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(getattr(clipping, 'checked_type', ''), '')}",
                           clipping, save=False)
        case.save(update_fields=["clipping"])
    return move(case, "refer", by=by, person=head_of(unit), referral_note=referral_note)


@transaction.atomic
def hq_forward(*, unit: Unit, by, deadline: dt.date, kind: str = Kind.COMPLAINT, subject: str, text: str,
               press_outlet: str = "", press_date: dt.date | None = None, press_page: str = "",
               press_link: str = "", clipping=None) -> Case:
    """HQ sends a press complaint to a unit with its own deadline (D4) and returns the new case; the unit's
    manager and PR officer are told, and the answer step tells HQ back. HQ roles only (DESIGN §1)."""
    if deadline < jalali.today():
        raise ValidationError({"deadline": "مهلت نمی‌تواند پیش از امروز باشد."})
    case = case_submit(unit=unit, by=by, channel=Channel.HQ_FORWARD, kind=kind, subject=subject, text=text,
                       press_outlet=press_outlet, press_date=press_date, press_page=press_page,
                       press_link=press_link, forwarded_by_hq=True, hq_deadline=deadline, deadline=deadline)
    if clipping:
        case.clipping.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(getattr(clipping, 'checked_type', ''), '')}",
                           clipping, save=False)
        case.save(update_fields=["clipping"])
    for user in unit_role(*UNIT_ROLES)(case, by):
        notify(user=user, title=f"ارجاع اداره کل: {case.subject}", url=case.get_absolute_url(),
               body=f"مهلت پاسخ: {jalali.format_date(deadline)}", key=f"complaints.{case.pk}.forwarded.{user.pk}")
    return case


@transaction.atomic
def case_rate(*, case: Case, rating: int, resolution: str = "", answer_id: int | None = None,
              ip_address: str | None = None) -> Answer:
    """The citizen's satisfaction (1-5) with the answer that stands now (D2), and whether the problem was
    resolved (models.Resolution: resolved / partly / not; issue 14), kept on that answer's row
    so a later answer after an objection starts unrated. `answer_id`, the answer the citizen was
    reading, must still be that answer. Returns the rated Answer; ValidationError (Persian) otherwise."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    current = case.current_answer
    if current is None:
        raise ValidationError("پیش از پاسخ نمی‌توان رضایت را ثبت کرد.")
    if answer_id is not None and answer_id != current.pk:
        raise ValidationError("پاسخ تازه‌تری برای پرونده ثبت شده است؛ آن را بخوانید و دوباره رضایت بدهید.")
    current.rating, current.resolution, current.rated_at = rating, resolution, timezone.now()
    current.full_clean(exclude=["attachment", "case"])
    current.save(update_fields=["rating", "resolution", "rated_at"])
    resolved = f"؛ {current.get_resolution_display()}" if resolution else ""
    log_action(actor=None, action="complaints.rated", target=case, unit=case.unit, ip_address=ip_address,
               summary=f"رضایت شهروند از پاسخ {to_persian_digits(current.version)}: {to_persian_digits(rating)} از ۵"
                       f"{resolved}",
               data={"rating": rating, "resolution": resolution, "answer": current.pk, "version": current.version})
    return current


@transaction.atomic
def kind_deadline_set(*, by, kind: str, working_days: int) -> KindDeadline:
    """HQ sets the working days a unit has to answer a kind of case (D2); returns the row."""
    access_for(by).require_any(HQ_ROLES, "مهلت پاسخ را روابط عمومی اداره کل تعیین می‌کند.")
    row, _ = KindDeadline.objects.get_or_create(kind=kind, defaults={"working_days": working_days})
    before = row.working_days
    row.working_days = working_days
    row.full_clean()
    row.save(update_fields=["working_days"])
    log_action(actor=by, action="complaints.deadline_set", target=row,
               summary=f"مهلت پاسخ «{row.get_kind_display()}»: {to_persian_digits(working_days)} روز کاری",
               data={"working_days": [before, working_days]})
    return row


@transaction.atomic
def transfer_setting_set(*, by, restarts: bool) -> ComplaintSettings:
    """HQ decides whether a transfer to another unit restarts the answer deadline (issue 14); logged when
    it changes. Returns the settings row; PermissionDenied for anyone but HQ's PR people."""
    access_for(by).require_any(HQ_ROLES, "این تنظیم با روابط عمومی اداره کل است.")
    row = ComplaintSettings.objects.select_for_update().get_or_create(pk=1)[0]
    if row.transfer_restarts_deadline != restarts:
        row.transfer_restarts_deadline = restarts
        row.save(update_fields=["transfer_restarts_deadline"])
        log_action(actor=by, action="complaints.setting_set", target=row,
                   summary="با انتقال، مهلت از نو شمرده می‌شود" if restarts else "با انتقال، مهلت پیشین می‌ماند",
                   data={"transfer_restarts_deadline": restarts})
    return row


@transaction.atomic
def unit_settings_set(*, by, unit: Unit, review_staff_answers: bool) -> UnitCaseSettings:
    """The unit's manager or PR officer decides whether an employee's answer waits for the PR officer's
    review before the citizen gets it (issue 14 §9); logged when it changes. Returns the unit's row;
    PermissionDenied for anyone without a unit role there."""
    access_for(by).require(unit, UNIT_ROLES)
    row = UnitCaseSettings.objects.select_for_update().get_or_create(unit=unit)[0]
    if row.review_staff_answers != review_staff_answers:
        row.review_staff_answers = review_staff_answers
        row.save(update_fields=["review_staff_answers"])
        log_action(actor=by, action="complaints.unit_setting_set", target=row, unit=unit,
                   summary="پاسخ کارکنان پیش از شهروند بازبینی می‌شود" if review_staff_answers
                   else "پاسخ کارکنان بی‌بازبینی به شهروند می‌رسد",
                   data={"review_staff_answers": review_staff_answers})
    return row


def personal_data_viewed(*, case: Case, by) -> None:
    """Log that `by` looked at the complainant's name, mobile and national code."""
    log_action(actor=by, action="complaints.personal_data_viewed", target=case,
               summary="مشاهده مشخصات شهروند")


def recount_deadlines(*, days: Iterable[dt.date], reason: str) -> int:
    """Count again the deadline of every open case whose working-day count covers one of `days` (Gregorian
    dates whose closure or holiday was added, removed or corrected), and log the change on each case
    (D2, issue 14). A deadline HQ set as a date is left alone. Returns how many deadlines moved."""
    days = sorted(set(days))
    if not days:
        return 0
    moved = 0
    cases = Case.objects.filter(state__in=OPEN_STATES, deadline_days__isnull=False, deadline_start__lte=days[-1],
                                deadline__gte=days[0]).select_related("unit").order_by("pk")
    for case in cases:
        before = case.deadline
        after = add_working_days(case.deadline_start, case.deadline_days)
        if after == before:
            continue
        Case.objects.filter(pk=case.pk, deadline=before).update(deadline=after, escalated_at=None)
        log_action(actor=None, action="complaints.deadline_recounted", target=case, unit=case.unit,
                   summary=f"مهلت پاسخ از {jalali.format_date(before)} به {jalali.format_date(after)} رسید: {reason}",
                   data={"deadline": [before.isoformat(), after.isoformat()], "days": [d.isoformat() for d in days]})
        moved += 1
    return moved


def escalate_overdue(*, today: dt.date | None = None, limit: int = 1000) -> int:
    """Tell HQ once about each open case past its deadline and mark it escalated (D2, D4); returns how many."""
    today = today or jalali.today()
    overdue = list(Case.objects.filter(state__in=OPEN_STATES, deadline__lt=today, escalated_at__isnull=True)
                   .select_related("unit").order_by("deadline", "pk")[:limit])
    hq_cache: dict[int, list] = {}
    escalated = 0
    for case in overdue:
        with transaction.atomic():
            if not Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(escalated_at=timezone.now()):
                continue
            if case.unit_id not in hq_cache:
                hq_cache[case.unit_id] = list(hq_role(*HQ_ROLES)(case, None))
            for user in hq_cache[case.unit_id]:
                notify(user=user, title=f"مهلت پاسخ گذشت: {case.subject} ({case.unit.name})",
                       url=case.get_absolute_url(), key=f"complaints.{case.pk}.overdue.{user.pk}")
            log_action(actor=None, action="complaints.escalated", target=case, unit=case.unit,
                       summary="مهلت پاسخ گذشت؛ پرونده برای پیگیری به اداره کل رفت")
            escalated += 1
    return escalated
