"""Form fields for Jalali dates, Persian text and numbers typed in any digits."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core import validators as django_validators

from . import jalali
from .digits import DECIMAL_SEPARATOR, format_number, parse_digits, to_persian_digits
from .text import has_bidi_control, is_blank, normalize

BLANK_MESSAGE = "این بخش را پر کنید؛ فاصله، نیم‌فاصله و نویسه‌های نامرئی به‌تنهایی متن به شمار نمی‌آیند."


class JalaliDateInput(forms.TextInput):
    """A text box that the vendored Jalali picker (static/vendor/jalalidatepicker) decorates.

    The picker is started with its time part on (ravabet.js): a date-time box (`with_time=True`, marked
    `data-jdp-time`) shows the calendar with hour and minute lists, and picking a day alone already fills
    «1405/09/15 14:30» with the hour and minute shown (the box's own time, else now), which the field accepts.
    A date box carries the picker's own `data-jdp-only-date`, so it gets the calendar only and «1405/09/15».
    """

    input_type = "text"

    def __init__(self, attrs=None, *, with_time: bool = False):
        base = {"data-jdp": "", "autocomplete": "off", "dir": "ltr", "inputmode": "numeric",
                "placeholder": "سال/ماه/روز ساعت:دقیقه" if with_time else "سال/ماه/روز"}
        base["data-jdp-time" if with_time else "data-jdp-only-date"] = ""
        super().__init__({**base, **(attrs or {})})
        self.with_time = with_time

    def format_value(self, value):
        """Stored dates in Persian digits; typed text back as typed (the fields accept any digits)."""
        if isinstance(value, dt.datetime):
            return jalali.format_datetime(value, persian=True)
        if isinstance(value, dt.date):
            return jalali.format_date(value, persian=True)
        return value


class JalaliDateField(forms.DateField):
    """Takes 1405/09/05 in Persian, Arabic or Latin digits; gives a Gregorian date."""

    widget = JalaliDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return jalali.parse_date(str(value))
        except jalali.JalaliParseError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class JalaliDateTimeField(forms.DateTimeField):
    """Takes 1405/09/05 14:30; gives an aware datetime."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", JalaliDateInput(with_time=True))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        try:
            return jalali.parse_datetime(str(value))
        except jalali.JalaliParseError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class PersianCharField(forms.CharField):
    """Free text kept as typed (only ي ى ك unified and the ends trimmed, see `lib.text.normalize`);
    bidi overrides are refused; text that is empty once spaces, ZWNJ and invisible characters are removed
    counts as empty, so a required field refuses it (issue 12, point 8)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value and is_blank(value):
            return ""
        if value and has_bidi_control(value):
            raise forms.ValidationError(
                "متن نویسه‌های کنترلی جهت (مانند RLO) دارد که نمایش آن را وارونه می‌کند؛ آن‌ها را پاک کنید.",
                code="bidi",
            )
        return normalize(value) if value else value


class PersianTextField(PersianCharField):
    widget = forms.Textarea


class PersianNumberInput(forms.TextInput):
    """The one number box: a text input with inputmode numeric (whole numbers) or decimal, showing Persian
    digits and «٫»; the field takes Persian, Arabic or Latin digits back (see `lib.digits.parse_digits`)."""

    def __init__(self, attrs=None, *, decimal: bool = False):
        base = {"inputmode": "decimal" if decimal else "numeric", "dir": "ltr", "autocomplete": "off",
                "data-number": "decimal" if decimal else "integer", "class": "form-control"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value  # what the person typed, shown back as typed
        if isinstance(value, float | Decimal):
            text = format(value, "f") if isinstance(value, Decimal) else repr(value)
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return to_persian_digits(text).replace(".", DECIMAL_SEPARATOR)
        return to_persian_digits(value)


def _persian_number_field(field: forms.Field) -> None:
    """Make a Django IntegerField, DecimalField or FloatField take any digits and show Persian ones."""
    decimal = isinstance(field, forms.DecimalField | forms.FloatField)  # both subclass IntegerField
    if isinstance(field.widget, forms.NumberInput) or type(field.widget) is forms.TextInput:
        attrs = {key: value for key, value in field.widget.attrs.items() if key not in {"min", "max", "step"}}
        field.widget = PersianNumberInput(attrs, decimal=decimal)
    original = field.to_python
    field.to_python = lambda value: original(parse_digits(value))
    if _default_message(field, "invalid"):
        field.error_messages["invalid"] = ("یک عدد بنویسید، مانند ۱۲ یا ۱۲٫۵." if decimal
                                           else "یک عدد درست (بی‌اعشار) بنویسید، مانند ۱۲.")
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if callable(limit) or limit is None:
            continue
        # A message the form wrote itself stays; Django's own (Latin digits) is replaced.
        if isinstance(validator, django_validators.MaxValueValidator):
            field.error_messages.setdefault("max_value", f"این عدد حداکثر {format_number(limit)} می‌تواند باشد.")
        elif isinstance(validator, django_validators.MinValueValidator):
            field.error_messages.setdefault("min_value", f"این عدد دست‌کم {format_number(limit)} باید باشد.")
        elif isinstance(validator, django_validators.StepValueValidator):
            field.error_messages.setdefault("step_size", f"این عدد باید مضربی از {format_number(limit)} باشد.")
    if isinstance(field, forms.DecimalField):
        if field.max_digits is not None:
            field.error_messages.setdefault("max_digits", f"این عدد حداکثر {to_persian_digits(field.max_digits)} رقم دارد.")
        if field.decimal_places is not None:
            if _default_message(field, "max_decimal_places"):
                field.error_messages["max_decimal_places"] = (
                    f"حداکثر {to_persian_digits(field.decimal_places)} رقم پس از «٫» بنویسید.")
            if _default_message(field, "max_whole_digits"):
                field.error_messages["max_whole_digits"] = (
                    f"حداکثر {to_persian_digits((field.max_digits or 0) - field.decimal_places)} رقم پیش از «٫» بنویسید.")


def _default_message(field: forms.Field, code: str) -> bool:
    """True when the field's message for `code` is Django's own (or none), not one the form wrote."""
    current = field.error_messages.get(code)
    if current is None:
        return True
    return any(str(current) == str(klass.__dict__.get("default_error_messages", {}).get(code))
               for klass in type(field).__mro__)


def _persian_text_field(field: forms.CharField) -> None:
    """Persian length messages, a live counter instead of a maxlength that cuts pasted text, and
    required text that is only spaces, ZWNJ or invisible characters refused."""
    max_length, min_length = field.max_length, field.min_length
    if max_length:
        field.error_messages["max_length"] = (
            f"این متن حداکثر {format_number(max_length)} نویسه می‌تواند باشد؛ کوتاه‌ترش کنید.")
        if field.widget.attrs.pop("maxlength", None) is not None or isinstance(field.widget, forms.Textarea):
            field.widget.attrs["data-max-length"] = str(max_length)
    if min_length:
        field.error_messages["min_length"] = f"این متن دست‌کم {format_number(min_length)} نویسه باشد."
    if field.required and not isinstance(field, PersianCharField):
        field.validators.append(_not_blank)


def _not_blank(value) -> None:
    if isinstance(value, str) and is_blank(value):
        raise forms.ValidationError(BLANK_MESSAGE, code="required")


class PersianFormMixin:
    """Bootstrap classes on every widget; Persian messages with Persian digits; one number box for every
    IntegerField, DecimalField and FloatField (any digits in, Persian digits shown); no maxlength cut but a
    live counter; required text of only spaces, ZWNJ or invisible characters refused (issue 12)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField) and \
                    not isinstance(field.widget, forms.HiddenInput):
                _persian_number_field(field)
            elif isinstance(field, forms.CharField):
                _persian_text_field(field)
            widget = field.widget
            css = "form-check-input" if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect,
                                                             forms.CheckboxSelectMultiple)) else \
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            field.error_messages["required"] = "این بخش را پر کنید."
