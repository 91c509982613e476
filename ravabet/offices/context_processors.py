from django.conf import settings

from ravabet.compliance.catalog import sections
from ravabet.compliance.registry import nav_features

# Short section names for the navigation bar; the catalog page shows the instruction's full titles.
NAV_TITLES = {"A": "برنامه‌ریزی", "B": "اطلاع‌رسانی", "C": "ارتباطات رسانه‌ای", "D": "پاسخگویی",
              "E": "امور فرهنگی", "F": "مراسم و مناسبت‌ها"}


def shell(request):
    """Navigation by the instruction's six sections, the unit switcher and the notice count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": "روابط"}
    access = request.access
    roles = {m.role for m in access.memberships}
    features = nav_features(roles)
    nav = []
    for section in sections():
        entries = [f for f in features if f.nav_section == section.code]
        if entries:
            nav.append({"section": section, "title": NAV_TITLES.get(section.code, section.title),
                        "features": entries})
    return {
        "site_name": "روابط",
        "nav_sections": nav,
        "current_unit": access.current_unit,
        "switchable_units": access.units,
        "unread_notices": user.notifications.filter(read_at__isnull=True).count(),
        "debug": settings.DEBUG,
    }
