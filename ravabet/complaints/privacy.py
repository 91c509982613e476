"""Who may see a complainant's name, mobile and national code, and how others see them."""

from ravabet.offices.roles import UNIT_ROLES


def can_see_personal_data(access, case) -> bool:
    """The unit's PR officer and manager, and the person the case was referred to. HQ sees it masked."""
    if access.has_role(case.unit_id, UNIT_ROLES):
        return True
    person = case.referred_to
    return bool(person and person.user_id and person.user_id == access.user.pk)


def _mask_text(value: str, keep: int = 1) -> str:
    if not value:
        return ""
    words = value.split()
    return " ".join(word[:keep] + "*" * max(len(word) - keep, 2) for word in words)


def mask(case) -> dict[str, str]:
    mobile = case.citizen_mobile
    code = case.citizen_national_code
    return {
        "name": _mask_text(case.citizen_name),
        "mobile": f"{mobile[:4]}***{mobile[-2:]}" if mobile else "",
        "national_code": f"*******{code[-3:]}" if code else "",
    }
