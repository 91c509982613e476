"""Rows of the URL × role matrix for the planning part (see ravabet/tests/test_url_matrix.py)."""

from ravabet.testing import Case, hq_only, post_only, unit_record


def _plan(world):
    from .factories import make_plan

    return {"pk": make_plan(world.county_a).pk}


def _meeting(world):
    from .factories import make_meeting

    return {"pk": make_meeting(world.county_a).pk}


def _decision(world):
    from .factories import make_meeting

    return {"pk": make_meeting(world.county_a).decisions.first().pk}


def _signed_meeting(world):
    """A meeting of county A with signed minutes, attended by its staff member (who may read it)."""
    from django.core.files.base import ContentFile

    from ravabet.offices.models import Person

    from ..models import Attendance
    from .factories import make_meeting

    meeting = make_meeting(world.county_a)
    meeting.signed_minutes.save("m.pdf", ContentFile(b"%PDF-1.4 test"))
    Attendance.objects.create(meeting=meeting, person=Person.objects.get(user=world.staff))
    return {"pk": meeting.pk}


def _plan_item(world):
    from .factories import make_plan

    return {"pk": make_plan(world.county_a).items.get().pk}


def _training(world):
    from .factories import make_training

    return {"pk": make_training(world.county_a).pk}


def _certificate(world):
    from django.core.files.base import ContentFile

    from .factories import make_training

    training = make_training(world.county_a)
    training.certificate.save("c.pdf", ContentFile(b"%PDF-1.4 test"))
    return {"pk": training.pk}


def _channel(world):
    from .factories import make_channel

    return {"pk": make_channel(world.county_a).pk}


def _report(world):
    from .factories import make_report

    return {"pk": make_report(world.county_a).pk}


# Create pages act in the user's current unit: HQ people work on counties' records, not their own.
own_unit_page = Case(hq_head=403, hq_expert=403, staff=403)

CASES = {
    "planning:plans": Case(),
    "planning:plan_create": own_unit_page,
    "planning:plan_queue": hq_only(),
    "planning:plan_overview": hq_only(),
    "planning:plan_detail": unit_record(_plan),
    "planning:plan_edit": Case(kwargs=_plan, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "planning:meetings": Case(),
    "planning:meeting_create": own_unit_page,
    "planning:meeting_detail": unit_record(_meeting),
    "planning:meeting_edit": Case(kwargs=_meeting, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "planning:meeting_pdf": unit_record(_meeting),
    "planning:meeting_announce": post_only(_meeting),
    "planning:meeting_invite": post_only(_meeting),
    "planning:plan_item_links": Case(kwargs=_plan_item, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "planning:meeting_minutes_upload": post_only(_meeting),
    "planning:meeting_view": unit_record(_meeting),
    "planning:meeting_signed_minutes": unit_record(_signed_meeting, staff=200),
    "planning:mine": Case(staff=200),
    "planning:meeting_archive": post_only(_meeting),
    "planning:decisions": Case(),
    "planning:decision_toggle": post_only(_decision),
    "planning:trainings": Case(),
    "planning:training_create": own_unit_page,
    "planning:training_edit": Case(kwargs=_training, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "planning:training_certificate": unit_record(_certificate),
    "planning:training_archive": post_only(_training),
    "planning:settings": hq_only(),
    "planning:channels": Case(),
    "planning:channel_compare": hq_only(),
    "planning:channel_detail": unit_record(_channel),
    "planning:channel_edit": Case(kwargs=_channel, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "planning:channel_archive": post_only(_channel),
    "planning:reports": Case(),
    "planning:report_states": hq_only(),
    "planning:report_detail": unit_record(_report),
    "planning:report_edit": Case(kwargs=_report, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "planning:report_compile": post_only(_report),
    "planning:report_pdf": unit_record(_report),
    "planning:report_xlsx": unit_record(_report),
}
