"""The outbox: every SMS and email is queued here in the caller's transaction and sent
by the worker. A message is claimed by a conditional UPDATE before it is sent, so two
workers never send the same row; a failure schedules a retry with backoff."""

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ravabet.lib.validators import normalize_mobile

from .models import Channel, Notification, OutboxMessage, State
from .transports import PermanentError, transport_for

logger = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=10)


def _enqueue_delivery() -> None:
    from .tasks import deliver_outbox

    deliver_outbox.enqueue()


def _schedule_delivery() -> None:
    """One delivery task per transaction, however many messages it queued."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _enqueue_delivery for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_delivery)


def queue_sms(*, to: str, body: str, key: str, unit=None, source: str = "") -> OutboxMessage:
    """Queue one SMS. Calling again with the same key returns the first message."""
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={"channel": Channel.SMS, "recipient": normalize_mobile(to), "body": body,
                  "unit": unit, "source": source},
    )
    if created:
        _schedule_delivery()
    return message


def queue_email(*, to: str, subject: str, body: str, key: str, html_body: str = "", unit=None,
                source: str = "") -> OutboxMessage:
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={"channel": Channel.EMAIL, "recipient": to, "subject": subject[:255], "body": body,
                  "html_body": html_body, "unit": unit, "source": source},
    )
    if created:
        _schedule_delivery()
    return message


def notify(*, user, title: str, body: str = "", url: str = "", key: str | None = None) -> Notification:
    """An in-app notice; with a key, a second call for the same event adds nothing."""
    if key:
        notice, _ = Notification.objects.get_or_create(
            key=key, defaults={"user": user, "title": title[:200], "body": body, "url": url})
        return notice
    return Notification.objects.create(user=user, title=title[:200], body=body, url=url)


def set_sms_notices(*, user, enabled: bool) -> None:
    """Turn the SMS copy of urgent workflow notices on or off for `user`; logged."""
    from ravabet.audit.services import log_action

    if user.sms_notices == enabled:
        return
    user.sms_notices = enabled
    user.save(update_fields=["sms_notices"])
    log_action(actor=user, action="outbox.sms_notices", target=user,
               summary="پیامک کارهای فوری روشن شد" if enabled else "پیامک کارهای فوری خاموش شد",
               data={"sms_notices": [not enabled, enabled]})


def mark_read(*, user, notification_ids=None) -> int:
    """Marks `user`'s unread notices read (all, or those whose ids are in `notification_ids`); returns how many."""
    notices = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        notices = notices.filter(pk__in=notification_ids)
    count = notices.update(read_at=timezone.now())
    forget_unread_count(user.pk)
    return count


UNREAD_KEY = "outbox:unread:{}"
UNREAD_SECONDS = 60  # the longest a count can lag a change made without a signal (a raw UPDATE)


def unread_count(user) -> int:
    """How many of `user`'s in-app notices are unread (the header's bell, on every staff page): kept in the cache
    until a notice of theirs is created, changed, read or deleted, and UNREAD_SECONDS at most (issue 11: a
    COUNT on every page)."""
    key = UNREAD_KEY.format(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def forget_unread_count(user_id: int) -> None:
    """Drops the kept unread count of the user with id `user_id`, now and again when the current transaction
    commits (a page drawn meanwhile may have kept the count from before the change)."""
    key = UNREAD_KEY.format(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def notice_changed(sender, instance, **_kwargs) -> None:
    """post_save/post_delete of Notification: its user's kept count is stale."""
    forget_unread_count(instance.user_id)


def backoff(attempts: int) -> timedelta:
    base = min(30 * 2 ** max(attempts - 1, 0), 6 * 3600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def _claim(message_id: int, now) -> bool:
    return OutboxMessage.objects.filter(
        Q(state=State.PENDING, next_attempt_at__lte=now)
        | Q(state=State.SENDING, claimed_at__lt=now - STALE_CLAIM),
        pk=message_id,
    ).update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1) == 1


def deliver_due(*, limit: int | None = None, throttle: bool = True) -> int:
    """Send every message that is due, up to `limit`; return how many were sent."""
    now = timezone.now()
    limit = limit or settings.OUTBOX["BATCH_SIZE"]
    due = list(
        OutboxMessage.objects.filter(
            Q(state=State.PENDING, next_attempt_at__lte=now)
            | Q(state=State.SENDING, claimed_at__lt=now - STALE_CLAIM)
        ).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    sent = 0
    pause = 1 / max(settings.OUTBOX["SMS_PER_SECOND"], 1)
    for message_id in due:
        if not _claim(message_id, now):
            continue
        message = OutboxMessage.objects.get(pk=message_id)
        if deliver_one(message) and throttle and message.channel == Channel.SMS:
            time.sleep(pause)
        sent += message.state == State.SENT
    return sent


def deliver_one(message: OutboxMessage) -> bool:
    """Send a claimed message and record the outcome. True when the provider was called."""
    try:
        provider_ref = transport_for(message.channel).send(message)
    except PermanentError as error:
        message.state, message.last_error = State.FAILED, str(error)[:2000]
        message.save(update_fields=["state", "last_error"])
        logger.warning("outbox %s failed for good: %s", message.pk, error)
        return True
    except Exception as error:  # noqa: BLE001 — any other failure is retried later
        give_up = message.attempts >= settings.OUTBOX["MAX_ATTEMPTS"]
        message.state = State.FAILED if give_up else State.PENDING
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.next_attempt_at = timezone.now() + backoff(message.attempts)
        message.save(update_fields=["state", "last_error", "next_attempt_at"])
        return True
    message.state, message.sent_at, message.provider_ref = State.SENT, timezone.now(), provider_ref or ""
    message.last_error = ""
    message.save(update_fields=["state", "sent_at", "provider_ref", "last_error"])
    return True


def retry(*, message: OutboxMessage, by) -> None:
    """Put a failed message back in the queue (from the admin)."""
    from ravabet.audit.services import log_action

    OutboxMessage.objects.filter(pk=message.pk, state=State.FAILED).update(
        state=State.PENDING, next_attempt_at=timezone.now(), attempts=0)
    log_action(actor=by, action="outbox.retried", summary="ارسال دوباره پیام", target=message,
               unit=message.unit)
    _schedule_delivery()
