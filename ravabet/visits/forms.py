from django import forms

from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.offices.models import Person

from .models import PlaceKind


def _people(unit):
    return Person.objects.filter(unit=unit, is_active=True).order_by("full_name")


class VisitForm(PersianFormMixin, forms.Form):
    place = PersianCharField(label="محل بازدید", max_length=200)
    place_kind = forms.ChoiceField(label="نوع محل", choices=PlaceKind.choices)
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


class RecordForm(PersianFormMixin, forms.Form):
    done_on = JalaliDateField(label="تاریخ انجام")
    findings = PersianTextField(label="یافته‌ها و مشاهدات", widget=forms.Textarea(attrs={"rows": 5}))


class ReplanForm(PersianFormMixin, forms.Form):
    planned_on = JalaliDateField(label="تاریخ تازه")


class PhotoForm(PersianFormMixin, forms.Form):
    file = forms.FileField(label="عکس (JPEG، PNG یا WebP تا ۱۰ مگابایت)",
                           error_messages={"required": "عکسی برگزینید.", "empty": "پرونده خالی است."})
    caption = PersianCharField(label="شرح عکس", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "عکسی برگزینید."
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"


class ActionForm(PersianFormMixin, forms.Form):
    title = PersianCharField(label="اقدام پیگیری", max_length=300)
    owner = forms.ModelChoiceField(label="مسئول", queryset=Person.objects.none(), empty_label="برگزینید")
    due_on = JalaliDateField(label="مهلت")

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(unit)
        self.fields["owner"].error_messages["invalid_choice"] = "این کارمند در فهرست کارکنان این واحد نیست."
