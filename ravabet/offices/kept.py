"""Who a signed-in person is, which roles they hold and the organisation's active units, kept per process
(issue 11: every staff page read the user, their memberships and, for HQ, every unit's path — three queries
before the page's own work — and HQ lists read the units again for their unit filter).

Everything kept is keyed by the «offices.people» stamp (lib.stamps). Database triggers (offices migration
0004 and 0005) write a fresh token into it, in the same transaction, on every INSERT, UPDATE or DELETE of a
user, a membership or a unit — whatever made it: a form, the admin, a bulk `update()`, raw SQL or a data
migration — so no write can leave a role alive in a worker. The one exception is a sign-in's UPDATE of a
user's `last_login` alone, which kept users do not carry (`USER_NOT_KEPT`). The first read of a request reads
every stamp in one query; when the token differs from the one this process's entries were read under, they are
all dropped.

Nothing is kept or read from the kept entries while the connection is inside a transaction the code opened
(`transaction.atomic`): such a transaction may have changed a person and may yet roll back, and a row it reads
must not be kept under the committed token. In autocommit a row read after the token is at least as new as the
token, so an entry is never older than its key. Callers get fresh model instances built from the kept values,
never a shared object. A write through the ORM's save or delete makes the rest of its own request read the
stamps again (`_written`), so the request sees its own change; a bulk `update()` does not send that signal, and
the rest of that request may still read the older roles (the next request reads the new ones).
"""

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import DEFERRED
from django.db.models.signals import post_delete, post_save

from ravabet.lib import stamps

from .models import Membership, Unit, User

PEOPLE_STAMP = "offices.people"
_kept = stamps.KeptPerProcess(max_entries=5000)  # users, membership lists and the units, under the token


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _build(model, values: tuple):
    """A fresh, saved-looking instance of `model` from its concrete columns' values, in field order."""
    obj = model(*values)
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
    return obj


def _usable() -> bool:
    """True when no transaction opened by the code is in progress (a test's own wrapping transaction aside)."""
    return not any(not block._from_testcase for block in connection.atomic_blocks)


def forget() -> None:
    """Drop everything this process keeps (tests)."""
    _kept.forget()


# A sign-in writes `last_login` and nothing else; it does not move the token (offices migration 0005), so a
# kept user leaves it deferred: reading it queries the database, and a save() of the user, which writes only
# the loaded columns, never puts an older sign-in time back.
USER_NOT_KEPT = frozenset({"last_login"})


def kept_user_columns() -> list[str]:
    """The user's columns that a kept user carries, in field order: every concrete column but `last_login`.
    A write to any of them must move the people token (the UPDATE OF trigger of offices migration 0005)."""
    return [name for name in _columns(User) if name not in USER_NOT_KEPT]


def user(pk) -> User | None:
    """A fresh User with primary key `pk` (int or str), or None when there is none. Read from what is kept,
    its `last_login` is deferred; inside a transaction the code opened it is read whole from the database."""
    if not _usable():
        return User.objects.filter(pk=pk).first()
    def read():
        found = User.objects.filter(pk=pk).values_list(*kept_user_columns()).first()
        if found is None:
            return None
        loaded = iter(found)  # in field order, with DEFERRED in the place of each column not kept
        return tuple(DEFERRED if name in USER_NOT_KEPT else next(loaded) for name in _columns(User))

    values = _kept.get(("user", str(pk)), read, stamps.token(PEOPLE_STAMP))
    return None if values is None else _build(User, values)


def _units(token: str) -> tuple[dict[int, tuple], tuple[int, ...]]:
    """The active units as ({pk: column values}, pks in the database's name order), kept for `token`."""
    def read():
        names = _columns(Unit)
        rows = {row[0]: row for row in Unit.objects.filter(is_active=True).order_by("path").values_list(*names)}
        by_name = tuple(Unit.objects.filter(is_active=True).order_by("name", "pk").values_list("pk", flat=True))
        return rows, by_name

    return _kept.get(("units",), read, token)


def unit_paths() -> list[tuple[int, str]]:
    """(pk, path) of every active unit, in path order (HQ roles reach the subtree of their unit's path)."""
    if not _usable():
        return list(Unit.objects.filter(is_active=True).values_list("pk", "path"))
    path = _columns(Unit).index("path")
    return [(pk, row[path]) for pk, row in _units(stamps.token(PEOPLE_STAMP))[0].items()]


def units(pks: Iterable[int], *, order: str = "path", kind: str | None = None) -> list[Unit]:
    """Fresh Unit instances of the active units among `pks`, of `kind` when given ("hq" or "county"), ordered by
    "path" or "name" as the database orders them."""
    if not _usable():
        found = Unit.objects.filter(pk__in=list(pks), is_active=True)
        if kind is not None:
            found = found.filter(kind=kind)
        return list(found.order_by("name", "pk") if order == "name" else found.order_by("path"))
    rows, by_name = _units(stamps.token(PEOPLE_STAMP))
    wanted = set(pks)
    kind_at = _columns(Unit).index("kind")
    keys = by_name if order == "name" else rows
    return [_build(Unit, rows[pk]) for pk in keys
            if pk in wanted and (kind is None or rows[pk][kind_at] == kind)]


def memberships(user_id: int) -> list[Membership]:
    """Fresh Membership instances of the user in active units, each with its `unit` attached, oldest first."""
    if not _usable():
        return list(Membership.objects.filter(user_id=user_id, unit__is_active=True).select_related("unit")
                    .order_by("pk"))
    token = stamps.token(PEOPLE_STAMP)
    rows, _ = _units(token)
    names = _columns(Membership)
    mine = Membership.objects.filter(user_id=user_id, unit__is_active=True).order_by("pk")
    kept = _kept.get(("memberships", user_id), lambda: tuple(mine.values_list(*names)), token)
    unit_at = names.index("unit_id")
    result = []
    for values in kept:
        if values[unit_at] not in rows:
            # Memberships read after the units, in the same request, after another process committed a new
            # unit with a role in it: the unit is missing from this request's units, so is the role (a refusal,
            # never a grant). The next request reads the new token and both again.
            continue
        membership = _build(Membership, values)
        membership.unit = _build(Unit, rows[values[unit_at]])
        result.append(membership)
    return result


def _written(**_kwargs) -> None:
    stamps.forget_read()


for _model in (User, Membership, Unit):
    post_save.connect(_written, sender=_model, dispatch_uid=f"kept.{_model.__name__}.save")
    post_delete.connect(_written, sender=_model, dispatch_uid=f"kept.{_model.__name__}.delete")
