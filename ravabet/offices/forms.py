from django import forms

from ravabet.lib.digits import to_latin_digits
from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.lib.validators import normalize_mobile, validate_mobile, validate_national_code

from .models import Closure, Person


class MobileField(forms.CharField):
    """Any common way of writing an Iranian mobile number, stored as 09xxxxxxxxx."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"dir": "ltr", "inputmode": "tel", "placeholder": "۰۹۱۲۳۴۵۶۷۸۹"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        validate_mobile(value)
        return normalize_mobile(value)


class NationalCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(**kwargs)
        self.widget.attrs.update({"dir": "ltr", "inputmode": "numeric"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        value = to_latin_digits(value).strip()
        validate_national_code(value)
        return value


class PersonForm(PersianFormMixin, forms.ModelForm):
    full_name = PersianCharField(label="نام و نام خانوادگی", max_length=120)
    position = PersianCharField(label="سمت", max_length=120, required=False)
    mobile = MobileField(label="شماره همراه", required=False)
    national_code = NationalCodeField(label="کد ملی", required=False)

    class Meta:
        model = Person
        fields = ["full_name", "position", "mobile", "email", "national_code", "sms_opt_out"]


class NewPersonForm(SubmitTokenMixin, PersonForm):
    """The staff-person form of a new person: with the one-time token, so a double submit adds one person."""


class ClosureForm(PersianFormMixin, forms.ModelForm):
    date = JalaliDateField(label="تاریخ")
    title = PersianCharField(label="علت", max_length=150)

    class Meta:
        model = Closure
        fields = ["date", "title"]
        error_messages = {"date": {"unique": "برای این روز پیش‌تر تعطیلی ثبت شده است."}}
