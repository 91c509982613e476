"""Who may see and do what, decided in one place.

`Access` is built once per request (see middleware) from the user's memberships.
HQ roles reach every unit under the HQ unit; unit roles reach their own unit.
Views get unit-owned records only through `scoped()` and `get_scoped_or_404()`,
so a record of another unit answers 404 and never reveals that it exists;
a write without the role answers 403 through `require()`.
"""

from collections.abc import Iterable
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from ravabet.lib.digits import to_latin_digits

from . import kept
from .models import Membership, Unit, UnitKind
from .roles import HQ_ROLES, WORK_ROLES, Role


class Access:
    def __init__(self, user, current_unit_id: int | None = None):
        self.user = user
        self._requested_unit_id = current_unit_id

    @cached_property
    def memberships(self) -> list[Membership]:
        """The user's memberships in active units, each with its unit (from offices.kept: no query while no
        person, role or unit has changed since this process last read them)."""
        if not self.user.is_authenticated:
            return []
        return kept.memberships(self.user.pk)

    @cached_property
    def _roles_by_unit(self) -> dict[int, set[str]]:
        """Roles per unit id, HQ roles spread over the whole subtree of their unit."""
        roles: dict[int, set[str]] = {}
        hq_paths = [(m.unit.path, m.role) for m in self.memberships if m.role in HQ_ROLES]
        if hq_paths:
            for pk, path in kept.unit_paths():
                for hq_path, role in hq_paths:
                    if path.startswith(hq_path):
                        roles.setdefault(pk, set()).add(role)
        for m in self.memberships:
            roles.setdefault(m.unit_id, set()).add(m.role)
        return roles

    def roles_in(self, unit: Unit | int | None) -> set[str]:
        unit_id = unit.pk if isinstance(unit, Unit) else unit
        return self._roles_by_unit.get(unit_id, set())

    def has_role(self, unit: Unit | int | None, roles: Iterable[str]) -> bool:
        return bool(self.roles_in(unit) & set(roles))

    def unit_ids(self, roles: Iterable[str] = WORK_ROLES) -> list[int]:
        wanted = set(roles)
        return sorted(pk for pk, held in self._roles_by_unit.items() if held & wanted)

    def signature(self) -> str:
        """Every (unit id, roles) the user holds, HQ roles spread over their subtree, as one sorted text: two
        requests with the same signature may see and do the same things (lib.rowcache keys rows by it)."""
        return repr(sorted((pk, sorted(held)) for pk, held in self._roles_by_unit.items()))

    @property
    def is_hq(self) -> bool:
        return any(m.role in HQ_ROLES for m in self.memberships)

    def is_hq_head(self) -> bool:
        return any(m.role == Role.HQ_HEAD for m in self.memberships)

    def require(self, unit: Unit | int | None, roles: Iterable[str]) -> None:
        if not self.has_role(unit, roles):
            raise PermissionDenied("شما اجازه این کار را ندارید.")

    def require_hq(self, roles: Iterable[str] = HQ_ROLES) -> None:
        if not any(m.role in set(roles) for m in self.memberships):
            raise PermissionDenied("این کار فقط از روابط عمومی اداره کل ساخته است.")

    def require_any(self, roles: Iterable[str] = WORK_ROLES,
                    message: str = "شما اجازه دیدن این بخش را ندارید.") -> None:
        """Let a list page open only for someone holding one of `roles` in some unit.

        Raises PermissionDenied (403) with the Persian `message` otherwise.
        """
        if not self.unit_ids(roles):
            raise PermissionDenied(message)

    def work_unit(self, roles: Iterable[str] = WORK_ROLES, *, county: bool = False) -> Unit:
        """The unit a new record belongs to: the one the user is working in now (the unit switcher).

        The user must hold one of `roles` there; with `county=True` it must also be a county
        office, not HQ. Raises PermissionDenied with a Persian message otherwise.
        """
        unit = self.current_unit
        if unit is None or not self.has_role(unit, roles):
            raise PermissionDenied("این کار در واحد کنونی شما از نقش شما ساخته نیست.")
        if county and unit.is_hq:
            raise PermissionDenied("این کار از آنِ ادارات شهرستان است؛ واحد کنونی را در بالای صفحه عوض کنید.")
        return unit

    def work_unit_or_none(self, roles: Iterable[str] = WORK_ROLES, *, county: bool = False) -> Unit | None:
        """`work_unit` as a yes/no for templates (an "add" button): the unit, or None instead of 403."""
        try:
            return self.work_unit(roles, county=county)
        except PermissionDenied:
            return None

    def filter_units(self, roles: Iterable[str] = WORK_ROLES, *, counties_only: bool = True) -> list[Unit]:
        """Units a list page may be narrowed to (its `?unit=` choices): the county offices (every
        unit with `counties_only=False`, for records HQ has too), or nothing for someone who sees one
        unit only, since there is nothing to choose."""
        ids = self.unit_ids(roles)
        if len(ids) < 2:
            return []
        if counties_only:
            return kept.units(ids, order="name", kind=UnitKind.COUNTY)
        return kept.units(ids, order="path")

    def narrow(self, queryset: QuerySet, value: str | None, roles: Iterable[str] = WORK_ROLES,
               field: str = "unit") -> QuerySet:
        """Apply a list page's `?unit=` choice (Latin or Persian digits) when it is a unit the user
        may see; anything else leaves the queryset as it is."""
        value = to_latin_digits(value or "").strip()
        if value.isdigit() and int(value) in self.unit_ids(roles):
            return queryset.filter(**{f"{field}_id": int(value)})
        return queryset


    @cached_property
    def units(self) -> list[Unit]:
        """Units the user belongs to directly, for the unit switcher."""
        seen: dict[int, Unit] = {}
        for m in self.memberships:
            seen.setdefault(m.unit_id, m.unit)
        return sorted(seen.values(), key=lambda unit: unit.path)

    @cached_property
    def current_unit(self) -> Unit | None:
        units = self.units
        for unit in units:
            if unit.pk == self._requested_unit_id:
                return unit
        return units[0] if units else None

    @property
    def current_roles(self) -> set[str]:
        return {m.role for m in self.memberships if self.current_unit and m.unit_id == self.current_unit.pk}


def access_for(user) -> Access:
    """The Access of a user outside a request (services, tasks); cached on the user object."""
    cached = getattr(user, "_ravabet_access", None)
    if cached is None:
        cached = Access(user)
        user._ravabet_access = cached
    return cached


def scoped(access: Access, queryset: QuerySet, roles: Iterable[str] = WORK_ROLES,
           field: str = "unit") -> QuerySet:
    """Limit a queryset of unit-owned records to the units where the user holds one of `roles`."""
    return queryset.filter(**{f"{field}__in": access.unit_ids(roles)})


def get_scoped_or_404(access: Access, queryset: QuerySet | type[Model], roles: Iterable[str] = WORK_ROLES,
                      field: str = "unit", **lookup) -> Model:
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        return scoped(access, queryset, roles, field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404("پیدا نشد.") from None


def units_above(unit: Unit, *, include_self: bool = True) -> list[int]:
    """Ids of `unit` and every unit above it (from its materialised path), nearest last."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return ids if include_self else ids[:-1]


def units_below(unit: Unit, *, include_self: bool = True) -> QuerySet:
    """Active units in the subtree of `unit`."""
    units = Unit.objects.filter(path__startswith=unit.path, is_active=True)
    return units if include_self else units.exclude(pk=unit.pk)
