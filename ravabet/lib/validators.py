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


class PersianMessage(str):
    """A validator message whose %-parameters are shown in Persian digits: Django formats
    `message % params` only when the error is shown (ValidationError.__iter__), so numbers (limits,
    lengths) are written «۵٬۰۰۰» and dates as Jalali dates in Persian digits. Issue 12, point 4."""

    def __mod__(self, params):
        if isinstance(params, dict):
            params = {name: _persian_param(value) for name, value in params.items()}
        return str.__mod__(self, params)


def _persian_param(value):
    import datetime as dt
    from decimal import Decimal

    from . import jalali
    from .digits import format_number

    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return jalali.format_datetime(value, persian=True)
    if isinstance(value, dt.date):
        return jalali.format_date(value, persian=True)
    return value


def use_persian_validator_messages() -> None:
    """Django's own validator messages (length, min/max, step, decimal digits, file name length) in Persian
    with Persian digits, for every form and every model's full_clean (called from LibConfig.ready).
    Forms built on PersianFormMixin set their own field messages; these cover everything else."""
    from django import forms
    from django.core import validators

    validators.MaxLengthValidator.message = PersianMessage(
        "این متن حداکثر %(limit_value)s نویسه می‌تواند باشد (اکنون %(show_value)s نویسه است)؛ کوتاه‌ترش کنید.")
    validators.MinLengthValidator.message = PersianMessage(
        "این متن دست‌کم %(limit_value)s نویسه باشد (اکنون %(show_value)s نویسه است).")
    validators.MaxValueValidator.message = PersianMessage("این مقدار حداکثر %(limit_value)s می‌تواند باشد.")
    validators.MinValueValidator.message = PersianMessage("این مقدار دست‌کم %(limit_value)s باید باشد.")
    validators.StepValueValidator.message = PersianMessage("این عدد باید مضربی از %(limit_value)s باشد.")
    validators.DecimalValidator.messages = {
        **validators.DecimalValidator.messages,
        "max_digits": PersianMessage("این عدد حداکثر %(max)s رقم دارد."),
        "max_decimal_places": PersianMessage("حداکثر %(max)s رقم پس از «٫» بنویسید."),
        "max_whole_digits": PersianMessage("حداکثر %(max)s رقم پیش از «٫» بنویسید."),
    }
    forms.FileField.default_error_messages = {
        **forms.FileField.default_error_messages,
        "max_length": PersianMessage("نام پرونده حداکثر %(max)s نویسه می‌تواند باشد (اکنون %(length)s نویسه است)."),
    }
