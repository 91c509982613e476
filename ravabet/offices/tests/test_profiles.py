"""The unit's introduction and brochure (B9): versions, photos, the declared workflow (the unit submits,
HQ approves or returns), the public page, and its move from the reports part with its data."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ravabet.audit.models import ActionLog
from ravabet.offices import profile_services
from ravabet.offices.access import Access, access_for
from ravabet.offices.features import profile_review, profile_todo
from ravabet.offices.models import ProfileState, UnitProfile
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.workflow.engine import RoleRefused, TransitionRefused, allowed, move
from ravabet.workflow.waiting import waiting_for

from .factories import PROFILE_DATA, jpeg, make_profile, pdf

pytestmark = pytest.mark.django_db


def _step(profile, name):
    return reverse("workflow:transition", args=["offices.unitprofile", profile.pk, name])


def test_profile_versions_start_from_the_last_one_and_reuse_an_open_draft(world):
    first = make_profile(world, acknowledge=True, photos=[jpeg()])
    second = profile_services.profile_start(unit=world.county_a, by=world.officer)
    assert second.version == 2 and second.mission == first.mission and second.photos.count() == 1
    assert profile_services.profile_start(unit=world.county_a, by=world.manager).pk == second.pk


def test_profile_photos_lose_their_exif_metadata(world):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    Image.new("RGB", (640, 480)).save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
    profile = make_profile(world, photos=[upload])
    with profile.photos.get().image.open("rb") as handle, Image.open(handle) as stored:
        assert not stored.getexif()


def test_submitting_tells_hq_in_app_and_hq_returns_it_with_a_comment_only(world):
    profile = make_profile(world, submit=True)
    assert profile.state == ProfileState.SUBMITTED and profile.submitted_at
    for person in (world.hq_head, world.hq_expert):
        assert Notification.objects.filter(user=person, title__contains="برای بررسی رسید").count() == 1
    assert not OutboxMessage.objects.exists()
    with pytest.raises(ValidationError) as error:
        move(profile, "send_back", by=world.hq_expert, review_comment=" ")
    assert error.value.message_dict == {"review_comment": ["برای برگرداندن، بنویسید چه چیزی باید اصلاح شود."]}
    move(profile, "send_back", by=world.hq_expert, review_comment="تصویر ساختمان را بیفزایید")
    profile.refresh_from_db()
    assert profile.state == ProfileState.RETURNED and profile.reviewed_by == world.hq_expert
    for person in (world.officer, world.manager):
        notice = Notification.objects.get(user=person, title__contains="برای اصلاح برگشت")
        assert notice.body == "تصویر ساختمان را بیفزایید" and notice.url == profile.get_absolute_url()


def test_a_returned_profile_is_corrected_resubmitted_and_approved_by_the_hq_head(world):
    profile = make_profile(world, returned=True)
    profile_services.profile_update(profile=profile, by=world.officer, photos=[jpeg()], mission="مأموریت تازه",
                                    submit=True)
    move(profile, "approve", by=world.hq_head)
    profile.refresh_from_db()
    assert profile.state == ProfileState.ACKNOWLEDGED and profile.mission == "مأموریت تازه"
    assert Notification.objects.filter(user=world.officer, title__contains="تأیید شد").exists()
    actions = list(ActionLog.objects.filter(target_id=str(profile.pk), action__startswith="offices.profile_")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["offices.profile_started", "offices.profile_updated", "offices.profile_submitted",
                       "offices.profile_returned", "offices.profile_updated", "offices.profile_submitted",
                       "offices.profile_acknowledged"]


def test_an_incomplete_profile_cannot_be_submitted_and_does_not_wait_in_the_units_list(world):
    profile = profile_services.profile_start(unit=world.county_a, by=world.officer)
    UnitProfile.objects.filter(pk=profile.pk).update(mission="", manager_name="")
    profile.refresh_from_db()
    with pytest.raises(TransitionRefused, match="معرفی‌نامه کامل نیست"):
        move(profile, "submit", by=world.officer)
    assert [s.name for s in allowed(profile, access_for(world.officer))] == []
    assert not [g for g in waiting_for(Access(world.officer)) if g.title == "معرفی‌نامه‌های واحد"]
    UnitProfile.objects.filter(pk=profile.pk).update(mission="نگهداری راه‌ها", manager_name="رئیس",
                                                     address="مرودشت", phones="۰۷۱۴۳۳۳۰۰۰۰")
    waiting = {g.title: g.records for g in waiting_for(Access(world.officer))}
    assert [p.pk for p in waiting["معرفی‌نامه‌های واحد"]] == [profile.pk]


def test_only_the_units_people_submit_and_only_hq_reviews(world):
    draft = make_profile(world)
    for actor in ("hq_head", "hq_expert", "staff"):
        with pytest.raises(RoleRefused):
            move(draft, "submit", by=world.users[actor])
    with pytest.raises(RoleRefused):
        move(draft, "submit", by=world.outsider)
    move(draft, "submit", by=world.manager)
    for actor in ("officer", "manager", "outsider"):
        with pytest.raises(RoleRefused):
            move(draft, "approve", by=world.users[actor])
    move(draft, "approve", by=world.hq_expert)
    draft.refresh_from_db()
    assert draft.state == ProfileState.ACKNOWLEDGED


def test_a_submitted_profile_cannot_be_changed(world):
    profile = make_profile(world, submit=True)
    with pytest.raises(ValidationError):
        profile_services.profile_update(profile=profile, by=world.officer, mission="x")


def test_home_pages_tell_the_unit_and_hq_about_profiles(world):
    assert [e.title for e in profile_todo(access_for(world.officer), world.county_a)] == [
        "معرفی‌نامه و بروشور واحد را برای اداره کل بفرستید"]
    profile = make_profile(world, submit=True)
    assert profile_todo(access_for(world.officer), world.county_a) == []
    assert {e.title: e.count for e in profile_review(access_for(world.hq_head))} == {"معرفی‌نامه واحد در انتظار بررسی": 1}
    move(profile, "send_back", by=world.hq_head, review_comment="نشانی کامل نیست")
    assert profile_todo(access_for(world.officer), world.county_a)[0].level == "warning"
    assert profile_review(access_for(world.hq_head)) == []


def test_the_indicator_counts_versions_submitted_in_the_period(world):
    from ravabet.offices.features import b9_count

    make_profile(world, submit=True)
    today = timezone.localdate()
    assert b9_count(world.county_a, today, today) == 1 and b9_count(world.county_b, today, today) == 0


# Pages --------------------------------------------------------------------------------------------------


def test_the_officer_builds_the_profile_submits_it_and_hq_approves_it_for_the_public_page(world, client_for):
    client = client_for("officer")
    assert client.get(reverse("offices:public_unit", args=[world.county_a.code])).status_code == 404
    response = client.post(reverse("offices:profile_start"))
    edit_url = response["Location"]
    response = client.post(edit_url, {**PROFILE_DATA, "submit": "1", "photos": [jpeg()], "captions": "ساختمان اداره"})
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = UnitProfile.objects.get()
    assert response["Location"] == profile.get_absolute_url() and profile.state == ProfileState.SUBMITTED
    hq = client_for("hq_expert")
    page = hq.get(profile.get_absolute_url()).content.decode()
    assert "تأیید و انتشار" in page and _step(profile, "approve") in page and _step(profile, "send_back") in page
    assert hq.post(_step(profile, "approve"), {"review_comment": ""}).status_code == 302
    public = client_for("anon").get(reverse("offices:public_unit", args=[world.county_a.code])).content.decode()
    assert "نگهداری راه‌های شهرستان" in public and "ساختمان اداره" in public
    brochure = client_for("anon").get(reverse("offices:public_brochure", args=[world.county_a.code]))
    assert brochure.status_code == 200 and b"%PDF" in brochure.content[:10]


def test_the_unit_sees_submit_on_a_draft_and_nothing_once_submitted(world, client_for):
    profile = make_profile(world)
    client = client_for("officer")
    page = client.get(profile.get_absolute_url()).content.decode()
    assert _step(profile, "submit") in page and reverse("offices:profile_edit", args=[profile.pk]) in page
    assert client.post(_step(profile, "submit")).status_code == 302
    page = client.get(profile.get_absolute_url()).content.decode()
    assert _step(profile, "submit") not in page and 'id="profile-steps"' not in page


def test_an_uploaded_brochure_must_be_a_real_pdf(world, client_for):
    profile = make_profile(world)
    fake = io.BytesIO(b"GIF89a not a pdf")
    fake.name = "brochure.pdf"
    response = client_for("officer").post(reverse("offices:profile_edit", args=[profile.pk]),
                                          {**PROFILE_DATA, "mission": "مأموریت نوشته‌شده", "brochure": fake})
    page = response.content.decode()
    assert "فقط PDF پذیرفته می‌شود" in page and "مأموریت نوشته‌شده" in page


def test_an_uploaded_brochure_is_served_instead_of_the_generated_one(world, client_for):
    profile = make_profile(world)
    client = client_for("officer")
    client.post(reverse("offices:profile_edit", args=[profile.pk]), {**PROFILE_DATA, "brochure": pdf()})
    response = client.get(reverse("offices:profile_brochure", args=[profile.pk]))
    assert b"test brochure" in b"".join(response.streaming_content)


def test_returning_without_a_comment_is_a_field_error_and_the_unit_sees_hqs_comment(world, client_for):
    profile = make_profile(world, submit=True)
    hq = client_for("hq_head")
    response = hq.post(_step(profile, "send_back"), {"review_comment": ""})
    assert response.status_code == 400 and "بنویسید چه چیزی باید اصلاح شود" in response.content.decode()
    hq.post(_step(profile, "send_back"), {"review_comment": "ساعت کاری؟"})
    profile.refresh_from_db()
    assert profile.state == ProfileState.RETURNED
    client = client_for("officer")
    assert "ساعت کاری؟" in client.get(reverse("offices:profile_edit", args=[profile.pk])).content.decode()
    client.post(_step(profile, "submit"))
    profile.refresh_from_db()
    assert profile.state == ProfileState.SUBMITTED


def test_writes_by_the_wrong_people_are_refused_and_change_nothing(world, client_for):
    profile = make_profile(world, submit=True)
    assert client_for("outsider").post(_step(profile, "approve")).status_code == 404
    assert client_for("officer").post(_step(profile, "approve")).status_code == 403
    draft_b = profile_services.profile_start(unit=world.county_b, by=world.outsider)
    assert client_for("officer").post(reverse("offices:profile_edit", args=[draft_b.pk]), PROFILE_DATA).status_code == 404
    assert client_for("hq_head").get(reverse("offices:profile_edit", args=[draft_b.pk])).status_code == 404
    profile.refresh_from_db()
    assert profile.state == ProfileState.SUBMITTED and not ActionLog.objects.filter(action="offices.profile_acknowledged").exists()


def test_the_profiles_list_runs_the_same_number_of_queries_for_few_and_many_versions(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("hq_expert")
    make_profile(world, acknowledge=True, photos=[jpeg()])
    client.get(reverse("offices:profiles"))  # an acknowledged profile updates its unit: kept units read again
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("offices:profiles"))
    for _ in range(5):
        profile = profile_services.profile_start(unit=world.county_a, by=world.officer)
        move(profile, "submit", by=world.officer)
        move(profile, "approve", by=world.hq_expert)
    client.get(reverse("offices:profiles"))
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("offices:profiles"))
    assert len(large) == len(small)
    assert response.content.decode().count("تأییدشده اداره کل") >= 6


def test_the_list_filters_by_unit_through_the_access_api(world, client_for):
    make_profile(world, submit=True)
    b = profile_services.profile_start(unit=world.county_b, by=world.outsider)
    profile_services.profile_update(profile=b, by=world.outsider, submit=True, **PROFILE_DATA)
    client = client_for("hq_head")
    page = client.get(reverse("offices:profiles") + f"?unit={world.county_b.pk}").content.decode()
    assert world.county_b.name in page and f'href="{UnitProfile.objects.get(unit=world.county_a).get_absolute_url()}"' not in page
    # A unit the person may not see leaves the list as it is.
    page = client_for("officer").get(reverse("offices:profiles") + f"?unit={world.county_b.pk}").content.decode()
    assert world.county_b.name not in page and 'id="f-unit"' not in page


def test_the_profile_keeps_its_old_tables():
    from ravabet.offices.models import ProfilePhoto

    assert UnitProfile._meta.db_table == "reports_unitprofile"
    assert ProfilePhoto._meta.db_table == "reports_profilephoto"
