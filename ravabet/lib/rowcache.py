"""The rows of a long staff list, drawn once and kept in the cache until what they show changes (issue 11).

A 50-row list drawn by Django's template engine cost about 35 ms of CPU a request, of which about 1 ms was SQL:
the rows are most of every staff list's time, and most of them are the same as on the last visit. The
`{% cachedrows %}` tag (lib/templatetags/rowcache.py) keeps each row's HTML under a key made of

- a **fingerprint of the row's own data** (`fingerprint`): every loaded field and annotation of the record,
  and of the records joined to it (select_related) or prefetched, so a changed field, count, state, name or
  flag gives a new key, and an old key is simply never read again (key-based expiry: nothing to invalidate);
- the **viewer** (`viewer_key`): the user, superuser or not, and their memberships (unit, role), since the
  buttons a row shows depend on who looks;
- the **page address** with its query (the buttons send the person back to it), today's date (deadline flags
  and "n days left" change at midnight), the place of the tag in its template, and the values of every other
  context variable the row's template reads;
- `BOOT`, set when the code loads: a deploy (new templates, new code) starts afresh.

The CSRF token is the one per-request value inside a row; it is stored as a stand-in and filled in on the way
out, as workflow_buttons does. A row whose data cannot be fingerprinted (a value without a stable repr) is
drawn afresh every time.

In Redis the rows of one page are read with one MGET and the missed ones written with one pipelined SET.
"""

import functools
import hashlib
import operator
import secrets
from collections.abc import Callable, Iterable

from django.db.models import Model
from django.utils import timezone

BOOT = secrets.token_hex(6)
TTL = 3 * 60 * 60  # seconds a kept row lives unread; the key changes as soon as the row's data does
CSRF_STAND_IN = "__rowcache_csrf__"


class Unstable(ValueError):
    """A value whose repr differs between two identical requests (it holds a memory address)."""


_SKIP = frozenset({"_state", "_prefetched_objects_cache"})
class _Deferred:
    def __repr__(self) -> str:
        return "<deferred>"


_MISSING = _Deferred()  # a deferred column


@functools.cache
def _columns(model: type[Model]) -> tuple[Callable[[dict], tuple], tuple[str, ...], frozenset[str]]:
    """For a model class: a getter of its columns' values from an instance's `__dict__`, the columns'
    attribute names, and the names not to look at again (columns and Django's own state)."""
    names = tuple(field.attname for field in model._meta.concrete_fields)
    return operator.itemgetter(*names, *names[:1]), names, frozenset(names) | _SKIP


def _plain(value: object, path: frozenset[int]) -> object:
    """`value` as something whose repr shows all of it: records and containers of records opened up."""
    if isinstance(value, Model):
        return _record(value, path)
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item, path) for item in value)
    if isinstance(value, dict):
        return tuple((key, _plain(item, path)) for key, item in value.items())
    return value


def _record(obj: Model, path: frozenset[int] = frozenset()) -> tuple:
    """The record's class, columns, other attributes, joined and prefetched records. `path`: the ids of the
    records being opened above this one; a record met again on it (a child whose parent was joined back onto
    it) is named by its class and key only."""
    if id(obj) in path:
        return "<again>", obj._meta.label_lower, obj.pk
    path = path | {id(obj)}
    attributes = obj.__dict__
    getter, names, known = _columns(type(obj))
    try:
        columns = getter(attributes)  # a column's value is plain (number, text, date, JSON): repr shows it all
    except KeyError:
        columns = tuple(attributes.get(name, _MISSING) for name in names)
    others = tuple((name, _plain(attributes[name], path)) for name in sorted(attributes.keys() - known))
    related = tuple((name, None if other is None else _record(other, path))
                    for name, other in attributes["_state"].fields_cache.items())
    prefetched = tuple((name, tuple(_record(item, path) for item in queryset))
                       for name, queryset in attributes.get("_prefetched_objects_cache", {}).items())
    return obj._meta.label_lower, columns, others, related, prefetched


def fingerprint(value: object) -> str:
    """A text that changes whenever anything a row could show of `value` changes: for a model instance,
    every attribute in its `__dict__` (fields, annotations, values a view set on it, cached properties already
    read) with the records joined (select_related) or prefetched onto it, recursively; for other values
    (tuples, dicts, NamedTuples, numbers, text) their repr. Raises Unstable for a value whose repr holds a
    memory address (it would never match again)."""
    text = repr(_plain(value, frozenset()))
    if " at 0x" in text:
        raise Unstable(text[:200])
    return text


def viewer_key(request) -> str:
    """Who looks, as far as a row's content can depend on it: the user's id and superuser flag and their roles
    per unit (`request.access.signature()`, offices.access). Reads the roles now, so that no row's drawing is
    the first to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    access = getattr(request, "access", None)
    return f"{user.pk}:{int(user.is_superuser)}:{access.signature() if access is not None else ''}"


def page_key(request, place: str, context_values: Iterable[tuple[str, object]]) -> str:
    """What every row of one drawing shares: BOOT, `place` (template and line of the tag), today's date
    (Asia/Tehran), the viewer, the page's address with its query, and the fingerprints of the other context
    values the rows read. Raises Unstable when one of those cannot be fingerprinted."""
    shared = [BOOT, place, timezone.localdate().isoformat(), viewer_key(request),
              request.get_full_path() if request is not None else ""]
    shared.extend(f"{name}={fingerprint(value)}" for name, value in context_values)
    return "\x1f".join(shared)


def row_key(shared: str, item: object, extra: str = "") -> str:
    """The cache key of one row: a BLAKE2 digest of the page's shared key, `extra` (the loop position, when
    the row shows it) and the item's fingerprint. Raises Unstable as `fingerprint` does."""
    digest = hashlib.blake2b(f"{shared}\x1e{extra}\x1e{fingerprint(item)}".encode(), digest_size=20)
    return f"row:{digest.hexdigest()}"
