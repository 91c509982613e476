"""Demo data: HQ tasks with a copy in every state (open, done, accepted, returned, overdue)."""

import datetime as dt

from django.utils import timezone

from ravabet.lib import jalali
from ravabet.workflow.engine import move

from . import services
from .models import Assignment, AssignmentState, Task


def seed_demo(ctx) -> None:
    if Task.objects.exists():
        return
    today = jalali.today()
    head, expert = ctx.users["hq.head"], ctx.users["hq.expert"]
    marvdasht, kazerun = ctx.counties["marvdasht"], ctx.counties["kazerun"]
    officer, kazerun_officer = ctx.users["marvdasht.pr"], ctx.users["kazerun.pr"]
    week = services.task_assign(
        by=head, title="ارسال گزارش تصویری افتتاح پروژه‌های هفته دولت", due_date=today + dt.timedelta(days=5),
        description="گزارش کوتاه همراه با دست‌کم پنج عکس افقی از هر افتتاح را بفرستید.",
        units=list(ctx.counties.values()))
    services.task_assign(
        by=head, title="به‌روزرسانی فهرست خبرنگاران شهرستان", due_date=today + dt.timedelta(days=12),
        description="نام، رسانه و شماره همراه خبرنگاران فعال شهرستان را بازبینی کنید.", units=[marvdasht, kazerun])
    old = services.task_assign(
        by=head, title="نصب بنر روز ملی ایمنی راه", due_date=today, units=[marvdasht, kazerun],
        description="بنر ابلاغی را در ورودی اداره نصب و عکس آن را بفرستید.")
    # One copy overdue, one accepted, one returned, one waiting for HQ's review.
    Task.objects.filter(pk=old.pk).update(due_date=today - dt.timedelta(days=3))
    done = week.assignments.get(unit=marvdasht)
    services.assignment_submit(assignment=done, by=officer, evidence="گزارش سه افتتاح با ۱۲ عکس فرستاده شد.")
    move(done, "accept", by=head, review_comment="سپاس؛ کامل بود.")
    returned = week.assignments.get(unit=kazerun)
    services.assignment_submit(assignment=returned, by=kazerun_officer, evidence="یک عکس فرستاده شد.")
    move(returned, "send_back", by=expert, review_comment="عکس‌ها کم است؛ دست‌کم پنج عکس افقی بفرستید.")
    waiting = old.assignments.get(unit=kazerun)
    services.assignment_submit(assignment=waiting, by=kazerun_officer, evidence="بنر نصب شد؛ عکس پیوست است.")


def seed_bench(ctx) -> None:
    """Province scale: a task a week from HQ to every unit for `ctx.years` years."""
    if Assignment.objects.filter(unit__in=ctx.units).exists():
        return
    rng, now, today = ctx.rng, timezone.now(), jalali.today()
    tasks = Task.objects.bulk_create([
        Task(title=f"مأموریت هفته {n}", description="شرح مأموریت", due_date=today - dt.timedelta(days=7 * n - 5),
             created_by=ctx.hq_expert) for n in range(ctx.years * 52)], batch_size=1000)
    states = list(AssignmentState.values)
    Assignment.objects.bulk_create([
        Assignment(task=task, unit=unit, state=AssignmentState.ACCEPTED if n > 2 else rng.choice(states),
                   evidence="گزارش انجام کار", done_at=now - dt.timedelta(days=7 * n), done_on_time=True,
                   reviewed_at=now - dt.timedelta(days=7 * n))
        for n, task in enumerate(tasks) for unit in ctx.units], batch_size=5000)
