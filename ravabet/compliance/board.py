"""The evaluation board: a period's scores and trend for every county unit, scored at most once every
`COMPLIANCE_LIVE_SECONDS` and read from the cache in between (issue 10 "Speed": the HQ page's p95 within
3× the bench's 20-row page at province scale).

Scoring a month for 30 units reads every measure's grouped aggregate over six periods (the trend); that
costs about a second at province scale, far more than a page may. HQ's evaluation page, a unit's own
view and the exports therefore read one `Board` — the `Evaluation` (scores only, no evidence ids), the
trend series and the moment it was scored — that is shared by every viewer (the scores do not depend on
who looks) and kept in the default cache (Redis in production, so every worker shares it).

A board is scored again:
- when it is older than `COMPLIANCE_LIVE_SECONDS` (default 300 s): new evidence shows within minutes,
  and the page says when the scores were worked out («محاسبه‌شده در ساعت …»);
- at once when someone presses «محاسبه دوباره» on the page (`refresh`);
- at once after anything that changes scores by itself: a quality mark, a weight set, a period frozen or
  recomputed, a unit added or renamed (`invalidate`, connected to those models' saves and deletes in
  `apps.py`, bumps the generation that every board key carries).
A frozen period's board reads the published snapshot; it is cached the same way.
The drill-down (`views.cell`) always reads the evidence live: it is one unit and one item.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.lib.generation import Generation, kept

from .evaluation import Evaluation, Period, evaluate, trend

BOARD = Generation("compliance:board:generation")


@dataclass
class Board:
    """One period's scores for every county unit (`result`, without evidence ids, with each unit's
    change), `series` ({unit id: [(period label, total out of 100), ...]} over the last six periods,
    oldest first) and `as_of` (aware datetime of the scoring)."""

    result: Evaluation
    series: dict[int, list[tuple[str, float]]]
    as_of: dt.datetime

    @property
    def is_live(self) -> bool:
        """True when the scores were worked out from the records (not a frozen period's snapshot)."""
        return self.result.frozen is None


def live_seconds() -> int:
    """How long (seconds) a live board is served before it is scored again: `COMPLIANCE_LIVE_SECONDS`."""
    return int(getattr(settings, "COMPLIANCE_LIVE_SECONDS", 300))


def generation() -> int:
    """The current generation number (int) every board key carries; `invalidate` moves it on."""
    return BOARD.current()


def invalidate(**_signal_kwargs) -> None:
    """Makes every cached board stale at once (a quality mark, weights, a frozen period, a unit changed).
    Usable as a signal receiver; returns nothing."""
    BOARD.move()


def board_key(period: Period, units: list, *, part: str = "scores") -> str:
    """The cache key (str) of `period`'s board for `units` (Unit rows: id and name, so a renamed or
    added unit gives a new key), in today's date (the running period's targets grow by the day);
    `part` names what is kept ("scores", or a rendered fragment's name)."""
    fingerprint = hashlib.blake2b(repr([(u.pk, u.name) for u in units]).encode(), digest_size=8).hexdigest()
    return f"compliance:board:{generation()}:{period.key}:{jalali.today().isoformat()}:{fingerprint}:{part}"


def score(period: Period, units: list) -> Board:
    """Scores `period` for `units` now (the trend's six periods in one pass, then the period and its
    change from the same memo) and returns a new Board; nothing is read from or written to the cache."""
    memo: dict = {}
    series = trend(period, units, memo=memo)
    result = evaluate(period, units, memo=memo, ids=False)
    return Board(result, series, timezone.now())


def board(period: Period, units: list, *, fresh: bool = False) -> Board:
    """`period`'s board for `units` (a list of Unit): from the cache while it is fresh, else scored now
    (`score`) and kept for `live_seconds()`; with `live_seconds()` 0 nothing is kept or read. `fresh=True`
    (the scheduled warming) scores it now whatever the cache holds and keeps that. «محاسبه دوباره» is
    `invalidate()` and then this."""
    found, _as_of = kept(board_key(period, units), lambda: score(period, units), live_seconds(), fresh=fresh)
    return found


# Parts this process drew or read from the shared cache, by key, with the wall-clock time (epoch seconds)
# until which they may be served: every key carries the board's generation and today's date, so a part
# here is exactly as fresh as the shared one, and serving it again reads neither the cache's ~230 KB nor
# unpickles it (issue 10 "Speed"). At most NEAR_PARTS are held; `forget_near` empties it (tests).
_near: dict[str, tuple[float, dict]] = {}
NEAR_PARTS = 64


def forget_near() -> None:
    """Empties this process's copies of the drawn parts (the next read goes to the shared cache)."""
    _near.clear()


def _keep_near(key: str, kept_until: float, found: dict) -> None:
    if len(_near) >= NEAR_PARTS:
        _near.pop(next(iter(_near)))
    _near[key] = (kept_until, found)


def fragment(period: Period, units: list, name: str, draw) -> dict:
    """A page part drawn from the board (`draw(board) -> dict`, e.g. {"html": ..., "as_of": ...}) and kept
    in the cache beside it under `name`: every HQ viewer sees the same ranking, heat map and trend (and
    everyone of a unit the same own view), so the 30 × 36 cells are drawn once per scoring, and a cached
    page neither unpickles the board nor draws anything. Kept only for what is left of the board's
    `live_seconds()`, so a part is never older than its board may be; each process also holds the parts
    it served (`_near`) until that same moment. Returns what `draw` returned."""
    key = board_key(period, units, part=name)
    now = time.time()
    found = None
    if live_seconds() > 0:
        found = _near.get(key)
        if found is None:
            found = cache.get(key)
            if isinstance(found, tuple):  # (kept until, part); anything else is from before and not used
                _keep_near(key, *found)
        if isinstance(found, tuple) and found[0] > now:
            return found[1]
        _near.pop(key, None)
    scored = board(period, units)
    drawn = draw(scored)
    left = live_seconds() - (timezone.now() - scored.as_of).total_seconds()
    if left >= 1:
        cache.set(key, (now + left, drawn), int(left))
        _keep_near(key, now + left, drawn)
    return drawn
