from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

from ravabet.compliance.catalog import sections
from ravabet.compliance.registry import FEATURES, nav_features
from ravabet.outbox.services import unread_count

# Short section names for the navigation bar; the catalog page shows the instruction's full titles.
NAV_TITLES = {"A": "برنامه‌ریزی", "B": "اطلاع‌رسانی", "C": "ارتباطات رسانه‌ای", "D": "پاسخگویی",
              "E": "امور فرهنگی", "F": "مراسم و مناسبت‌ها"}


# Navigation per set of roles, built once per worker (issue 11: reversing every feature's URL on every page
# cost ~40 `reverse()` calls a request). Keyed on the roles, the script prefix and the registry's size, so a
# feature registered later (tests) or a different mount point builds its own entry.
_NAV_CACHE: dict[tuple, list[dict]] = {}
_NAV_HTML: dict[tuple, SafeString] = {}  # the same entries drawn (navigation_html)


def _nav_key(roles: frozenset[str]) -> tuple:
    return roles, get_script_prefix(), len(FEATURES)


def forget_navigation() -> None:
    """Empties this process's built navigation (entries and drawn menus); the next page builds them again."""
    _NAV_CACHE.clear()
    _NAV_HTML.clear()


def navigation(roles: frozenset[str]) -> list[dict]:
    """The navigation bar for someone holding `roles` (role names): a list of {"section", "title",
    "features": [{"title", "url"}]} in the instruction's section order, only sections with a feature the
    roles see. Built once per (roles, script prefix, registry) and shared by every request (read-only)."""
    key = _nav_key(roles)
    nav = _NAV_CACHE.get(key)
    if nav is None:
        features = nav_features(roles)
        nav = []
        for section in sections():
            entries = [{"title": f.title, "url": f.url()} for f in features if f.nav_section == section.code]
            if entries:
                nav.append({"section": section, "title": NAV_TITLES.get(section.code, section.title),
                            "features": entries})
        _NAV_CACHE[key] = nav
    return nav


def navigation_html(roles: frozenset[str]) -> SafeString:
    """The navigation bar's section menus (includes/nav_sections.html over `navigation(roles)`) as HTML,
    drawn once per (roles, script prefix, registry) and shared by every request: drawing the 30-odd menu
    entries on every staff page cost about a millisecond (issue 11). Nothing in it depends on the request."""
    key = _nav_key(roles)
    html = _NAV_HTML.get(key)
    if html is None:
        html = _NAV_HTML[key] = SafeString(render_to_string("includes/nav_sections.html",
                                                            {"nav_sections": navigation(roles)}))
    return html


def shell(request):
    """Navigation by the instruction's six sections, the unit switcher and the notice count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": "روابط"}
    access = request.access
    return {
        "site_name": "روابط",
        "nav_html": navigation_html(frozenset(m.role for m in access.memberships)),
        "current_unit": access.current_unit,
        "switchable_units": access.units,
        "unread_notices": unread_count(user),
        "debug": settings.DEBUG,
    }
