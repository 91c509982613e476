"""The parts of a workflow declaration: the state field, steps, guards, needed fields and notices.

Models import this module, so it imports no model at module level. The state machine itself is
django-fsm-2: a step is its `transition` (sources, target, conditions, permission) with Ravabet's
declaration in `custom["step"]`; `ConcurrentTransitionMixin` refuses a save whose state changed in
the database since the row was read, a second line behind the row lock that `engine.move` takes.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class StateField(FSMField):
    """The state column of a workflow model (a CharField). Not protected: forms, the admin and
    `refresh_from_db` read and write it; only `engine.move` changes it in the code."""


class WorkflowModel(ConcurrentTransitionMixin, models.Model):
    """Base of every model that moves through states.

    `workflow_unit` is the dotted path from the record to the unit that owns it ("unit", or
    "event.unit" for a record inside another): roles are checked there and the generic view finds
    the record through the access API by it.
    """

    workflow_unit = "unit"

    class Meta:
        abstract = True

    # django-fsm-2 keeps the states read at load time under this (name-mangled) attribute and filters
    # every UPDATE on them. Its own version reads every state field in __init__: a row loaded with two
    # state fields deferred (`.only("pk")` on a complaint: state and HQ follow-up) then loads one, whose
    # fresh instance loads the other, and so on without end.
    _INITIAL_STATES = "_ConcurrentTransitionMixin__initial_states"

    @property
    def state_fields(self) -> tuple[FSMField, ...]:
        """The model's state fields, found once per class: django-fsm-2 filters every field of the model for
        each instance it builds, 50 times for a 50-row list (issue 11)."""
        return _state_fields(type(self))

    def _update_initial_state(self) -> None:
        """Remember the states as loaded, leaving out deferred ones (not in `__dict__`; no query in __init__)."""
        loaded = self.__dict__
        setattr(self, self._INITIAL_STATES, {field.attname: loaded[field.attname]
                                             for field in self.state_fields if field.attname in loaded})

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update, returning_fields=None):
        """Before the concurrency-filtered UPDATE, read a state that was deferred at load and never
        touched since: the filter then holds the row as it is (one query, only in that case)."""
        initial = getattr(self, self._INITIAL_STATES)
        missing = [field.attname for field in self.state_fields
                   if field.model == base_qs.model and field.attname not in initial]
        if missing:
            row = base_qs.filter(pk=pk_val).using(using).values(*missing).first() or {}
            initial.update(row)
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update, returning_fields)


@functools.cache
def _state_fields(model: type[models.Model]) -> tuple[FSMField, ...]:
    """The FSMFields of `model` (a model class), in field order."""
    return tuple(field for field in model._meta.fields if isinstance(field, FSMField))


@dataclass(frozen=True)
class Guard:
    """A named condition a step needs, with the Persian refusal shown when it does not hold.

    `check(obj) -> bool` sees the record with the step's fields already applied. `q`, when given,
    is the same condition as a filter (or a function returning one, for conditions that move with
    the date), so lists of "what waits for me" leave out records the step would refuse. `message` may use `{obj}` fields: "«{obj.title:.60}» هنوز عکس ندارد".
    """

    name: str
    message: str
    check: Callable[[models.Model], bool]
    q: Q | Callable[[], Q] | None = None
    # True when the condition is about what the person gives on the step's page (a photo, a future
    # time): buttons show without it and `move` checks it with the values applied.
    typed: bool = False

    def __call__(self, obj: models.Model) -> bool:
        return bool(self.check(obj))

    def refusal(self, obj: models.Model) -> str:
        return self.message.format(obj=obj)


@dataclass(frozen=True)
class Need:
    """A value the person gives with the step: a model field (applied before the guards run) or an
    argument of the step's method (a return comment that becomes a thread message).

    With `message` the value is required, and that Persian message is shown on the field when it is
    empty. `widget` is "textarea", "text" (free Persian text), "plain" (a code or number kept exactly
    as typed), "url" (a web address), "date" (a Jalali date) or "datetime" (a Jalali date and time).
    """

    name: str
    label: str
    message: str = ""
    widget: str = "textarea"
    help: str = ""

    @property
    def required(self) -> bool:
        return bool(self.message)


Recipients = Callable[[models.Model, object], Iterable]


@dataclass(frozen=True)
class Notice:
    """Who is told when a step is made, and what. `to(obj, by)` yields users (the actor is skipped);
    `title` and `body` are formatted with `obj`, `by` and the values the person typed ("{comment}"); `urgent` also sends an SMS to users who keep SMS
    notices on; `url(obj)` defaults to the record's page."""

    to: Recipients
    title: str
    body: str = ""
    urgent: bool = False
    url: Callable[[models.Model], str] | None = None


@dataclass(eq=False)
class Step:
    """One declared transition; built by `step(...)` and read by the engine, the generic view, the
    `workflows` command and the transition × role test."""

    name: str
    field: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: str
    log: str
    summary: str = ""
    guards: tuple[Guard, ...] = ()
    needs: tuple[Need, ...] = ()
    notify: tuple[Notice, ...] = ()
    system: bool = False
    aside: bool = False
    actor: "field_user | None" = None
    style: str = "primary"
    confirm: str = ""
    view: str = ""
    done: str = ""
    model: type | None = field(default=None, repr=False)

    @property
    def required(self) -> tuple[Need, ...]:
        return tuple(need for need in self.needs if need.required)


def step(*, source: str | Iterable[str], target: str, roles: Iterable[str], label: str, log: str,
         summary: str = "", guards: Iterable[Guard] = (), needs: Iterable[Need] = (),
         notify: Iterable[Notice] = (), system: bool = False, aside: bool = False,
         actor: "field_user | None" = None, style: str = "primary",
         confirm: str = "", view: str = "", done: str = "", field: str = "state"):
    """Declare the decorated model method as a workflow step.

    - `source`: the state or states it leaves; `target`: the state it reaches.
    - `roles`: roles (offices.roles.Role) that may make it, held in the record's unit (HQ roles reach
      every unit under HQ). `system=True` also lets the scheduler make it (`by=None`).
    - `label`: the button's Persian text; `log`: the action-log code ("news.approved");
      `summary`: the timeline line, formatted with `obj` and the needed values (default: `label`).
    - `guards`, `needs`, `notify`: see Guard, Need and Notice.
    - `actor=field_user("referred_to.user")`: besides holding a role, the person must be the one
      named on the record (the employee a case is referred to).
    - `aside=True`: possible but not expected (archive, cancel, unpublish), so the record does not
      show in anyone's "waiting for you" list because of it.
    - `style`, `confirm`: the button's Bootstrap colour and confirmation question; `view`: the URL
      name of the app's own page for this step (a form with more than plain text), which then
      calls `engine.move` itself; `done`: the success message.

    The method is called as `method(by=user, **needed_values_that_are_not_model_fields)` after the
    role and guards are checked; it sets whatever else the step changes (timestamps, approvers).
    """
    sources = (source,) if isinstance(source, str) else tuple(source)
    spec = Step(name="", field=field, sources=sources, target=target, roles=frozenset(roles), label=label, log=log,
                summary=summary, guards=tuple(guards), needs=tuple(needs), notify=tuple(notify), system=system,
                aside=aside, actor=actor, style=style, confirm=confirm, view=view, done=done)

    def decorate(func):
        spec.name = func.__name__
        method = transition(field=field, source=list(sources), target=target, conditions=list(spec.guards),
                            custom={"step": spec})(func)
        method.do_not_call_in_templates = True  # {{ case.close }} must never make a step
        return method

    return decorate


# --- Recipients ------------------------------------------------------------------------------------------


def _resolve(obj, path: str):
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def unit_of(obj: models.Model):
    """The unit that owns `obj`, through its model's `workflow_unit` path."""
    return _resolve(obj, getattr(type(obj), "workflow_unit", "unit"))


class field_user:  # noqa: N801 — read as a phrase in declarations: Notice(field_user("author"), ...)
    """The users in the named fields of the record ("author", "referred_to.user")."""

    roles: frozenset[str] = frozenset()

    def __init__(self, *paths: str):
        self.paths = paths

    def __call__(self, obj, by) -> list:
        return [user for path in self.paths if (user := _resolve(obj, path)) is not None]

    def __str__(self) -> str:
        return "، ".join(self.paths)


class unit_role:  # noqa: N801
    """Members of the record's own unit who hold one of `roles`."""

    def __init__(self, *roles: str):
        self.roles = frozenset(roles)

    def __call__(self, obj, by) -> Iterable:
        from ravabet.offices.models import User

        return User.objects.filter(memberships__unit=unit_of(obj), memberships__role__in=self.roles,
                                   is_active=True).distinct()

    def __str__(self) -> str:
        return "، ".join(sorted(self.roles)) + " (واحد)"


class hq_role:  # noqa: N801
    """Members holding one of `roles` in the HQ units above the record's unit (or in it)."""

    def __init__(self, *roles: str):
        self.roles = frozenset(roles)

    def __call__(self, obj, by) -> Iterable:
        from ravabet.offices.access import units_above
        from ravabet.offices.models import User

        return User.objects.filter(memberships__unit__in=units_above(unit_of(obj)), memberships__role__in=self.roles,
                                   is_active=True).distinct()

    def __str__(self) -> str:
        return "، ".join(sorted(self.roles)) + " (اداره کل)"
