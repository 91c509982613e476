"""Demo surveys for the demo counties: a public survey closed (and in the first county reported), a
staff survey open, a draft."""

import datetime as dt

from django.db import transaction

from ravabet.lib import jalali
from ravabet.workflow.engine import move

from . import services
from .models import Audience, QuestionKind, State, Survey

DEMO_COUNTIES = ("marvdasht", "kazerun")
PUBLIC_TITLE = "رضایت مراجعان از خدمات اداره"
STAFF_TITLE = "نظر کارکنان درباره‌ی اطلاع‌رسانی درون‌سازمانی"
DRAFT_TITLE = "نظرسنجی ایمنی راه‌های روستایی"

PUBLIC_QUESTIONS = [
    (QuestionKind.RATING, "از برخورد کارکنان چقدر راضی بودید؟", True, []),
    (QuestionKind.SINGLE, "کار شما در چند بار مراجعه انجام شد؟", True, ["یک بار", "دو بار", "سه بار یا بیشتر"]),
    (QuestionKind.MULTIPLE, "از کدام راه‌ها با اداره در تماس بودید؟", False,
     ["حضوری", "تلفن", "پایگاه اینترنتی", "پیام‌رسان"]),
    (QuestionKind.SHORT, "کدام واحد را بیشتر پسندیدید؟", False, []),
    (QuestionKind.LONG, "پیشنهاد شما برای بهتر شدن خدمات چیست؟", False, []),
]
STAFF_QUESTIONS = [
    (QuestionKind.RATING, "اطلاعیه‌های اداره را به‌موقع دریافت می‌کنید؟", True, []),
    (QuestionKind.SINGLE, "بهترین راه اطلاع‌رسانی به شما کدام است؟", True, ["پیامک", "تابلو اعلانات", "سامانه"]),
    (QuestionKind.LONG, "چه موضوعی را دوست دارید در اطلاعیه‌ها ببینید؟", False, []),
]
SUGGESTIONS = ["نوبت‌دهی اینترنتی راه بیفتد.", "ساعت کاری بعدازظهر هم باشد.", "تابلو راهنما در ورودی نصب شود.",
               "پارکینگ مراجعان بزرگ‌تر شود."]


def _build(unit, by, title, audience, questions, opens_on, closes_on) -> Survey:
    survey = services.survey_create(unit=unit, by=by, title=title, audience=audience, opens_on=opens_on,
                                    closes_on=closes_on,
                                    intro="پاسخ شما به ما کمک می‌کند خدمات بهتری بدهیم. پاسخ‌ها محرمانه است.")
    for kind, text, required, options in questions:
        services.question_add(survey=survey, by=by, kind=kind, text=text, required=required, options=options)
    return survey


@transaction.atomic
def seed_demo(ctx) -> None:
    today = jalali.today()
    for code in DEMO_COUNTIES:
        unit = ctx.counties[code]
        officer = ctx.users[f"{code}.pr"]
        if Survey.objects.filter(unit=unit, title=PUBLIC_TITLE).exists():
            continue
        rng = ctx.rng
        survey = _build(unit, officer, PUBLIC_TITLE, Audience.PUBLIC, PUBLIC_QUESTIONS,
                        today - dt.timedelta(days=20), today + dt.timedelta(days=1))
        move(survey, "open", by=officer)
        questions = list(survey.questions.all())
        for _ in range(24 + rng.randint(0, 10)):
            answers = {questions[0].pk: rng.choice([3, 4, 4, 5, 5, 2]), questions[1].pk: rng.choice([0, 0, 1, 2]),
                       questions[2].pk: rng.sample(range(4), rng.randint(1, 2))}
            if rng.random() < 0.4:
                answers[questions[4].pk] = rng.choice(SUGGESTIONS)
            services.response_submit(survey=survey, answers=answers)
        move(survey, "close", by=officer)
        if code == DEMO_COUNTIES[0]:
            move(survey, "report", by=officer)

        staff_survey = _build(unit, officer, STAFF_TITLE, Audience.STAFF, STAFF_QUESTIONS, today,
                              today + dt.timedelta(days=10))
        move(staff_survey, "open", by=officer)
        manager = ctx.users[f"{code}.manager"]
        first = list(staff_survey.questions.all())
        services.response_submit(survey=staff_survey, user=manager,
                                 answers={first[0].pk: 4, first[1].pk: 2, first[2].pk: "برنامه‌های آموزشی"})

        _build(unit, officer, DRAFT_TITLE, Audience.PUBLIC, PUBLIC_QUESTIONS[:2], today + dt.timedelta(days=3),
               today + dt.timedelta(days=30))


def seed_bench(ctx) -> None:
    """Six surveys a year per unit for `ctx.years` years, each with three questions and 40 answers."""
    from django.utils import timezone

    from .models import Answer, Question, Response

    if Survey.objects.filter(unit__in=ctx.units).exists():
        return
    rng, now, today = ctx.rng, timezone.now(), jalali.today()
    for unit in ctx.units:
        officer = ctx.officer_by_unit[unit.pk]
        with transaction.atomic():
            surveys = Survey.objects.bulk_create([
                Survey(unit=unit, created_by=officer, title=f"نظرسنجی {n} {unit.name}",
                       audience=Audience.STAFF if n % 3 == 0 else Audience.PUBLIC,
                       state=State.REPORTED if n % 2 else State.CLOSED,
                       opens_on=today - dt.timedelta(days=60 * n + 20), closes_on=today - dt.timedelta(days=60 * n),
                       opened_at=now - dt.timedelta(days=60 * n + 20), closed_at=now - dt.timedelta(days=60 * n),
                       reported_at=now - dt.timedelta(days=60 * n) if n % 2 else None, responses_count=40)
                for n in range(ctx.years * 6)], batch_size=500)
            questions = Question.objects.bulk_create([
                Question(survey=s, order=order, kind=kind, text=text, options=options)
                for s in surveys for order, (kind, text, _required, options) in
                enumerate([PUBLIC_QUESTIONS[0], PUBLIC_QUESTIONS[1], PUBLIC_QUESTIONS[4]], start=1)], batch_size=1000)
            responses = Response.objects.bulk_create([Response(survey=s) for s in surveys for _ in range(40)],
                                                     batch_size=2000)
            by_survey = {}
            for question in questions:
                by_survey.setdefault(question.survey_id, []).append(question)
            answers = []
            for response in responses:
                rating, single, text = by_survey[response.survey_id]
                answers += [Answer(response=response, question=rating, value=rng.randint(1, 5)),
                            Answer(response=response, question=single, value=rng.randint(0, 2))]
                if rng.random() < 0.3:
                    answers.append(Answer(response=response, question=text, text=rng.choice(SUGGESTIONS)))
            Answer.objects.bulk_create(answers, batch_size=5000)
