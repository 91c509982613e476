"""The common end of a POST action view: run one service call, show its Persian refusal or
a success message. The caller redirects either way."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError


def run_service(request, action: Callable[[], object], success: str) -> bool:
    """Call `action()`; on a ValidationError show its messages, otherwise `success`. True on success."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def errors_to_form(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named fields the form has, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
