"""Version tokens (`lib.models.Stamp` rows) that key per-process caches, read once per request.

A per-process cache (the working-day calendar, lib.workdays; who a signed-in person is and which roles they
hold, offices.kept) is right in every worker only if it is keyed by something every worker reads from the
database and that changes atomically with the data it versions: a Stamp row, whose token is replaced in the
same transaction as the change (by `bump` from Python, or by a trigger in the database, offices migration
0004). Every page needs one or more of them, so the first `token()` of a request reads **all** of them in one
query (the table holds a handful of rows) and later calls in the same request read that answer. Outside a
request (jobs, the shell, tests) every call reads the database.
"""

import threading
import uuid

from django.core.signals import request_finished, request_started

_local = threading.local()  # .in_request (bool), .tokens (the {name: token} this request read, or None)


def _read_all() -> dict[str, str]:
    from .models import Stamp

    return dict(Stamp.objects.values_list("name", "token"))


def token(name: str) -> str:
    """The current token of the stamp `name` (str; "" when it was never written). Inside a request the first
    call reads every stamp (one query) and later calls reuse that reading; outside a request each call reads
    the database. A change not yet committed is seen only by its own transaction, with its new token, so a
    cache entry it fills under that token is never read by anyone else."""
    if getattr(_local, "in_request", False):
        tokens = getattr(_local, "tokens", None)
        if tokens is None:
            tokens = _local.tokens = _read_all()
        return tokens.get(name, "")
    from .models import Stamp

    return Stamp.objects.filter(name=name).values_list("token", flat=True).first() or ""


def bump(name: str) -> None:
    """Record that what the stamp `name` versions has changed: a fresh random token, written inside the
    caller's transaction (it commits or rolls back with the change). This request's next `token()` reads the
    database again, so it sees its own change; every other process sees it on its next request."""
    from .models import Stamp

    Stamp.objects.update_or_create(name=name, defaults={"token": uuid.uuid4().hex})
    forget_read()


def forget_read() -> None:
    """Make the next `token()` of this request read the database again (after a write that a trigger versions,
    so that the rest of the request sees its own change)."""
    _local.tokens = None


class KeptPerProcess:
    """Values one process keeps under the current token of one stamp: `get(key, read, token)` returns the value
    kept under `key` while `token` is the token the entries were read under, else `read()`'s result, kept. A
    new token drops every entry (an older version's values are never read again); past `max_entries` all are
    dropped and read afresh. Thread-safe; `read` runs outside the lock."""

    def __init__(self, max_entries: int = 5000):
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._token: str | None = None
        self._entries: dict = {}

    def get(self, key, read, token: str):
        """The value under `key` (any hashable) for `token` (from `token(name)`), or `read()` kept for it."""
        with self._lock:
            if token != self._token:
                self._entries.clear()
                self._token = token
            if key in self._entries:
                return self._entries[key]
        value = read()
        with self._lock:
            if token == self._token:
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
                self._entries[key] = value
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def forget(self) -> None:
        """Drop every entry (tests)."""
        with self._lock:
            self._entries.clear()
            self._token = None


def _request_started(**_kwargs) -> None:
    _local.in_request, _local.tokens = True, None


def end_request(**_kwargs) -> None:
    """What Django's request_finished does here: later calls on this thread are outside a request (also called
    between tests, since a streamed response a test never read sends no request_finished)."""
    _local.in_request, _local.tokens = False, None


request_started.connect(_request_started, dispatch_uid="stamps.request_started")
request_finished.connect(end_request, dispatch_uid="stamps.request_finished")
