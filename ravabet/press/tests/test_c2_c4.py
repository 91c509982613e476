"""Issue 16 §11: a press conference's invited outlets, attendance and coverage links (C2); contacts with a
detail page, edit, the outcome in the list, a link to their C1 request, and HQ's confirmation of the
coordination it is credited with (C4)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.models import ActionLog
from ravabet.lib import jalali
from ravabet.offices.access import access_for
from ravabet.outbox.models import Notification
from ravabet.press import features
from ravabet.press.models import ContactLog, HqCheck, Invitation

from .factories import make_outlet, make_request

pytestmark = pytest.mark.django_db


def _when(days: int = 0) -> str:
    return jalali.format_datetime(timezone.now() - dt.timedelta(days=days))


# --- C2 ---------------------------------------------------------------------------------------------------


def test_the_officer_invites_outlets_to_a_conference_and_records_who_came_and_their_coverage(client_for, world):
    conference = make_request(world.county_a, kind="conference", subject="نشست خبری راه‌های روستایی")
    first, second = make_outlet(world.county_a, name="روزنامه خبر جنوب"), make_outlet(world.county_a, name="رادیو فارس")
    officer = client_for("officer")
    for outlet in (first, second):
        assert officer.post(reverse("press:invitation_add", args=[conference.pk]), {"outlet": outlet.pk}).status_code == 302
    again = officer.post(reverse("press:invitation_add", args=[conference.pk]), {"outlet": first.pk})
    assert again.status_code == 400 and again.context["invite_form"].errors["outlet"]
    assert ActionLog.objects.filter(action="press.outlet_invited").count() == 2
    # Attendance waits for HQ's permit.
    invitation = Invitation.objects.get(outlet=first)
    record_url = reverse("press:invitation_record", args=[conference.pk, invitation.pk])
    prefix = f"inv{invitation.pk}"
    officer.post(record_url, {f"{prefix}-attended": "yes"})
    invitation.refresh_from_db()
    assert invitation.attended is None
    conference.state = "approved"
    conference.save(update_fields=["state"])
    officer.post(record_url, {f"{prefix}-attended": "yes", f"{prefix}-coverage_link": "https://khabar.ir/n/12"})
    invitation.refresh_from_db()
    assert invitation.attended is True and invitation.coverage_link == "https://khabar.ir/n/12"
    bad = officer.post(record_url, {f"{prefix}-attended": "yes", f"{prefix}-coverage_link": "not a link"}, follow=True)
    assert "نشانی وب درست نیست" in bad.content.decode()
    page = client_for("hq_head").get(conference.get_absolute_url())
    body = page.content.decode()
    assert 'id="invitations"' in body and "رادیو فارس" in body and "https://khabar.ir/n/12" in body
    assert page.context["attended"] == 1 and page.context["covered"] == 1
    assert page.context["invite_form"] is None  # HQ reads; the county invites


def test_outlets_are_invited_only_to_a_conference_of_ones_own_unit(client_for, world):
    interview = make_request(world.county_a)
    outlet = make_outlet(world.county_a)
    response = client_for("officer").post(reverse("press:invitation_add", args=[interview.pk]), {"outlet": outlet.pk})
    assert response.status_code == 400 and not Invitation.objects.exists()
    conference = make_request(world.county_a, kind="conference")
    assert client_for("outsider").post(reverse("press:invitation_add", args=[conference.pk]),
                                       {"outlet": outlet.pk}).status_code == 404


# --- C4 ---------------------------------------------------------------------------------------------------


def _contact_data(**overrides) -> dict:
    data = {"contacted_at": _when(), "party": "media", "party_name": "خبرگزاری ایرنا", "subject": "مصاحبه درباره جاده",
            "hq_coordination": "تلفنی با آقای احمدی", "outcome": ""}
    data.update(overrides)
    return data


def test_a_contact_has_a_page_links_its_c1_request_and_is_edited_with_its_outcome(client_for, world):
    interview = make_request(world.county_a, subject="مصاحبه با رادیو")
    officer = client_for("officer")
    response = officer.post(reverse("press:contact_create"), _contact_data(media_request=interview.pk))
    contact = ContactLog.objects.get()
    assert response.status_code == 302 and response["Location"] == contact.get_absolute_url()
    assert contact.media_request == interview and contact.hq_check == HqCheck.AWAITING
    page = officer.get(contact.get_absolute_url()).content.decode()
    assert reverse("press:request_detail", args=[interview.pk]) in page and "در انتظار تأیید اداره کل" in page
    assert contact.subject in officer.get(interview.get_absolute_url()).content.decode()
    edited = officer.post(reverse("press:contact_edit", args=[contact.pk]),
                          _contact_data(media_request=interview.pk, outcome="مصاحبه پخش شد."))
    assert edited.status_code == 302
    contact.refresh_from_db()
    assert contact.outcome == "مصاحبه پخش شد."
    log = ActionLog.objects.get(action="press.contact_updated")
    assert log.data["changes"]["outcome"] == ["", "مصاحبه پخش شد."]
    listing = officer.get(reverse("press:contact_list")).content.decode()
    assert "مصاحبه پخش شد." in listing and contact.get_absolute_url() in listing
    # A request of another unit cannot be linked.
    other = make_request(world.county_b)
    refused = officer.post(reverse("press:contact_edit", args=[contact.pk]), _contact_data(media_request=other.pk))
    assert refused.status_code == 400 and refused.context["form"].errors["media_request"]


def test_hq_confirms_or_disputes_the_coordination_and_then_it_is_locked(client_for, world):
    officer = client_for("officer")
    officer.post(reverse("press:contact_create"), _contact_data())
    officer.post(reverse("press:contact_create"), _contact_data(party_name="صدا و سیمای فارس", party="broadcaster"))
    officer.post(reverse("press:contact_create"), _contact_data(party="local_office", party_name="فرمانداری",
                                                                hq_coordination=""))
    media, broadcaster, local = ContactLog.objects.order_by("pk")
    assert local.hq_check == HqCheck.NOT_NEEDED
    review = {entry.title: entry.count for entry in features.press_review(access_for(world.hq_expert))}
    assert review["ارتباط‌هایی که هماهنگی آن‌ها با اداره کل باید تأیید شود"] == 2
    hq = client_for("hq_expert")
    assert "تأیید هماهنگی" in hq.get(media.get_absolute_url()).content.decode()
    step = "workflow:transition"
    assert hq.post(reverse(step, args=["press.contactlog", media.pk, "confirm"]), {}).status_code == 302
    refused = hq.post(reverse(step, args=["press.contactlog", broadcaster.pk, "dispute"]), {"hq_note": ""})
    assert refused.status_code == 400
    hq.post(reverse(step, args=["press.contactlog", broadcaster.pk, "dispute"]), {"hq_note": "با ما هماهنگ نشد."})
    media.refresh_from_db()
    broadcaster.refresh_from_db()
    assert media.hq_check == HqCheck.CONFIRMED and media.hq_checked_by == world.hq_expert
    assert broadcaster.hq_check == HqCheck.DISPUTED
    assert Notification.objects.filter(user=world.officer, body__contains="هماهنگ نشد").exists()
    # The county cannot confirm itself, and what HQ judged no longer changes.
    assert officer.post(reverse(step, args=["press.contactlog", local.pk, "confirm"]), {}).status_code in (403, 404)
    form = officer.get(reverse("press:contact_edit", args=[media.pk])).context["form"]
    assert form.fields["hq_coordination"].disabled and form.fields["party"].disabled
    officer.post(reverse("press:contact_edit", args=[media.pk]),
                 _contact_data(hq_coordination="با کس دیگری", outcome="پخش شد"))
    media.refresh_from_db()
    assert media.hq_coordination == "تلفنی با آقای احمدی" and media.outcome == "پخش شد"
    assert hq.get(reverse("press:contact_edit", args=[media.pk])).status_code == 403
    filtered = hq.get(reverse("press:contact_list") + "?hq_check=disputed").context["page_obj"]
    assert [c.pk for c in filtered] == [broadcaster.pk]
