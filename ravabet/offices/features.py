from ravabet.compliance.registry import Feature, register_feature

from .roles import HQ_ROLES, UNIT_ROLES

register_feature(
    Feature(key="offices.staff", title="فهرست کارکنان و شماره‌های همراه", url_name="offices:staff_list",
            items=("B11",), roles=HQ_ROLES | UNIT_ROLES),
    Feature(key="offices.units", title="واحدها", url_name="offices:unit_list", items=(),
            roles=HQ_ROLES, section="A"),
    Feature(key="offices.closures", title="تعطیلی‌های اعلام‌شده", url_name="offices:closures", items=(),
            roles=HQ_ROLES, section="A"),
)
