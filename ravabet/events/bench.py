"""Benchmarks for the events part: the lists HQ and a county open most, at province scale."""


def pages(ctx) -> list[dict]:
    from ravabet.events.models import Event, SupplyItem

    county = ctx.units[0]
    officer = ctx.officers[county.pk]
    event = ctx.first(Event, unit=county)
    supply = ctx.first(SupplyItem, unit=county)
    rows = [
        {"name": "events: events of every unit (HQ)", "path": "/events/", "user": ctx.hq_expert},
        {"name": "events: events (county)", "path": "/events/", "user": officer},
        {"name": "events: supplies (HQ)", "path": "/events/supplies/", "user": ctx.hq_expert},
    ]
    if event:
        rows.append({"name": "events: event with run-sheet and guests", "path": f"/events/{event.pk}/",
                     "user": officer})
        # What «ویرایش» on a run-sheet row loads (issue 11: rows are read-only on the event page).
        if item := event.items.first():
            rows.append({"name": "events: one run-sheet row's form", "path": f"/events/{event.pk}/runsheet/{item.pk}/",
                         "user": officer})
    if supply:
        rows.append({"name": "events: supply item", "path": f"/events/supplies/{supply.pk}/", "user": officer})
    return rows
