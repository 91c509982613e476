"""Benchmarks of HQ's evaluation (issue 10): the evaluation page of a month for every unit (p95 at
most 3× the plain page's), and, in-process, the 30-unit PDF report (under 3 s)."""


def pages(ctx) -> list[dict]:
    from .evaluation import Period

    period = Period.current_month().previous()
    return [
        {"name": "compliance: HQ evaluation of all units (month)", "path": f"/instruction/scorecard/?period={period.key}",
         "user": ctx.hq_expert},
        {"name": "compliance: a unit's own evaluation", "path": f"/instruction/scorecard/mine/?period={period.key}",
         "user": ctx.officers[ctx.units[0].pk]},
    ]


def measures(ctx) -> list[dict]:
    """In-process timings of the evaluation (issue 10, Speed): a month's scores for every county unit,
    and the 30-unit PDF report exactly as the HQ page builds it (scores, trend, charts, WeasyPrint)."""
    from ravabet.lib.pdf import render_pdf

    from .board import score
    from .evaluation import Period, evaluate
    from .views import _county_units, pdf_context

    period = Period.current_month().previous()
    units = list(_county_units())

    def evaluation():
        return evaluate(period, units, ids=False)

    def report_pdf():
        scored = score(period, units)  # cold: scored now, not read from the cache
        return render_pdf("compliance/evaluation_pdf.html", pdf_context(scored.result, scored.series, period.end))

    return [
        {"name": "compliance: evaluate a month for every unit", "run": evaluation, "baseline": None, "repeat": 5},
        {"name": "compliance: render the evaluation PDF", "run": report_pdf, "baseline": None, "repeat": 3},
    ]
