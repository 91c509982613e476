"""A provider that is down delays messages but never loses or doubles them; list pages keep a
fixed number of queries however many rows they show."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ravabet.messaging import services
from ravabet.messaging.models import Delivery, DeliveryState
from ravabet.messaging.tests.factories import make_announcement, make_banner, make_group, make_ticker
from ravabet.offices.models import Person
from ravabet.outbox.models import OutboxMessage, State
from ravabet.outbox.services import deliver_due
from ravabet.outbox.transports import TransientError

pytestmark = pytest.mark.django_db


class FlakyTransport:
    """Down for the first `failures` calls, then up; remembers every message it delivered."""

    failures = 0
    delivered: list[str] = []

    def send(self, message) -> str:
        if FlakyTransport.failures > 0:
            FlakyTransport.failures -= 1
            raise TransientError("provider unavailable")
        FlakyTransport.delivered.append(message.idempotency_key)
        return f"ok-{message.pk}"


def test_a_provider_that_is_down_delays_sms_but_never_loses_or_doubles_them(world, settings):
    settings.OUTBOX = {**settings.OUTBOX, "SMS_TRANSPORT": "ravabet.messaging.tests.test_delivery_and_lists.FlakyTransport"}
    Person.objects.bulk_create([Person(unit=world.county_a, full_name=f"کارمند {i}", mobile=f"0913{i:07d}")
                                for i in range(20)])
    FlakyTransport.failures, FlakyTransport.delivered = 10**6, []
    announcement = services.announcement_create(
        unit=world.county_a, by=world.officer, kind="urgent", title="قطع برق", body="برق ساختمان فردا قطع است.",
        via_app=False, via_sms=True, target_units=[world.county_a])
    expected = OutboxMessage.objects.filter(idempotency_key__startswith=f"ann:{announcement.pk}:").count()
    assert expected == 23
    assert deliver_due() == 0
    assert OutboxMessage.objects.filter(state=State.PENDING, attempts=1).count() == expected
    services.refresh_states(announcement)
    assert progress_of(announcement)["queued"] == expected
    # The provider comes back; the retries are due.
    FlakyTransport.failures = 5
    for _ in range(3):
        OutboxMessage.objects.filter(state=State.PENDING).update(next_attempt_at=timezone.now())
        deliver_due()
        # A second worker run at the same moment must not send anything twice.
        deliver_due()
    assert sorted(FlakyTransport.delivered) == sorted(set(FlakyTransport.delivered))
    assert len(FlakyTransport.delivered) == expected
    services.refresh_states(announcement)
    assert Delivery.objects.filter(announcement=announcement, channel="sms", state=DeliveryState.SENT).count() == expected
    announcement.refresh_from_db()
    assert announcement.state == "sent"


def progress_of(announcement):
    return services.progress(announcement)


def _rows(world, n, start=0):
    for i in range(start, start + n):
        make_announcement(world.county_a, title=f"اطلاعیه {i}")
        make_ticker(world.county_a, occasion=f"مناسبت {i}")
        make_banner(world.county_a, deceased_name=f"مرحوم {i}")
        make_group(world.county_a, name=f"گروه {i}")


@pytest.mark.parametrize("name", ["announcement_list", "ticker_list", "banner_list", "group_list",
                                  "duplicate_list", "mobile_coverage"])
def test_list_pages_run_the_same_number_of_queries_for_3_and_for_30_rows(name, world, client_for,
                                                                          django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("hq_expert")
    url = reverse(f"messaging:{name}")
    _rows(world, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _rows(world, 27, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_staff_inbox_runs_the_same_number_of_queries_for_3_and_for_30_announcements(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("staff")

    def add(n, start):
        for i in range(start, start + n):
            services.announcement_create(unit=world.county_a, by=world.officer, kind="general",
                                         title=f"اطلاعیه شماره {i} {n}", body=f"متن {i} {n} " * 3,
                                         target_units=[world.county_a], people=[world.staff.person],
                                         occasion=f"موضوع {i} {n}")
    add(3, 0)
    client.get(reverse("messaging:inbox"))
    add(3, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("messaging:inbox"))
    add(17, 6)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("messaging:inbox"))
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_the_sender_filters_recipients_to_those_the_announcement_did_not_reach(world, client_for):
    Person.objects.create(unit=world.county_a, full_name="کارمند بی‌حساب و بی‌شماره")
    announcement = services.announcement_create(unit=world.county_a, by=world.officer, kind="general",
                                                title="آزمون پالایش", body="متن آزمون پالایش گیرندگان",
                                                via_app=True, via_sms=True, target_units=[world.county_a])
    skipped = Delivery.objects.filter(announcement=announcement, state="skipped")
    assert skipped.exists()
    url = reverse("messaging:announcement_detail", args=[announcement.pk])
    html = client_for("officer").get(url, {"state": "skipped"}).content.decode()
    reasons = set(skipped.values_list("reason", flat=True))
    assert all(reason in html for reason in reasons)
    assert "badge text-bg-success" not in html  # no delivered row among the skipped ones
    assert "badge text-bg-success" in client_for("officer").get(url).content.decode()
