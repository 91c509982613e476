"""The five roles of a membership, and what each may see."""

from django.db import models


class Role(models.TextChoices):
    HQ_HEAD = "hq_head", "رئیس روابط عمومی اداره کل"
    HQ_EXPERT = "hq_expert", "کارشناس روابط عمومی اداره کل"
    UNIT_MANAGER = "unit_manager", "رئیس اداره"
    PR_OFFICER = "pr_officer", "مسئول روابط عمومی"
    STAFF = "staff", "کارمند"


HQ_ROLES = frozenset({Role.HQ_HEAD, Role.HQ_EXPERT})
UNIT_ROLES = frozenset({Role.UNIT_MANAGER, Role.PR_OFFICER})
# Roles that work with a unit's records (everyone but plain staff).
WORK_ROLES = HQ_ROLES | UNIT_ROLES
ALL_ROLES = frozenset(Role)
