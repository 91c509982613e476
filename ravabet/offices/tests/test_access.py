import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ravabet.offices.access import access_for, get_scoped_or_404, scoped
from ravabet.offices.models import Membership, Person, Unit
from ravabet.offices.roles import WORK_ROLES, Role

pytestmark = pytest.mark.django_db


def test_hq_roles_reach_every_unit_under_hq(world):
    access = access_for(world.hq_expert)
    assert set(access.unit_ids()) == {world.hq.pk, world.county_a.pk, world.county_b.pk}


def test_a_county_officer_sees_only_their_own_unit(world):
    assert access_for(world.officer).unit_ids() == [world.county_a.pk]


def test_plain_staff_hold_no_work_role(world):
    assert access_for(world.staff).unit_ids(WORK_ROLES) == []


def test_another_units_record_is_not_found_rather_than_forbidden(world):
    theirs = Person.objects.create(unit=world.county_b, full_name="کارمند ب")
    with pytest.raises(Http404):
        get_scoped_or_404(access_for(world.officer), Person, pk=theirs.pk)
    assert not scoped(access_for(world.officer), Person.objects.filter(pk=theirs.pk)).exists()


def test_a_write_without_the_role_is_forbidden(world):
    with pytest.raises(PermissionDenied):
        access_for(world.staff).require(world.county_a, {Role.PR_OFFICER})


def test_a_unit_under_a_deeper_tree_is_reached_by_hq(world):
    district = Unit.objects.create(code="district", name="بخش", city="سیدان", parent=world.county_a)
    assert district.path.startswith(world.county_a.path)
    assert district.pk in access_for(world.hq_head).unit_ids()
    assert district.pk not in access_for(world.officer).unit_ids()


def test_a_user_with_roles_in_two_units_switches_between_them(world, client):
    Membership.objects.create(user=world.officer, unit=world.county_b, role=Role.PR_OFFICER)
    client.force_login(world.officer)
    assert "اداره شهرستان الف" in client.get("/").content.decode()
    client.post("/unit/switch/", {"unit": world.county_b.pk})
    page = client.get("/").content.decode()
    assert 'selected>اداره شهرستان ب' in page


def test_switching_to_a_unit_one_does_not_belong_to_is_ignored(world, client):
    client.force_login(world.officer)
    client.post("/unit/switch/", {"unit": world.county_b.pk})
    assert client.session.get("ravabet_unit") is None
