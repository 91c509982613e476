from django import forms

from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.lib.instruction import item_short
from ravabet.lib.uploads import clean_upload
from ravabet.photos.forms import MultipleImageField

from .models import E2_KINDS, ActivityFormat, ActivityKind, OccasionKind

CONTENT_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
MAX_BYTES = 10 * 1024 * 1024


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


class ActivityForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    kind = forms.ChoiceField(label="نوع", choices=ActivityKind.choices)
    format = forms.ChoiceField(label="قالب برنامه (برای برنامه‌های فرهنگی و اخلاق اداری)", required=False,
                               choices=[("", "—"), *ActivityFormat.choices])
    title = PersianCharField(label="عنوان", max_length=200)
    date = JalaliDateField(label="تاریخ")
    occasion = forms.ModelChoiceField(label="مناسبت", queryset=None, required=False)
    participants = forms.IntegerField(label="شمار شرکت‌کنندگان", min_value=0, initial=0,
                                      error_messages={"min_value": "نمی‌تواند منفی باشد.",
                                                      "invalid": "با عدد بنویسید."})
    description = PersianTextField(label="شرح", required=False)
    evidence = forms.FileField(label="مستند (PDF، JPEG، PNG)", required=False,
                               help_text="مانند بولتن، پوستر، فهرست حاضران یا گواهی برگزاری.")
    photos = MultipleImageField(label="عکس‌ها", help_text=f"به کتابخانه عکس واحد می‌رود و قواعد عکس ({item_short('F3')}) بررسی می‌شود.")

    def __init__(self, *args, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].queryset = occasions

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            clean_upload(upload, allowed=CONTENT_TYPES, max_bytes=MAX_BYTES)
        return upload


class CultureTargetsForm(PersianFormMixin, forms.Form):
    """HQ's yearly E2 targets: one box per unit and kind (t-<unit id>-<kind>), empty for no target."""

    def __init__(self, *args, units, initial_targets: dict, **kwargs):
        # The boxes are this form's base fields, set before the mixin styles every field (Persian digits).
        self.base_fields, self.boxes = {}, []
        for unit in units:
            for kind in E2_KINDS:
                name = f"t-{unit.pk}-{kind}"
                self.base_fields[name] = forms.IntegerField(
                    label=f"{unit.name} — {kind.label}", min_value=0, max_value=500, required=False,
                    initial=initial_targets.get((unit.pk, kind.value)),
                    error_messages={"invalid": "با عدد بنویسید.", "min_value": "نمی‌تواند منفی باشد.",
                                    "max_value": "بیش از ۵۰۰ برنامه در سال پذیرفته نیست."})
                self.boxes.append((unit.pk, kind.value, name))
        super().__init__(*args, **kwargs)

    def targets(self) -> dict[tuple[int, str], int | None]:
        """{(unit id, kind): number or None} from the cleaned boxes."""
        return {(unit_id, kind): self.cleaned_data.get(name) for unit_id, kind, name in self.boxes}


class ContentForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    occasion = forms.ModelChoiceField(label="مناسبت", queryset=None)
    title = PersianCharField(label="عنوان", max_length=200)
    text = PersianTextField(label="متن")
    file = forms.FileField(label="پیوست (PDF، JPEG، PNG)", required=False)

    def __init__(self, *args, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].queryset = occasions

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            clean_upload(upload, allowed=CONTENT_TYPES, max_bytes=MAX_BYTES)
        return upload


class HolidayForm(PersianFormMixin, forms.Form):
    date = JalaliDateField(label="تاریخ")
    title = PersianCharField(label="عنوان", max_length=150)
