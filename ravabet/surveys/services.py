"""Every change to a survey goes through here: checked, atomic, logged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.offices.access import access_for
from ravabet.offices.models import Membership, Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role
from ravabet.outbox.services import notify, queue_email

from .models import CHOICE_KINDS, TRANSITIONS, Answer, Audience, Question, QuestionKind, Response, State, Survey

STATE_ACTIONS = {"open": State.OPEN, "close": State.CLOSED}


def can_build(access, unit: Unit) -> bool:
    """A county's officer and manager build its surveys; HQ builds HQ's own."""
    return access.has_role(unit, UNIT_ROLES) or (unit.is_hq and access.has_role(unit, HQ_ROLES))


def require_builder(user, unit: Unit) -> None:
    if not can_build(access_for(user), unit):
        raise PermissionDenied("فقط مسئول روابط عمومی و رئیس همین واحد نظرسنجی را می‌سازند و تغییر می‌دهند.")


def _check_dates(survey: Survey) -> None:
    if survey.opens_on and survey.closes_on and survey.closes_on < survey.opens_on:
        raise ValidationError({"closes_on": "تاریخ پایان نمی‌تواند پیش از تاریخ شروع باشد."})


@transaction.atomic
def survey_create(*, unit: Unit, by, title: str, intro: str, audience: str, opens_on, closes_on) -> Survey:
    require_builder(by, unit)
    survey = Survey(unit=unit, created_by=by, title=title, intro=intro, audience=audience, opens_on=opens_on,
                    closes_on=closes_on)
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


def _clean_question(question: Question) -> None:
    if question.kind in CHOICE_KINDS:
        options = [option.strip() for option in question.options if option and option.strip()]
        if len(options) < 2:
            raise ValidationError({"options": "پرسش گزینه‌ای دست‌کم دو گزینه می‌خواهد؛ هر گزینه در یک سطر."})
        if len(set(options)) != len(options):
            raise ValidationError({"options": "گزینه‌ها تکراری‌اند؛ هر گزینه را یک بار بنویسید."})
        question.options = options
    else:
        question.options = []


@transaction.atomic
def question_add(*, survey: Survey, by, kind: str, text: str, required: bool, options: list[str]) -> Question:
    require_builder(by, survey.unit)
    _require_draft(survey)
    last = survey.questions.order_by("-order").values_list("order", flat=True).first()
    question = Question(survey=survey, kind=kind, text=text, required=required, options=options,
                        order=(last or 0) + 1)
    _clean_question(question)
    question.full_clean()
    question.save()
    log_action(actor=by, action="surveys.question_added", summary=f"پرسش «{text}» افزوده شد.", target=survey,
               unit=survey.unit)
    return question


@transaction.atomic
def question_update(*, question: Question, by, kind: str, text: str, required: bool, options: list[str]) -> Question:
    survey = question.survey
    require_builder(by, survey.unit)
    _require_draft(survey)
    question.kind, question.text, question.required, question.options = kind, text, required, options
    _clean_question(question)
    question.full_clean()
    question.save(update_fields=["kind", "text", "required", "options"])
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


@transaction.atomic
def survey_transition(*, survey: Survey, by, to: str) -> Survey:
    require_builder(by, survey.unit)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if to not in TRANSITIONS.get(survey.state, set()):
        raise ValidationError(f"نظرسنجی «{survey.get_state_display()}» را نمی‌توان به این وضعیت برد.")
    fields = ["state"]
    if to == State.OPEN:
        if not survey.questions.exists():
            raise ValidationError("نظرسنجی بی‌پرسش را نمی‌توان باز کرد؛ نخست پرسش‌ها را بیفزایید.")
        if survey.closes_on < jalali.today():
            raise ValidationError("تاریخ پایان گذشته است؛ نخست تاریخ پایان را در ویرایش مشخصات جلو ببرید.")
        survey.opened_at = timezone.now()
        fields.append("opened_at")
    else:
        survey.closed_at = timezone.now()
        fields.append("closed_at")
    before = survey.get_state_display()
    survey.state = to
    survey.save(update_fields=fields)
    if to == State.OPEN and survey.audience == Audience.STAFF:
        _invite_staff(survey)
    log_action(actor=by, action=f"surveys.{to}", summary=f"وضعیت: {before} ← {survey.get_state_display()}",
               target=survey, unit=survey.unit)
    return survey


def _invite_staff(survey: Survey) -> None:
    """Every member of the unit hears of a staff survey once, however often it is reopened."""
    url = reverse("surveys:staff_answer", args=[survey.pk])
    users = {m.user_id: m.user for m in Membership.objects.filter(unit=survey.unit).select_related("user")}
    for user in users.values():
        notify(user=user, title=f"نظرسنجی کارکنان: {survey.title}",
               body=f"تا {jalali.format_date(survey.closes_on)} پاسخ دهید.", url=url,
               key=f"surveys:invite:{survey.pk}:{user.pk}")


def accepts_answers(survey: Survey, today=None) -> bool:
    today = today or jalali.today()
    return survey.state == State.OPEN and survey.opens_on <= today <= survey.closes_on


def can_answer_as_staff(user, survey: Survey) -> bool:
    """Staff surveys are for the unit's own members, not for HQ people who only oversee it."""
    if survey.audience != Audience.STAFF or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, unit=survey.unit).exists()


@transaction.atomic
def response_submit(*, survey: Survey, answers: dict[int, object], user=None) -> Response:
    """`answers` maps question id to an option index, a list of indexes, a rating or a text."""
    if not accepts_answers(survey):
        raise ValidationError("این نظرسنجی اکنون پاسخ نمی‌پذیرد.")
    if survey.audience == Audience.STAFF:
        if user is None or not can_answer_as_staff(user, survey):
            raise PermissionDenied("این نظرسنجی ویژه کارکنان همین واحد است.")
        if Response.objects.filter(survey=survey, user=user).exists():
            raise ValidationError("شما پیش‌تر به این نظرسنجی پاسخ داده‌اید.")
    else:
        user = None
    questions = {q.pk: q for q in survey.questions.all()}
    rows = []
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None or value in (None, "", []):
            continue
        if question.kind == QuestionKind.MULTIPLE:
            rows += [Answer(question=question, value=int(v)) for v in value]
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.RATING):
            rows.append(Answer(question=question, value=int(value)))
        else:
            rows.append(Answer(question=question, text=str(value)))
    missing = [q.text for q in questions.values() if q.required and q.pk not in {r.question_id for r in rows}]
    if missing:
        raise ValidationError("به پرسش‌های الزامی پاسخ دهید: " + "، ".join(missing))
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, user=user)
    except IntegrityError:
        raise ValidationError("شما پیش‌تر به این نظرسنجی پاسخ داده‌اید.") from None
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    Survey.objects.filter(pk=survey.pk).update(responses_count=F("responses_count") + 1)
    return response


def report_recipients(survey: Survey):
    """The unit's managers and the PR people of every HQ above it."""
    ancestors = [int(pk) for pk in survey.unit.path.strip("/").split("/") if pk]
    managers = Membership.objects.filter(unit=survey.unit, role=Role.UNIT_MANAGER).select_related("user")
    hq = Membership.objects.filter(unit_id__in=ancestors, role__in=HQ_ROLES).select_related("user")
    seen = {}
    for membership in [*managers, *hq]:
        seen.setdefault(membership.user_id, membership.user)
    return list(seen.values())


@transaction.atomic
def survey_report(*, survey: Survey, by) -> int:
    """Send the results to the unit manager and HQ PR (instruction D5); returns how many were told."""
    require_builder(by, survey.unit)
    if survey.state == State.DRAFT:
        raise ValidationError("نظرسنجی پیش‌نویس هنوز نتیجه‌ای ندارد.")
    if not survey.responses_count:
        raise ValidationError("هنوز پاسخی ثبت نشده است؛ گزارش بی‌پاسخ فرستاده نمی‌شود.")
    survey.reported_at = timezone.now()
    survey.save(update_fields=["reported_at"])
    url = reverse("surveys:results", args=[survey.pk])
    stamp = int(survey.reported_at.timestamp())
    recipients = report_recipients(survey)
    title = f"نتیجه نظرسنجی «{survey.title}» — {survey.unit.name}"
    body = f"{survey.responses_count} پاسخ. گزارش PDF و نمودارها در صفحه نتایج است."
    for user in recipients:
        notify(user=user, title=title, body=body, url=url, key=f"surveys:report:{survey.pk}:{stamp}:{user.pk}")
        if user.email:
            queue_email(to=user.email, subject=title, body=f"{body}\n{url}", unit=survey.unit, source="surveys",
                        key=f"surveys:report-mail:{survey.pk}:{stamp}:{user.pk}")
    log_action(actor=by, action="surveys.reported",
               summary=f"نتیجه برای {len(recipients)} نفر (رئیس واحد و روابط عمومی اداره کل) فرستاده شد.",
               target=survey, unit=survey.unit, data={"recipients": [u.pk for u in recipients]})
    return len(recipients)


def close_expired(*, today=None, limit: int = 500) -> int:
    """Close open surveys whose last day has passed, and remind their maker to report the results."""
    today = today or jalali.today()
    closed = 0
    for survey in Survey.objects.filter(state=State.OPEN, closes_on__lt=today).select_related(
            "created_by", "unit").order_by("closes_on", "pk")[:limit]:
        with transaction.atomic():
            if not Survey.objects.filter(pk=survey.pk, state=State.OPEN).update(state=State.CLOSED,
                                                                                closed_at=timezone.now()):
                continue
            notify(user=survey.created_by, title=f"نظرسنجی «{survey.title}» به پایان رسید و بسته شد",
                   body="نتیجه را از صفحه نتایج برای رئیس واحد و اداره کل بفرستید.",
                   url=reverse("surveys:results", args=[survey.pk]), key=f"surveys:expired:{survey.pk}:{today}")
            log_action(actor=None, action="surveys.closed", target=survey, unit=survey.unit,
                       summary="تاریخ پایان گذشت؛ نظرسنجی خودکار بسته شد.")
            closed += 1
    return closed
