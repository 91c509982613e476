from django.urls import reverse

from ravabet.compliance.registry import (
    Feature,
    HomeEntry,
    register_feature,
    register_indicator,
    register_review,
    register_todo,
)
from ravabet.lib import jalali

from .models import ProfileState, UnitProfile
from .roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES

register_feature(
    Feature(key="offices.staff", title="فهرست کارکنان و شماره‌های همراه", url_name="offices:staff_list",
            items=("B11",), roles=HQ_ROLES | UNIT_ROLES),
    Feature(key="offices.units", title="واحدها", url_name="offices:unit_list", items=(),
            roles=HQ_ROLES, section="A"),
    Feature(key="offices.closures", title="تعطیلی‌های اعلام‌شده", url_name="offices:closures", items=(),
            roles=HQ_ROLES, section="A"),
)


# The unit's introduction and brochure (B9) ---------------------------------------------------------------

register_feature(
    Feature(key="offices.profiles", title="معرفی‌نامه و بروشور واحد", url_name="offices:profiles",
            items=("B9",), roles=WORK_ROLES),
)


@register_todo
def profile_todo(access, unit) -> list[HomeEntry]:
    """A county's home: its introduction came back for correction, or it has none at HQ yet."""
    if unit is None or unit.is_hq:
        return []
    states = set(UnitProfile.objects.filter(unit=unit).values_list("state", flat=True))
    if ProfileState.RETURNED in states:
        return [HomeEntry(title="معرفی‌نامه واحد برای اصلاح برگشته است", url=reverse("offices:profiles"),
                          count=1, level="warning")]
    if not states & {ProfileState.ACKNOWLEDGED, ProfileState.SUBMITTED}:
        return [HomeEntry(title="معرفی‌نامه و بروشور واحد را برای اداره کل بفرستید",
                          url=reverse("offices:profiles"), count=1)]
    return []


@register_review
def profile_review(access) -> list[HomeEntry]:
    """HQ's home: versions submitted by the units and not yet reviewed."""
    waiting = UnitProfile.objects.filter(unit__in=access.unit_ids(HQ_ROLES), state=ProfileState.SUBMITTED).count()
    if not waiting:
        return []
    return [HomeEntry(title="معرفی‌نامه واحد در انتظار بررسی",
                      url=f"{reverse('offices:profiles')}?state={ProfileState.SUBMITTED}", count=waiting)]


@register_indicator("B9", "نسخه معرفی‌نامه واحد فرستاده‌شده به اداره کل")
def b9_count(unit, start, end) -> int:
    """Versions of the unit's introduction submitted to HQ between two dates (both included)."""
    return UnitProfile.objects.filter(unit=unit, **jalali.in_days("submitted_at", start, end)).count()
