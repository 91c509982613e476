from django import forms

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
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                              "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleImageField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []
