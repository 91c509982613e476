import random
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from ravabet.outbox import services
from ravabet.outbox.models import OutboxMessage, State
from ravabet.outbox.transports import PermanentError, TransientError

pytestmark = pytest.mark.django_db


class FlakyProvider:
    """An SMS provider that fails at random: sometimes before delivering, sometimes after
    delivering but before its answer arrives. Like Kavenegar, it hands a message to the
    phone network only once per localid."""

    phone_received: dict[str, int] = {}
    answers: dict[str, int] = {}
    rng = random.Random(7)

    def send(self, message):
        roll = self.rng.random()
        if roll < 0.3:
            raise TransientError("provider down")
        localid = str(message.pk)
        self.phone_received.setdefault(localid, 1)
        if roll < 0.45:
            raise TimeoutError("answer lost after delivery")
        self.answers[localid] = self.answers.get(localid, 0) + 1
        return f"ref-{localid}"


class CountingProvider:
    calls: list[int] = []

    def send(self, message):
        self.calls.append(message.pk)
        return "ok"


def _due_now():
    OutboxMessage.objects.exclude(state=State.SENT).update(next_attempt_at=timezone.now())


def test_a_provider_that_fails_at_random_loses_nothing_and_sends_nothing_twice(settings):
    settings.OUTBOX = {**settings.OUTBOX, "SMS_TRANSPORT": "ravabet.outbox.tests.test_outbox.FlakyProvider",
                       "MAX_ATTEMPTS": 50, "SMS_PER_SECOND": 100000}
    FlakyProvider.phone_received, FlakyProvider.answers = {}, {}
    for n in range(200):
        services.queue_sms(to=f"0912{n:07d}", body=f"پیام {n}", key=f"test:{n}")
    for _ in range(60):
        _due_now()
        services.deliver_due(limit=500)
        if not OutboxMessage.objects.exclude(state=State.SENT).exists():
            break
    assert OutboxMessage.objects.filter(state=State.SENT).count() == 200
    assert len(FlakyProvider.phone_received) == 200
    # Once the provider has answered "sent", the outbox never calls it again for that message.
    assert sorted(set(FlakyProvider.answers.values())) == [1]
    assert len(FlakyProvider.answers) == 200
    # Messages that failed were retried with their errors recorded along the way.
    assert OutboxMessage.objects.filter(attempts__gt=1).exists()


def test_queueing_twice_with_the_same_key_makes_one_message():
    first = services.queue_sms(to="+989121234567", body="سلام", key="same")
    second = services.queue_sms(to="09121234567", body="سلام", key="same")
    assert first.pk == second.pk
    assert first.recipient == "09121234567"
    assert OutboxMessage.objects.count() == 1


def test_a_sent_message_is_never_sent_again(settings):
    settings.OUTBOX = {**settings.OUTBOX, "SMS_TRANSPORT": "ravabet.outbox.tests.test_outbox.CountingProvider"}
    CountingProvider.calls = []
    message = services.queue_sms(to="09121234567", body="سلام", key="once")
    services.deliver_due()
    services.deliver_due()
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(days=1))
    services.deliver_due()
    assert CountingProvider.calls == [message.pk]


def test_a_claim_is_taken_once_even_by_two_workers():
    message = services.queue_sms(to="09121234567", body="سلام", key="claim")
    now = timezone.now()
    assert services._claim(message.pk, now) is True
    assert services._claim(message.pk, now) is False


def test_a_stale_claim_from_a_dead_worker_is_taken_again():
    message = services.queue_sms(to="09121234567", body="سلام", key="stale")
    OutboxMessage.objects.filter(pk=message.pk).update(state=State.SENDING,
                                                       claimed_at=timezone.now() - timedelta(hours=1))
    assert services.deliver_due() == 1


class RefusingProvider:
    def send(self, message):
        raise PermanentError("411 invalid receptor")


def test_a_permanent_error_stops_retrying(settings):
    settings.OUTBOX = {**settings.OUTBOX, "SMS_TRANSPORT": "ravabet.outbox.tests.test_outbox.RefusingProvider"}
    message = services.queue_sms(to="09121234567", body="سلام", key="refused")
    services.deliver_due()
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert "411" in message.last_error


def test_backoff_grows_with_attempts():
    assert services.backoff(1) < services.backoff(4) < services.backoff(8)
    assert services.backoff(30) <= timedelta(hours=7.2)


def test_console_transport_writes_the_message_to_the_log(settings):
    services.queue_sms(to="09121234567", body="متن آزمایشی", key="log")
    assert services.deliver_due() == 1
    assert "متن آزمایشی" in settings.OUTBOX["CONSOLE_LOG"].read_text(encoding="utf-8")


def test_django_mail_goes_through_the_outbox(settings):
    # The test runner swaps in a memory backend; put the project's back for this test.
    settings.MAILERS = {**settings.MAILERS, "default": {"BACKEND": "ravabet.outbox.email_backend.OutboxEmailBackend"}}
    django_mail.send_mail("موضوع", "متن", "from@example.ir", ["a@example.ir", "b@example.ir"])
    assert OutboxMessage.objects.filter(channel="email").count() == 2
    assert services.deliver_due() == 2


def test_in_app_notice_with_a_key_is_created_once(world):
    services.notify(user=world.officer, title="یادآوری", key="k1")
    services.notify(user=world.officer, title="یادآوری", key="k1")
    assert world.officer.notifications.count() == 1
    assert services.mark_read(user=world.officer) == 1


def test_kavenegar_transport_sends_localid_and_maps_errors(monkeypatch, settings):
    import io
    import json
    import urllib.error
    import urllib.request

    from ravabet.outbox.transports import KavenegarTransport

    settings.OUTBOX = {**settings.OUTBOX, "KAVENEGAR_API_KEY": "KEY", "KAVENEGAR_SENDER": "1000"}
    message = services.queue_sms(to="09121234567", body="سلام", key="kave")
    seen = {}

    class Answer(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(url, data=None, timeout=None):
        seen["url"], seen["data"] = url, data.decode()
        return Answer(json.dumps({"return": {"status": 200}, "entries": [{"messageid": 99}]}).encode())

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    assert KavenegarTransport().send(message) == "99"
    assert f"localid={message.pk}" in seen["data"]
    assert "/KEY/sms/send.json" in seen["url"]

    def refusing(url, data=None, timeout=None):
        raise urllib.error.HTTPError(url, 411, "bad receptor", {}, None)

    monkeypatch.setattr(urllib.request, "urlopen", refusing)
    with pytest.raises(PermanentError):
        KavenegarTransport().send(message)


def test_the_bells_count_is_kept_until_a_notice_is_added_read_or_deleted(world, client_for, django_assert_num_queries):
    """The header's unread count is read from the cache on every page, and moves as soon as a notice does."""
    from ravabet.outbox.models import Notification

    officer = world.officer
    client = client_for("officer")

    def bell():
        html = client.get("/notices/").content.decode()
        return html.split('aria-label="اعلان‌ها">', 1)[1].split("</a>", 1)[0]

    assert "badge" not in bell()
    with django_assert_num_queries(0):
        assert services.unread_count(officer) == 0
    first = services.notify(user=officer, title="کار تازه")
    services.notify(user=officer, title="کار دوم")
    assert services.unread_count(officer) == 2 and "۲" in bell()
    services.mark_read(user=officer, notification_ids=[first.pk])
    assert services.unread_count(officer) == 1 and "۱" in bell()
    Notification.objects.filter(user=officer).delete()
    assert services.unread_count(officer) == 0 and "badge" not in bell()
