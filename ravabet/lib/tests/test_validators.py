import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ravabet.lib.validators import national_code_is_valid, normalize_mobile, validate_mobile, validate_national_code


@pytest.mark.parametrize("raw", ["09123456789", "+989123456789", "00989123456789", "989123456789", "9123456789",
                                 "۰۹۱۲۳۴۵۶۷۸۹", "٠٩١٢٣٤٥٦٧٨٩", "0912 345 6789", "0912-345-6789", "+98 912 345 6789"])
def test_every_common_form_of_a_mobile_number_becomes_09xxxxxxxxx(raw):
    assert normalize_mobile(raw) == "09123456789"
    validate_mobile(raw)


@pytest.mark.parametrize("raw", ["0912345678", "08123456789", "091234567890", "abc", "+1 555 123 4567"])
def test_invalid_mobile_numbers_get_a_persian_message(raw):
    with pytest.raises(ValidationError) as error:
        validate_mobile(raw)
    assert "شماره همراه" in error.value.messages[0]


@pytest.mark.parametrize("code", ["0499370899", "0790419904", "1111111112"[:0] + "0084575948"])
def test_real_national_codes_pass_their_check_digit(code):
    assert national_code_is_valid(code)


def test_a_national_code_with_a_wrong_check_digit_is_refused_in_persian():
    with pytest.raises(ValidationError) as error:
        validate_national_code("0499370898")
    assert "رقم کنترل" in error.value.messages[0]


def test_national_code_in_persian_digits_is_accepted():
    validate_national_code("۰۴۹۹۳۷۰۸۹۹")


def test_repeated_digit_national_codes_are_refused():
    assert not national_code_is_valid("1111111111")


@given(st.text(max_size=30))
def test_normalize_mobile_never_crashes(text):
    assert isinstance(normalize_mobile(text), str)


@given(st.from_regex(r"\A9[0-9]{9}\Z"))
def test_any_nine_prefixed_number_normalises_to_a_valid_mobile(digits):
    assert normalize_mobile(digits) == "0" + digits
    validate_mobile("+98" + digits)


def test_django_validator_messages_in_persian_digits():
    """Django's own messages (a form without the mixin, a model's full_clean) read Persian digits (issue 12 §4)."""
    import datetime as dt
    import re as re_

    from django import forms
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.core.validators import MaxValueValidator, MinValueValidator

    class Plain(forms.Form):
        name = forms.CharField(max_length=5000, min_length=3)
        count = forms.IntegerField(max_value=1200)
        amount = forms.DecimalField(max_digits=4, decimal_places=1)
        day = forms.DateField(validators=[MinValueValidator(dt.date(2026, 11, 30))])

    form = Plain(data={"name": "x" * 5001, "count": "1201", "amount": "123.45", "day": "2026-01-01"})
    assert not form.is_valid()
    messages = {name: " ".join(errors) for name, errors in form.errors.items()}
    assert "۵٬۰۰۰" in messages["name"] and "۵٬۰۰۱" in messages["name"]
    assert "۱٬۲۰۰" in messages["count"]
    assert "۴" in messages["amount"]
    assert "۱۴۰۵/۰۹/۰۹" in messages["day"]
    for text in messages.values():
        assert not re_.search("[0-9]", text), text
    try:
        MaxValueValidator(5)(6)
    except DjangoValidationError as error:
        assert error.messages == ["این مقدار حداکثر ۵ می‌تواند باشد."]
