import pytest

from ravabet.audit.models import ActionLog, AppendOnlyError
from ravabet.audit.services import log_action, timeline_for
from ravabet.offices import services
from ravabet.offices.models import Person

pytestmark = pytest.mark.django_db


def test_a_log_entry_cannot_be_changed_or_deleted(world):
    entry = log_action(actor=world.officer, action="test.done", summary="کاری انجام شد", unit=world.county_a)
    entry.summary = "دگرگون"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_a_service_logs_who_changed_what_and_the_timeline_shows_it(world, client_for):
    person = services.person_create(unit=world.county_a, by=world.officer, full_name="مریم رضایی",
                                    mobile="09121112233")
    services.person_update(person=person, by=world.officer, mobile="09121112244")
    entries = list(timeline_for(person))
    assert [e.action for e in entries] == ["offices.person_created", "offices.person_updated"]
    assert entries[1].data["changes"]["mobile"] == ["09121112233", "09121112244"]
    assert entries[1].actor == world.officer
    page = client_for("officer").get(f"/staff/{person.pk}/edit/").content.decode()
    assert "ویرایش «مریم رضایی»" in page
    assert "۱۴" in page  # Jalali year in Persian digits in the timeline


def test_every_log_entry_names_its_unit(world):
    person = Person.objects.filter(unit=world.county_a).first()
    services.person_archive(person=person, by=world.manager)
    assert ActionLog.objects.get(action="offices.person_archived").unit == world.county_a
