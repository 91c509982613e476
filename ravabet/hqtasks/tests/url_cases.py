"""Rows of the URL × role matrix for HQ tasks (F7)."""

from ravabet.testing import Case, unit_record


def _assignment(world):
    from ravabet.hqtasks.tests.factories import make_assignment

    return {"pk": make_assignment(world.county_a).pk}


def _assignment_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ravabet.hqtasks.tests.factories import PDF, make_assignment

    assignment = make_assignment(world.county_a)
    assignment.evidence_file.save("e.pdf", SimpleUploadedFile("e.pdf", PDF), save=False)
    assignment.evidence_type = "application/pdf"
    assignment.save()
    return {"pk": assignment.pk}


CASES = {
    "hqtasks:list": Case(staff=403),
    # DESIGN §1: only the head of HQ PR assigns tasks.
    "hqtasks:create": Case(hq_expert=403, manager=403, officer=403, staff=403, outsider=403),
    "hqtasks:assignment": unit_record(_assignment),
    "hqtasks:submit": unit_record(_assignment),
    "hqtasks:file": Case(kwargs=_assignment_file, staff=404, outsider=404),
}
