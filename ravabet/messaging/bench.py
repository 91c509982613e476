"""Benchmarks for messaging: the announcements list, and how many outbox messages per second
the worker gets through when the provider answers at once (so the figure is our own overhead)."""

import time

from django.test import override_settings

SOURCE = "bench.messaging"
BATCH = 300


class InstantTransport:
    """A provider that accepts every message immediately."""

    def send(self, message) -> str:
        return f"bench-{message.pk}"


def _outbox_settings():
    from django.conf import settings

    return {**settings.OUTBOX, "SMS_TRANSPORT": "ravabet.messaging.bench.InstantTransport",
            "EMAIL_TRANSPORT": "ravabet.messaging.bench.InstantTransport", "BATCH_SIZE": BATCH}


def _send_batch() -> float:
    """Queue BATCH SMS, let the worker send them, clean up; return the sending time in seconds."""
    from ravabet.outbox.models import OutboxMessage
    from ravabet.outbox.services import deliver_due

    stamp = time.monotonic_ns()
    OutboxMessage.objects.bulk_create([
        OutboxMessage(channel="sms", recipient=f"0912{n:07d}", body="پیام آزمون بار", source=SOURCE,
                      idempotency_key=f"bench:{stamp}:{n}") for n in range(BATCH)])
    with override_settings(OUTBOX=_outbox_settings()):
        start = time.perf_counter()
        deliver_due(limit=BATCH, throttle=False)
        elapsed = time.perf_counter() - start
    OutboxMessage.objects.filter(source=SOURCE).delete()
    return elapsed


def _guard(ctx):
    from ravabet.messaging.services import find_duplicates
    from ravabet.offices.models import Person

    unit = ctx.units[0]
    person_ids = set(Person.objects.filter(unit=unit).values_list("pk", flat=True))

    def run():
        find_duplicates(unit=unit, kind="congratulation", title="تبریک روز مهندس",
                        body="روز مهندس را به همکاران تبریک می‌گوییم.", occasion="روز مهندس", person_ids=person_ids)
    return run


def pages(ctx) -> list[dict]:
    return [
        {"name": "messaging: announcements list (HQ)", "path": "/messaging/announcements/", "user": ctx.hq_expert},
        {"name": "messaging: announcements list (county)", "path": "/messaging/announcements/",
         "user": ctx.officers[ctx.units[0].pk]},
        {"name": "messaging: duplicates (HQ)", "path": "/messaging/duplicates/", "user": ctx.hq_expert},
        {"name": "messaging: tickers (HQ)", "path": "/messaging/tickers/", "user": ctx.hq_expert},
        {"name": "messaging: mobile coverage (HQ)", "path": "/messaging/staff/coverage/", "user": ctx.hq_expert},
    ]


def measures(ctx) -> list[dict]:
    return [
        {"name": f"messaging: outbox worker sends {BATCH} SMS through an instant provider", "run": _send_batch,
         "repeat": 5, "per_second": lambda: round(BATCH / _send_batch(), 1)},
        {"name": "messaging: duplicate guard lookup for a unit", "run": _guard(ctx), "repeat": 20},
    ]
