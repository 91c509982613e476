"""Rows of the URL × role matrix for the occasions part (calendar, participation, content)."""

from ravabet.testing import Case, hq_only, post_only, unit_record


def _occasion(world):
    from ravabet.occasions.tests.factories import make_occasion

    return {"pk": make_occasion().pk}


def _holiday(world):
    import datetime as dt

    from ravabet.occasions.models import OfficialHoliday

    return {"pk": OfficialHoliday.objects.create(date=dt.date(2027, 3, 10), title="عید سعید فطر").pk}


def _content(world):
    from ravabet.occasions.tests.factories import make_content

    return {"pk": make_content(world.county_a).pk}


def _content_file(world):
    from ravabet.occasions.tests.factories import make_content

    return {"pk": make_content(world.county_a, with_file=True).pk}


def _evidence(world):
    import datetime as dt

    from django.core.files.base import ContentFile

    from ravabet.occasions.models import Activity

    activity = Activity(unit=world.county_a, kind="culture", format="bulletin", title="بولتن هفته وحدت",
                        date=dt.date(2026, 9, 1), evidence_type="application/pdf")
    activity.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    activity.save()
    return {"pk": activity.pk}


WORKERS = Case(staff=403)
COUNTY_FORM = Case(hq_head=403, hq_expert=403, staff=403)

CASES = {
    "occasions:list": WORKERS,
    "occasions:create": hq_only(),
    "occasions:seed": post_only(),
    "occasions:detail": Case(kwargs=_occasion, staff=403),
    "occasions:edit": hq_only(_occasion),
    "occasions:matrix": hq_only(),
    "occasions:holidays": WORKERS,
    "occasions:holiday_create": hq_only(),
    "occasions:holiday_edit": hq_only(_holiday),
    "occasions:holiday_delete": post_only(_holiday),
    "occasions:activities": WORKERS,
    "occasions:activity_create": COUNTY_FORM,
    "occasions:activity_evidence": Case(kwargs=_evidence, staff=404, outsider=404),
    "occasions:culture": WORKERS,
    "occasions:contents": WORKERS,
    "occasions:content_create": COUNTY_FORM,
    "occasions:content": unit_record(_content),
    "occasions:content_edit": Case(kwargs=_content, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "occasions:content_file": Case(kwargs=_content_file, staff=404, outsider=404),
}
