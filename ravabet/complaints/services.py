"""Every change to a case: each checks permission, moves the state through TRANSITIONS and is logged."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.text import search_key
from ravabet.lib.workdays import add_working_days, working_days_between
from ravabet.offices.access import access_for
from ravabet.offices.models import Membership, Person, Unit
from ravabet.offices.roles import HQ_ROLES, Role
from ravabet.outbox.services import notify, queue_sms

from .models import OPEN_STATES, Attachment, Case, Channel, Kind, KindDeadline, State, check_transition
from .privacy import HANDLER_ROLES
from .tracking import in_sms, in_text, new_code

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
CODE_ATTEMPTS = 8


def deadline_for(kind: str, start: dt.date | None = None) -> dt.date:
    return add_working_days(start or jalali.today(), KindDeadline.table()[str(kind)])


def _locked(case: Case) -> Case:
    """The current row, locked until the transaction ends, so two clicks cannot both move it."""
    return Case.objects.select_for_update(of=("self",)).select_related("unit", "referred_to").get(pk=case.pk)


def _move(case: Case, target: str) -> str:
    before = case.state
    check_transition(before, target)
    case.state = target
    return before


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
        attachment = Attachment(case=case, name=upload.name[:200], content_type=kind, size=upload.size)
        # The stored name is ours: a citizen's file name never reaches the file system.
        attachment.file.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(kind, '')}", upload, save=False)
        attachment.save()


def _users_with(unit_ids: Iterable[int], roles: Iterable[str]) -> list:
    memberships = Membership.objects.filter(unit_id__in=list(unit_ids), role__in=list(roles)).select_related("user")
    return list({m.user_id: m.user for m in memberships}.values())


def hq_users_over(unit: Unit) -> list:
    """HQ people whose unit is an ancestor of `unit` (they follow it up)."""
    parts = [p for p in unit.path.split("/") if p]
    return _users_with([int(p) for p in parts], HQ_ROLES)


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


def tracking_url(case: Case) -> str:
    """The public tracking page with the code filled in; the citizen adds only the mobile number."""
    return f"{settings.SITE_URL}{reverse('complaints:public_track')}?code={case.tracking_code}"


def _case_url(case: Case) -> str:
    return reverse("complaints:detail", args=[case.pk])


@transaction.atomic
def case_submit(*, unit: Unit, kind: str, subject: str, text: str, citizen_name: str = "",
                citizen_mobile: str = "", citizen_national_code: str = "", attachments: Iterable = (),
                channel: str = Channel.WEB, by=None, ip_address: str | None = None, **extra) -> Case:
    """File a case. The public form calls it with by=None; staff pass themselves."""
    if by is not None:
        access_for(by).require(unit, HQ_ROLES if channel == Channel.HQ_FORWARD else HANDLER_ROLES)
    if unit.is_hq or not unit.is_active:
        raise ValidationError({"unit": "این اداره پرونده مردمی نمی‌پذیرد."})
    deadline = extra.pop("deadline", None) or deadline_for(kind)
    case = Case(unit=unit, kind=kind, channel=channel, subject=subject, text=text, citizen_name=citizen_name,
                citizen_mobile=citizen_mobile, citizen_national_code=citizen_national_code,
                search_key=search_key(f"{subject} {text}"), deadline=deadline, created_by=by, **extra)
    case.full_clean(exclude=["tracking_code", "clipping"])
    _insert_with_code(case)
    _save_attachments(case, attachments)
    log_action(actor=by, action="complaints.received",
               summary=f"ثبت {case.get_kind_display()} از مسیر «{case.get_channel_display()}» با کد {in_text(case.tracking_code)}",
               target=case, unit=unit, data={"channel": channel, "kind": kind}, ip_address=ip_address)
    if case.citizen_mobile:
        queue_sms(to=case.citizen_mobile, key=f"complaints.{case.pk}.received", unit=unit, source="complaints",
                  body=f"{case.get_kind_display()} شما در {unit.name} ثبت شد.\n"
                       f"کد رهگیری: {in_sms(case.tracking_code)}\nپیگیری: {tracking_url(case)}")
    for user in _users_with([unit.pk], {Role.PR_OFFICER}):
        if user != by:
            notify(user=user, title=f"{case.get_kind_display()} تازه: {case.subject}", url=_case_url(case),
                   key=f"complaints.{case.pk}.new.{user.pk}")
    return case


def case_register(*, unit: Unit, by, channel: str, **fields) -> Case:
    """The PR officer's quick form for a phone, in-person, mailbox or email case."""
    if channel not in (Channel.PHONE, Channel.IN_PERSON, Channel.MAILBOX, Channel.EMAIL):
        raise ValidationError({"channel": "این مسیر در فرم سریع پذیرفته نیست."})
    return case_submit(unit=unit, by=by, channel=channel, **fields)


@transaction.atomic
def press_register(*, unit: Unit, by, kind: str = Kind.COMPLAINT, subject: str, text: str, press_outlet: str,
                   press_date: dt.date | None, press_page: str = "", press_link: str = "", clipping=None) -> Case:
    """A public complaint found in a newspaper (D1): recorded and forwarded to the office head at once."""
    if not clipping and not press_link:
        raise ValidationError({"clipping": "تصویر بریده روزنامه یا پیوند خبر را وارد کنید."})
    case = case_submit(unit=unit, by=by, channel=Channel.PRESS, kind=kind, subject=subject, text=text,
                       press_outlet=press_outlet, press_date=press_date, press_page=press_page,
                       press_link=press_link)
    if clipping:
        case.clipping.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(getattr(clipping, 'checked_type', ''), '')}",
                           clipping, save=False)
        case.save(update_fields=["clipping"])
    return case_refer(case=case, by=by, person=head_of(unit))


@transaction.atomic
def hq_forward(*, unit: Unit, by, deadline: dt.date, kind: str = Kind.COMPLAINT, subject: str, text: str,
               press_outlet: str = "", press_date: dt.date | None = None, press_page: str = "",
               press_link: str = "", clipping=None) -> Case:
    """HQ sends a press complaint to a unit with its own deadline (D4); the unit's answer comes back to HQ."""
    access = access_for(by)
    if not access.has_role(unit, HQ_ROLES):
        raise PermissionDenied("ارجاع به واحدها فقط از روابط عمومی اداره کل ساخته است.")
    if deadline < jalali.today():
        raise ValidationError({"deadline": "مهلت نمی‌تواند پیش از امروز باشد."})
    case = case_submit(unit=unit, by=by, channel=Channel.HQ_FORWARD, kind=kind, subject=subject, text=text,
                       press_outlet=press_outlet, press_date=press_date, press_page=press_page,
                       press_link=press_link, forwarded_by_hq=True, hq_deadline=deadline, deadline=deadline)
    if clipping:
        case.clipping.save(f"{uuid.uuid4().hex}{EXTENSIONS.get(getattr(clipping, 'checked_type', ''), '')}",
                           clipping, save=False)
        case.save(update_fields=["clipping"])
    for user in _users_with([unit.pk], HANDLER_ROLES):
        notify(user=user, title=f"ارجاع اداره کل: {case.subject}", url=_case_url(case),
               body=f"مهلت پاسخ: {jalali.format_date(deadline)}", key=f"complaints.{case.pk}.forwarded.{user.pk}")
    return case


@transaction.atomic
def case_refer(*, case: Case, by, person: Person, comment: str = "") -> Case:
    case = _locked(case)
    access_for(by).require(case.unit, HANDLER_ROLES)
    if person.unit_id != case.unit_id or not person.is_active:
        raise ValidationError({"person": "فقط به کارکنان همین اداره می‌توان ارجاع داد."})
    before = _move(case, State.REFERRED)
    case.referred_to = person
    case.full_clean(exclude=["clipping"])
    case.save(update_fields=["state", "referred_to", "updated_at"])
    log_action(actor=by, action="complaints.referred", summary=f"ارجاع به {person.full_name}", target=case,
               data={"state": [before, case.state], "person": person.pk, "comment": comment})
    if person.user_id and person.user_id != by.pk:
        notify(user=person.user, title=f"پرونده ارجاعی: {case.subject}", body=comment, url=_case_url(case),
               key=f"complaints.{case.pk}.referred.{person.pk}.{timezone.now().timestamp()}")
    return case


def can_answer(access, case: Case) -> bool:
    referred_user = case.referred_to.user_id if case.referred_to_id else None
    return access.has_role(case.unit_id, HANDLER_ROLES) or (referred_user is not None
                                                             and referred_user == access.user.pk)


@transaction.atomic
def case_answer(*, case: Case, by, answer: str) -> Case:
    case = _locked(case)
    if not can_answer(access_for(by), case):
        raise PermissionDenied("پاسخ این پرونده با شما نیست.")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "متن پاسخ را بنویسید."})
    before = _move(case, State.ANSWERED)
    now = timezone.now()
    today = timezone.localdate(now)
    case.answer, case.answered_at, case.answered_by = answer, now, by
    case.answer_working_days = max(working_days_between(timezone.localdate(case.created_at), today), 0)
    case.answered_in_time = today <= case.deadline
    case.full_clean(exclude=["clipping"])
    case.save(update_fields=["state", "answer", "answered_at", "answered_by", "answer_working_days",
                             "answered_in_time", "updated_at"])
    log_action(actor=by, action="complaints.answered", summary="پاسخ به شهروند", target=case,
               data={"state": [before, case.state], "in_time": case.answered_in_time})
    stamp = int(now.timestamp())
    if case.citizen_mobile:
        queue_sms(to=case.citizen_mobile, key=f"complaints.{case.pk}.answered.{stamp}", unit=case.unit,
                  source="complaints",
                  body=f"پاسخ {case.unit.name} به پرونده {in_sms(case.tracking_code)}:\n"
                       f"{answer[:250]}\nپاسخ کامل، ثبت رضایت یا اعتراض: {tracking_url(case)}")
    if case.forwarded_by_hq:
        for user in hq_users_over(case.unit):
            notify(user=user, title=f"پاسخ {case.unit.name} به ارجاع اداره کل: {case.subject}", body=answer[:300],
                   url=_case_url(case), key=f"complaints.{case.pk}.answered_to_hq.{user.pk}.{stamp}")
    return case


@transaction.atomic
def case_close(*, case: Case, by) -> Case:
    case = _locked(case)
    access_for(by).require(case.unit, HANDLER_ROLES)
    before = _move(case, State.CLOSED)
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "closed_at", "updated_at"])
    log_action(actor=by, action="complaints.closed", summary="بستن پرونده", target=case,
               data={"state": [before, case.state]})
    return case


@transaction.atomic
def case_rate(*, case: Case, rating: int, ip_address: str | None = None) -> Case:
    """The citizen's satisfaction with the answer (1-5)."""
    case = _locked(case)
    if case.state not in (State.ANSWERED, State.CLOSED):
        raise ValidationError("پیش از پاسخ نمی‌توان رضایت را ثبت کرد.")
    case.rating = rating
    case.full_clean(exclude=["clipping"])
    case.save(update_fields=["rating", "updated_at"])
    log_action(actor=None, action="complaints.rated", summary=f"رضایت شهروند: {to_persian_digits(rating)} از ۵", target=case,
               data={"rating": rating}, ip_address=ip_address)
    return case


@transaction.atomic
def case_object(*, case: Case, objection: str, ip_address: str | None = None) -> Case:
    """The citizen objects to the answer: the case reopens with a fresh deadline and staff are told."""
    case = _locked(case)
    if case.state not in (State.ANSWERED, State.CLOSED):
        raise ValidationError("اعتراض فقط پس از پاسخ ممکن است.")
    before = _move(case, State.REFERRED if case.referred_to_id else State.RECEIVED)
    now = timezone.now()
    case.objection, case.objected_at = objection, now
    case.deadline = deadline_for(case.kind)
    case.escalated_at, case.closed_at = None, None
    case.save(update_fields=["state", "objection", "objected_at", "deadline", "escalated_at", "closed_at",
                             "updated_at"])
    log_action(actor=None, action="complaints.objected", summary="اعتراض شهروند به پاسخ و بازگشایی پرونده",
               target=case, data={"state": [before, case.state], "comment": objection[:300]}, ip_address=ip_address)
    users = _users_with([case.unit_id], HANDLER_ROLES)
    if case.referred_to_id and case.referred_to.user:
        users.append(case.referred_to.user)
    for user in {u.pk: u for u in users}.values():
        notify(user=user, title=f"اعتراض شهروند: {case.subject}", body=objection[:300], url=_case_url(case),
               key=f"complaints.{case.pk}.objected.{user.pk}.{int(now.timestamp())}")
    return case


@transaction.atomic
def kind_deadline_set(*, by, kind: str, working_days: int) -> KindDeadline:
    access_for(by).require_hq()
    row, _ = KindDeadline.objects.get_or_create(kind=kind, defaults={"working_days": working_days})
    before = row.working_days
    row.working_days = working_days
    row.full_clean()
    row.save(update_fields=["working_days"])
    log_action(actor=by, action="complaints.deadline_set", target=row,
               summary=f"مهلت پاسخ «{row.get_kind_display()}»: {to_persian_digits(working_days)} روز کاری",
               data={"working_days": [before, working_days]})
    return row


def personal_data_viewed(*, case: Case, by) -> None:
    log_action(actor=by, action="complaints.personal_data_viewed", target=case,
               summary="مشاهده مشخصات شهروند")


def escalate_overdue(*, today: dt.date | None = None, limit: int = 1000) -> int:
    """Tell HQ once about each open case past its deadline and mark it escalated."""
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
                hq_cache[case.unit_id] = hq_users_over(case.unit)
            for user in hq_cache[case.unit_id]:
                notify(user=user, title=f"مهلت پاسخ گذشت: {case.subject} ({case.unit.name})",
                       url=_case_url(case), key=f"complaints.{case.pk}.overdue.{user.pk}")
            log_action(actor=None, action="complaints.escalated", target=case, unit=case.unit,
                       summary="مهلت پاسخ گذشت؛ پرونده برای پیگیری به اداره کل رفت")
            escalated += 1
    return escalated
