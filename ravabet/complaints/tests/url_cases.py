"""Rows of the URL × role matrix for the complaints part."""

from ravabet.testing import Case, hq_only, post_only, public, unit_record


def _case(world):
    from ravabet.complaints.tests.factories import make_case

    return {"pk": make_case(world.county_a).pk}


def _attachment(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ravabet.complaints.models import Attachment
    from ravabet.complaints.tests.factories import make_case

    case = make_case(world.county_a)
    item = Attachment(case=case, name="a.pdf", content_type="application/pdf", size=10)
    item.file.save("a.pdf", SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"), save=True)
    return {"pk": case.pk, "attachment_pk": item.pk}


def _clipping(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ravabet.complaints.tests.factories import make_case

    case = make_case(world.county_a)
    case.clipping.save("c.pdf", SimpleUploadedFile("c.pdf", b"%PDF-1.4 test"), save=True)
    return {"pk": case.pk}


def _answered(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ravabet.complaints.tests.factories import make_case
    from ravabet.workflow.engine import move

    case = make_case(world.county_a)
    upload = SimpleUploadedFile("r.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    upload.checked_type = "application/pdf"
    move(case, "answer", by=world.officer, answer="پاسخ با پیوست", attachment=upload)
    return {"pk": case.pk, "version": 1}


UNIT_FORM = Case(hq_head=403, hq_expert=403, staff=403)
# A step's own form: the unit's people open it; HQ sees the case but may not make the step (403).
UNIT_STEP = Case(kwargs=_case, hq_head=403, hq_expert=403, staff=404, outsider=404)

CASES = {
    "complaints:public_new": public(),
    # Without a case in the session, these send the citizen back to the form.
    "complaints:public_done": public(status=302),
    "complaints:public_track": public(),
    "complaints:public_case": public(status=302),
    "complaints:public_answer_file": public(kwargs=lambda world: {"version": 1}, status=302),
    "complaints:list": Case(staff=403),
    "complaints:create": UNIT_FORM,
    "complaints:press_create": UNIT_FORM,
    "complaints:figures": Case(staff=403),
    "complaints:deadlines": hq_only(),
    "complaints:unit_settings": UNIT_FORM,
    "complaints:hq_overdue": hq_only(),
    "complaints:hq_forwarded": hq_only(),
    "complaints:hq_forward": hq_only(),
    "complaints:detail": unit_record(_case),
    "complaints:personal": post_only(_case),
    "complaints:refer": UNIT_STEP,
    # HQ and the unit's PR people move a case filed with the wrong county.
    "complaints:transfer": Case(kwargs=_case, staff=404, outsider=404),
    "complaints:hq_transfers": hq_only(),
    "complaints:short": public(kwargs=lambda world: {"code": "123456789012"}, status=302),
    "complaints:answer": UNIT_STEP,
    "complaints:answer_file": Case(kwargs=_answered, staff=404, outsider=404),
    "complaints:pdf": Case(kwargs=_case, staff=404, outsider=404),
    "complaints:clipping": Case(kwargs=_clipping, staff=404, outsider=404),
    "complaints:attachment": Case(kwargs=_attachment, staff=404, outsider=404),
}
