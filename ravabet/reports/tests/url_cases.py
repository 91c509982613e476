"""Rows of the URL × role matrix for the reports part. The report's steps (send, acknowledge, close...)
run through the generic workflow view, covered by ravabet/workflow/tests/test_matrix.py."""

from ravabet.testing import Case, unit_record


def _report(world):
    from ravabet.reports.tests.factories import make_report

    return {"pk": make_report(world).pk}


def _draft(world):
    from ravabet.reports.tests.factories import make_report

    return {"pk": make_report(world, send=False).pk}


def _attachment(world):
    from ravabet.reports.tests.factories import make_report, pdf

    report = make_report(world, attachments=[pdf("a.pdf")])
    return {"pk": report.pk, "attachment_pk": report.attachments.get().pk}


# Only county people write reports; HQ reads and answers them.
UNIT_FORM = Case(hq_head=403, hq_expert=403, staff=403)

CASES = {
    "reports:list": Case(staff=403),
    "reports:create": UNIT_FORM,
    "reports:detail": unit_record(_report),
    # HQ never sees a unit's draft: it is the unit's own until sent.
    "reports:edit": Case(kwargs=_draft, hq_head=404, hq_expert=404, staff=404, outsider=404),
    # HQ's "act" page (a follow-up person and date): the unit may read the report but not act on it.
    "reports:act": unit_record(_report, manager=403, officer=403),
    "reports:pdf": unit_record(_report),
    "reports:attachment": unit_record(_attachment),
}
