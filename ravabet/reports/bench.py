"""Benchmark of the reports part: the unit and HQ lists (filtered and not); and, under their old
names so results stay comparable, the unit profile's pages and brochure (now in the offices part)."""


def pages(ctx) -> list[dict]:
    officer = ctx.officers[ctx.units[0].pk]
    code = ctx.units[0].code
    return [
        {"name": "reports: list (county)", "path": "/reports/", "user": officer},
        {"name": "reports: list (HQ, all units)", "path": "/reports/", "user": ctx.hq_expert},
        {"name": "reports: list filtered by source and state (HQ)", "path": "/reports/?source=media&state=sent",
         "user": ctx.hq_expert},
        {"name": "reports: late follow-ups (HQ)", "path": "/reports/?followup=overdue", "user": ctx.hq_expert},
        {"name": "reports: text search (HQ)", "path": "/reports/?q=%D9%BE%D9%84", "user": ctx.hq_expert},
        {"name": "reports: profiles (HQ)", "path": "/reports/profiles/", "user": ctx.hq_expert},
        {"name": "reports: public unit page", "path": f"/public/reports/units/{code}/", "user": None},
    ]


def _brochure(ctx):
    from ravabet.lib.pdf import render_pdf
    from ravabet.offices.models import UnitProfile

    profile = UnitProfile.objects.filter(unit__in=ctx.units).select_related("unit").first()

    def run():
        render_pdf("offices/pdf/brochure.html", {"profile": profile, "photos": []})

    return run


def measures(ctx) -> list[dict]:
    return [{"name": "reports: generated brochure PDF", "run": _brochure(ctx), "baseline": None, "repeat": 5}]
