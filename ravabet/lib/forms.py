"""Form fields for Jalali dates and Persian text."""

import datetime as dt

from django import forms

from . import jalali
from .digits import to_persian_digits
from .text import has_bidi_control, normalize


class JalaliDateInput(forms.TextInput):
    """A text box that the vendored Jalali picker (static/vendor/jalalidatepicker) decorates."""

    input_type = "text"

    def __init__(self, attrs=None, *, with_time: bool = False):
        base = {"data-jdp": "", "autocomplete": "off", "dir": "ltr", "inputmode": "numeric",
                "placeholder": "سال/ماه/روز ساعت:دقیقه" if with_time else "سال/ماه/روز"}
        if with_time:
            base["data-jdp-time"] = ""
        super().__init__({**base, **(attrs or {})})
        self.with_time = with_time

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            return jalali.format_datetime(value, persian=False)
        if isinstance(value, dt.date):
            return jalali.format_date(value, persian=False)
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
    """Free text normalised with hazm before it is saved; bidi overrides are refused."""

    def to_python(self, value):
        value = super().to_python(value)
        if value and has_bidi_control(value):
            raise forms.ValidationError(
                "متن نویسه‌های کنترلی جهت (مانند RLO) دارد که نمایش آن را وارونه می‌کند؛ آن‌ها را پاک کنید.",
                code="bidi",
            )
        return normalize(value) if value else value


class PersianTextField(PersianCharField):
    widget = forms.Textarea


class PersianFormMixin:
    """Bootstrap classes on every widget and Persian length messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect,
                                                             forms.CheckboxSelectMultiple)) else \
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            max_length = getattr(field, "max_length", None)
            if max_length:
                field.error_messages["max_length"] = (
                    f"این متن حداکثر {to_persian_digits(max_length)} نویسه می‌تواند باشد؛ کوتاه‌ترش کنید."
                )
            field.error_messages.setdefault("required", "این بخش را پر کنید.")
            field.error_messages["required"] = "این بخش را پر کنید."
