"""Benchmarks for the occasions part: the calendar and the lists HQ opens most, at province scale."""


def pages(ctx) -> list[dict]:
    return [
        {"name": "occasions: calendar", "path": "/occasions/", "user": ctx.officers[ctx.units[0].pk]},
        {"name": "occasions: activities (HQ)", "path": "/occasions/activities/", "user": ctx.hq_expert},
        {"name": "occasions: contents (HQ)", "path": "/occasions/contents/", "user": ctx.hq_expert},
    ]
