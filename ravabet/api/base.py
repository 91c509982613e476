"""The API's shared parts (issue 18, point 1): the one error shape, authentication, pagination and the
Jalali date filter that every endpoint uses.

Every error answers JSON in one shape (``Error``)::

    {"detail": "<Persian sentence for a person>", "code": "<stable English code>",
     "errors": [{"field": "<input name>", "message": "<Persian sentence>"}]}

codes: ``invalid`` (400), ``unauthorized`` (401), ``forbidden`` (403), ``not_found`` (404),
``method_not_allowed`` (405), ``rate_limited`` (429).
"""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Schema
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer, SessionAuth
from pydantic import AfterValidator

from ravabet.lib import jalali
from ravabet.lib.text import BIDI_CONTROL, CONTROL
from ravabet.offices.access import Access, access_for

from .tokens import user_for


def _clean(value: str) -> str:
    """Control and bidi characters removed (as CleanQueryMiddleware does for query strings): a NUL in a JSON
    body would otherwise reach PostgreSQL, which refuses it."""
    return CONTROL.sub("", BIDI_CONTROL.sub("", value))


Text = Annotated[str, AfterValidator(_clean)]
Id = Annotated[int, Path(ge=1, le=2_147_483_647, description="A record's id.")]


class FieldError(Schema):
    field: str = Field(description="The input's name (query parameter or JSON field); empty for the whole request.")
    message: str = Field(description="What is wrong, in Persian.")


class Error(Schema):
    """The one error shape of the API."""

    detail: str = Field(description="What went wrong, in Persian, for a person to read.")
    code: str = Field(description="invalid | unauthorized | forbidden | not_found | method_not_allowed | conflict | "
                      "rate_limited")
    errors: list[FieldError] = Field(default_factory=list, description="Per-input messages (only with `invalid`).")


ERRORS = {400: Error, 404: Error}
STAFF_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error}


class ApiError(Exception):
    """An error answered in the API's shape: `status` (HTTP), `detail` (Persian), `code`, field errors."""

    def __init__(self, status: int, detail: str, code: str = "invalid", errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.code, self.errors = status, detail, code, errors or []


def invalid(detail: str, field: str = "") -> ApiError:
    """A 400 `invalid` with one Persian message on `field`."""
    return ApiError(400, detail, "invalid", [{"field": field, "message": detail}])


def from_form(form) -> ApiError:
    """A 400 `invalid` from a bound Django form's errors (Persian, as on the page); `__all__` becomes ""."""
    errors = [{"field": "" if name == "__all__" else name, "message": str(message)}
              for name, messages in form.errors.items() for message in messages]
    detail = errors[0]["message"] if len(errors) == 1 else "چند بخش درخواست نادرست است؛ پیام هر بخش را ببینید."
    return ApiError(400, detail, "invalid", errors)


def from_validation(error: DjangoValidationError) -> ApiError:
    """A 400 `invalid` from a service's ValidationError (its Persian messages, per field when it has them)."""
    if hasattr(error, "error_dict"):
        errors = [{"field": "" if name == "__all__" else name, "message": str(message)}
                  for name, items in error.message_dict.items() for message in items]
    else:
        errors = [{"field": "", "message": str(message)} for message in error.messages]
    detail = " ".join(e["message"] for e in errors) or "درخواست نادرست است."
    return ApiError(400, detail, "invalid", errors)


def jalali_date(value: str | None, field: str) -> dt.date | None:
    """A Jalali date query value (1405/09/05 or 1405-09-05, Persian, Arabic or Latin digits) as a Gregorian
    date; None when empty. Raises ApiError 400 with the Persian message of lib.jalali on `field`."""
    if value is None or not value.strip():
        return None
    try:
        return jalali.parse_date(value)
    except (jalali.JalaliParseError, ValueError) as error:
        message = str(error) if isinstance(error, jalali.JalaliParseError) else "چنین روزی در تقویم نیست."
        raise invalid(message, field) from None


def jalali_text(value: dt.date | dt.datetime | None) -> str | None:
    """A date or date-time as Jalali text with Latin digits (1405/09/05, 1405/09/05 14:30): the export rule,
    so that it sorts; None stays None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return jalali.format_datetime(value, persian=False)
    return jalali.format_date(value, persian=False)


class Pages(PageNumberPagination):
    """Page-number pagination: ``?page=`` (from 1) and ``?page_size=`` (1-100, default 20); answers
    ``{"items": [...], "count": <all matching>}``."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
        page_size: int | None = Field(None, ge=1, le=100, description="Items per page (default 20, at most 100).")

    def __init__(self, **kwargs):
        super().__init__(page_size=20, max_page_size=100, **kwargs)


# Authentication ----------------------------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """``Authorization: Bearer rvb_…``: a personal token made on /api/tokens/."""

    openapi_description = "A personal token made on /api/tokens/ (shown once), sent as `Authorization: Bearer rvb_…`."

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for(token)
        if user is not None:
            request.user = user
        return user


class StaffSession(SessionAuth):
    """The logged-in session of the pages (for trying the API from the documentation page)."""

    openapi_description = "The session cookie of a logged-in user (the documentation page uses it)."


STAFF_AUTH = [TokenAuth(), StaffSession()]


def access_of(request: HttpRequest) -> Access:
    """The Access (offices/access.py) of the authenticated user of an API request."""
    return access_for(request.user)


__all__ = ["ERRORS", "Id", "Text", "STAFF_AUTH", "STAFF_ERRORS", "ApiError", "Error", "Http404", "Pages", "PermissionDenied",
           "access_of", "from_form", "from_validation", "invalid", "jalali_date", "jalali_text"]
