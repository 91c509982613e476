from django import forms

from ravabet.lib.digits import to_latin_digits
from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.offices.models import Person

from .models import Place, PlaceKind


class NumberField(forms.DecimalField):
    """A number typed with Persian, Arabic or Latin digits and «٫» or «.» as the decimal point."""

    def to_python(self, value):
        if isinstance(value, str):
            value = to_latin_digits(value).replace("٫", ".").replace("٬", "").strip()
        return super().to_python(value)


def _people(unit):
    return Person.objects.filter(unit=unit, is_active=True).order_by("full_name")


class PlaceForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    name = PersianCharField(label="نام محل", max_length=200)
    kind = forms.ChoiceField(label="نوع محل", choices=PlaceKind.choices)
    address = PersianCharField(label="نشانی", max_length=300, required=False)
    latitude = NumberField(label="عرض جغرافیایی (اختیاری)", required=False, max_digits=9, decimal_places=6,
                           min_value=-90, max_value=90, help_text="به درجه‌ی اعشاری، مانند ۳۵٫۶۹۹۷",
                           widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}))
    longitude = NumberField(label="طول جغرافیایی (اختیاری)", required=False, max_digits=9, decimal_places=6,
                            min_value=-180, max_value=180, help_text="به درجه‌ی اعشاری، مانند ۵۱٫۳۳۷۷",
                            widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}))
    every_days = NumberField(label="بازدید هر چند روز یک بار", min_value=1, max_value=730, initial=90,
                             max_digits=3, decimal_places=0, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    is_active = forms.BooleanField(label="فعال (در پیشنهاد بازدید بیاید)", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude", "every_days"):
            field = self.fields[name]
            field.error_messages.update(invalid="یک عدد بنویسید.", min_value="عدد کوچک‌تر از اندازه است.",
                                        max_value="عدد بزرگ‌تر از اندازه است.",
                                        max_decimal_places="حداکثر شش رقم پس از ممیز.",
                                        max_digits="عدد بیش از اندازه بلند است.")

    def clean_every_days(self):
        return int(self.cleaned_data["every_days"])


class VisitForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    site = forms.ModelChoiceField(label="محل از فهرست محل‌های تحت پوشش", required=False, queryset=None,
                                  empty_label="— محل ثبت‌نشده (در کادر پایین بنویسید) —")
    place = PersianCharField(label="محل بازدید", max_length=200, required=False,
                             help_text="اگر محل را از فهرست برگزیده‌اید، خالی بگذارید.")
    place_kind = forms.ChoiceField(label="نوع محل", choices=[("", "همان نوع محل ثبت‌شده")] + PlaceKind.choices,
                                   required=False)
    address = PersianCharField(label="نشانی", max_length=300, required=False)
    purpose = PersianTextField(label="هدف بازدید", widget=forms.Textarea(attrs={"rows": 3}))
    planned_on = JalaliDateField(label="تاریخ بازدید")
    team = forms.ModelMultipleChoiceField(label="همراهان (از فهرست کارکنان)", required=False,
                                          queryset=Person.objects.none(),
                                          widget=forms.SelectMultiple(attrs={"size": 6}),
                                          help_text="با نگه‌داشتن Ctrl چند نفر را برگزینید.")

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = _people(unit)
        self.fields["team"].error_messages["invalid_choice"] = "این کارمند در فهرست کارکنان این واحد نیست."
        self.fields["site"].queryset = Place.objects.filter(unit=unit, is_active=True).order_by("name")
        self.fields["site"].error_messages["invalid_choice"] = "این محل در فهرست محل‌های این واحد نیست."

    def clean(self):
        data = super().clean()
        if not data.get("site") and not data.get("place") and "place" not in self.errors:
            self.add_error("place", "محل بازدید را از فهرست برگزینید یا بنویسید.")
        if not data.get("site") and not data.get("place_kind"):
            data["place_kind"] = PlaceKind.OTHER
        return data


class RecordForm(PersianFormMixin, forms.Form):
    done_on = JalaliDateField(label="تاریخ انجام")
    findings = PersianTextField(label="یافته‌ها و مشاهدات", widget=forms.Textarea(attrs={"rows": 5}))


class ReplanForm(PersianFormMixin, forms.Form):
    planned_on = JalaliDateField(label="تاریخ تازه")


class PhotoForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    file = forms.FileField(label="عکس (JPEG، PNG، WebP یا HEIC گوشی، تا ۱۰ مگابایت)",
                           error_messages={"required": "عکسی برگزینید.", "empty": "پرونده خالی است."})
    caption = PersianCharField(label="شرح عکس", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "عکسی برگزینید."
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"


class ActionForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    title = PersianCharField(label="اقدام پیگیری", max_length=300)
    owner = forms.ModelChoiceField(label="مسئول", queryset=Person.objects.none(), empty_label="برگزینید")
    due_on = JalaliDateField(label="مهلت")

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(unit)
        self.fields["owner"].error_messages["invalid_choice"] = "این کارمند در فهرست کارکنان این واحد نیست."
