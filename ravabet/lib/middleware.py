"""Query parameters cleaned in one place (issue 12, point 7).

`CleanQueryMiddleware` rebuilds `request.GET` before any view reads it:
- NUL and the other control characters, and bidi controls, are removed from names and values
  (PostgreSQL refuses NUL in text; an invisible control never means anything in a filter);
- a value that is only digits is given in ASCII digits (leading zeros kept) when it is written in ASCII, Persian
  or Arabic-Indic digits, at most 18 of them (so it fits a bigint), and dropped otherwise (other scripts' digits,
  superscripts, 19+ figures): an integer parameter is then either a safe ASCII number or absent.
Views read integer parameters with `int_param`, which treats anything that is not such a number as absent.
"""

import re

from django.http import QueryDict

from .digits import parse_int, to_latin_digits
from .text import BIDI_CONTROL, CONTROL

_DIGITS_ONLY = re.compile(r"^\s*[+-]?\d+\s*$")  # \d: any script's digits, caught here to be checked


def clean_value(value: str) -> str | None:
    """One query value cleaned as above; None when it must be treated as absent."""
    value = CONTROL.sub("", BIDI_CONTROL.sub("", value))
    # str.isdigit() also passes superscripts and circled digits («²», «①»), which int() refuses.
    if _DIGITS_ONLY.match(value) or value.strip().lstrip("+-").isdigit():
        # Leading zeros stay (a phone number searched for); only the digits become ASCII.
        return to_latin_digits(value).strip() if parse_int(value) is not None else None
    return value


def clean_query(query: QueryDict) -> QueryDict:
    """A new immutable QueryDict with every name and value cleaned (see the module docstring)."""
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for name, values in query.lists():
        name = CONTROL.sub("", BIDI_CONTROL.sub("", name))
        if not name:
            continue
        kept = [value for value in (clean_value(v) for v in values) if value is not None]
        if kept:
            cleaned.setlist(name, kept)
    cleaned._mutable = False
    return cleaned


def int_param(params, name: str, default: int | None = None, *, minimum: int | None = None,
              maximum: int | None = None) -> int | None:
    """The integer query parameter `name` of `params` (a QueryDict or dict), in ASCII, Persian or Arabic
    digits; `default` when it is absent, not a whole number, or outside [minimum, maximum]."""
    number = parse_int(params.get(name))
    if number is None or (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return default
    return number


class CleanQueryMiddleware:
    """Puts the cleaned query parameters in `request.GET` (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING"):
            request.GET = clean_query(request.GET)
        return self.get_response(request)
