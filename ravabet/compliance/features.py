from ravabet.compliance.registry import Feature, register_feature
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES

register_feature(
    Feature(key="compliance.scorecard", title="ارزیابی واحدها (امتیاز، رتبه، نقشه گرمایی)", url_name="compliance:scorecard",
            items=(), roles=HQ_ROLES | UNIT_ROLES, section="A"),
)
