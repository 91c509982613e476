"""The common ends of POST views: run one service call, show its Persian refusal (as a message, or
on the form's fields) or a success message."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError

from . import idempotency


def run_service(request, action: Callable[[], object], success: str) -> bool:
    """Call `action()`; on a ValidationError show its messages, otherwise `success`. True on success."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def save_form(request, form, action: Callable[[dict], object], success: str | Callable[[object], str], *,
              once: str | None = None):
    """The POST half of a form page. When the request is a POST and `form` is valid, call
    `action(form.cleaned_data)`: a ValidationError it raises goes onto the form (errors_to_form, so
    everything typed stays) and None is returned; otherwise `success` (a Persian message, or a
    function of the result giving one) is shown and the result returned, for the caller's redirect.
    A GET or an invalid form returns None.

    `once` (a create form with `idempotency.SubmitTokenMixin`; the scope, e.g. "offices.person"):
    the action runs through `idempotency.create_once` and must return the record it made. A repeat
    of a form already saved returns the first record with the Persian "already saved" message, even
    when the repeat's form would no longer validate."""
    if request.method != "POST":
        return None
    try:
        if once and (first := idempotency.first_made(request, once)) is not None:
            messages.info(request, idempotency.ALREADY_SAVED)
            return first
        if not form.is_valid():
            return None
        if once:
            result, created = idempotency.create_once(request, once, lambda: action(form.cleaned_data))
            if not created:
                messages.info(request, idempotency.ALREADY_SAVED)
                return result
        else:
            result = action(form.cleaned_data)
    except ValidationError as error:
        form.is_valid()  # a refused token is reported before validation; add_error needs cleaned_data
        errors_to_form(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result if result is not None else True


def errors_to_form(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named fields the form has, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
