import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ravabet.messaging import services
from ravabet.messaging.models import Delivery
from ravabet.messaging.tests.factories import make_group
from ravabet.offices.models import Person

pytestmark = pytest.mark.django_db


def test_officer_makes_a_group_of_the_units_staff_and_addresses_it(world, client_for):
    staff = world.staff.person
    response = client_for("officer").post(reverse("messaging:group_create"), {"name": "فنی", "members": [staff.pk]})
    assert response.status_code == 302
    group = world.county_a.staff_groups.get(name="فنی")
    announcement = services.announcement_create(unit=world.county_a, by=world.officer, kind="general",
                                                title="بازدید فنی", body="بازدید فنی فردا انجام می‌شود.",
                                                groups=[group])
    assert list(Delivery.objects.filter(announcement=announcement).values_list("person", flat=True)) == [staff.pk]


def test_a_group_cannot_hold_another_units_people(world):
    outsider = Person.objects.get(user=world.outsider)
    with pytest.raises(PermissionDenied):
        services.group_save(unit=world.county_a, by=world.officer, name="آمیخته", members=[outsider])


def test_a_second_group_with_the_same_name_gets_a_persian_error(world, client_for):
    make_group(world.county_a, name="فنی")
    with pytest.raises(ValidationError) as error:
        services.group_save(unit=world.county_a, by=world.officer, name="فنی", members=[])
    assert "همین نام" in error.value.message_dict["name"][0]
    response = client_for("officer").post(reverse("messaging:group_create"), {"name": "فنی"})
    assert "همین نام" in response.content.decode()


def test_the_announcement_page_runs_the_same_number_of_queries_for_few_and_many_recipients(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries(extra: int) -> int:
        Person.objects.bulk_create([Person(unit=world.county_a, full_name=f"نفر {extra} {i}",
                                           mobile=f"0915{extra:03d}{i:04d}") for i in range(extra)])
        announcement = services.announcement_create(
            unit=world.county_a, by=world.officer, kind="general", title=f"اطلاعیه {extra}", body=f"متن {extra}",
            occasion=f"موضوع {extra}", via_sms=True, target_units=[world.county_a])
        client = client_for("officer")
        url = reverse("messaging:announcement_detail", args=[announcement.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    assert page_queries(40) <= page_queries(2)


def test_editing_a_group_lists_its_members_first_without_the_unit_name_and_logs_persian_digits(world, client_for):
    from ravabet.audit.models import ActionLog

    Person.objects.create(unit=world.county_a, full_name="آرش آقایی", position="راننده")
    zed = Person.objects.create(unit=world.county_a, full_name="یاسر یزدانی", position="راهدار")
    client = client_for("officer")
    client.post(reverse("messaging:group_create"), {"name": "راهداران", "members": [zed.pk]})
    group = world.county_a.staff_groups.get(name="راهداران")
    html = client.get(reverse("messaging:group_edit", args=[group.pk])).content.decode()
    assert html.index("یاسر یزدانی (راهدار)") < html.index("آرش آقایی (راننده)")
    assert f"یاسر یزدانی (راهدار) — {world.county_a.name}" not in html
    assert ActionLog.objects.filter(summary__contains="با ۱ عضو").exists()
