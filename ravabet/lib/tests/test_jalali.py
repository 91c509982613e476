import datetime as dt

import pytest
from django import forms

from ravabet.lib import jalali
from ravabet.lib.forms import JalaliDateField, JalaliDateTimeField, PersianCharField
from ravabet.lib.templatetags.persian import fa_number, jdate, jlong


@pytest.mark.parametrize("text", ["1405/09/05", "۱۴۰۵/۰۹/۰۵", "١٤٠٥/٠٩/٠٥", "1405-9-5", "1405.09.05"])
def test_jalali_dates_parse_from_any_digits_and_separators(text):
    assert jalali.parse_date(text) == dt.date(2026, 11, 26)


@pytest.mark.parametrize("text,message", [("1405/13/40", "ماه"), ("1405/12/31", "این روز را ندارد"),
                                          ("14/09/05", "سال/ماه/روز"), ("99/1/1", "سال/ماه/روز"),
                                          ("2026/11/26", "سال را چهار رقمی"), ("فردا", "سال/ماه/روز")])
def test_malformed_dates_get_a_clear_persian_message(text, message):
    field = JalaliDateField()
    with pytest.raises(forms.ValidationError) as error:
        field.clean(text)
    assert message in error.value.messages[0]


def test_a_leap_esfand_30_is_accepted_in_a_leap_year_only():
    assert jalali.parse_date("1403/12/30") == dt.date(2025, 3, 20)
    with pytest.raises(jalali.JalaliParseError):
        jalali.parse_date("1404/12/30")


def test_datetime_field_gives_an_aware_tehran_time():
    value = JalaliDateTimeField().clean("۱۴۰۵/۰۹/۰۵ ۱۴:۳۰")
    assert value.tzinfo is not None
    assert jalali.format_datetime(value) == "۱۴۰۵/۰۹/۰۵ ۱۴:۳۰"


def test_datetime_field_refuses_an_impossible_hour():
    with pytest.raises(forms.ValidationError):
        JalaliDateTimeField().clean("1405/09/05 25:10")


def test_filters_write_persian_month_names_and_digits():
    day = dt.date(2026, 11, 26)
    assert jdate(day) == "۱۴۰۵/۰۹/۰۵"
    assert jlong(day) == "پنجشنبه ۵ آذر ۱۴۰۵"
    assert fa_number(1234567) == "۱٬۲۳۴٬۵۶۷"


def test_month_bounds_cover_a_whole_jalali_month():
    first, last = jalali.month_bounds(1405, 12)
    assert jalali.format_date(first, persian=False) == "1405/12/01"
    assert (last - first).days + 1 in (29, 30)


def test_persian_text_field_unifies_arabic_letters_and_refuses_bidi_overrides():
    field = PersianCharField(max_length=50)
    assert field.clean("كرمان و يزد") == "کرمان و یزد"
    with pytest.raises(forms.ValidationError) as error:
        field.clean("abc\u202edef")
    assert "جهت" in error.value.messages[0]


def test_overlong_text_gets_a_persian_message_with_the_limit():
    from ravabet.lib.forms import PersianFormMixin

    class Form(PersianFormMixin, forms.Form):
        title = PersianCharField(max_length=10)

    form = Form(data={"title": "ا" * 30})
    assert not form.is_valid()
    assert "۱۰" in form.errors["title"][0] or "10" in form.errors["title"][0]
    assert form["title"].value() == "ا" * 30


def test_the_blank_choice_of_a_select_is_persian():
    from django.forms import modelform_factory

    from ravabet.offices.models import Membership

    html = str(modelform_factory(Membership, fields=["role"])()["role"])
    assert "انتخاب کنید" in html
    assert "Select an option" not in html


def test_run_service_shows_the_refusal_or_the_success(rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.core.exceptions import ValidationError

    from ravabet.lib.actions import run_service

    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)

    def refuse():
        raise ValidationError("این کار اکنون ممکن نیست.")

    assert run_service(request, refuse, "انجام شد.") is False
    assert run_service(request, lambda: None, "انجام شد.") is True
    assert [str(m) for m in get_messages(request)] == ["این کار اکنون ممکن نیست.", "انجام شد."]


def test_a_date_time_box_asks_the_picker_for_hour_and_minute_and_a_date_box_for_the_day_only():
    # Issue 18.4: the picker runs with its time part on; a date box opts out with the picker's own attribute.
    when = JalaliDateTimeField().widget.render("when", None)
    day = JalaliDateField().widget.render("day", None)
    assert "data-jdp-time" in when and "data-jdp-only-date" not in when
    assert "data-jdp-only-date" in day and "data-jdp-time" not in day
    # What the picker writes when a day is picked (the lists' hour and minute) is accepted, in either digits.
    expected = jalali.parse_datetime("1405/10/15 14:30")
    assert JalaliDateTimeField().clean("1405/10/15 14:30") == JalaliDateTimeField().clean("۱۴۰۵/۱۰/۱۵ ۱۴:۳۰") == expected
