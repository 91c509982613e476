"""Benchmarks of the planning part: the HQ page of every unit's report state, plan progress,
and, in-process, compiling a unit's month report and rendering its PDF (each should stay under 2 s)."""

from ravabet.lib import jalali


def _last_month() -> tuple[int, int]:
    year, month = jalali.current_month()
    return (year - 1, 12) if month == 1 else (year, month - 1)


def pages(ctx) -> list[dict]:
    from .models import Meeting, Plan

    year, month = _last_month()
    unit = ctx.units[0]
    officer = ctx.officers[unit.pk]
    plan = ctx.first(Plan, unit=unit, year=year, month=month)
    meeting = ctx.first(Meeting, unit=unit)
    entries = [
        {"name": "planning: HQ report states of all units", "path": f"/planning/reports/states/?year={year}&month={month}",
         "user": ctx.hq_expert},
        {"name": "planning: HQ plan list", "path": "/planning/plans/", "user": ctx.hq_expert},
        {"name": "planning: HQ plan progress of all units", "path": f"/planning/plans/overview/?year={year}",
         "user": ctx.hq_expert},
        {"name": "planning: HQ trainings and yearly hours", "path": "/planning/trainings/", "user": ctx.hq_expert},
        {"name": "planning: county meetings", "path": "/planning/meetings/", "user": officer},
        {"name": "planning: county open decisions", "path": "/planning/decisions/", "user": officer},
    ]
    if plan:
        entries.append({"name": "planning: monthly plan with progress", "path": f"/planning/plans/{plan.pk}/",
                        "user": officer})
    if meeting:
        entries.append({"name": "planning: meeting minutes PDF", "path": f"/planning/meetings/{meeting.pk}/pdf/",
                        "user": officer})
    return entries


def measures(ctx) -> list[dict]:
    from .models import MonthlyReport
    from .pdf import report_pdf_bytes
    from .selectors import compile_sections

    unit = ctx.units[0]
    year, month = _last_month()

    def compile_report():
        return compile_sections(unit, year, month)

    report = MonthlyReport(unit=unit, year=year, month=month, narrative="گزارش آزمون بار " * 40,
                           problems="مشکل آزمون", proposals="پیشنهاد آزمون")

    def render_report_pdf():
        if not report.sections:
            report.sections = compile_sections(unit, year, month)
        return report_pdf_bytes(report)

    return [
        {"name": "planning: compile a unit's monthly report", "run": compile_report, "baseline": None, "repeat": 5},
        {"name": "planning: render a monthly report PDF", "run": render_report_pdf, "baseline": None, "repeat": 3},
    ]
