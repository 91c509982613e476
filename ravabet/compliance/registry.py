"""What each part of Ravabet declares about itself, in its own `features.py`:

- the features (pages) it offers, the instruction items each serves, and who sees them
  in the navigation;
- "to-do" entries for a unit's home page and "waiting for review" entries for HQ's.

    register_feature(Feature(key="news.mine", title="اخبار واحد", url_name="news:mine",
                             items=("B3", "B5"), roles=UNIT_WORK))
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
