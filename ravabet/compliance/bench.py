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
    from ravabet.lib.pdf import render_pdf

    from .catalog import items
    from .evaluation import Period, evaluate, trend
    from .views import _county_units, _heat

    period = Period.current_month().previous()
    units = list(_county_units())

    def evaluation():
        return evaluate(period, units)

    def report_pdf():
        result = evaluate(period, units)
        series = trend(period, units)
        heat = _heat(result)
        for line in heat:
            line["trend"] = series[line["row"].unit.pk]
        return render_pdf("compliance/evaluation_pdf.html", {"result": result, "heat": heat, "period": period,
                                                              "items": items(), "today": period.end})

    return [
        {"name": "compliance: evaluate a month for every unit", "run": evaluation, "baseline": None, "repeat": 5},
        {"name": "compliance: render the evaluation PDF", "run": report_pdf, "baseline": None, "repeat": 3},
    ]
