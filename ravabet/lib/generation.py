"""Generation numbers: a number kept in the default cache that moves when what a cached page part was drawn
from changes. A part's cache key carries the number, so moving it makes every such part stale at once,
in every process that shares the cache (Redis in production), without knowing the keys.

`DATA` moves whenever a record of one of Ravabet's own apps is saved or deleted (`post_save`/`post_delete`
of every model whose module is under `ravabet.`), except the bookkeeping rows that no page part shows (rate
counters, once-only form tokens, cache stamps, the audit log, the outbox, job schedules, API tokens): the
home pages' "what waits for you" and "today's work" are kept under it (`offices.views.home`). Writes that
send no signal (`QuerySet.update`, `bulk_create`) do not move it; parts kept under it also expire after
a short time for that reason and for deadlines that pass by the clock.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone


class Generation:
    """A generation number under the cache key `key` (str)."""

    def __init__(self, key: str):
        self.key = key

    def current(self) -> int:
        """The current number (int). The first read (or the first after the cache was emptied) starts it
        at the moment's microseconds since the epoch, never at a number an earlier start had used: a copy
        that a process keeps of a part under an old number (compliance.board) can never be taken for a
        part of the new one."""
        value = cache.get(self.key)
        if value is None:
            cache.add(self.key, time.time_ns() // 1000, None)
            value = cache.get(self.key, 0)
        return int(value)

    def move(self, **_signal_kwargs) -> None:
        """Moves the number on, making everything kept under the old one stale. Usable as a signal
        receiver; returns nothing."""
        try:
            cache.incr(self.key)
        except ValueError:  # not there yet (or evicted): any new value differs from the keys in use
            cache.set(self.key, time.time_ns() // 1000, None)


DATA = Generation("ravabet:data-generation")


def kept[T](key: str, compute: Callable[[], T], seconds: int, *, fresh: bool = False) -> tuple[T, dt.datetime]:
    """`compute()`'s value and when (aware datetime) it was computed, from the cache under `key` while it is
    younger than `seconds`, else computed now and kept (figures every viewer of the same scope shares, whose
    page says when they were worked out). `fresh=True` computes anew whatever is kept; `seconds` 0 keeps
    nothing. Raises what `compute` raises."""
    found = None if fresh or seconds <= 0 else cache.get(key)
    if found is None:
        found = (compute(), timezone.now())
        if seconds > 0:
            cache.set(key, found, seconds)
    return found

# Rows that no cached page part shows: writing them must not make the parts stale.
QUIET = frozenset({"lib.ratecounter", "lib.submittoken", "lib.stamp", "audit.actionlog", "audit.refusal",
                   "outbox.outboxmessage", "outbox.notification", "jobs.jobschedule", "api.apitoken"})


def data_changed(sender, **_signal_kwargs) -> None:
    """`post_save`/`post_delete` receiver: moves `DATA` when `sender` (a model class) is one of Ravabet's
    own and not in `QUIET` — at once (this request's next read, tests) and again when the transaction
    commits (another request that read the old rows meanwhile kept them under the number of the moment)."""
    if sender.__module__.startswith("ravabet.") and sender._meta.label_lower not in QUIET:
        DATA.move()
        transaction.on_commit(DATA.move)


def connect() -> None:
    """Connects `data_changed` to every model's saves and deletes (called once from the lib app's ready)."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(data_changed, dispatch_uid="ravabet-data-generation-save")
    post_delete.connect(data_changed, dispatch_uid="ravabet-data-generation-delete")
