"""The form of the unit's introduction (B9), with its photos and brochure upload, and the
several-files field it shares with the reports part."""

from django import forms
from django.core.exceptions import ValidationError

from ravabet.lib.digits import to_persian_digits
from ravabet.lib.forms import PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.uploads import clean_upload

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input: cleans to a list (empty when none was chosen)."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def check_files(files: list, allowed: set[str]) -> list:
    """At most MAX_FILES uploads, each of an `allowed` type (sniffed from its bytes) and at most
    MAX_FILE_BYTES, each through the one upload pipeline (`lib.uploads.clean_upload`: images re-encoded
    without metadata, random names; the uploader's name in `original_name`, the type in `checked_type`).
    Raises ValidationError with Persian messages."""
    if len(files) > MAX_FILES:
        raise ValidationError(f"حداکثر {to_persian_digits(MAX_FILES)} پرونده در هر بار می‌توانید بفرستید.")
    errors = []
    for upload in files:
        try:
            clean_upload(upload, allowed=allowed, max_bytes=MAX_FILE_BYTES)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return files


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
            clean_upload(upload, allowed={"application/pdf"}, max_bytes=MAX_FILE_BYTES)
        return upload

    def clean_photos(self):
        return check_files(self.cleaned_data.get("photos") or [], PHOTO_TYPES)
