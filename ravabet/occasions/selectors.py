"""Reads other parts make of the occasions calendar."""

import datetime as dt
from functools import lru_cache

from django.db.models import Q, QuerySet

from ravabet.lib import jalali

from .models import Occasion


def calendar_choices(*, keep: int | None = None, days: int = 90) -> QuerySet:
    """The calendar's occasions a form offers (news, ticker texts, announcements refer to one by foreign
    key, issue 9): those within `days` days of today, and the one already chosen (`keep`, an id)."""
    today = jalali.today()
    near = Q(date__gte=today - dt.timedelta(days=days), date__lte=today + dt.timedelta(days=days))
    return Occasion.objects.filter(near | Q(pk=keep) if keep else near).order_by("date", "pk")


@lru_cache(maxsize=4096)
def _compact(text: str) -> str:
    from ravabet.lib.text import search_key

    # A lone «ی» is the ezafe written after a ZWNJ («هفته‌ی دولت»), which «هفته دولت» leaves out.
    return "".join(word for word in search_key(text).split(" ") if word != "ی")


def match_occasion(text: str, around: dt.date | None, occasions: list[tuple[int, str, dt.date]],
                   *, within: int = 60) -> int | None:
    """The id of the calendar occasion that `text` (an occasion typed as free text) names, dated nearest
    to `around` and at most `within` days from it; None when none is that near or the text names none.
    `occasions` holds (id, title, date). Spacing, ZWNJ and a written ezafe («دهه‌ی فجر») are forgiven.
    Used by the data migrations of news and messaging that turned their typed occasion into a foreign key."""
    key = _compact(text)
    if len(key) < 3 or around is None:
        return None
    best = None
    for pk, title, date in occasions:
        title_key = _compact(title)
        if title_key != key and not (len(title_key) >= 4 and (title_key in key or key in title_key)):
            continue
        distance = abs((date - around).days)
        if distance <= within and (best is None or distance < best[0]):
            best = (distance, pk)
    return best[1] if best else None
