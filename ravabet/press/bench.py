"""Benchmark of the press part: the lists HQ and a county officer open every day, at province scale."""


def pages(ctx) -> list[dict]:
    rows = [
        {"name": "press: HQ requests list", "path": "/press/requests/", "user": "bench.expert"},
        {"name": "press: HQ requests waiting", "path": "/press/requests/?state=submitted", "user": "bench.expert"},
        {"name": "press: HQ press monitor (all)", "path": "/press/monitor/?state=all", "user": "bench.expert"},
        {"name": "press: HQ journalist visits", "path": "/press/visits/", "user": "bench.expert"},
        {"name": "press: HQ contact log", "path": "/press/contacts/", "user": "bench.expert"},
        {"name": "press: county press monitor", "path": "/press/monitor/", "user": "bench.pr00"},
        {"name": "press: county requests", "path": "/press/requests/", "user": "bench.pr00"},
    ]
    return rows


def measures(ctx) -> list[dict]:
    from ravabet.compliance.registry import REPORT_SECTIONS
    from ravabet.lib import jalali

    unit = ctx.units[0]
    start, end = jalali.month_bounds(*jalali.current_month())

    def report_section():
        REPORT_SECTIONS["press.media"].build(unit, start, end)

    return [{"name": "press: monthly report section of one unit", "run": report_section, "baseline": None,
             "repeat": 20}]
