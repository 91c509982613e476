"""Rows of the URL × role matrix for the messaging part."""

from ravabet.testing import Case, hq_only, post_only, unit_record


def _announcement(world):
    from ravabet.messaging.tests.factories import make_announcement

    return {"pk": make_announcement(world.county_a).pk}


def _my_announcement(world):
    from ravabet.messaging import services

    return {"pk": services.announcement_create(unit=world.county_a, by=world.officer, kind="general",
                                               title="اطلاعیه برای کارمند", body="متن اطلاعیه برای کارمند",
                                               people=[world.staff.person]).pk}


def _group(world):
    from ravabet.messaging.tests.factories import make_group

    return {"pk": make_group(world.county_a).pk}


def _ticker(world):
    from ravabet.messaging.tests.factories import make_ticker

    return {"pk": make_ticker(world.county_a).pk}


def _banner(world):
    from ravabet.messaging.tests.factories import make_banner

    return {"pk": make_banner(world.county_a).pk}


def _approved_banner(world):
    from ravabet.messaging.tests.factories import make_banner

    return {"pk": make_banner(world.county_a, approved=True).pk}


def _banner_file(world):
    from ravabet.messaging.tests.factories import make_banner

    return {"pk": make_banner(world.county_a, approved=True).pk, "size": "a3"}


def _condolence_template(world):
    from ravabet.messaging.models import CondolenceTemplate

    return {"pk": CondolenceTemplate.objects.get_or_create(relation="colleague", kinship="",
                                                           defaults={"text": "درگذشت {درگذشته}"})[0].pk}


def _staff_import(world):
    from ravabet.messaging.models import StaffImport
    from ravabet.messaging.tests.factories import sender_of

    return {"pk": StaffImport.objects.create(unit=world.county_a, created_by=sender_of(world.county_a),
                                             file_name="staff.xlsx").pk}


def _official(world):
    from ravabet.messaging.models import Official

    return {"pk": Official.objects.create(unit=world.county_a, full_name="محمد فرمانی", title="فرماندار",
                                          body="governor", mobile="09171110000").pk}


def _banner_photo(world):
    from ravabet.messaging.tests.factories import make_banner

    return {"pk": make_banner(world.county_a, photo=True).pk, "which": "photo"}


CASES = {
    "messaging:announcement_list": Case(),
    "messaging:announcement_create": Case(),
    "messaging:people_picker": Case(query="?people_q=کارمند"),
    "messaging:announcement_detail": unit_record(_announcement),
    "messaging:announcement_progress": unit_record(_announcement),
    "messaging:inbox": Case(staff=200),
    # Only the person it was sent to opens an announcement (its read receipt, B1).
    "messaging:inbox_item": Case(kwargs=_my_announcement, staff=200, hq_head=404, hq_expert=404, manager=404,
                                 officer=404, outsider=404),
    "messaging:sms_preference": post_only(),
    "messaging:staff_import": Case(),
    "messaging:official_list": Case(),
    "messaging:official_create": Case(),
    "messaging:official_edit": unit_record(_official),
    "messaging:achievement_dispatches": Case(),
    "messaging:staff_import_detail": unit_record(_staff_import),
    "messaging:staff_import_confirm": post_only(_staff_import),
    "messaging:staff_import_undo": post_only(_staff_import),
    "messaging:mobile_coverage": hq_only(),
    "messaging:staff_export": Case(),
    "messaging:group_list": Case(),
    "messaging:group_create": Case(),
    "messaging:group_edit": unit_record(_group),
    "messaging:duplicate_list": Case(),
    "messaging:ticker_list": Case(),
    "messaging:ticker_create": Case(),
    "messaging:ticker_edit": unit_record(_ticker),
    "messaging:ticker_preview": unit_record(lambda world: {**_ticker(world), "fmt": "pdf"}),
    "messaging:banner_list": Case(),
    # A banner is a county's request (B8): HQ approves, it does not request.
    "messaging:banner_create": Case(hq_head=403, hq_expert=403),
    "messaging:banner_detail": unit_record(_banner),
    # Only a returned request can be edited; any other sends its unit's people back to the request.
    "messaging:banner_edit": Case(kwargs=_banner, hq_head=302, hq_expert=302, manager=302, officer=302,
                                  staff=404, outsider=404),
    # The county records the installation of an approved banner; HQ sees it but the step is not theirs.
    "messaging:banner_installed": Case(kwargs=_approved_banner, hq_head=403, hq_expert=403, staff=404, outsider=404),
    "messaging:banner_file": unit_record(_banner_file),
    "messaging:banner_photo": unit_record(_banner_photo),
    # HQ keeps the customary condolence texts (B8).
    "messaging:condolence_templates": hq_only(),
    "messaging:condolence_template_create": hq_only(),
    "messaging:condolence_template_edit": hq_only(_condolence_template),
}
