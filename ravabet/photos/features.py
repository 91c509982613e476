from django.db.models import F

from ravabet.compliance.registry import Feature, register_feature, register_indicator
from ravabet.lib import jalali
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES

from .models import Photo, PhotoRules

register_feature(
    Feature(key="photos.library", title="کتابخانه عکس با گزارش قواعد", url_name="photos:library", items=("F3",),
            roles=HQ_ROLES | UNIT_ROLES),
    Feature(key="photos.rules", title="قواعد عکس (افقی، باکیفیت، غیرتکراری، غیرانفرادی)", url_name="photos:rules",
            items=("F3",), roles=HQ_ROLES),
)


@register_indicator("F3", "عکس‌های افقی، باکیفیت، غیرتکراری و غیرانفرادی")
def good_photos(unit, start, end) -> int:
    return Photo.objects.filter(unit=unit, **jalali.in_days("created_at", start, end), duplicate_of__isnull=True,
                                width__gt=F("height"), width__gte=PhotoRules.current().min_long_side) \
        .exclude(face_count=1).count()
