"""Idempotent creates: every create form survives a double submit (issue 13, point 7).

A create form carries a one-time token in a hidden input (`SubmitTokenMixin` on the form, or
`{% submit_token %}` from the `once` tag library in a template that lays out its own fields). The view
makes its record through `create_once(request, scope, create)`: in one transaction it first claims the
token (a `SubmitToken` row, unique on the token), then runs `create()` and records which object it
made. A second POST of the same form therefore

- sequential: finds the claimed token (`first_made`) and is led to the first record;
- concurrent: its INSERT of the same token waits on the unique index until the first transaction
  ends (PostgreSQL; SQLite serialises writers), then fails, and it is led to the first record.

Either way there is one record, one SMS or notice (they are written in the record's transaction), and
no 500. A form sent without a token (an old page, a script) is created as before. A form whose create
was refused (ValidationError) claimed nothing: its transaction was rolled back, so the corrected form,
which still carries the same token, can be sent again. Tokens are kept `KEEP_DAYS` days
(`purge_old`, run daily by the scheduler).
"""

import datetime as dt
import re
import secrets
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

FIELD = "submit_token"
KEEP_DAYS = 7
_TOKEN = re.compile(r"[0-9a-f]{32}")
GONE = "این فرم پیش‌تر فرستاده شده بود و آنچه ساخت دیگر در دسترس نیست. صفحه را دوباره باز کنید."
ANOTHER_PERSON = "این فرم را کس دیگری فرستاده است. صفحه را دوباره باز کنید و از نو بفرستید."
ALREADY_SAVED = "این فرم پیش‌تر فرستاده و ثبت شده بود؛ چیزی دوباره ساخته نشد."


class Invalid(Exception):  # noqa: N818 - a signal, not an error: the sent form did not validate
    """Raised by a `create_once` `create` that validates its form itself (a form with a one-time captcha,
    which only one of two concurrent copies can pass): nothing is made, the claim is rolled back, and
    `create_once` passes it on so the view shows the form's errors."""


def new_token() -> str:
    """A fresh one-time token: 32 lowercase hex digits (128 random bits from `secrets`)."""
    return secrets.token_hex(16)


class SubmitTokenMixin:
    """Form mixin: a hidden one-time token field named `FIELD`, a fresh token on an unbound form and
    the sent one on a bound form (so a form shown again with errors keeps it). The token is read from
    the request by `create_once`, never from `cleaned_data`: it is removed from there, so
    `**form.cleaned_data` can still go straight to a service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound and not self.initial.get(FIELD):
            # A copy: the caller's initial dict may be shared (a constant), and must not keep a token.
            self.initial = {**self.initial, FIELD: new_token()}

    def full_clean(self):
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            self.cleaned_data.pop(FIELD, None)


def sent_token(request) -> str | None:
    """The token of the POSTed form (`request.POST[FIELD]`), or None when it is absent or not 32 hex digits."""
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if _TOKEN.fullmatch(token) else None


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def _made_by(claim) -> models.Model:
    """The object a claimed token made. Raises ValidationError (Persian) when another person sent the
    token or the object no longer exists (deleted since)."""
    model = claim.content_type.model_class() if claim.content_type_id else None
    found = model._base_manager.filter(pk=claim.object_id).first() if model is not None else None
    if found is None:
        raise ValidationError(GONE)
    return found


def first_made(request, scope: str, *, wait: bool = False, token: str | None = None) -> models.Model | None:
    """The object made by an earlier POST of this request's form (same token and `scope`), or None when
    there was none (or the request carries no token). `token` (32 hex digits) stands for the form's
    token where a request carries it elsewhere, e.g. an API's `Idempotency-Key` (ravabet.api.base).

    `wait=True` also waits for a POST of the same form still being saved at this moment (PostgreSQL:
    it tries to claim the token and is held by the unique index until that POST ends; the claim is
    rolled back). Use it before showing form errors that the other POST may have caused, such as a
    one-time captcha it consumed.

    Raises ValidationError (Persian, for the form) when the token was sent by another user, or made an
    object that has since been deleted."""
    from .models import SubmitToken

    token = token or sent_token(request)
    if token is None:
        return None
    if wait:
        try:
            with transaction.atomic():
                SubmitToken.objects.create(token=token, scope=scope, user_id=_user_id(request))
                transaction.set_rollback(True)
        except IntegrityError:
            pass
    claim = SubmitToken.objects.filter(token=token).select_related("content_type").first()
    if claim is None:
        request._submit_token_unclaimed = token  # create_once need not look again
        return None
    if claim.scope != scope or claim.user_id != _user_id(request):
        raise ValidationError(ANOTHER_PERSON)
    return _made_by(claim)


def _model_of(result) -> models.Model:
    if isinstance(result, tuple):
        result = next((item for item in result if isinstance(item, models.Model)), None)
    if not isinstance(result, models.Model) or result.pk is None:
        raise TypeError("create() must return the saved model instance it made (or a tuple holding it).")
    return result


def earlier(request, scope: str | None) -> models.Model | None:
    """`first_made` for a page that both creates and edits: None when `scope` is None (editing), and
    None instead of the ValidationError of a refused token — `create_once` then raises it on the form."""
    if scope is None:
        return None
    try:
        return first_made(request, scope)
    except ValidationError:
        return None


def create_once(request, scope: str | None, create: Callable[[], object], *,
                token: str | None = None) -> tuple[models.Model, bool]:
    """Make a record once per sent form.

    In: the request (its POST carries the form's token in `FIELD`), `scope` (what the form creates,
    e.g. "complaints.public"; a token is valid for one scope; None on a page that edits: `create` just
    runs) and `create`, a function that makes and
    returns the saved model instance (or a tuple holding it, e.g. a service's (record, created)).
    Out: (record, True) when `create` ran now; (the record the first POST made, False) for a repeat,
    in which case `create` does not run. Without a token `create` simply runs. `token` (32 hex digits)
    stands for the form's token, as in `first_made`.

    The token is claimed before `create` runs and in the same transaction, so a ValidationError,
    PermissionDenied or `Invalid` raised by `create` (passed on to the caller) leaves nothing claimed. A
    form whose validation a concurrent copy could spoil (a one-time captcha) is validated inside `create`,
    raising `Invalid`: the copy then waits on the claim and is led to the first record. Raises
    ValidationError (Persian) as `first_made` does for a token of another person or a deleted record."""
    from django.contrib.contenttypes.models import ContentType

    from .models import SubmitToken

    token = (token or sent_token(request)) if scope is not None else None
    if token is None:
        return _model_of(create()), True
    if getattr(request, "_submit_token_unclaimed", None) != token and (
            found := first_made(request, scope, token=token)):
        return found, False
    try:
        with transaction.atomic():
            claim = SubmitToken.objects.create(token=token, scope=scope, user_id=_user_id(request))
            record = _model_of(create())
            claim.content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
            claim.object_id = record.pk
            claim.save(update_fields=["content_type", "object_id"])
    except IntegrityError:
        # The same form was saved by a concurrent POST that held the token first.
        if (found := first_made(request, scope, token=token)) is None:
            raise
        return found, False
    return record, True


def purge_old(now: dt.datetime | None = None) -> int:
    """Delete tokens claimed more than `KEEP_DAYS` days before `now` (aware datetime, default now).
    Returns how many were deleted. A form kept open longer than that and sent twice is then made twice."""
    from .models import SubmitToken

    cutoff = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    deleted, _ = SubmitToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted
