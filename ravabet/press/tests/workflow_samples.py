"""Records of county A in a chosen state, and the values a person would type, for the generated
transition × role test (ravabet/workflow/tests/test_matrix.py)."""

from .factories import make_item, make_request, make_visit

REQUEST_VALUES = {
    "approve": {"decision_note": "با حضور مسئول روابط عمومی انجام شود."},
    "ask_more": {"decision_note": "محورهای گفت‌وگو را بفرستید."},
    "reject": {"decision_note": "این موضوع در نشست استانی پاسخ داده می‌شود."},
    "resubmit": {},
    "record_done": {"done_report": "مصاحبه در بخش خبری ساعت ۱۴ پخش شد."},
    "cancel": {"reason": "خبرنگار نیامد."},
}


def media_request(world, step: str, state: str):
    """A request in `state`; its proposed time is ahead (the "resubmit" guard)."""
    return make_request(world.county_a, state=state, decided_by=world.hq_head), REQUEST_VALUES[step]


def journalist_visit(world, step: str, state: str):
    return make_visit(world.county_a, state=state), {"permit_note": "هماهنگ نشده است."} if step == "refuse" else {}


def press_item(world, step: str, state: str):
    """An item of county A, which has an office head (the "forward_complaint" guard); for the office
    head's "acknowledge", a complaint forwarded to him."""
    if step == "acknowledge":
        return make_item(world.county_a, state="complaint"), {"head_instruction": "راهداری بازدید کند."}
    values = {"note": "اهالی از جاده خاکی گله دارند."} if step == "forward_complaint" else {}
    return make_item(world.county_a, state=state), values


def contact(world, step: str, state: str):
    """A county A contact with the media that names its coordination with HQ, awaiting HQ's word (C4)."""
    from django.utils import timezone

    from ravabet.press.services import contact_record

    record = contact_record(unit=world.county_a, by=world.officer, contacted_at=timezone.now(), party="media",
                            party_name="روزنامه خبر", subject="مصاحبه درباره جاده",
                            hq_coordination="تلفنی با آقای احمدی")
    return record, {"hq_note": "با من هماهنگ نشد."} if step == "dispute" else {}


SAMPLES = {"press.mediarequest": media_request, "press.journalistvisit": journalist_visit,
           "press.pressitem": press_item, "press.contactlog": contact}
