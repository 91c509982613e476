"""Validators and normalisers for Iranian identifiers."""

import re

from django.core.exceptions import ValidationError

from .digits import to_latin_digits

MOBILE_RE = re.compile(r"^09\d{9}$")


def normalize_mobile(value: str | None) -> str:
    """Bring a mobile number written in any common form to 09xxxxxxxxx.

    Accepts +98, 0098, 98, a leading 9, spaces, dashes and Persian or Arabic digits.
    Returns the cleaned digits even when they are not a valid mobile number,
    so that the validator can explain what is wrong.
    """
    if value is None:
        return ""
    digits = re.sub(r"[\s\-()\u200c.]", "", to_latin_digits(str(value)))
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0098"):
        digits = "0" + digits[4:]
    elif digits.startswith("98") and len(digits) == 12:
        digits = "0" + digits[2:]
    elif digits.startswith("9") and len(digits) == 10:
        digits = "0" + digits
    return digits


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_mobile(value)):
        raise ValidationError(
            "شماره همراه معتبر نیست؛ باید ۱۱ رقم و با ۰۹ شروع شود، مانند ۰۹۱۲۳۴۵۶۷۸۹.",
            code="invalid_mobile",
        )


def national_code_is_valid(value: str) -> bool:
    code = to_latin_digits(str(value or "")).strip()
    if not re.fullmatch(r"\d{10}", code) or len(set(code)) == 1:
        return False
    total = sum(int(code[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    check = int(code[9])
    return check == remainder if remainder < 2 else check == 11 - remainder


def validate_national_code(value: str) -> None:
    code = to_latin_digits(str(value or "")).strip()
    if not re.fullmatch(r"\d{10}", code):
        raise ValidationError("کد ملی باید ۱۰ رقم باشد.", code="national_code_length")
    if not national_code_is_valid(code):
        raise ValidationError("کد ملی معتبر نیست؛ رقم کنترل آن درست نیست.", code="national_code_check")
