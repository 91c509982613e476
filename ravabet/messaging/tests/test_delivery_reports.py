"""B1: an SMS is "delivered" only when the provider's delivery report says so. The real Kavenegar
transport talks to a fake Kavenegar (a local HTTP server answering sms/send.json and sms/status.json)."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from ravabet.messaging import services
from ravabet.messaging.models import Delivery, DeliveryState
from ravabet.offices.models import Person
from ravabet.outbox.services import deliver_due

pytestmark = pytest.mark.django_db


class FakeKavenegar(BaseHTTPRequestHandler):
    """Kavenegar's two calls: send gives message ids 1000+localid; status answers from `reports`
    ({messageid: status code}), 4 (sent to the operator) for any id it does not know."""

    reports: dict[str, int] = {}
    asked: list[list[str]] = []
    down = False

    def do_POST(self):  # noqa: N802 — http.server's name
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        if FakeKavenegar.down:
            self.send_response(502)
            self.end_headers()
            return
        if self.path.endswith("/sms/send.json"):
            entries = [{"messageid": 1000 + int(form["localid"][0]), "status": 1}]
        else:
            ids = form["messageid"][0].split(",")
            FakeKavenegar.asked.append(ids)
            entries = [{"messageid": int(i), "status": FakeKavenegar.reports.get(i, 4)} for i in ids]
        body = json.dumps({"return": {"status": 200, "message": "تایید شد"}, "entries": entries}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def kavenegar(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKavenegar)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeKavenegar.reports, FakeKavenegar.asked, FakeKavenegar.down = {}, [], False
    settings.OUTBOX = {**settings.OUTBOX, "SMS_TRANSPORT": "kavenegar", "KAVENEGAR_API_KEY": "test-key",
                       "KAVENEGAR_SENDER": "10004346", "KAVENEGAR_URL": f"http://127.0.0.1:{server.server_port}/v1"}
    yield FakeKavenegar
    server.shutdown()
    server.server_close()


def sms_announcement(world):
    Person.objects.bulk_create([Person(unit=world.county_a, full_name=f"کارمند {i}", mobile=f"0913{i:07d}")
                                for i in range(3)])
    announcement = services.announcement_create(
        unit=world.county_a, by=world.officer, kind="urgent", title="قطع برق", body="برق ساختمان فردا قطع است.",
        via_app=False, via_sms=True, target_units=[world.county_a])
    deliver_due(throttle=False)
    services.refresh_states(announcement)
    return announcement


def test_sent_means_accepted_and_delivered_comes_from_the_providers_report(world, kavenegar, client_for):
    announcement = sms_announcement(world)
    sms = list(Delivery.objects.filter(announcement=announcement, channel="sms").select_related("outbox").order_by("pk"))
    assert {d.state for d in sms} == {DeliveryState.SENT}
    delivered, bounced, on_the_way = sms[0], sms[1], sms[2:]
    kavenegar.reports = {delivered.outbox.provider_ref: 10, bounced.outbox.provider_ref: 11}
    assert services.fetch_delivery_reports() == 2
    states = dict(Delivery.objects.filter(announcement=announcement, channel="sms").values_list("pk", "state"))
    assert states[delivered.pk] == DeliveryState.DELIVERED and states[bounced.pk] == DeliveryState.BOUNCED
    assert {states[d.pk] for d in on_the_way} == {DeliveryState.SENT}
    assert sorted(kavenegar.asked[0]) == sorted(d.outbox.provider_ref for d in sms)
    # The next run asks only about the ones still on the way.
    kavenegar.asked = []
    services.fetch_delivery_reports()
    assert sorted(kavenegar.asked[0]) == sorted(d.outbox.provider_ref for d in on_the_way)
    page = client_for("officer").get(reverse("messaging:announcement_detail", args=[announcement.pk])).content.decode()
    assert "به گوشی رسید" in page and "به گوشی نرسید" in page


def test_a_provider_that_does_not_answer_leaves_the_rows_for_the_next_run(world, kavenegar):
    announcement = sms_announcement(world)
    kavenegar.down = True
    assert services.fetch_delivery_reports() == 0
    assert set(Delivery.objects.filter(announcement=announcement, channel="sms").values_list("state", flat=True)) \
        == {DeliveryState.SENT}


def test_the_console_transport_has_no_reports_and_nothing_changes(world, settings):
    settings.OUTBOX = {**settings.OUTBOX, "SMS_TRANSPORT": "console"}
    assert services.fetch_delivery_reports() == 0
