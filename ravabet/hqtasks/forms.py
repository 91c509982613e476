from django import forms

from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.lib.uploads import clean_upload

EVIDENCE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
MAX_BYTES = 10 * 1024 * 1024


class TaskForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    title = PersianCharField(label="عنوان", max_length=200)
    description = PersianTextField(label="شرح کار")
    due_date = JalaliDateField(label="مهلت انجام")
    units = forms.ModelMultipleChoiceField(label="واحدها", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].error_messages["required"] = "دست‌کم یک واحد را برگزینید."


class SubmitForm(PersianFormMixin, forms.Form):
    evidence = PersianTextField(label="گزارش انجام کار", required=False)
    evidence_file = forms.FileField(label="پیوست یا عکس (PDF، JPEG، PNG)", required=False)

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            clean_upload(upload, allowed=EVIDENCE_TYPES, max_bytes=MAX_BYTES)
        return upload
