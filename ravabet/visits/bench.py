"""Benchmarks for visits: the visit and action lists and the monthly plan-vs-done page, for HQ and a county."""


def pages(ctx) -> list[dict]:
    unit = ctx.units[0]
    officer = ctx.officers[unit.pk]
    return [
        {"name": "visits: list (HQ)", "path": "/visits/", "user": ctx.hq_expert},
        {"name": "visits: list (county)", "path": "/visits/", "user": officer},
        {"name": "visits: overdue actions (HQ)", "path": "/visits/actions/?overdue=1", "user": ctx.hq_expert},
        {"name": "visits: monthly plan vs done (HQ)", "path": "/visits/monthly/", "user": ctx.hq_expert},
    ]
