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
