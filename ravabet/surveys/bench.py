"""Benchmarks for surveys: the lists for HQ and a county, and the results page of a survey."""


def pages(ctx) -> list[dict]:
    from ravabet.surveys.models import Survey

    unit = ctx.units[0]
    survey = ctx.first(Survey, unit=unit)
    entries = [
        {"name": "surveys: list (HQ)", "path": "/surveys/", "user": ctx.hq_expert},
        {"name": "surveys: list (county)", "path": "/surveys/", "user": ctx.officers[unit.pk]},
    ]
    if survey is not None:
        entries.append({"name": "surveys: results with charts", "path": f"/surveys/{survey.pk}/results/",
                        "user": ctx.officers[unit.pk]})
    return entries
