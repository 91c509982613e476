"""The lib form fields: any digits in, Persian digits out, Persian messages, blank text refused (issue 12)."""

from decimal import Decimal

import pytest
from django import forms

from ravabet.lib.forms import BLANK_MESSAGE, JalaliDateField, PersianCharField, PersianFormMixin


class SampleForm(PersianFormMixin, forms.Form):
    companions = forms.IntegerField(min_value=0, max_value=10, required=False)
    hours = forms.DecimalField(max_digits=6, decimal_places=1, min_value=Decimal("0.5"))
    share = forms.FloatField(required=False)
    title = forms.CharField(max_length=50)
    note = PersianCharField(max_length=5000, widget=forms.Textarea)
    day = JalaliDateField(required=False)


def form(**data):
    return SampleForm(data={"hours": "1", "title": "عنوان", "note": "متن", **data})


@pytest.mark.parametrize("typed,value", [("۲", 2), ("٣", 3), ("7", 7), (" ۱۰ ", 10)])
def test_whole_numbers_in_any_digits(typed, value):
    f = form(companions=typed)
    assert f.is_valid(), f.errors
    assert f.cleaned_data["companions"] == value


@pytest.mark.parametrize("typed,value", [("۱۲٫۵", Decimal("12.5")), ("12.5", Decimal("12.5")), ("۱۲/۵", Decimal("12.5")),
                                         ("١٢٫٥", Decimal("12.5")), ("۱٬۲۳۴", Decimal("1234"))])
def test_decimals_in_any_digits_and_separators(typed, value):
    f = form(hours=typed)
    assert f.is_valid(), f.errors
    assert f.cleaned_data["hours"] == value


def test_float_with_persian_separator():
    f = form(share="۰٫۲۵")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["share"] == 0.25


def test_number_boxes_are_text_inputs_with_inputmode_and_persian_digits():
    f = SampleForm(initial={"companions": 2, "hours": Decimal("12.5"), "share": 0.25})
    html = str(f["companions"]) + str(f["hours"]) + str(f["share"])
    assert 'type="number"' not in html and 'type="text"' in html
    assert 'inputmode="numeric"' in str(f["companions"]) and 'inputmode="decimal"' in str(f["hours"])
    assert 'value="۲"' in html and 'value="۱۲٫۵"' in html and 'value="۰٫۲۵"' in html
    assert "min=" not in html and "max=" not in html


@pytest.mark.parametrize("data,field,message", [
    ({"companions": "۱۱"}, "companions", "این عدد حداکثر ۱۰ می‌تواند باشد."),
    ({"companions": "-۱"}, "companions", "این عدد دست‌کم ۰ باید باشد."),
    ({"companions": "دو"}, "companions", "یک عدد درست (بی‌اعشار) بنویسید، مانند ۱۲."),
    ({"hours": "۰٫۱"}, "hours", "این عدد دست‌کم ۰٫۵ باید باشد."),
    ({"hours": "۱٫۲۵"}, "hours", "حداکثر ۱ رقم پس از «٫» بنویسید."),
    ({"hours": "۱۲۳۴۵۶"}, "hours", "حداکثر ۵ رقم پیش از «٫» بنویسید."),
    ({"title": "ا" * 51}, "title", "این متن حداکثر ۵۰ نویسه می‌تواند باشد؛ کوتاه‌ترش کنید."),
])
def test_messages_have_persian_digits(data, field, message):
    f = form(**data)
    assert not f.is_valid()
    assert f.errors[field] == [message]


@pytest.mark.parametrize("blank", ["   ", "\u200c", " \u200c \u200f", "\u200b", "ـ"])
@pytest.mark.parametrize("field", ["title", "note"])
def test_required_text_of_only_invisible_characters_is_refused(blank, field):
    f = form(**{field: blank})
    assert not f.is_valid()
    assert f.errors[field][0] in {BLANK_MESSAGE, "این بخش را پر کنید."}


def test_long_text_has_a_counter_not_a_maxlength_and_keeps_the_typed_text():
    long_text = "متن " * 1300
    f = form(note=long_text)
    html = str(f["note"]) + str(f["title"])
    assert "maxlength" not in html
    assert 'data-max-length="5000"' in html and 'data-max-length="50"' in html
    assert not f.is_valid()
    assert "۵٬۰۰۰" in f.errors["note"][0]  # the one number format: «٬» between thousands
    assert long_text.strip() in str(f["note"]).replace("\n", "")


def test_stored_dates_show_persian_digits_typed_text_stays():
    import datetime as dt

    assert 'value="۱۴۰۵/۰۹/۰۹"' in str(SampleForm(initial={"day": dt.date(2026, 11, 30)})["day"])
    f = form(day="1405/13/40")
    assert not f.is_valid() and 'value="1405/13/40"' in str(f["day"])
    f = form(day="۱۴۰۵/۰۹/۰۹")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["day"] == dt.date(2026, 11, 30)
