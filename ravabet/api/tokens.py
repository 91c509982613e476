"""Creating, revoking and checking personal API tokens (issue 18, point 1).

A token reads ``rvb_<8 hex prefix>_<43 url-safe characters>``; the prefix is stored in clear so the
owner can tell tokens apart on their page, the whole token only as its SHA-256 hex digest.
"""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.text import normalize

from .models import ApiToken

SCHEME = "rvb"
MAX_ACTIVE = 10  # active tokens per user


def digest(token: str) -> str:
    """SHA-256 hex digest (64 characters) of the whole token text, as stored in ApiToken.digest."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, by, name: str) -> tuple[ApiToken, str]:
    """Make a token for `by` (an authenticated user) named `name` (kept as typed, normalised).

    Returns (the row, the token text); the text is shown once and never stored. Raises ValidationError
    (Persian) for an empty name or when the user already has MAX_ACTIVE active tokens, PermissionDenied
    for an anonymous or inactive user.
    """
    if by is None or not by.is_authenticated or not by.is_active:
        raise PermissionDenied("برای ساختن کلید باید وارد شده باشید.")
    name = normalize(name)
    if not name:
        raise ValidationError({"name": "برای کلید نامی بنویسید، مثلاً «وبگاه اداره کل»."})
    # The user's row is locked so two requests at once cannot both make the tenth token.
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()
    if ApiToken.objects.filter(user=by, revoked_at__isnull=True).count() >= MAX_ACTIVE:
        raise ValidationError({"name": f"بیش از {to_persian_digits(MAX_ACTIVE)} کلید فعال نمی‌توانید داشته "
                                       "باشید؛ نخست یکی را باطل کنید."})
    prefix = secrets.token_hex(4)
    text = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=by, name=name, prefix=prefix, digest=digest(text))
    token.full_clean()
    token.save()
    log_action(actor=by, action="api.token_created", summary=f"کلید API «{name}» ساخته شد", target=token)
    return token, text


def token_revoke(*, by, token: ApiToken) -> ApiToken:
    """Revoke `token` (owned by `by`); a revoked token is refused from the next request on.

    Raises PermissionDenied when `by` does not own it. Revoking twice keeps the first time.
    """
    if token.user_id != getattr(by, "pk", None):
        raise PermissionDenied("این کلید از آنِ شما نیست.")
    # A conditional update: of two revocations at once only the one that changed the row logs.
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    if changed:
        log_action(actor=by, action="api.token_revoked", summary=f"کلید API «{token.name}» باطل شد", target=token)
    return token


def user_for(text: str | None):
    """The active user whose active token is `text` (the Bearer value), or None.

    Marks the token used at most once a minute (one UPDATE), so reads do not write on every request.
    """
    if not text or not text.startswith(f"{SCHEME}_") or len(text) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(text), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
