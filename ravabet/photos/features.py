from ravabet.compliance.registry import Feature, register_feature
from ravabet.offices.roles import HQ_ROLES

register_feature(
    Feature(key="photos.rules", title="قواعد عکس (افقی، باکیفیت، غیرتکراری، غیرانفرادی)", url_name="photos:rules",
            items=("F3",), roles=HQ_ROLES),
)
