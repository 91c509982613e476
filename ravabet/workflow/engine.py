"""Running declared steps: `move` (the only way a state changes), `allowed` (a template's buttons)
and the lookups the generic view, the `workflows` command and the tests share."""

import datetime as dt
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django_fsm import FSMFieldMixin

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.digits import to_latin_digits
from ravabet.lib.text import is_blank
from ravabet.offices.access import Access, access_for
from ravabet.offices.roles import WORK_ROLES
from ravabet.outbox.services import notify, queue_sms

from .declare import Step, unit_of


class TransitionRefused(PermissionDenied):
    """The record's state or one of the step's guards does not allow the step now (HTTP 403).
    `str(error)` is the Persian message for the person."""


class RoleRefused(TransitionRefused):
    """The person does not hold a role the step needs in the record's unit (HTTP 403)."""


# --- Declarations ----------------------------------------------------------------------------------------


@cache
def steps_of(model: type[models.Model]) -> dict[str, Step]:
    """Every declared step of `model`, by method name, in declaration order."""
    found: dict[str, Step] = {}
    for fsm_field in (f for f in model._meta.fields if isinstance(f, FSMFieldMixin)):
        for transition in fsm_field.get_all_transitions(model):
            spec = transition.custom.get("step")
            if spec is not None and spec.name not in found:
                spec.model = model
                found[spec.name] = spec
    # django-fsm lists methods by name; buttons and the printed matrix follow the declaration.
    return dict(sorted(found.items(), key=lambda item: getattr(model, item[0]).__wrapped__.__code__.co_firstlineno))


def workflow_models() -> list[type[models.Model]]:
    """Every installed model that declares at least one step, ordered by app and name."""
    return sorted((m for m in apps.get_models() if steps_of(m)), key=lambda m: m._meta.label)


def workflow_model(label: str) -> type[models.Model] | None:
    """The workflow model called `label` ("news.news"), or None."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if steps_of(model) else None


def visible_roles(model: type[models.Model]) -> frozenset[str]:
    """The work roles and the roles that make some step of `model`: the generic view finds records by
    these, so a person with no part in a workflow (plain staff, for most) gets 404, not a page about
    the record, while HQ and the unit's PR people, who read it elsewhere, get the reason for a 403."""
    return WORK_ROLES.union(*(spec.roles for spec in steps_of(model).values()))


def unit_lookup(model: type[models.Model]) -> str:
    """The queryset lookup from `model` to its owning unit ("unit", "event__unit")."""
    return getattr(model, "workflow_unit", "unit").replace(".", "__")


def state_label(obj: models.Model, spec: Step) -> str:
    return str(getattr(obj, f"get_{spec.field}_display")())


# --- Checks ----------------------------------------------------------------------------------------------


def _state_refusal(obj: models.Model, spec: Step) -> str:
    name = obj._meta.verbose_name
    state = state_label(obj, spec)
    if getattr(obj, spec.field) == spec.target:
        return f"این {name} هم‌اکنون «{state}» است؛ کسی پیش‌تر این کار را کرده است."
    # A model may name itself for a Persian sentence (`name_in_text`: a code in Persian digits, kept in order).
    label = getattr(obj, "name_in_text", None) or str(obj)[:60]
    return f"{name} «{label}» در وضعیت «{state}» است و «{spec.label}» در این وضعیت شدنی نیست."


def permits(access: Access | None, obj: models.Model, spec: Step) -> bool:
    """True when the actor behind `access` (None: the system) holds a role of `spec` in the record's unit
    and, for a step with `actor=`, is the person the record names."""
    if access is None:
        return spec.system
    if spec.actor is not None and access.user.pk not in {user.pk for user in spec.actor(obj, access.user)}:
        return False
    return access.has_role(unit_of(obj), spec.roles)


def check(obj: models.Model, spec: Step, access: Access | None, *, typed: bool = True) -> None:
    """Raise TransitionRefused or RoleRefused (Persian messages) unless `spec` may be made on `obj` now.
    Needed values are not checked here; `move` checks them. With `typed=False` the guards about what
    the person gives on the step's page are left out (for buttons and the step page's GET)."""
    _check_state_and_role(obj, spec, access)
    _check_guards(obj, spec, typed=typed)


def _check_state_and_role(obj: models.Model, spec: Step, access: Access | None) -> None:
    if getattr(obj, spec.field) not in spec.sources:
        raise TransitionRefused(_state_refusal(obj, spec))
    if not permits(access, obj, spec):
        raise RoleRefused(_role_refusal(obj, spec))


def _role_refusal(obj: models.Model, spec: Step) -> str:
    if spec.actor is not None:
        return f"«{spec.label}» با کسی است که در این {obj._meta.verbose_name} نام برده شده ({spec.actor})."
    return f"«{spec.label}» برای این {obj._meta.verbose_name} از نقش شما در این واحد ساخته نیست."


def _check_guards(obj: models.Model, spec: Step, *, typed: bool = True) -> None:
    for guard in spec.guards:
        if (typed or not guard.typed) and not guard(obj):
            raise TransitionRefused(guard.refusal(obj))


def allowed(obj: models.Model, access: Access) -> list[Step]:
    """The steps the person may make on `obj` now (state, role and guards hold, as `check(typed=False)`
    decides), for its buttons. Tests the conditions directly instead of building and catching each refused
    step's Persian message (issue 11: a 50-row list asked this for every row and step, ~8 steps a row)."""
    result = []
    for spec in steps_of(type(obj)).values():
        try:
            if getattr(obj, spec.field) not in spec.sources or not permits(access, obj, spec):
                continue
            if any(not guard.typed and not guard(obj) for guard in spec.guards):
                continue
        except PermissionDenied:
            continue
        result.append(spec)
    return result


# --- Moving ----------------------------------------------------------------------------------------------


def _plain(value):
    """A field value as the action log stores it (JSON): files by name, long text cut at 2,000."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, str) and len(value) > 2000:
        return value[:2000] + "…"
    if isinstance(value, (dt.date, Decimal, int, float, bool, str, list, dict)) or value is None:
        return value
    return str(value)


def _snapshot(obj: models.Model) -> dict[str, object]:
    return {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields if not f.primary_key}


class _Values(dict):
    """The names a summary or notice may quote; an optional value the person left out reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _typed(field: models.Field, name: str, value):
    """A value typed on a step's form, for a model field: Jalali dates and times (any digits) become
    dates, a headcount typed as text a number; a value the field cannot take is a Persian error on
    that field (ValidationError), never a 500."""
    if not isinstance(value, str) or isinstance(field, (models.CharField, models.TextField)):
        return value
    text = value.strip()
    try:
        if text and isinstance(field, models.DateTimeField):
            return jalali.parse_datetime(text)
        if text and isinstance(field, models.DateField):
            return jalali.parse_date(text)
        return field.to_python(to_latin_digits(text) or None)
    except jalali.JalaliParseError as error:
        raise ValidationError({name: str(error)}) from None
    except ValidationError:
        raise ValidationError({name: "این مقدار پذیرفتنی نیست؛ آن را درست بنویسید."}) from None


def _missing(spec: Step, values: dict) -> dict[str, str]:
    empty = {}
    for need in spec.required:
        value = values.get(need.name)
        # Spaces, ZWNJ and other invisible characters alone are no value (issue 12 §8).
        if value is None or (isinstance(value, str) and is_blank(value)):
            empty[need.name] = need.message
    return empty


def move(obj: models.Model, name: str, *, by, **values) -> models.Model:
    """Make the step `name` on `obj` as `by` (a user; None for the scheduler on a `system` step).

    In one transaction: lock the row (`select_for_update`) and read it again, check state, role,
    needed `values` and guards, apply the values that are model fields, call the step's method with
    the others, save the changed fields (`update_fields`), log from/to state and every changed field
    before and after, and notify the step's recipients (in-app; SMS too for urgent notices). Returns
    the saved record; `obj` gets its new field values as well.

    Raises TransitionRefused or RoleRefused (PermissionDenied, Persian message) and nothing changes;
    ValidationError({need: message}) when a needed value is empty, or whatever the method raises.
    """
    model = type(obj)
    spec = steps_of(model).get(name)
    if spec is None:
        raise ValueError(f"{model._meta.label} has no step {name!r}")
    access = access_for(by) if by is not None else None
    with transaction.atomic():
        fresh = model._default_manager.select_for_update().get(pk=obj.pk)
        if getattr(fresh, spec.field) not in spec.sources:
            raise TransitionRefused(_state_refusal(fresh, spec))
        if not permits(access, fresh, spec):
            raise RoleRefused(_role_refusal(fresh, spec))
        if missing := _missing(spec, values):
            raise ValidationError(missing)
        fields = {f.name: f for f in model._meta.concrete_fields}
        attnames = {name: f.attname for name, f in fields.items()}
        before = _snapshot(fresh)
        extra = {}
        for key, value in values.items():
            if key in fields:
                setattr(fresh, key, _typed(fields[key], key, value))
            else:
                extra[key] = value
        _check_guards(fresh, spec)
        getattr(fresh, spec.name)(by=by, **extra)
        after = _snapshot(fresh)
        changed = [attname for attname, value in after.items() if before[attname] != value]
        auto_now = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        fresh.save(update_fields=list(dict.fromkeys([*changed, *auto_now])))
        changes = {key: [_plain(before[key]), _plain(after[key])] for key in changed if key != spec.field}
        entry = log_action(actor=by, action=spec.log, target=fresh, unit=unit_of(fresh),
                           summary=(spec.summary or spec.label).format_map(_Values(values, obj=fresh)),
                           data={"step": spec.name, "from": before[attnames[spec.field]], "to": getattr(fresh, spec.field),
                                 "changes": changes})
        tell(fresh, spec.notify, by=by, key=f"wf:{entry.pk}", source=spec.log, values=values)
    for attname, value in _snapshot(fresh).items():
        setattr(obj, attname, value)
    if hasattr(obj, "_update_initial_state"):
        obj._update_initial_state()
    return fresh


def tell(obj: models.Model, notices, *, by, key: str, source: str, values: dict | None = None) -> None:
    """Send `notices` (declare.Notice) about `obj`: an in-app notice to each recipient but the actor
    `by`, and an SMS through the outbox for urgent ones to recipients who keep SMS notices on and have
    a mobile; a person named by several notices gets only the first. `key` makes a second call for the same event add nothing (e.g. "wf:<log id>");
    `source` names the event in the outbox ("press.visit_waiting"). Call it inside the transaction
    of the change, so a rolled-back change tells nobody; the outbox sends SMS only after commit.
    Titles and bodies are formatted with `obj`, `by` and the step's typed `values` ("{comment}").
    `move` calls it for every step; a create that hands work to someone calls it directly."""
    seen = {getattr(by, "pk", None)}  # one notice a person per event: the first that names them
    for index, notice in enumerate(notices):
        title = notice.title.format_map(_Values(values or {}, obj=obj, by=by))
        body = notice.body.format_map(_Values(values or {}, obj=obj, by=by))
        url = notice.url(obj) if notice.url else (obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "")
        for user in notice.to(obj, by):
            if user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            notify(user=user, title=title, body=body, url=url, key=f"{key}:{index}:{user.pk}")
            if notice.urgent and user.sms_notices and user.mobile:
                queue_sms(to=user.mobile, body=f"{title}\n{settings.SITE_URL}{url}", key=f"sms-{key}:{index}:{user.pk}",
                          unit=unit_of(obj), source=source)


# --- What waits for whom ---------------------------------------------------------------------------------


def waiting_filter(model: type[models.Model], access: Access) -> Q | None:
    """Records of `model` that wait for the person: in a source state of a step that is expected
    (not `aside`, not system-only) and that they may make, in a unit where they hold its roles.
    Guards with a `q` narrow it; other guards are checked on the record's page. None: nothing."""
    lookup = unit_lookup(model)
    condition = None
    states: dict[str, set] = {}  # every source state of the terms, by state field
    for spec in steps_of(model).values():
        if spec.aside:
            continue
        unit_ids = access.unit_ids(spec.roles)
        if not unit_ids:
            continue
        states.setdefault(spec.field, set()).update(spec.sources)
        term = Q(**{f"{spec.field}__in": spec.sources, f"{lookup}__in": unit_ids})
        if spec.actor is not None:  # only the person the record names (field_user paths)
            named = Q()
            for path in spec.actor.paths:
                named |= Q(**{path.replace(".", "__"): access.user})
            term &= named
        for guard in spec.guards:
            if guard.q is not None:
                term &= guard.q() if callable(guard.q) else guard.q
        condition = term if condition is None else condition | term
    if condition is not None and len(states) == 1:
        # The union of the terms' states, ANDed on top (implied by the terms): the database can then read the
        # few rows in those states through the state index instead of scanning the table for the OR (issue 11:
        # HQ's waiting news, 64 -> 2 ms on SQLite at bench scale).
        (field, sources), = states.items()
        condition = Q(**{f"{field}__in": sorted(sources)}) & condition
    return condition
