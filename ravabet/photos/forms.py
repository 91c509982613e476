from django import forms

from ravabet.lib.digits import to_persian_digits
from ravabet.lib.forms import PersianFormMixin

from .models import PhotoRules


class PhotoRulesForm(PersianFormMixin, forms.ModelForm):
    class Meta:
        model = PhotoRules
        fields = ["min_long_side", "duplicate_distance", "resolution_action", "orientation_action",
                  "duplicate_action", "portrait_action"]

    def clean_min_long_side(self):
        value = self.cleaned_data["min_long_side"]
        if not 200 <= value <= 8000:
            raise forms.ValidationError("حداقل ضلع بلند باید بین ۲۰۰ و ۸۰۰۰ پیکسل باشد.")
        return value

    def clean_duplicate_distance(self):
        value = self.cleaned_data["duplicate_distance"]
        if value > 15:
            raise forms.ValidationError("آستانه شباهت حداکثر ۱۵ است؛ بیش از آن عکس‌های متفاوت هم تکراری دیده می‌شوند.")
        return value


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input; each is checked later by photo_upload()."""

    def __init__(self, *args, **kwargs):
        accept = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"  # phones send HEIC
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": accept, "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleImageField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class PhotoPickerWidget(forms.CheckboxSelectMultiple):
    """Checkboxes drawn as thumbnails, for choosing photos already in a unit's library."""

    template_name = "photos/widgets/photo_picker.html"
    # Not "checkbox": the shared form_fields include would draw it as one small check box with its label after.
    input_type = "photo-picker"


class LibraryPhotoField(forms.ModelMultipleChoiceField):
    """Photos of one unit's library; each label says how often the photo is already used."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PhotoPickerWidget)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = "عکس انتخاب‌شده در کتابخانه عکس این واحد نیست."
        self.error_messages["invalid_pk_value"] = "عکس انتخاب‌شده در کتابخانه عکس این واحد نیست."

    def label_from_instance(self, photo):
        parts = [photo.caption or photo.original_name or "عکس"]
        uses = getattr(photo, "use_count", 0)
        parts.append(f"در {to_persian_digits(uses)} خبر به کار رفته" if uses else "هنوز در خبری نیامده")
        if photo.warnings:
            parts.append(f"⚠ {to_persian_digits(len(photo.warnings))} هشدار")
        return " · ".join(parts)
