"""What each part of Ravabet declares about itself, in its own `features.py`:

- the features (pages) it offers, the instruction items each serves, and who sees them
  in the navigation;
- "to-do" entries for a unit's home page and "waiting for review" entries for HQ's.

    register_feature(Feature(key="news.mine", title="اخبار واحد", url_name="news:mine",
                             items=("B3", "B5"), roles=UNIT_ROLES))
    register_todo(news_todo)        # fn(access, unit) -> list[HomeEntry]
    register_review(news_review)    # fn(access) -> list[HomeEntry]
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Feature:
    key: str
    title: str
    url_name: str
    items: tuple[str, ...]
    # Roles that see the feature in the navigation; empty means only the public side links it.
    roles: frozenset[str] = frozenset()
    public: bool = False
    # Navigation section; by default the section of the first item.
    section: str = ""
    in_nav: bool = True

    @property
    def nav_section(self) -> str:
        return self.section or self.items[0][0]

    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return ""


@dataclass
class HomeEntry:
    title: str
    url: str
    count: int = 0
    # "danger" for overdue, "warning" for due soon, "" otherwise.
    level: str = ""
    detail: str = ""
    extra: dict = field(default_factory=dict)


FEATURES: dict[str, Feature] = {}
TODO_PROVIDERS: list[Callable] = []
REVIEW_PROVIDERS: list[Callable] = []


def register_feature(*features: Feature) -> None:
    for feature in features:
        FEATURES[feature.key] = feature


def register_todo(provider: Callable) -> Callable:
    TODO_PROVIDERS.append(provider)
    return provider


def register_review(provider: Callable) -> Callable:
    REVIEW_PROVIDERS.append(provider)
    return provider


def features_for_item(code: str) -> list[Feature]:
    return [feature for feature in FEATURES.values() if code in feature.items]


def nav_features(roles: Iterable[str]) -> list[Feature]:
    held = set(roles)
    return [feature for feature in FEATURES.values() if feature.in_nav and feature.roles & held]


@dataclass(frozen=True)
class Indicator:
    """How many evidence records a unit produced for an instruction item in a date range.
    Plan items (A1) compute their progress from these; the scorecard uses them too."""

    item: str
    label: str
    count: Callable  # count(unit, start: date, end: date) -> int, inclusive dates


@dataclass(frozen=True)
class ReportSection:
    """One section of the monthly report (A2), contributed by the part that owns the records.

    `build(unit, start, end)` returns JSON-serialisable data, frozen into the report's
    snapshot when it is submitted:
        {"counts": [["label", 12], ...],
         "table": {"headers": ["...", ...], "rows": [["...", ...], ...]},   # optional
         "highlights": ["...", ...],                                        # optional
         "photos": ["/media/...jpg", ...]}                                  # optional, public copies
    """

    key: str
    title: str
    order: int
    items: tuple[str, ...]
    build: Callable


INDICATORS: dict[str, list[Indicator]] = {}
REPORT_SECTIONS: dict[str, ReportSection] = {}


def register_indicator(item: str, label: str):
    def decorator(count):
        INDICATORS.setdefault(item, []).append(Indicator(item=item, label=label, count=count))
        return count

    return decorator


def register_report_section(key: str, title: str, *, order: int, items: tuple[str, ...]):
    def decorator(build):
        REPORT_SECTIONS[key] = ReportSection(key=key, title=title, order=order, items=items, build=build)
        return build

    return decorator
