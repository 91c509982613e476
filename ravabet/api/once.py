"""`Idempotency-Key` on the API's creating POSTs (issue 13, point 7): the public complaint, the survey answer
and the RSVP. A program that is not sure its POST arrived (a dropped connection, a timeout) sends it again
with the same key; the second answer is the first one's result, and nothing is made or sent twice — no
second case, response, notice or SMS. Concurrent repeats wait for the first (PostgreSQL's unique index).

The key is any 1-200 printable ASCII characters the program chooses (a UUID is usual). It is bound to the
path and the body: the server keeps sha256(scope, path, key, body) as a one-time token of
`lib.idempotency` (kept `KEEP_DAYS` days), so the same key with another body is another request, and a key
seen by someone else gives nothing without the exact body (for a complaint: its captcha key and answer too).
A replayed answer carries `Idempotent-Replayed: true`. Without the header every POST creates, as before.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from ninja import Header

from ravabet.lib import idempotency

from .base import ApiError, invalid

HEADER = "Idempotency-Key"
MAX_LENGTH = 200
DOC = ("اختیاری: کلیدی یکتا (مثلاً UUID، تا ۲۰۰ نویسه لاتین) برای همین درخواست. اگر همان درخواست با همان کلید و "
       "همان بدنه دوباره فرستاده شود، پاسخ نخست برمی‌گردد و چیزی دوباره ساخته یا فرستاده نمی‌شود.")
KeyHeader = Header(None, alias=HEADER, description=DOC)


def token(request, scope: str, key: str | None, body: dict) -> str | None:
    """The one-time token (32 hex digits) for `key` (the header's value or None) on this `scope`, path and
    `body` (the parsed JSON), or None without a key. Raises ApiError 400 for a key that is empty, longer
    than MAX_LENGTH or not printable ASCII."""
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_LENGTH or not key.isascii() or not key.isprintable():
        raise invalid(f"سرآیند {HEADER} باید ۱ تا ۲۰۰ نویسه لاتین چاپی باشد.", HEADER)
    material = json.dumps([scope, request.path, key, body], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def first(request, scope: str, once: str | None) -> models.Model | None:
    """The record an earlier POST with this token made (waiting for one still being saved), or None.
    Raises ApiError 409 when the record is gone or the token was another caller's."""
    if once is None:
        return None
    try:
        return idempotency.first_made(request, scope, wait=True, token=once)
    except ValidationError as error:
        raise ApiError(409, " ".join(error.messages), "conflict") from None


def create(request, scope: str, once: str | None, make: Callable[[], object]) -> tuple[models.Model, bool]:
    """`lib.idempotency.create_once` with the header's token: (record, True) when `make` ran now, (the first
    record, False) for a repeat. ValidationError from `make` passes on (nothing is claimed); a refused token
    is ApiError 409."""
    try:
        return idempotency.create_once(request, scope, make, token=once)
    except ValidationError as error:
        if once is not None and error.messages in ([idempotency.GONE], [idempotency.ANOTHER_PERSON]):
            raise ApiError(409, " ".join(error.messages), "conflict") from None
        raise


def replayed(response) -> None:
    """Mark an answer as the repeat of an earlier one (`Idempotent-Replayed: true`)."""
    response["Idempotent-Replayed"] = "true"
