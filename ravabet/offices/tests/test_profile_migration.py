"""The unit profile's move from the reports part to the offices part keeps every row, file name and
timeline entry: the migrations are run back to before the move, a profile is written the old way,
and the migrations are run forward again."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ravabet.audit.models import ActionLog

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("offices", "0002_user_sms_notices"), ("reports", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_move_keeps_profiles_photos_and_their_timeline(world):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    try:
        profile = old.get_model("reports", "UnitProfile").objects.create(
            unit_id=world.county_a.pk, version=3, state="acknowledged", mission="نگهداری راه‌ها", address="مرودشت",
            phones="۰۷۱۴۳۳۳۰۰۰۰", manager_name="رئیس اداره", created_by_id=world.officer.pk,
            brochure="reports/brochures/1405/old.pdf")
        old.get_model("reports", "ProfilePhoto").objects.create(
            profile_id=profile.pk, image="reports/profile-photos/1405/a.jpg", caption="ساختمان", content_type="image/jpeg")
        # Before the move the profile's timeline points at the reports part's content type.
        ContentType.objects.filter(app_label="offices", model__in=["unitprofile", "profilephoto"]).delete()
        old_type, _ = ContentType.objects.get_or_create(app_label="reports", model="unitprofile")
        ActionLog.objects.create(
            action="reports.profile_acknowledged", summary="تأیید نسخه ۳", target_type_id=old_type.pk,
            target_id=str(profile.pk), unit_id=world.county_a.pk)
    finally:
        _migrate(latest)
    ContentType.objects.clear_cache()

    from ravabet.offices.models import ProfileState, UnitProfile

    moved = UnitProfile.objects.get(pk=profile.pk)
    assert (moved.unit, moved.version, moved.state) == (world.county_a, 3, ProfileState.ACKNOWLEDGED)
    assert moved.brochure.name == "reports/brochures/1405/old.pdf"
    assert [(p.image.name, p.caption) for p in moved.photos.all()] == [("reports/profile-photos/1405/a.jpg", "ساختمان")]
    assert ContentType.objects.get_for_model(UnitProfile).pk == old_type.pk
    assert not ContentType.objects.filter(app_label="reports", model="unitprofile").exists()
    entry = ActionLog.objects.get(action="reports.profile_acknowledged")
    assert entry.target == moved
