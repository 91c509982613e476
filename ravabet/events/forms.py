from django import forms

from ravabet.lib.forms import JalaliDateField, JalaliDateTimeField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.uploads import check_upload
from ravabet.offices.forms import MobileField

from .models import (
    ActivityKind,
    Condition,
    EventKind,
    OccasionKind,
    RunSheetState,
)

EVIDENCE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
MAX_BYTES = 10 * 1024 * 1024


class UploadMixin:
    upload_fields: tuple[str, ...] = ()

    def _check(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            upload.checked_type = check_upload(upload, allowed=EVIDENCE_TYPES, max_bytes=MAX_BYTES)
        return upload


class TaskForm(PersianFormMixin, forms.Form):
    title = PersianCharField(label="عنوان", max_length=200)
    description = PersianTextField(label="شرح کار")
    due_date = JalaliDateField(label="مهلت انجام")
    units = forms.ModelMultipleChoiceField(label="واحدها", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].error_messages["required"] = "دست‌کم یک واحد را برگزینید."


class DoneForm(UploadMixin, PersianFormMixin, forms.Form):
    evidence = PersianTextField(label="گزارش انجام کار", required=False)
    evidence_file = forms.FileField(label="پیوست یا عکس (PDF، JPEG، PNG)", required=False)

    def clean_evidence_file(self):
        return self._check("evidence_file")


class ReviewForm(PersianFormMixin, forms.Form):
    comment = PersianTextField(label="نظر اداره کل", required=False)


class EventForm(PersianFormMixin, forms.Form):
    kind = forms.ChoiceField(label="نوع", choices=EventKind.choices)
    title = PersianCharField(label="عنوان", max_length=200)
    venue = PersianCharField(label="محل برگزاری", max_length=200)
    starts_at = JalaliDateTimeField(label="زمان برگزاری")
    occasion = forms.ModelChoiceField(label="مناسبت", queryset=None, required=False)
    description = PersianTextField(label="شرح", required=False)

    def __init__(self, *args, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].queryset = occasions


class RunSheetForm(PersianFormMixin, forms.Form):
    person = forms.ModelChoiceField(label="مسئول", queryset=None, required=False)
    state = forms.ChoiceField(label="وضعیت", choices=RunSheetState.choices)
    note = PersianCharField(label="توضیح", max_length=200, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class GuestForm(PersianFormMixin, forms.Form):
    name = PersianCharField(label="نام و نام خانوادگی", max_length=120)
    title = PersianCharField(label="سمت یا عنوان", max_length=150, required=False)
    mobile = MobileField(label="شماره همراه", required=False)


class RsvpForm(PersianFormMixin, forms.Form):
    answer = forms.ChoiceField(label="پاسخ", choices=[("accept", "می‌آیم"), ("decline", "نمی‌توانم بیایم")],
                               widget=forms.RadioSelect)
    companions = forms.IntegerField(label="شمار همراهان", min_value=0, max_value=10, initial=0, required=False,
                                    error_messages={"min_value": "شمار همراهان نمی‌تواند منفی باشد.",
                                                    "max_value": "بیش از ۱۰ همراه پذیرفته نیست.",
                                                    "invalid": "شمار همراهان را با عدد بنویسید."})


class CheckInForm(PersianFormMixin, forms.Form):
    token = forms.CharField(label="کد یا پیوند کارت دعوت", max_length=300,
                            widget=forms.TextInput(attrs={"autofocus": True, "dir": "ltr", "autocomplete": "off"}))


class HeldForm(PersianFormMixin, forms.Form):
    attendance = forms.IntegerField(label="شمار حاضران", min_value=0, required=False,
                                    help_text="خالی بگذارید تا از ورودهای ثبت‌شده شمرده شود.",
                                    error_messages={"min_value": "شمار حاضران نمی‌تواند منفی باشد.",
                                                    "invalid": "شمار را با عدد بنویسید."})


class SupplyForm(PersianFormMixin, forms.Form):
    name = PersianCharField(label="نام وسیله", max_length=120)
    quantity = forms.IntegerField(label="موجودی", min_value=0,
                                  error_messages={"min_value": "موجودی نمی‌تواند منفی باشد.",
                                                  "invalid": "موجودی را با عدد بنویسید."})
    min_quantity = forms.IntegerField(label="حداقل موجودی لازم", min_value=0, initial=1,
                                      error_messages={"min_value": "نمی‌تواند منفی باشد.",
                                                      "invalid": "با عدد بنویسید."})
    condition = forms.ChoiceField(label="وضعیت", choices=Condition.choices)
    note = PersianCharField(label="توضیح", max_length=200, required=False)


class LoanForm(PersianFormMixin, forms.Form):
    quantity = forms.IntegerField(label="تعداد", min_value=1, initial=1,
                                  error_messages={"min_value": "دست‌کم یک عدد.", "invalid": "با عدد بنویسید."})
    event = forms.ModelChoiceField(label="برای مراسم", queryset=None, required=False)

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events


class OccasionForm(PersianFormMixin, forms.Form):
    title = PersianCharField(label="عنوان", max_length=150)
    date = JalaliDateField(label="تاریخ")
    kind = forms.ChoiceField(label="نوع", choices=OccasionKind.choices)
    lunar = forms.BooleanField(label="قمری (تاریخ هر سال از نو تعیین می‌شود)", required=False)
    remind_days = forms.IntegerField(label="یادآوری چند روز پیش", min_value=0, max_value=60, initial=7,
                                     error_messages={"min_value": "نمی‌تواند منفی باشد.",
                                                     "max_value": "بیش از ۶۰ روز پذیرفته نیست.",
                                                     "invalid": "با عدد بنویسید."})
    note = PersianCharField(label="توضیح", max_length=300, required=False)


class ActivityForm(PersianFormMixin, forms.Form):
    kind = forms.ChoiceField(label="نوع", choices=ActivityKind.choices)
    title = PersianCharField(label="عنوان", max_length=200)
    date = JalaliDateField(label="تاریخ")
    occasion = forms.ModelChoiceField(label="مناسبت", queryset=None, required=False)
    participants = forms.IntegerField(label="شمار شرکت‌کنندگان", min_value=0, initial=0,
                                      error_messages={"min_value": "نمی‌تواند منفی باشد.",
                                                      "invalid": "با عدد بنویسید."})
    description = PersianTextField(label="شرح", required=False)

    def __init__(self, *args, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].queryset = occasions


class ContentForm(UploadMixin, PersianFormMixin, forms.Form):
    occasion = forms.ModelChoiceField(label="مناسبت", queryset=None)
    title = PersianCharField(label="عنوان", max_length=200)
    text = PersianTextField(label="متن")
    file = forms.FileField(label="پیوست (PDF، JPEG، PNG)", required=False)

    def __init__(self, *args, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].queryset = occasions

    def clean_file(self):
        return self._check("file")
