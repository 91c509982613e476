"""Benchmarks for the HQ tasks part: the lists HQ and a county open most, at province scale."""


def pages(ctx) -> list[dict]:
    officer = ctx.officers[ctx.units[0].pk]
    return [
        {"name": "hqtasks: tasks of every unit (HQ)", "path": "/tasks/", "user": ctx.hq_expert},
        {"name": "hqtasks: overdue tasks (HQ)", "path": "/tasks/?state=overdue", "user": ctx.hq_expert},
        {"name": "hqtasks: tasks (county)", "path": "/tasks/", "user": officer},
    ]
