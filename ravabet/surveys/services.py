"""Every change to a survey that is not a workflow step goes through here: checked, atomic, logged.
State changes are the declared steps of `Survey` (models.py), made with `ravabet.workflow.engine.move`."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.validators import MOBILE_RE, normalize_mobile
from ravabet.messaging.models import StaffGroup
from ravabet.offices.access import access_for, units_below
from ravabet.offices.models import Membership, Person, Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES
from ravabet.outbox.services import queue_email, queue_sms
from ravabet.workflow.engine import TransitionRefused, move

from .models import (
    CHOICE_KINDS,
    Answer,
    Audience,
    Channel,
    Invitation,
    Panelist,
    Question,
    QuestionKind,
    Response,
    State,
    Survey,
)


def can_build(access, unit: Unit) -> bool:
    """True when the person behind `access` builds and edits surveys of `unit`: the unit's manager or PR
    officer, or HQ's PR people when `unit` is HQ itself (HQ only reads a county's surveys)."""
    return access.has_role(unit, UNIT_ROLES) or (unit.is_hq and access.has_role(unit, HQ_ROLES))


def require_builder(user, unit: Unit) -> None:
    if not can_build(access_for(user), unit):
        raise PermissionDenied("فقط مسئول روابط عمومی و رئیس همین واحد نظرسنجی را می‌سازند و تغییر می‌دهند.")


def _check_dates(survey: Survey) -> None:
    if survey.opens_on and survey.closes_on and survey.closes_on < survey.opens_on:
        raise ValidationError({"closes_on": "تاریخ پایان نمی‌تواند پیش از تاریخ شروع باشد."})
    if survey.invited_only and survey.audience != Audience.PUBLIC:
        raise ValidationError({"invited_only": "«فقط با پیوند شخصی» برای نظرسنجی مردمی است."})


@transaction.atomic
def survey_create(*, unit: Unit, by, title: str, intro: str, audience: str, opens_on, closes_on,
                  invited_only: bool = False) -> Survey:
    """A draft survey of `unit` (opens_on/closes_on: Gregorian dates); `invited_only` makes a public survey
    answer only through personal links. Raises ValidationError on the field at fault, PermissionDenied
    for a non-builder."""
    require_builder(by, unit)
    survey = Survey(unit=unit, created_by=by, title=title, intro=intro, audience=audience, opens_on=opens_on,
                    closes_on=closes_on, invited_only=invited_only)
    _check_dates(survey)
    survey.full_clean()
    survey.save()
    log_action(actor=by, action="surveys.created", summary=f"نظرسنجی «{survey.title}» ساخته شد.", target=survey,
               unit=unit)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, by, **fields) -> Survey:
    require_builder(by, survey.unit)
    if survey.state != State.DRAFT and "audience" in fields and fields["audience"] != survey.audience:
        raise ValidationError({"audience": "مخاطب نظرسنجی باز یا بسته را نمی‌توان عوض کرد."})
    for name, value in fields.items():
        setattr(survey, name, value)
    _check_dates(survey)
    survey.full_clean()
    survey.save(update_fields=list(fields))
    log_action(actor=by, action="surveys.updated", summary="مشخصات نظرسنجی ویرایش شد.", target=survey,
               unit=survey.unit)
    return survey


def _require_draft(survey: Survey) -> None:
    if survey.state != State.DRAFT:
        raise ValidationError("پرسش‌ها فقط در پیش‌نویس تغییر می‌کنند؛ نظرسنجی باز یا بسته پاسخ گرفته است.")


def _clean_lines(lines, field: str, least: int, what: str) -> list[str]:
    lines = [line.strip() for line in lines if line and line.strip()]
    if len(lines) < least:
        raise ValidationError({field: what})
    if len(set(lines)) != len(lines):
        raise ValidationError({field: "سطرها تکراری‌اند؛ هر کدام را یک بار بنویسید."})
    return lines


def _clean_question(question: Question) -> None:
    """Options, matrix rows and the condition of `question` made consistent with its kind; raises
    ValidationError (on the field) when a choice or ranking question has fewer than two options, a matrix
    no row, or the condition tests a question that is not an earlier closed one."""
    question.rows = _clean_lines(question.rows, "rows", 1, "پرسش جدولی دست‌کم یک سطر می‌خواهد؛ هر سطر در یک خط.") \
        if question.kind == QuestionKind.MATRIX else []
    if question.kind == QuestionKind.RANKING:
        question.options = _clean_lines(question.options, "options",
                                        2, "رتبه‌بندی دست‌کم دو گزینه می‌خواهد؛ هر گزینه در یک سطر.")
    elif question.kind in CHOICE_KINDS:
        options = [option.strip() for option in question.options if option and option.strip()]
        if len(options) < 2:
            raise ValidationError({"options": "پرسش گزینه‌ای دست‌کم دو گزینه می‌خواهد؛ هر گزینه در یک سطر."})
        if len(set(options)) != len(options):
            raise ValidationError({"options": "گزینه‌ها تکراری‌اند؛ هر گزینه را یک بار بنویسید."})
        question.options = options
    else:
        question.options = []
    if question.is_page:
        question.required = False  # a page break is a heading: nothing to answer
    source = question.show_if
    if source is None:
        question.show_if_values = []
        return
    if source.survey_id != question.survey_id or source.pk == question.pk or (
            question.pk and (source.order, source.pk) >= (question.order, question.pk)):
        raise ValidationError({"show_if": "شرط فقط به پاسخ پرسش‌های پیشینِ همین نظرسنجی می‌تواند باشد."})
    if not source.is_closed:
        raise ValidationError({"show_if": "شرط فقط به پرسش گزینه‌ای یا امتیازی می‌تواند باشد."})
    values = sorted({int(v) for v in question.show_if_values})
    if not values or not set(values) <= set(source.value_choices()):
        raise ValidationError({"show_if_values": "پاسخ‌هایی را که پرسش را نشان می‌دهند برگزینید."})
    question.show_if_values = values


@transaction.atomic
def question_add(*, survey: Survey, by, kind: str, text: str, required: bool, options: list[str],
                 rows: list[str] = (), show_if: Question | None = None, show_if_values=()) -> Question:
    """Add a question at the end of `survey` (draft only). `rows` are a matrix's rows; `show_if` and
    `show_if_values` (option indexes or ratings) make it conditional on an earlier closed question.
    Raises ValidationError on the field at fault, PermissionDenied for a non-builder."""
    require_builder(by, survey.unit)
    _require_draft(survey)
    last = survey.questions.order_by("-order").values_list("order", flat=True).first()
    question = Question(survey=survey, kind=kind, text=text, required=required, options=options,
                        order=(last or 0) + 1, rows=list(rows), show_if=show_if,
                        show_if_values=list(show_if_values))
    _clean_question(question)
    question.full_clean()
    question.save()
    log_action(actor=by, action="surveys.question_added", summary=f"پرسش «{text}» افزوده شد.", target=survey,
               unit=survey.unit)
    return question


@transaction.atomic
def question_update(*, question: Question, by, kind: str, text: str, required: bool, options: list[str],
                    rows: list[str] = (), show_if: Question | None = None, show_if_values=()) -> Question:
    """Change a draft survey's question; the arguments and errors are those of question_add."""
    survey = question.survey
    require_builder(by, survey.unit)
    _require_draft(survey)
    question.kind, question.text, question.required, question.options = kind, text, required, options
    question.rows, question.show_if, question.show_if_values = list(rows), show_if, list(show_if_values)
    _clean_question(question)
    question.full_clean()
    question.save(update_fields=["kind", "text", "required", "options", "rows", "show_if", "show_if_values"])
    log_action(actor=by, action="surveys.question_updated", summary=f"پرسش «{text}» ویرایش شد.", target=survey,
               unit=survey.unit)
    return question


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    survey = question.survey
    require_builder(by, survey.unit)
    _require_draft(survey)
    text = question.text
    question.delete()
    log_action(actor=by, action="surveys.question_deleted", summary=f"پرسش «{text}» حذف شد.", target=survey,
               unit=survey.unit)


@transaction.atomic
def question_move(*, question: Question, by, up: bool) -> None:
    survey = question.survey
    require_builder(by, survey.unit)
    _require_draft(survey)
    questions = list(survey.questions.order_by("order", "pk"))
    index = questions.index(question)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for order, item in enumerate(questions, start=1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
    log_action(actor=by, action="surveys.question_moved", summary=f"جای پرسش «{question.text}» عوض شد.",
               target=survey, unit=survey.unit)


def accepts_answers(survey: Survey, today=None) -> bool:
    today = today or jalali.today()
    return survey.state == State.OPEN and survey.opens_on <= today <= survey.closes_on


def can_answer_as_staff(user, survey: Survey) -> bool:
    """Staff surveys are for the unit's own members, not for HQ people who only oversee it."""
    if survey.audience != Audience.STAFF or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, unit=survey.unit).exists()


def _answer_rows(question: Question, value) -> list[Answer]:
    """The Answer rows for one given `value` (see response_submit for the shapes)."""
    if question.kind == QuestionKind.MULTIPLE:
        return [Answer(question=question, value=int(v)) for v in value]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.RATING):
        return [Answer(question=question, value=int(value))]
    if question.kind == QuestionKind.NUMBER:
        return [Answer(question=question, number=value)]
    if question.kind == QuestionKind.DATE:
        return [Answer(question=question, date=value)]
    if question.kind == QuestionKind.MATRIX:
        return [Answer(question=question, row=int(row), value=int(rating)) for row, rating in value.items()
                if rating not in (None, "")]
    if question.kind == QuestionKind.RANKING:
        ranks = [int(rank) for rank in value.values()]
        if sorted(ranks) != list(range(1, len(question.options) + 1)):
            raise ValidationError(f"در رتبه‌بندی «{question.text}» به هر گزینه رتبه‌ای جدا بدهید.")
        return [Answer(question=question, row=int(item), value=int(rank)) for item, rank in value.items()]
    return [Answer(question=question, text=str(value))]


@transaction.atomic
def response_submit(*, survey: Survey, answers: dict[int, object], user=None, invitation=None) -> Response:
    """Record one response to `survey`. `answers` maps question id to: an option index (single), a list of
    indexes (multiple), 1-5 (rating), a Decimal (number), a Gregorian date (date), {row index: 1-5}
    (matrix), {option index: rank from 1} (ranking) or a text. Answers to questions hidden by their
    condition are dropped and such questions are not required. `invitation` (a personal link) answers
    once. Raises ValidationError (closed survey, missing answers, link or person already answered) or
    PermissionDenied (a staff survey answered by a non-member without an invitation)."""
    if not accepts_answers(survey):
        raise ValidationError("این نظرسنجی اکنون پاسخ نمی‌پذیرد.")
    unit = None
    if invitation is not None:
        if invitation.survey_id != survey.pk:
            raise PermissionDenied("این پیوند از آنِ نظرسنجی دیگری است.")
        user, unit = None, invitation.unit_id
    elif survey.audience == Audience.STAFF:
        if user is None or not can_answer_as_staff(user, survey):
            raise PermissionDenied("این نظرسنجی ویژه کارکنان همین واحد است.")
        if Response.objects.filter(survey=survey, user=user).exists():
            raise ValidationError("شما پیش‌تر به این نظرسنجی پاسخ داده‌اید.")
        unit = survey.unit_id
    elif survey.invited_only:
        raise ValidationError("این نظرسنجی فقط با پیوند شخصی‌ای که برایتان فرستاده شده پاسخ می‌گیرد.")
    else:
        user = None
    given: dict[int, set[int]] = {}
    rows, missing = [], []
    page = None
    for question in survey.questions.all():
        value = answers.get(question.pk)
        if question.is_page:
            page = question
            continue
        if not question.shown_for(given, page):
            continue
        if value in (None, "", [], {}) or (isinstance(value, dict) and all(v in (None, "") for v in value.values())):
            if question.required:
                missing.append(question.text)
            continue
        found = _answer_rows(question, value)
        if question.kind == QuestionKind.MATRIX and question.required and len(found) < len(question.rows):
            missing.append(question.text)
        if question.is_closed:
            given[question.pk] = {row.value for row in found}
        rows += found
    if missing:
        raise ValidationError("به پرسش‌های الزامی پاسخ دهید: " + "، ".join(missing))
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, user=user, unit_id=unit)
    except IntegrityError:
        raise ValidationError("شما پیش‌تر به این نظرسنجی پاسخ داده‌اید.") from None
    if invitation is not None:
        # One answer per link, even for two submits at once: only the first update finds it unanswered.
        if not Invitation.objects.filter(pk=invitation.pk, response__isnull=True, answered_at__isnull=True).update(
                response=response, answered_at=timezone.now()):
            raise ValidationError("با این پیوند پیش‌تر پاسخ داده شده است؛ هر پیوند یک بار پاسخ می‌گیرد.")
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    Survey.objects.filter(pk=survey.pk).update(responses_count=F("responses_count") + 1)
    return response


# Invitations (issue 17, point 2) ---------------------------------------------------------------------------

INVITE_LIMIT = 2000  # invitations per sending


def parse_address(text: str) -> tuple[str, str] | None:
    """(channel, address) for one typed mobile number (any digits, +98) or e-mail address, else None."""
    text = (text or "").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            return None
        return Channel.EMAIL, text.lower()
    mobile = normalize_mobile(text)
    return (Channel.SMS, mobile) if MOBILE_RE.match(mobile) else None


def parse_list(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Read an uploaded or pasted list: one person a line, «name, mobile or e-mail» (comma, Persian comma,
    tab or semicolon), or the address alone; a first line without digits or «@» is taken as a header. Returns ([(name, address)], [the lines that could not be
    read, as typed])."""
    people, bad = [], []
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if lines and not re.search(r"[\d۰-۹@]", lines[0]):
        lines = lines[1:]  # a header row («نام، همراه») of a spreadsheet's CSV
    for line in lines:
        parts = [part.strip() for part in re.split(r"[,،;\t]", line) if part.strip()]
        found = next((part for part in reversed(parts) if parse_address(part)), None)
        if found is None:
            bad.append(line.strip())
            continue
        people.append((" ".join(part for part in parts if part != found)[:200], found))
    return people, bad


def invitation_reach(survey: Survey) -> list[Unit]:
    """The units whose staff `survey` may invite: its own unit and the units under it (HQ reaches every
    county office), in tree order."""
    return list(units_below(survey.unit).order_by("path"))


def _person_address(person: Person) -> str:
    return person.mobile if person.mobile and not person.sms_opt_out else person.email


def staff_recipients(units) -> list[tuple[str, str, int]]:
    """(name, mobile or e-mail, unit id) of the active people in the staff directory of `units` (Units or
    ids) who have one (the mobile first, unless they opted out of SMS), whether or not they have an account."""
    people = Person.objects.filter(unit__in=units, is_active=True).order_by("unit__path", "full_name")
    return [(person.full_name, address, person.unit_id) for person in people if (address := _person_address(person))]


def group_recipients(group: StaffGroup) -> list[tuple[str, str, int]]:
    """(name, mobile or e-mail, unit id) of the active members of a staff group (B11) who have one."""
    people = group.members.filter(is_active=True).order_by("full_name")
    return [(person.full_name, address, person.unit_id) for person in people if (address := _person_address(person))]


def panel_join(*, survey: Survey, mobile: str) -> Panelist:
    """Record the consent of the citizen with `mobile` (any digits) to be invited to future surveys of
    `survey`'s unit, given after answering the open public survey; a consent given again (even after a
    withdrawal) stands anew. Raises ValidationError on `mobile` when it is not a mobile number, or when the
    survey is not an open public one."""
    if survey.audience != Audience.PUBLIC or not accepts_answers(survey):
        raise ValidationError("این نظرسنجی اکنون پاسخ نمی‌پذیرد.")
    return panel_consent(unit=survey.unit, mobile=mobile, survey=survey)


def panel_consent(*, unit: Unit, mobile: str, survey: Survey | None = None) -> Panelist:
    """Record a citizen's explicit consent to be invited by SMS to `unit`'s surveys (`mobile` in any
    digits; `survey`: where it was given, if in a survey). Any part that asks a citizen for this consent
    (a complaint form's tick box, for one) records it here. Raises ValidationError on `mobile`."""
    mobile = normalize_mobile(mobile)
    if not MOBILE_RE.match(mobile):
        raise ValidationError({"mobile": "شماره همراه را مانند ۰۹۱۲۳۴۵۶۷۸۹ بنویسید."})
    panelist, created = Panelist.objects.get_or_create(unit=unit, mobile=mobile, defaults={"survey": survey})
    if not created and panelist.withdrawn_at:
        Panelist.objects.filter(pk=panelist.pk).update(withdrawn_at=None, consented_at=timezone.now(), survey=survey)
    return panelist


def panel_withdraw(*, token: str) -> Panelist | None:
    """Withdraw the consent behind `token` (the link in an invitation); returns the panelist, or None for
    an unknown token. Withdrawing twice changes nothing."""
    panelist = Panelist.objects.filter(token=token).first()
    if panelist is not None and panelist.withdrawn_at is None:
        Panelist.objects.filter(pk=panelist.pk).update(withdrawn_at=timezone.now())
    return panelist


def panel_recipients(units) -> list[tuple[str, str, int]]:
    """("", mobile, unit id) of the citizens who consented to be invited to the surveys of `units` and
    have not withdrawn."""
    return [("", mobile, unit_id) for mobile, unit_id in Panelist.objects.filter(
        unit__in=units, withdrawn_at__isnull=True).order_by("consented_at").values_list("mobile", "unit_id")]


def _invitation_text(invitation: Invitation, *, reminder: bool) -> tuple[str, str]:
    survey = invitation.survey
    head = "یادآوری: هنوز به نظرسنجی پاسخ نداده‌اید" if reminder else "دعوت به نظرسنجی"
    subject = f"{head} «{survey.title[:80]}» — {survey.unit.name}"
    body = (f"{invitation.name + ' گرامی، ' if invitation.name else ''}{head} «{survey.title[:80]}» "
            f"تا {survey.closes_on_fa}. پیوند ویژه شما (یک بار پاسخ می‌گیرد):\n{invitation.link()}")
    if invitation.source == "panel":
        panelist = Panelist.objects.filter(unit=invitation.unit_id, mobile=invitation.address).first()
        if panelist is not None:
            body += f"\nانصراف از دعوت‌های بعدی: {panelist.withdraw_link()}"
    return subject, body


def _send(invitation: Invitation, *, reminder: bool, stamp: str) -> None:
    subject, body = _invitation_text(invitation, reminder=reminder)
    key = f"surveys:invite:{invitation.pk}:{stamp}"
    if invitation.channel == Channel.SMS:
        queue_sms(to=invitation.address, body=body, key=key, unit=invitation.survey.unit, source="surveys")
    else:
        queue_email(to=invitation.address, subject=subject, body=body, key=key, unit=invitation.survey.unit,
                    source="surveys")


@transaction.atomic
def invite(*, survey: Survey, by, people: list[tuple], source: str = "list") -> tuple[int, int]:
    """Send each of `people` ((name, mobile or e-mail) or (name, mobile or e-mail, unit id)) a one-time
    personal link to `survey` by SMS or e-mail through the outbox; the unit, when given, is the respondent's
    unit the results filter by. An address already invited to this survey is skipped (a double submit
    sends nothing twice). Returns (sent, skipped). Raises ValidationError when the survey is not open or
    an address cannot be read, PermissionDenied for a non-builder."""
    require_builder(by, survey.unit)
    if not accepts_answers(survey):
        raise ValidationError("دعوت‌نامه فقط برای نظرسنجی باز در بازه‌ی پاسخ فرستاده می‌شود.")
    if len(people) > INVITE_LIMIT:
        raise ValidationError(f"در هر بار حداکثر {to_persian_digits(INVITE_LIMIT)} نفر را دعوت کنید.")
    sent = skipped = 0
    seen = set(survey.invitations.values_list("address", flat=True))
    for name, typed, *unit in people:
        parsed = parse_address(typed)
        if parsed is None:
            raise ValidationError({"people": f"نشانی «{typed}» شماره همراه یا رایانامه‌ی درستی نیست."})
        channel, address = parsed
        if address in seen:
            skipped += 1
            continue
        seen.add(address)
        invitation = Invitation.objects.create(survey=survey, name=name[:200], channel=channel, address=address,
                                               source=source, unit_id=unit[0] if unit else None)
        _send(invitation, reminder=False, stamp="first")
        sent += 1
    log_action(actor=by, action="surveys.invited",
               summary=f"{to_persian_digits(sent)} دعوت‌نامه‌ی شخصی فرستاده شد.", target=survey, unit=survey.unit)
    return sent, skipped


@transaction.atomic
def remind(*, survey: Survey, by) -> int:
    """Remind, once a day at most, everyone invited to the open `survey` who has not answered yet, with
    the same personal link. Returns how many were reminded; raises ValidationError when it is not open."""
    require_builder(by, survey.unit)
    if not accepts_answers(survey):
        raise ValidationError("یادآوری فقط برای نظرسنجی باز فرستاده می‌شود.")
    now = timezone.now()
    today = jalali.today()
    count = 0
    withdrawn = set(Panelist.objects.filter(unit__in=survey.invitations.values("unit"), withdrawn_at__isnull=False)
                    .values_list("mobile", flat=True))
    for invitation in survey.invitations.filter(response__isnull=True, answered_at__isnull=True).select_related(
            "survey__unit"):
        if invitation.source == "panel" and invitation.address in withdrawn:
            continue  # the citizen withdrew their consent since
        if invitation.reminded_at and timezone.localdate(invitation.reminded_at) == timezone.localdate(now):
            continue
        _send(invitation, reminder=True, stamp=f"remind:{today}")
        invitation.reminded_at, invitation.reminders = now, invitation.reminders + 1
        invitation.save(update_fields=["reminded_at", "reminders"])
        count += 1
    log_action(actor=by, action="surveys.reminded", summary=f"به {to_persian_digits(count)} نفر یادآوری شد.",
               target=survey, unit=survey.unit)
    return count


def response_rate(survey: Survey) -> dict:
    """{'invited', 'answered', 'percent'} of the personal invitations of `survey` (percent to one decimal,
    None when nobody was invited)."""
    invited = survey.invitations.count()
    answered = survey.invitations.filter(answered_at__isnull=False).count()
    return {"invited": invited, "answered": answered,
            "percent": round(100 * answered / invited, 1) if invited else None}


def close_expired(*, today=None, limit: int = 500) -> int:
    """Close open surveys whose last day has passed (the `close` step, made by the system), which tells
    their maker to report the results. Returns how many were closed; a survey someone closed meanwhile
    is skipped."""
    today = today or jalali.today()
    closed = 0
    for survey in Survey.objects.filter(state=State.OPEN, closes_on__lt=today).order_by("closes_on", "pk")[:limit]:
        try:
            move(survey, "close", by=None)
        except TransitionRefused:
            continue
        closed += 1
    return closed
