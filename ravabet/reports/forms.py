from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from ravabet.lib.digits import to_persian_digits
from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.uploads import check_upload

from .models import Kind, Source, State, UnitReport, Urgency

ATTACHMENT_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _check_files(files, allowed: set[str]) -> list:
    if len(files) > MAX_FILES:
        raise ValidationError(f"حداکثر {to_persian_digits(MAX_FILES)} پرونده در هر بار می‌توانید بفرستید.")
    errors = []
    for upload in files:
        try:
            upload.checked_type = check_upload(upload, allowed=allowed, max_bytes=MAX_FILE_BYTES)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return files


class ReportForm(PersianFormMixin, forms.Form):
    kind = forms.ChoiceField(label="نوع گزارش", choices=Kind.choices)
    source = forms.ChoiceField(label="خاستگاه (مورد توجه چه کسانی)", choices=[("", "— برگزینید —"), *Source.choices])
    subject = PersianCharField(label="موضوع", max_length=200)
    description = PersianTextField(label="شرح", max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 6}),
                                   help_text="مشکل یا راهکار را با جزئیات بنویسید: کجا، از کی، چه کسانی، چه پیشنهادی.")
    urgency = forms.ChoiceField(label="فوریت", choices=Urgency.choices, initial=Urgency.NORMAL)
    solves = forms.ModelChoiceField(label="مشکلی که این راهکار حل می‌کند", queryset=UnitReport.objects.none(),
                                    required=False, empty_label="— بدون پیوند —",
                                    help_text="فقط برای گزارش راهکار.")
    attachments = MultipleFileField(label="پیوست‌ها (تصویر یا PDF)", required=False,
                                    widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
                                    help_text="حداکثر ۵ پرونده، هر کدام تا ۱۰ مگابایت.")

    def __init__(self, *args, unit, exclude_pk=None, **kwargs):
        super().__init__(*args, **kwargs)
        problems = UnitReport.objects.filter(unit=unit, kind=Kind.PROBLEM).exclude(state=State.DRAFT)
        if exclude_pk:
            problems = problems.exclude(pk=exclude_pk)
        self.fields["solves"].queryset = problems.order_by("-sent_at", "-pk")
        self.fields["solves"].error_messages["invalid_choice"] = "این مشکل در فهرست مشکلات فرستاده‌شده واحد نیست."
        for name in ("kind", "source", "urgency"):
            self.fields[name].error_messages["invalid_choice"] = "گزینه‌ای از فهرست برگزینید."

    def clean_attachments(self):
        return _check_files(self.cleaned_data.get("attachments") or [], ATTACHMENT_TYPES)

    def clean(self):
        data = super().clean()
        if data.get("solves") and data.get("kind") != Kind.SOLUTION:
            self.add_error("solves", "فقط گزارش راهکار به مشکل پیوند می‌خورد؛ نوع گزارش را «راهکار» کنید.")
        return data


class AnswerForm(PersianFormMixin, forms.Form):
    action = forms.ChoiceField(label="پاسخ اداره کل", widget=forms.RadioSelect,
                               choices=[("acknowledge", "دیده شد (بدون اقدام)"),
                                        ("act", "اقدام اداره کل و تعیین پیگیری‌کننده")])
    comment = PersianTextField(label="نظر اداره کل", max_length=3000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    followup_by = forms.ModelChoiceField(label="پیگیری‌کننده در اداره کل", queryset=get_user_model().objects.none(),
                                         required=False, empty_label="— برگزینید —")
    followup_due = JalaliDateField(label="مهلت پیگیری", required=False)

    def __init__(self, *args, hq_people=(), act_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if act_only:
            # Already acknowledged: the only answer left is to act.
            self.fields["action"].widget = forms.HiddenInput()
            self.fields["action"].initial = "act"
        self.fields["followup_by"].queryset = get_user_model().objects.filter(pk__in=[u.pk for u in hq_people]) \
            .order_by("full_name")
        self.fields["followup_by"].label_from_instance = lambda user: user.full_name or user.username
        self.fields["action"].error_messages["invalid_choice"] = "یکی از دو پاسخ را برگزینید."

    def clean(self):
        data = super().clean()
        if data.get("action") == "act":
            if not data.get("followup_by"):
                self.add_error("followup_by", "پیگیری‌کننده را برگزینید.")
            if not data.get("followup_due"):
                self.add_error("followup_due", "مهلت پیگیری را بنویسید.")
        return data


class CloseForm(PersianFormMixin, forms.Form):
    note = PersianTextField(label="نتیجه پیگیری", max_length=3000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class ProfileForm(PersianFormMixin, forms.Form):
    history = PersianTextField(label="تاریخچه", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    mission = PersianTextField(label="مأموریت و وظایف", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    services = PersianTextField(label="خدمات به مردم", max_length=5000, required=False,
                                widget=forms.Textarea(attrs={"rows": 4}), help_text="هر خدمت را در یک سطر بنویسید.")
    address = PersianCharField(label="نشانی", max_length=300)
    phones = PersianCharField(label="تلفن‌ها", max_length=120)
    hours = PersianCharField(label="ساعت کاری", max_length=120, required=False,
                             help_text="مثلاً شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰")
    manager_name = PersianCharField(label="رئیس اداره", max_length=120)
    website = PersianCharField(label="نشانی وبگاه یا ایمیل", max_length=200, required=False)
    brochure = forms.FileField(label="بروشور آماده (PDF)", required=False,
                               widget=forms.FileInput(attrs={"accept": ".pdf"}),
                               help_text="اگر بروشور ندارید، بروشور PDF از همین اطلاعات ساخته می‌شود.")
    photos = MultipleFileField(label="افزودن تصویر", required=False,
                               widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                               help_text="تصویر ساختمان، سالن ارباب رجوع و ... (JPEG، PNG یا WebP، هر کدام تا ۱۰ مگابایت).")
    captions = PersianCharField(label="شرح تصاویر تازه", max_length=200, required=False)

    def clean_brochure(self):
        upload = self.cleaned_data.get("brochure")
        if upload:
            check_upload(upload, allowed={"application/pdf"}, max_bytes=MAX_FILE_BYTES)
        return upload

    def clean_photos(self):
        return _check_files(self.cleaned_data.get("photos") or [], PHOTO_TYPES)


class ReviewForm(PersianFormMixin, forms.Form):
    comment = PersianTextField(label="نظر اداره کل", max_length=3000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="برای برگرداندن، بنویسید چه چیزی باید اصلاح شود.")
